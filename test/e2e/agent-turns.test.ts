/**
 * Agent turns end to end: the `openclaw agent` CLI (a spawned process) → our gateway → a loopback
 * model server speaking Anthropic Messages or OpenAI Chat Completions SSE → back, with the reply in
 * the transcript and sessions.json and the `chat` deltas seen by a second client; queueing per
 * session and overlap across sessions; timeouts, aborts and idempotent retries.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import type { EventFrame } from "../../src/protocol/index.js";
import { runBinary, runInProcess } from "../helpers/cli.js";
import { type FakeReply, startFakeLlm } from "../helpers/fake-llm.js";
import { startTestGateway, waitUntil } from "../helpers/gateway.js";
import { readJson, show, stdoutJson } from "../helpers/inspect.js";

type Obj = Record<string, unknown>;
const ANTHROPIC_KEY = "sk-ant-api03-PLANTEDanthropicKEY0123456789abcdefghij";
const OPENAI_KEY = "sk-proj-PLANTEDopenaiKEY0123456789abcdefghijklmn";

/** A gate a test opens to let a held reply go. */
function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

async function setup(t: Parameters<typeof startTestGateway>[0], respond: Parameters<typeof startFakeLlm>[0], model = "anthropic/claude-sonnet-4-6") {
  const llm = await startFakeLlm(respond);
  t.after(() => llm.close());
  const gw = await startTestGateway(t, {
    config: {
      agents: { defaults: { model: { primary: model } } },
      models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: ANTHROPIC_KEY }, openai: { baseUrl: llm.openaiUrl, apiKey: OPENAI_KEY } } },
    },
  });
  return { llm, gw };
}

const transcriptOf = (stateDir: string, key: string) => {
  const store = readJson<Record<string, Obj>>(path.join(stateDir, "agents", "main", "sessions", "sessions.json"))!;
  const entry = store[key]!;
  const lines = readFileSync(path.join(stateDir, "agents", "main", "sessions", `${entry.sessionId}.jsonl`), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Obj);
  return { entry, lines };
};

describe("agent turns through the gateway", () => {
  for (const [label, model, api] of [
    ["Anthropic Messages", "anthropic/claude-sonnet-4-6", "anthropic"],
    ["OpenAI Chat Completions", "openai/gpt-5.1", "openai"],
  ] as const) {
    test(`openclaw agent --json against a loopback ${label} server: reply, transcript, sessions.json, chat deltas`, async (t) => {
      const { llm, gw } = await setup(t, () => ({ text: "pong from the model", usage: { input: 30, output: 4 } }), model);
      const watcher = await gw.connect();
      t.after(() => watcher.close());
      const seen: EventFrame[] = [];
      watcher.onEvent((e) => seen.push(e));
      const r = await runBinary(["agent", "--agent", "main", "--message", "ping", "--json", "--url", gw.url, "--token", gw.token], { env: gw.env, timeoutMs: 60_000 });
      assert.equal(r.code, 0, show(r));
      const out = stdoutJson<Obj>(r);
      assert.equal(out.status, "ok");
      const result = out.result as { payloads: Array<{ text: string }>; meta: { agentMeta: Obj } };
      assert.equal(result.payloads[0]!.text, "pong from the model");
      assert.equal(result.meta.agentMeta.provider, api);
      // The request went out in the provider's own wire format with the configured key.
      assert.equal(llm.requests.length, 1);
      assert.equal(llm.requests[0]!.api, api);
      assert.equal(llm.requests[0]!.credential, api === "anthropic" ? ANTHROPIC_KEY : OPENAI_KEY);
      const sent = JSON.stringify(llm.requests[0]!.body);
      assert.match(sent, /ping/);
      assert.match(sent, /SOUL\.md|AGENTS\.md/, "the workspace system prompt was sent");
      // Transcript: header, user, assistant; sessions.json: tokens and model.
      const { entry, lines } = transcriptOf(gw.stateDir, "agent:main:main");
      assert.equal(lines[0]!.type, "session");
      const messages = lines.filter((l) => l.type === "message").map((l) => l.message as Obj);
      assert.deepEqual(messages.map((m) => m.role), ["user", "assistant"]);
      assert.equal(((messages[1]!.content as Obj[])[0] as Obj).text, "pong from the model");
      assert.equal(messages[1]!.provider, api);
      assert.equal(entry.inputTokens, 30);
      assert.equal(entry.outputTokens, 4);
      assert.equal(entry.modelProvider, api);
      // The second client saw the chat deltas and the final, in order.
      await waitUntil(() => seen.some((e) => e.event === "chat" && (e.payload as Obj).state === "final"), 5000, "chat final");
      const chat = seen.filter((e) => e.event === "chat").map((e) => e.payload as Obj);
      const deltas = chat.filter((c) => c.state === "delta");
      assert.ok(deltas.length >= 2, `streamed in deltas: ${JSON.stringify(chat)}`);
      assert.equal(deltas.map((d) => d.deltaText).join(""), "pong from the model");
      assert.equal(chat.at(-1)!.state, "final");
      assert.equal(chat.at(-1)!.sessionKey, "agent:main:main");
      const lifecycle = seen.filter((e) => e.event === "agent" && (e.payload as Obj).stream === "lifecycle").map((e) => ((e.payload as Obj).data as Obj).phase);
      assert.deepEqual(lifecycle, ["start", "end"]);
      // Neither key leaked into the transcript, the store, or the CLI's output.
      const disk = readFileSync(path.join(gw.stateDir, "agents", "main", "sessions", `${entry.sessionId}.jsonl`), "utf8") + JSON.stringify(entry) + r.stdout + r.stderr;
      for (const k of [ANTHROPIC_KEY, OPENAI_KEY]) assert.ok(!disk.includes(k), "no key in transcript or output");
    });
  }

  test("a second turn sees the first in its history (and what another writer appended); chat.history returns them", async (t) => {
    const { llm, gw } = await setup(t, (req) => ({ text: `answer ${(req.body.messages as unknown[]).length}` }));
    const c = await gw.connect();
    t.after(() => c.close());
    for (const m of ["one", "two"]) {
      const final = (await c.call("agent", { message: m, agentId: "main", idempotencyKey: `k-${m}` }, { expectFinal: true, timeoutMs: 20_000 })) as Obj;
      assert.equal(final.status, "ok", JSON.stringify(final));
    }
    assert.equal((llm.requests[1]!.body.messages as unknown[]).length, 3, "user, assistant, user");
    // Another writer appends between turns (chat.inject here): the next turn sees it, not a stale cached history.
    await c.call("chat.inject", { sessionKey: "agent:main:main", message: "EXTERNAL-NOTE" });
    const third = (await c.call("agent", { message: "three", agentId: "main", idempotencyKey: "k-three" }, { expectFinal: true, timeoutMs: 20_000 })) as Obj;
    assert.equal(third.status, "ok");
    assert.match(JSON.stringify(llm.requests[2]!.body.messages), /EXTERNAL-NOTE/);
    const h = (await c.call("chat.history", { sessionKey: "main", limit: 20 })) as { messages: Obj[]; sessionKey: string };
    assert.equal(h.sessionKey, "agent:main:main");
    assert.deepEqual(h.messages.map((m) => m.role), ["user", "assistant", "user", "assistant", "assistant", "user", "assistant"]);
  });

  test("two chat.send to one session queue; to two sessions they overlap", async (t) => {
    const gates: Array<{ promise: Promise<void>; open(): void }> = [];
    const { llm, gw } = await setup(t, async (): Promise<FakeReply> => {
      const g = gate();
      gates.push(g);
      await g.promise;
      return { text: "done" };
    });
    const c = await gw.connect();
    t.after(() => c.close());
    const finals: string[] = [];
    c.onEvent((e) => {
      const p = e.payload as Obj;
      if (e.event === "chat" && p.state === "final") finals.push(String(p.runId));
    });
    // Same session: the second waits for the first.
    const a = (await c.call("chat.send", { sessionKey: "agent:main:queue", message: "first", idempotencyKey: "q1" })) as Obj;
    const b = (await c.call("chat.send", { sessionKey: "agent:main:queue", message: "second", idempotencyKey: "q2" })) as Obj;
    await waitUntil(() => llm.requests.length === 1, 5000, "first request");
    // Different session: runs while the first is still held.
    const other = (await c.call("chat.send", { sessionKey: "agent:main:other", message: "parallel", idempotencyKey: "o1" })) as Obj;
    await waitUntil(() => llm.requests.length === 2, 5000, "the other session's request while the first is held");
    assert.match(JSON.stringify(llm.requests[1]!.body), /parallel/, "the queued second message has not gone out");
    gates[0]!.open();
    await waitUntil(() => llm.requests.length === 3, 5000, "the queued message after the first finished");
    assert.match(JSON.stringify(llm.requests[2]!.body), /second/);
    assert.ok(finals.includes(String(a.runId)) && !finals.includes(String(b.runId)));
    gates[1]!.open();
    gates[2]!.open();
    await waitUntil(() => finals.length === 3, 5000, "all three finals");
    assert.ok(finals.includes(String(other.runId)));
  });

  test("timeout and abort end the run with exit 1 / an aborted final; an idempotency key joins the same run", async (t) => {
    const { gw } = await setup(t, (req) => (JSON.stringify(req.body).includes("hang") ? { hang: true } : { text: "ok" }));
    const r = await runBinary(["agent", "--agent", "main", "--message", "hang please", "--timeout", "1", "--json", "--url", gw.url, "--token", gw.token], { env: gw.env, timeoutMs: 60_000 });
    assert.equal(r.code, 1, show(r));
    assert.equal(stdoutJson<Obj>(r).status, "timeout");
    const c = await gw.connect();
    t.after(() => c.close());
    const events: Obj[] = [];
    c.onEvent((e) => e.event === "chat" && events.push(e.payload as Obj));
    const sent = (await c.call("chat.send", { sessionKey: "agent:main:abort-me", message: "hang again", idempotencyKey: "same" })) as Obj;
    const again = (await c.call("chat.send", { sessionKey: "agent:main:abort-me", message: "hang again", idempotencyKey: "same" })) as Obj;
    assert.equal(again.runId, sent.runId, "the retry joined the run");
    assert.equal(again.status, "in_flight");
    await waitUntil(async () => ((await c.call("agent.wait", { runId: String(sent.runId), timeoutMs: 1 })) as Obj).status === "timeout", 5000);
    const aborted = (await c.call("chat.abort", { sessionKey: "agent:main:abort-me" })) as Obj;
    assert.equal(aborted.aborted, true);
    const waited = (await c.call("agent.wait", { runId: String(sent.runId), timeoutMs: 10_000 })) as Obj;
    assert.equal(waited.status, "aborted");
    await waitUntil(() => events.some((e) => e.state === "aborted" && e.runId === sent.runId), 5000, "aborted chat event");
  });

  test("a model error ends the turn with status error and exit 1, recorded in the transcript; bad targets are usage errors", async (t) => {
    const { gw } = await setup(t, () => ({ status: 400, message: "invalid request: bad things" }));
    const r = await runBinary(["agent", "--agent", "main", "--message", "hi", "--json", "--url", gw.url, "--token", gw.token], { env: gw.env, timeoutMs: 60_000 });
    assert.equal(r.code, 1, show(r));
    const out = stdoutJson<Obj>(r);
    assert.equal(out.status, "error");
    assert.match(String(out.summary), /bad things/);
    const { lines } = transcriptOf(gw.stateDir, "agent:main:main");
    const last = lines.at(-1)!.message as Obj;
    assert.equal(last.stopReason, "error");
    const unknown = await runBinary(["agent", "--agent", "nobody", "--message", "hi", "--url", gw.url, "--token", gw.token], { env: gw.env, timeoutMs: 60_000 });
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /unknown agent id "nobody"/);
    const none = await runBinary(["agent", "--message", "hi", "--url", gw.url, "--token", gw.token], { env: gw.env, timeoutMs: 60_000 });
    assert.equal(none.code, 2, show(none));
    assert.match(none.stderr, /no target session selected/);
  });

  test("planted keys appear in no transcript, log line, error, event or --json output, even when the provider echoes them", async (t) => {
    const { gw } = await setup(t, (req) => ({ status: 401, message: `Incorrect API key provided: ${req.credential}` }));
    const c = await gw.connect();
    t.after(() => c.close());
    const events: string[] = [];
    c.onEvent((e) => events.push(JSON.stringify(e)));
    const r = await runBinary(["agent", "--agent", "main", "--message", "hi", "--json", "--url", gw.url, "--token", gw.token], { env: gw.env, timeoutMs: 60_000 });
    assert.equal(r.code, 1, show(r));
    const human = await runBinary(["agent", "--agent", "main", "--message", "hi again", "--url", gw.url, "--token", gw.token], { env: gw.env, timeoutMs: 60_000 });
    assert.equal(human.code, 1, show(human));
    await waitUntil(() => events.filter((e) => e.includes('"state":"error"')).length === 2, 5000, "two error events");
    const { entry, lines } = transcriptOf(gw.stateDir, "agent:main:main");
    const everything = [r.stdout, r.stderr, human.stdout, human.stderr, JSON.stringify(lines), JSON.stringify(entry), readFileSync(gw.rt.logFile!, "utf8"), ...events].join("\n");
    assert.match(everything, /Incorrect API key provided/, "the provider's error is reported");
    assert.match(readFileSync(gw.rt.logFile!, "utf8"), /agent run .* agent:main:main error .*Incorrect API key provided/, "and logged");
    for (const k of [ANTHROPIC_KEY, ANTHROPIC_KEY.slice(0, 24), OPENAI_KEY]) assert.ok(!everything.includes(k), `planted key ${k.slice(0, 12)}… leaked`);
  });

  test("--thinking reaches the provider (Anthropic budget, OpenAI reasoning effort); signed thinking is kept and replayed before a tool result", async (t) => {
    let n = 0;
    const { llm, gw } = await setup(t, (req) =>
      req.api === "openai" ? { text: "reasoned" } : n++ === 0 ? { text: "let me look", thinking: { text: "I should read SOUL.md", signature: "sig-abc" }, toolCalls: [{ id: "toolu_1", name: "read", input: { path: "SOUL.md" } }] } : { text: "done" },
    );
    const r = await runBinary(["agent", "--agent", "main", "--message", "think", "--thinking", "high", "--json", "--url", gw.url, "--token", gw.token], { env: gw.env, timeoutMs: 60_000 });
    assert.equal(r.code, 0, show(r));
    const first = llm.requests[0]!.body as { thinking?: { type: string; budget_tokens: number }; max_tokens: number };
    assert.deepEqual(first.thinking, { type: "enabled", budget_tokens: 24_000 });
    assert.ok(first.max_tokens > 24_000, "room for the answer after the budget");
    // The second request (after the tool round) carries the signed thinking block first.
    const assistant = (llm.requests[1]!.body.messages as Array<{ role: string; content: unknown }>).find((m) => m.role === "assistant")!;
    assert.deepEqual((assistant.content as Obj[])[0], { type: "thinking", thinking: "I should read SOUL.md", signature: "sig-abc" });
    const { lines } = transcriptOf(gw.stateDir, "agent:main:main");
    assert.ok(JSON.stringify(lines).includes('"thinkingSignature":"sig-abc"'), "kept in the transcript in Pi's shape");
    const o = await runBinary(["agent", "--agent", "main", "--model", "openai/gpt-5.1", "--message", "think", "--thinking", "x-high", "--json", "--url", gw.url, "--token", gw.token], { env: gw.env, timeoutMs: 60_000 });
    assert.equal(o.code, 0, show(o));
    assert.equal(llm.requests.at(-1)!.body.reasoning_effort, "high");
  });

  test("a turn that leaves the context near the model's window compacts the session after its reply; the next turn sees the summary", async (t) => {
    const llm = await startFakeLlm((req) =>
      String(req.body.system ?? "").startsWith("You compact a conversation") ? { text: "SUMMARY: the user counted to three." } : { text: "ok", usage: { input: 25_000, output: 10 } },
    );
    t.after(() => llm.close());
    const gw = await startTestGateway(t, {
      config: {
        agents: { defaults: { model: { primary: "anthropic/tiny" }, compaction: { keepRecentTokens: 1 } } },
        models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: ANTHROPIC_KEY, models: [{ id: "tiny", contextWindow: 40_000 }] } } },
      },
    });
    const c = await gw.connect();
    t.after(() => c.close());
    for (const m of ["one", "two"]) {
      const final = (await c.call("agent", { message: m, agentId: "main", idempotencyKey: `c-${m}` }, { expectFinal: true, timeoutMs: 20_000 })) as Obj;
      assert.equal(final.status, "ok");
    }
    await waitUntil(() => transcriptOf(gw.stateDir, "agent:main:main").lines.some((l) => l.type === "compaction"), 10_000, "a compaction record");
    await waitUntil(() => transcriptOf(gw.stateDir, "agent:main:main").entry.compactionCount === 1, 5000, "compactionCount");
    const third = (await c.call("agent", { message: "three", agentId: "main", idempotencyKey: "c-three" }, { expectFinal: true, timeoutMs: 20_000 })) as Obj;
    assert.equal(third.status, "ok");
    const last = JSON.stringify(llm.requests.filter((r) => !String(r.body.system ?? "").startsWith("You compact")).at(-1)!.body.messages);
    assert.match(last, /SUMMARY: the user counted to three/);
    assert.match(readFileSync(gw.rt.logFile!, "utf8"), /auto-compacted at ~25010 context tokens/);
  });

  test("on a terminal the reply streams once as it arrives; Ctrl-C aborts the run at the gateway", async (t) => {
    const held = gate();
    const { llm, gw } = await setup(t, async (req) => {
      if (JSON.stringify(req.body.messages).includes("HOLD-7731")) await held.promise;
      return { text: "streamed reply text" };
    });
    t.after(() => held.open());
    const argv = (m: string) => ["agent", "--agent", "main", "--message", m, "--url", gw.url, "--token", gw.token];
    const r = await runInProcess(argv("stream please"), { env: gw.env, tty: true });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "streamed reply text\n", "deltas printed as they came, the reply once, then a newline");
    const ctrlC = new AbortController();
    const running = runInProcess(argv("HOLD-7731 please"), { env: gw.env, tty: true, signal: ctrlC.signal });
    await waitUntil(() => llm.requests.length === 2, 5000, "the held request");
    ctrlC.abort();
    const aborted = await running;
    assert.equal(aborted.code, 130, "interrupted");
    assert.match(aborted.stderr, /aborted/);
    const c = await gw.connect();
    t.after(() => c.close());
    const h = (await c.call("chat.history", { sessionKey: "main", limit: 10 })) as { messages: Obj[] };
    assert.ok(h.messages.some((m) => JSON.stringify(m).includes("HOLD-7731 please")), "the aborted turn's message is in the transcript");
  });

  test("/think and /model alone in a message set the session's level and model without calling the model", async (t) => {
    const { llm, gw } = await setup(t, () => ({ text: "answered" }));
    const c = await gw.connect();
    t.after(() => c.close());
    const say = async (message: string) => {
      const f = (await c.call("agent", { message, agentId: "main", idempotencyKey: `d-${message}` }, { expectFinal: true, timeoutMs: 20_000 })) as { result: { payloads: Array<{ text: string }> } };
      return f.result.payloads[0]?.text;
    };
    assert.equal(await say("/think high"), "Thinking level set to high.");
    assert.equal(await say("/model openai/gpt-5.1"), "Model set to openai/gpt-5.1 for this session.");
    assert.match(String(await say("/think enormous")), /Unknown thinking level "enormous"/);
    assert.equal(llm.requests.length, 0, "directives never reach the model");
    assert.equal(await say("now answer"), "answered");
    assert.equal(llm.requests[0]!.api, "openai");
    assert.equal(llm.requests[0]!.body.reasoning_effort, "high");
    assert.equal(await say("/model default"), "Model reset to the agent's default.");
    assert.equal(await say("/think off"), "Thinking disabled.");
    await say("again");
    assert.equal(llm.requests[1]!.api, "anthropic");
    assert.equal(llm.requests[1]!.body.thinking, undefined);
  });
});
