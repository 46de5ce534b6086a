/**
 * `sessions.compact` through a real gateway and a loopback Anthropic Messages server: the older
 * history is summarised by a real SDK call, one compaction record is appended (nothing rewritten)
 * and `compactionCount` goes up in sessions.json; `openclaw sessions compact` does the same.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { contextMessages } from "../../src/agent/index.js";
import { appendTranscriptRecord, loadTranscript } from "../../src/storage/index.js";
import { runInProcess } from "../helpers/cli.js";
import { type FakeRequest, startFakeLlm } from "../helpers/fake-llm.js";
import { startTestGateway } from "../helpers/gateway.js";

const KEY = "sk-ant-api03-PLANTEDcompactKEY00000000000000000";

function seedSession(stateDir: string, turns: number): string {
  const dir = path.join(stateDir, "agents", "main", "sessions");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "sessions.json"), JSON.stringify({ "agent:main:main": { sessionId: "sess-1", updatedAt: Date.now() } }));
  const file = path.join(dir, "sess-1.jsonl");
  appendTranscriptRecord(file, { type: "session", id: "sess-1", cwd: stateDir, timestamp: new Date().toISOString() });
  let parent = "sess-1";
  for (let i = 0; i < turns; i++) {
    appendTranscriptRecord(file, { type: "message", id: `u${i}`, parentId: parent, timestamp: "t", message: { role: "user", content: [{ type: "text", text: `question number ${i}` }] } });
    appendTranscriptRecord(file, { type: "message", id: `a${i}`, parentId: `u${i}`, timestamp: "t", message: { role: "assistant", content: [{ type: "text", text: `answer number ${i}` }] } });
    parent = `a${i}`;
  }
  return file;
}

describe("sessions.compact", () => {
  test("summarises through the model, appends a compaction record and counts it; the CLI drives the same", async (t) => {
    const requests: FakeRequest[] = [];
    const llm = await startFakeLlm((req) => {
      requests.push(req);
      return { text: `SUMMARY-${requests.length}: the user asked numbered questions` };
    });
    t.after(() => llm.close());
    const gw = await startTestGateway(t, {
      config: { models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: KEY } } }, agents: { defaults: { model: { primary: "anthropic/claude-test" } } } },
    });
    const file = seedSession(gw.stateDir, 6);
    const before = fs.readFileSync(file);
    const c = await gw.connect();
    t.after(() => c.close());

    const r = (await c.call("sessions.compact", { key: "agent:main:main", maxLines: 2 })) as Record<string, unknown>;
    assert.equal(r.compacted, true, JSON.stringify(r));
    assert.equal(r.summarizedMessages, 10);
    assert.equal(r.compactionCount, 1);
    assert.equal(requests.length, 1);
    const body = requests[0]!.body as { model: string; system: string; messages: Array<{ content: string }> };
    assert.equal(body.model, "claude-test");
    assert.equal(requests[0]!.credential, KEY);
    assert.match(body.system, /summary/i);
    assert.match(body.messages[0]!.content, /User: question number 0\n\nAssistant: answer number 0/);
    assert.ok(!body.messages[0]!.content.includes("question number 5"), "the kept tail is not summarised");

    const after = fs.readFileSync(file);
    assert.deepEqual(after.subarray(0, before.length), before, "the transcript is appended to, never rewritten");
    const records = loadTranscript(file).records;
    const compaction = records.at(-1)!;
    assert.equal(compaction.type, "compaction");
    assert.equal(compaction.summary, "SUMMARY-1: the user asked numbered questions");
    assert.equal(compaction.firstKeptEntryId, "u5");
    assert.equal(compaction.parentId, "a5");
    assert.deepEqual(contextMessages(records).map((x) => x.id), [compaction.id, "u5", "a5"]);
    const store = JSON.parse(fs.readFileSync(path.join(gw.stateDir, "agents", "main", "sessions", "sessions.json"), "utf8"));
    assert.equal(store["agent:main:main"].compactionCount, 1);
    assert.equal(store["agent:main:main"].sessionId, "sess-1", "other fields are kept");

    // The CLI, through the gateway: the earlier summary is folded into the next one.
    const target = ["--url", gw.url, "--token", gw.token, "--timeout", "10000"];
    const cli = await runInProcess(["sessions", "compact", "agent:main:main", "--max-lines", "1", "--json", ...target], { env: gw.env });
    assert.equal(cli.code, 0, cli.stderr);
    const out = JSON.parse(cli.stdout);
    assert.equal(out.compacted, true);
    assert.equal(out.compactionCount, 2);
    assert.match((requests[1]!.body as { messages: Array<{ content: string }> }).messages[0]!.content, /Summary of earlier conversation:\nSUMMARY-1/);
    const human = await runInProcess(["sessions", "compact", "agent:main:main", "--max-lines", "1", ...target], { env: gw.env });
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /^Nothing to compact in agent:main:main \(nothing-to-compact\)$/m);
    assert.ok(!cli.stdout.includes(KEY) && !human.stdout.includes(KEY));

    // The next turn sends the model the latest summary and the kept tail only.
    const turn = (await c.call("agent", { message: "what next?", agentId: "main", idempotencyKey: "after-compact" }, { expectFinal: true, timeoutMs: 20_000 })) as { status: string };
    assert.equal(turn.status, "ok", JSON.stringify(turn));
    const sent = (requests.at(-1)!.body as { messages: Array<{ role: string; content: unknown }> }).messages;
    const texts = sent.map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content)));
    assert.match(texts[0]!, /SUMMARY-2/);
    assert.ok(!texts.some((x) => /question number [0-4]\b/.test(x)), texts.join("\n"));
    assert.match(texts.at(-1)!, /what next\?/);

    // Bad input: an unknown session, a bad --max-lines.
    await assert.rejects(c.call("sessions.compact", { key: "agent:main:nope" }), /session "agent:main:nope" is not in sessions.json of agent main/);
    const bad = await runInProcess(["sessions", "compact", "agent:main:main", "--max-lines", "0", ...target], { env: gw.env });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--max-lines needs a positive whole number/);
  });

  test("a provider failure is one clear error and nothing is appended", async (t) => {
    const llm = await startFakeLlm(() => ({ status: 401, message: "invalid x-api-key" }));
    t.after(() => llm.close());
    const gw = await startTestGateway(t, { config: { models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: KEY } } }, agents: { defaults: { model: "anthropic/claude-test" } } } });
    const file = seedSession(gw.stateDir, 3);
    const size = fs.statSync(file).size;
    const c = await gw.connect();
    t.after(() => c.close());
    await assert.rejects(c.call("sessions.compact", { key: "agent:main:main", maxLines: 1 }), (e: Error) => {
      assert.match(e.message, /all model candidates failed/);
      assert.ok(!e.message.includes(KEY));
      return true;
    });
    assert.equal(fs.statSync(file).size, size);
    const store = JSON.parse(fs.readFileSync(path.join(gw.stateDir, "agents", "main", "sessions", "sessions.json"), "utf8"));
    assert.equal(store["agent:main:main"].compactionCount, undefined);
  });
});
