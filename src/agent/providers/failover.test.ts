import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { type FakeReply, type FakeRequest, startFakeLlm } from "../../../test/helpers/fake-llm.js";
import { AppError } from "../../shared/index.js";
import { type AuthStore, loadAuthStore, saveAuthStore } from "../auth/store.js";
import { streamWithFailover } from "./failover.js";
import type { StreamEvent } from "./types.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-failover-"));
after(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;

const ANTHROPIC_KEY = "sk-ant-api03-PLANTEDanthropicKEY000000000000";
const ANTHROPIC_KEY_2 = "sk-ant-api03-PLANTEDsecondKEY1111111111111111";
const OPENAI_KEY = "sk-proj-PLANTEDopenaiKEY22222222222222222222";

function storeFile(store: Partial<AuthStore>): string {
  const file = path.join(root, `agent-${++n}`, "auth-profiles.json");
  saveAuthStore(file, { version: 1, profiles: {}, ...store });
  return file;
}

async function collect(iter: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const ev of iter) out.push(ev);
  return out;
}
const textOf = (events: StreamEvent[]) => events.map((e) => (e.type === "text" ? e.text : "")).join("");

async function fake(respond: (r: FakeRequest) => FakeReply) {
  const llm = await startFakeLlm(respond);
  after(() => llm.close());
  const config = {
    models: { providers: { anthropic: { baseUrl: llm.anthropicUrl }, openai: { baseUrl: llm.openaiUrl } } },
    agents: { defaults: { model: { primary: "anthropic/claude-test", fallbacks: ["openai/gpt-test"] } } },
  };
  return { llm, config };
}

describe("providers through the official SDKs against loopback servers", () => {
  test("anthropic-messages streams text deltas, usage and the stop reason; the API key goes in x-api-key", async () => {
    const { llm, config } = await fake(() => ({ text: "Hello there", usage: { input: 21, output: 5 } }));
    const file = storeFile({ profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: ANTHROPIC_KEY } } });
    const events = await collect(streamWithFailover({ config, env: {}, authStoreFile: file, system: "be brief", messages: [{ role: "user", content: "hi" }] }));
    assert.equal(textOf(events), "Hello there");
    assert.ok(events.filter((e) => e.type === "text").length >= 2, "streamed in more than one delta");
    assert.deepEqual(events.find((e) => e.type === "usage"), { type: "usage", inputTokens: 21, outputTokens: 5 });
    assert.deepEqual(events.at(-1), { type: "stop", reason: "end_turn" });
    assert.equal(llm.requests[0]!.credential, ANTHROPIC_KEY);
    assert.equal(llm.requests[0]!.body.model, "claude-test");
    assert.equal(llm.requests[0]!.body.system, "be brief");
    assert.equal(llm.requests[0]!.body.stream, true);
  });

  test("openai-completions streams text and a tool call with parsed arguments", async () => {
    const { llm, config } = await fake(() => ({ text: "Reading", toolCalls: [{ id: "call_1", name: "read", input: { path: "SOUL.md" } }] }));
    const cfg = { ...config, agents: { defaults: { model: "openai/gpt-test" } } };
    const events = await collect(
      streamWithFailover({ config: cfg, env: { OPENAI_API_KEY: OPENAI_KEY }, authStoreFile: storeFile({}), messages: [{ role: "user", content: "read it" }], tools: [{ name: "read", inputSchema: { type: "object" } }] }),
    );
    assert.equal(textOf(events), "Reading");
    assert.deepEqual(events.find((e) => e.type === "tool_call"), { type: "tool_call", call: { id: "call_1", name: "read", input: { path: "SOUL.md" } } });
    assert.deepEqual(events.at(-1), { type: "stop", reason: "tool_use" });
    assert.equal(llm.requests[0]!.credential, OPENAI_KEY);
    assert.equal((llm.requests[0]!.body.tools as Array<{ function: { name: string } }>)[0]!.function.name, "read");
  });

  test("anthropic tool_use blocks become tool calls; tool results go back as tool_result blocks", async () => {
    const { llm, config } = await fake(() => ({ text: "", toolCalls: [{ id: "toolu_1", name: "exec", input: { command: "ls -la" } }] }));
    const file = storeFile({ profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: ANTHROPIC_KEY } } });
    const events = await collect(
      streamWithFailover({
        config,
        env: {},
        authStoreFile: file,
        messages: [
          { role: "user", content: "list" },
          { role: "assistant", content: "", toolCalls: [{ id: "toolu_0", name: "read", input: { path: "a" } }] },
          { role: "tool", toolCallId: "toolu_0", content: "denied", isError: true },
        ],
      }),
    );
    assert.deepEqual(events.find((e) => e.type === "tool_call"), { type: "tool_call", call: { id: "toolu_1", name: "exec", input: { command: "ls -la" } } });
    const sent = llm.requests[0]!.body.messages as Array<{ role: string; content: Array<Record<string, unknown>> }>;
    assert.equal(sent[2]!.role, "user");
    assert.deepEqual(sent[2]!.content[0], { type: "tool_result", tool_use_id: "toolu_0", content: "denied", is_error: true });
  });

  test("a setup token is sent as a bearer with the OAuth beta header", async () => {
    const { llm, config } = await fake(() => ({ text: "ok" }));
    const token = "sk-ant-oat01-PLANTEDtoken333333333333333333";
    const file = storeFile({ profiles: { "anthropic:manual": { type: "token", provider: "anthropic", token } } });
    await collect(streamWithFailover({ config, env: {}, authStoreFile: file, messages: [{ role: "user", content: "hi" }] }));
    assert.equal(llm.requests[0]!.headers.authorization, `Bearer ${token}`);
    assert.equal(llm.requests[0]!.headers["x-api-key"], undefined);
    assert.match(String(llm.requests[0]!.headers["anthropic-beta"]), /oauth-2025-04-20/);
  });
});

describe("failover within one call", () => {
  test("a primary answering 401 fails over to the fallback; the profile's cooldown is persisted at 0600", async () => {
    const { llm, config } = await fake((r) => (r.api === "anthropic" ? { status: 401, message: "invalid x-api-key" } : { text: "from fallback" }));
    const file = storeFile({ profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: ANTHROPIC_KEY } } });
    const before = Date.now();
    const events = await collect(streamWithFailover({ config, env: { OPENAI_API_KEY: OPENAI_KEY }, authStoreFile: file, messages: [{ role: "user", content: "hi" }] }));
    assert.equal(textOf(events), "from fallback");
    const fo = events.find((e) => e.type === "failover");
    assert.deepEqual(fo, { type: "failover", from: "anthropic/claude-test (anthropic:default)", to: "openai/gpt-test (env:OPENAI_API_KEY)", reason: "auth" });
    const stats = loadAuthStore(file).usageStats?.["anthropic:default"];
    assert.equal(stats?.errorCount, 1);
    assert.equal(stats?.disabledReason, "auth");
    assert.ok((stats?.cooldownUntil ?? 0) >= before + 60_000, "1 minute cooldown after the first failure");
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);

    // The next call skips the cooling profile and goes straight to the fallback.
    const seen = llm.requests.filter((r) => r.api === "anthropic").length;
    const again = await collect(streamWithFailover({ config, env: { OPENAI_API_KEY: OPENAI_KEY }, authStoreFile: file, messages: [{ role: "user", content: "hi" }] }));
    assert.equal(textOf(again), "from fallback");
    assert.equal(llm.requests.filter((r) => r.api === "anthropic").length, seen);
  });

  test("when every credential is cooling, the soonest back is tried rather than failing the turn", async () => {
    const { llm, config } = await fake(() => ({ text: "recovered" }));
    const now = Date.now();
    const file = storeFile({
      profiles: { "anthropic:a": { type: "api_key", provider: "anthropic", key: ANTHROPIC_KEY }, "anthropic:b": { type: "api_key", provider: "anthropic", key: ANTHROPIC_KEY_2 } },
      usageStats: { "anthropic:a": { cooldownUntil: now + 50 * 60_000, errorCount: 3 }, "anthropic:b": { cooldownUntil: now + 60_000, errorCount: 1 } },
    });
    const solo = { ...config, agents: { defaults: { model: "anthropic/claude-test" } } };
    const events = await collect(streamWithFailover({ config: solo, env: {}, authStoreFile: file, messages: [{ role: "user", content: "hi" }] }));
    assert.equal(textOf(events), "recovered");
    assert.deepEqual(llm.requests.map((r) => r.credential), [ANTHROPIC_KEY_2]);
    assert.deepEqual(loadAuthStore(file).usageStats?.["anthropic:b"], { lastUsed: loadAuthStore(file).usageStats?.["anthropic:b"]?.lastUsed }, "success clears the cooldown");
  });

  test("an unknown provider in the chain is skipped, not fatal", async () => {
    const { config } = await fake(() => ({ text: "fine" }));
    const file = storeFile({ profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: ANTHROPIC_KEY } } });
    for (const model of [{ primary: "anthropic/claude-test", fallbacks: ["nosuch/x"] }, { primary: "nosuch/x", fallbacks: ["anthropic/claude-test"] }]) {
      const events = await collect(streamWithFailover({ config: { ...config, agents: { defaults: { model } } }, env: {}, authStoreFile: file, messages: [{ role: "user", content: "hi" }] }));
      assert.equal(textOf(events), "fine", JSON.stringify(model));
    }
    await assert.rejects(collect(streamWithFailover({ config: { ...config, agents: { defaults: { model: "nosuch/x" } } }, env: {}, authStoreFile: file, messages: [{ role: "user", content: "hi" }] })), /provider "nosuch" is not built in/);
  });

  test("a 429 rotates to the provider's next profile before any fallback model", async () => {
    const { llm, config } = await fake((r) => (r.credential === ANTHROPIC_KEY ? { status: 429, message: "rate limited" } : { text: "second profile" }));
    const file = storeFile({
      profiles: { "anthropic:a": { type: "api_key", provider: "anthropic", key: ANTHROPIC_KEY }, "anthropic:b": { type: "api_key", provider: "anthropic", key: ANTHROPIC_KEY_2 } },
      order: { anthropic: ["anthropic:a", "anthropic:b"] },
    });
    const events = await collect(streamWithFailover({ config, env: {}, authStoreFile: file, messages: [{ role: "user", content: "hi" }] }));
    assert.equal(textOf(events), "second profile");
    assert.equal(llm.requests.filter((r) => r.api === "openai").length, 0);
    const store = loadAuthStore(file);
    assert.equal(store.usageStats?.["anthropic:a"]?.disabledReason, "rate_limit");
    assert.equal(store.lastGood?.anthropic, "anthropic:b");
  });

  test("overload (529), 5xx and a silent server (timeout) all fail over", async () => {
    for (const reply of [{ status: 529 }, { status: 500 }, { hang: true as const }]) {
      const { config } = await fake((r) => (r.api === "anthropic" ? reply : { text: "fallback ok" }));
      const file = storeFile({ profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: ANTHROPIC_KEY } } });
      const events = await collect(streamWithFailover({ config, env: { OPENAI_API_KEY: OPENAI_KEY }, authStoreFile: file, timeoutMs: 500, messages: [{ role: "user", content: "hi" }] }));
      assert.equal(textOf(events), "fallback ok", JSON.stringify(reply));
      const expected = "hang" in reply ? "timeout" : reply.status === 529 ? "overloaded" : "unknown";
      assert.equal(loadAuthStore(file).usageStats?.["anthropic:default"]?.disabledReason, expected);
    }
  });

  test("a billing failure disables the profile for 5 hours", async () => {
    const { config } = await fake((r) => (r.api === "anthropic" ? { status: 400, message: "Your credit balance is too low" } : { text: "ok" }));
    const file = storeFile({ profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: ANTHROPIC_KEY } } });
    const before = Date.now();
    await collect(streamWithFailover({ config, env: { OPENAI_API_KEY: OPENAI_KEY }, authStoreFile: file, messages: [{ role: "user", content: "hi" }] }));
    const stats = loadAuthStore(file).usageStats?.["anthropic:default"];
    assert.equal(stats?.disabledReason, "billing");
    assert.ok((stats?.disabledUntil ?? 0) >= before + 5 * 3600_000);
  });

  test("a bad request is not retried elsewhere, and the error names no secret", async () => {
    const { llm, config } = await fake(() => ({ status: 400, message: `bad request for key ${ANTHROPIC_KEY}` }));
    const file = storeFile({ profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: ANTHROPIC_KEY } } });
    await assert.rejects(collect(streamWithFailover({ config, env: { OPENAI_API_KEY: OPENAI_KEY }, authStoreFile: file, messages: [{ role: "user", content: "hi" }] })), (e: unknown) => {
      assert.ok(e instanceof AppError);
      assert.equal(e.code, "PROVIDER_ERROR");
      assert.ok(!e.message.includes(ANTHROPIC_KEY), e.message);
      return true;
    });
    assert.equal(llm.requests.filter((r) => r.api === "openai").length, 0);
  });

  test("no credential anywhere is the one-line AUTH_MISSING error", async () => {
    const { config } = await fake(() => ({ text: "never" }));
    await assert.rejects(collect(streamWithFailover({ config: { ...config, agents: { defaults: { model: "anthropic/claude-test" } } }, env: {}, authStoreFile: storeFile({}), messages: [{ role: "user", content: "hi" }] })), (e: unknown) => {
      assert.ok(e instanceof AppError);
      assert.equal(e.code, "AUTH_MISSING");
      assert.equal(e.message, "No credentials found for profile anthropic:default — run `openclaw models auth paste-token --provider anthropic`");
      return true;
    });
  });

  test("models.providers.<id>.apiKey and custom OpenAI-compatible providers (vLLM-style) work", async () => {
    const { llm } = await fake(() => ({ text: "local" }));
    const config = { models: { providers: { myvllm: { baseUrl: llm.openaiUrl, api: "openai-completions", apiKey: { source: "env", id: "VLLM_KEY" } } } }, agents: { defaults: { model: "myvllm/qwen" } } };
    const events = await collect(streamWithFailover({ config, env: { VLLM_KEY: "vllm-PLANTED-key-44444444" }, authStoreFile: storeFile({}), messages: [{ role: "user", content: "hi" }] }));
    assert.equal(textOf(events), "local");
    assert.equal(llm.requests[0]!.credential, "vllm-PLANTED-key-44444444");
  });

  test("the caller's abort stops the request without failover or cooldown", async () => {
    const { llm, config } = await fake((r) => (r.api === "anthropic" ? { hang: true } : { text: "no" }));
    const file = storeFile({ profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: ANTHROPIC_KEY } } });
    const ac = new AbortController();
    const run = collect(streamWithFailover({ config, env: { OPENAI_API_KEY: OPENAI_KEY }, authStoreFile: file, signal: ac.signal, messages: [{ role: "user", content: "hi" }] }));
    const { pollUntil } = await import("../../infra/index.js");
    assert.ok(await pollUntil(() => llm.requests.length === 1, 5000), "the request reached the server");
    ac.abort();
    await assert.rejects(run, (e: unknown) => e instanceof AppError && e.code === "INTERRUPTED");
    assert.equal(llm.requests.filter((r) => r.api === "openai").length, 0);
    assert.equal(loadAuthStore(file).usageStats, undefined);
  });
});
