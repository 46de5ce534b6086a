/**
 * Tool turns end to end: a loopback Anthropic server asks for a tool, our engine runs it in the
 * agent's workspace and sends the result back in the provider's tool-use format, and the model's
 * answer (built from that result) comes back through the gateway. Exec under `deny` is a tool
 * error the model sees; under `ask` an `exec.approval.requested` event reaches an operator client,
 * whose `exec.approval.resolve` lets the command run.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import type { EventFrame } from "../../src/protocol/index.js";
import { type FakeReply, type FakeRequest, lastToolResult, startFakeLlm } from "../helpers/fake-llm.js";
import { startTestGateway, waitUntil } from "../helpers/gateway.js";
import { readJson } from "../helpers/inspect.js";

type Obj = Record<string, unknown>;
const KEY = "sk-ant-api03-TOOLSkey0000000000000000000000000000000";

/** A model that calls `tool` with `input` once, then answers with what the tool returned. */
function toolModel(tool: string, input: unknown) {
  return (req: FakeRequest): FakeReply => {
    const result = lastToolResult(req);
    if (!result) return { text: "", toolCalls: [{ id: "toolu_1", name: tool, input }] };
    return { text: `${result.isError ? "TOOL ERROR: " : "TOOL SAID: "}${result.text}` };
  };
}

async function setup(t: Parameters<typeof startTestGateway>[0], respond: (req: FakeRequest) => FakeReply, tools: Obj = {}) {
  const llm = await startFakeLlm(respond);
  t.after(() => llm.close());
  const gw = await startTestGateway(t, {
    config: {
      agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" } } },
      models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: KEY } } },
      tools,
    },
  });
  const c = await gw.connect();
  t.after(() => c.close());
  const run = async (message: string) => (await c.call("agent", { message, agentId: "main", idempotencyKey: `k-${message}-${Date.now()}` }, { expectFinal: true, timeoutMs: 30_000 })) as { status: string; result: { payloads: Array<{ text: string }> } };
  return { llm, gw, c, run };
}

describe("tool turns", () => {
  test("the model asks read of a workspace file and answers with its content", async (t) => {
    const { llm, gw, run } = await setup(t, toolModel("read", { path: "SOUL.md" }));
    const soul = readFileSync(path.join(gw.stateDir, "workspace", "SOUL.md"), "utf8");
    const final = await run("what is in your soul?");
    assert.equal(final.status, "ok");
    const answer = final.result.payloads[0]!.text;
    assert.ok(answer.startsWith("TOOL SAID: "), answer);
    assert.ok(answer.includes(soul.split("\n").find((l) => l.trim())!), "the file's content came back through the model");
    // The tool was offered in Anthropic's format and the result went back as a tool_result.
    const offered = (llm.requests[0]!.body.tools as Array<{ name: string; input_schema: unknown }>).map((x) => x.name);
    assert.ok(offered.includes("read") && offered.includes("exec"), offered.join(","));
    const store = readJson<Record<string, Obj>>(path.join(gw.stateDir, "agents", "main", "sessions", "sessions.json"))!;
    const lines = readFileSync(path.join(gw.stateDir, "agents", "main", "sessions", `${store["agent:main:main"]!.sessionId}.jsonl`), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Obj);
    const roles = lines.filter((l) => l.type === "message").map((l) => (l.message as Obj).role);
    assert.deepEqual(roles, ["user", "assistant", "toolResult", "assistant"]);
  });

  test("exec under security deny comes back to the model as a tool error; nothing runs", async (t) => {
    const { gw, run } = await setup(t, toolModel("exec", { command: "touch ran-it" }), { exec: { security: "deny" } });
    const final = await run("run it");
    assert.equal(final.status, "ok", "a denied tool does not fail the turn");
    assert.match(final.result.payloads[0]!.text, /^TOOL ERROR: .*(denied|deny)/i);
    assert.throws(() => readFileSync(path.join(gw.stateDir, "workspace", "ran-it")), "the command did not run");
  });

  test("exec under ask: an approval event reaches an operator client and exec.approval.resolve lets it run", async (t) => {
    const { c, run } = await setup(t, toolModel("exec", { command: "echo ran-$((40+2))" }), { exec: { security: "allowlist", ask: "always" } });
    const requested: Obj[] = [];
    c.onEvent((e: EventFrame) => {
      if (e.event === "exec.approval.requested") requested.push(e.payload as Obj);
    });
    const pending = run("run it");
    await waitUntil(() => requested.length === 1, 10_000, "exec.approval.requested");
    const req = requested[0]!;
    assert.match(JSON.stringify(req), /echo ran-\$\(\(40\+2\)\)/);
    const listed = (await c.call("exec.approval.list", {})) as Obj[];
    assert.equal(listed.length, 1);
    await c.call("exec.approval.resolve", { id: String(req.id), decision: "allow-once" });
    const final = await pending;
    assert.equal(final.status, "ok");
    assert.match(final.result.payloads[0]!.text, /^TOOL SAID: .*ran-42/s);
  });
});
