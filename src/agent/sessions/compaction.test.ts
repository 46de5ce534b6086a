import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { appendTranscriptRecord, loadTranscript, tryAcquireSessionLock } from "../../storage/index.js";
import { compactSession, contextMessages, estimateContextTokens, estimateTokens, recordText } from "./compaction.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-compaction-"));
after(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;

function transcript(turns: number, size = 400): string {
  const file = path.join(root, `s${++n}.jsonl`);
  appendTranscriptRecord(file, { type: "session", id: `s${n}`, cwd: root, timestamp: new Date(0).toISOString() });
  let parent = `s${n}`;
  for (let i = 0; i < turns; i++) {
    const u = `u${i}`;
    appendTranscriptRecord(file, { type: "message", id: u, parentId: parent, timestamp: "t", message: { role: "user", content: [{ type: "text", text: `question ${i} ${"q".repeat(size)}` }] } });
    appendTranscriptRecord(file, {
      type: "message",
      id: `a${i}`,
      parentId: u,
      timestamp: "t",
      message: { role: "assistant", content: [{ type: "text", text: `answer ${i} ${"a".repeat(size)}` }, { type: "toolCall", id: `c${i}`, name: "read", arguments: { path: "x" } }] },
    });
    appendTranscriptRecord(file, { type: "message", id: `r${i}`, parentId: `a${i}`, timestamp: "t", message: { role: "toolResult", toolCallId: `c${i}`, toolName: "read", content: [{ type: "text", text: "file body" }] } });
    parent = `r${i}`;
  }
  return file;
}

describe("compaction", () => {
  test("estimateTokens is chars/4 rounded up; recordText renders roles and tool calls", () => {
    assert.equal(estimateTokens(""), 0);
    assert.equal(estimateTokens("abcde"), 2);
    assert.equal(recordText({ type: "message", message: { role: "assistant", content: [{ type: "text", text: "hi" }, { type: "toolCall", name: "read", arguments: { p: 1 } }] } }), 'Assistant: hi\n[tool call read({"p":1})]');
    assert.equal(recordText({ type: "message", message: { role: "toolResult", toolName: "exec", content: [{ type: "text", text: "ok" }] } }), "Tool result (exec): ok");
  });

  test("appends one compaction record (nothing rewritten); the model then sees the summary and the kept tail", async () => {
    const file = transcript(10);
    const before = fs.readFileSync(file);
    const seen: string[] = [];
    const r = await compactSession({
      transcriptFile: file,
      keepRecentTokens: 300,
      now: () => Date.UTC(2026, 0, 1),
      summarize: async (text) => {
        seen.push(text);
        return "SUMMARY: ten questions about files";
      },
    });
    assert.equal(r.compacted, true);
    const after = fs.readFileSync(file);
    assert.deepEqual(after.subarray(0, before.length), before, "the existing bytes are untouched");
    const records = loadTranscript(file).records;
    assert.equal(records.length, 1 + 30 + 1);
    const c = records.at(-1)!;
    assert.equal(c.type, "compaction");
    assert.equal(c.parentId, "r9");
    assert.equal(c.timestamp, "2026-01-01T00:00:00.000Z");
    assert.equal(c.summary, "SUMMARY: ten questions about files");
    assert.equal(typeof c.tokensBefore, "number");
    assert.equal(c.tokensBefore, r.tokensBefore);
    assert.ok(r.tokensAfter < r.tokensBefore / 3, `${r.tokensAfter} < ${r.tokensBefore}/3`);
    // The kept tail never starts on a tool result.
    assert.match(String(c.firstKeptEntryId), /^[ua]\d$/);
    assert.match(seen[0]!, /^User: question 0 /);
    assert.match(seen[0]!, /\[tool call read\(\{"path":"x"\}\)\]/);
    assert.ok(!seen[0]!.includes("question 9"), "the recent tail is not summarised");
    const ctx = contextMessages(records);
    assert.equal(ctx[0], c);
    assert.equal(ctx[1]!.id, c.firstKeptEntryId);
    assert.equal(ctx.at(-1)!.id, "r9");
    assert.equal(estimateContextTokens(records), r.tokensAfter);

    // New messages after the compaction are in context; a second compaction folds the first summary in.
    appendTranscriptRecord(file, { type: "message", id: "u10", parentId: c.id, timestamp: "t", message: { role: "user", content: [{ type: "text", text: "late question" }] } });
    assert.equal(contextMessages(loadTranscript(file).records).at(-1)!.id, "u10");
    const r2 = await compactSession({ transcriptFile: file, keepRecentTokens: 10, summarize: async (text) => {
        seen.push(text);
        return "SECOND";
      },
    });
    assert.equal(r2.compacted, true);
    assert.match(seen[1]!, /^Summary of earlier conversation:\nSUMMARY: ten questions/);
    const ctx2 = contextMessages(loadTranscript(file).records);
    assert.deepEqual(ctx2.map((x) => x.type === "compaction" ? x.summary : x.id), ["SECOND", "u10"]);
  });

  test("a short session has nothing to compact; an empty summary is refused and nothing is appended", async () => {
    const file = transcript(1, 10);
    assert.deepEqual((await compactSession({ transcriptFile: file, summarize: async () => "never" })).reason, "nothing-to-compact");
    const empty = path.join(root, "empty.jsonl");
    assert.equal((await compactSession({ transcriptFile: empty, summarize: async () => "never" })).reason, "empty");
    const size = fs.statSync(file).size;
    await assert.rejects(compactSession({ transcriptFile: file, keepRecentTokens: 1, summarize: async () => "  " }), /empty summary/);
    assert.equal(fs.statSync(file).size, size);
  });

  test("keepRecentMessages bounds the tail; the session lock is taken (and honoured)", async () => {
    const file = transcript(4, 5);
    const r = await compactSession({ transcriptFile: file, keepRecentMessages: 2, summarize: async () => "S" });
    assert.equal(r.summarizedMessages, 10, "12 messages, the last 2 (a3, r3) kept");
    const lock = tryAcquireSessionLock(file);
    assert.ok("release" in lock);
    try {
      await assert.rejects(compactSession({ transcriptFile: file, keepRecentMessages: 1, lockTimeoutMs: 100, summarize: async () => "S" }), /is locked by pid/);
      const other = transcript(4, 5);
      const inside = await compactSession({ transcriptFile: other, keepRecentMessages: 1, locked: true, summarize: async () => "S2" });
      assert.equal(inside.summarizedMessages, 10, "the last record is a tool result: its assistant call is kept with it");
    } finally {
      lock.release();
    }
  });
});
