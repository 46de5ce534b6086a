/** The transcript loader: torn tails truncated (or completed) and reported, bad lines skipped, never a throw. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { tempDirFactory } from "../../test/helpers/temp.js";
import { appendTranscriptRecord, describeTranscriptProblems, loadTranscript, openTranscriptAppender } from "./index.js";

const tmp = tempDirFactory("transcript");

test("appends are whole lines, 0600, and load back in order", () => {
  const file = path.join(tmp(), "sessions", "a.jsonl");
  appendTranscriptRecord(file, { type: "session", id: "a" });
  const app = openTranscriptAppender(file);
  app.append({ type: "message", n: 1, text: "line\nbreak" });
  app.close();
  assert.equal(readFileSync(file, "utf8").split("\n").length, 3);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const t = loadTranscript(file);
  assert.equal(t.clean, true);
  assert.deepEqual(
    t.records.map((r) => r.type),
    ["session", "message"],
  );
  assert.equal(t.records[1]!.text, "line\nbreak");
});

test("a torn last line is truncated on disk and reported; complete records stay", () => {
  const file = path.join(tmp(), "t.jsonl");
  writeFileSync(file, '{"type":"session","id":"t"}\n{"type":"message","n":1}\n{"type":"message","n":2,"te');
  const t = loadTranscript(file);
  assert.equal(t.records.length, 2);
  assert.deepEqual(t.problems.tornTail, { line: 3, bytes: 27, action: "truncated" });
  assert.match(describeTranscriptProblems(t)!, /torn last line 3 \(27 bytes, truncated\)/);
  assert.equal(readFileSync(file, "utf8"), '{"type":"session","id":"t"}\n{"type":"message","n":1}\n');
  assert.equal(loadTranscript(file).clean, true, "the repair sticks");
});

test("a whole record missing only its newline is kept and completed", () => {
  const file = path.join(tmp(), "c.jsonl");
  writeFileSync(file, '{"a":1}\n{"b":2}');
  const t = loadTranscript(file);
  assert.deepEqual(t.records, [{ a: 1 }, { b: 2 }]);
  assert.equal(t.problems.tornTail?.action, "completed");
  assert.equal(readFileSync(file, "utf8"), '{"a":1}\n{"b":2}\n');
});

test("read-only load reports a torn tail without touching the file", () => {
  const file = path.join(tmp(), "r.jsonl");
  writeFileSync(file, '{"a":1}\n{"b"');
  const t = loadTranscript(file, { repair: false });
  assert.equal(t.problems.tornTail?.action, "reported");
  assert.equal(readFileSync(file, "utf8"), '{"a":1}\n{"b"');
});

test("bad middle lines are skipped and reported, never thrown; a directory is unreadable, not a crash", () => {
  const file = path.join(tmp(), "m.jsonl");
  writeFileSync(file, '{"a":1}\nnot json\n[1,2]\n\n{"b":2}\n');
  const t = loadTranscript(file);
  assert.deepEqual(t.records, [{ a: 1 }, { b: 2 }]);
  assert.deepEqual(t.problems.badLines, [2, 3]);
  assert.equal(readFileSync(file, "utf8"), '{"a":1}\nnot json\n[1,2]\n\n{"b":2}\n', "middle damage is left for `sessions check`");
  const dir = path.join(tmp(), "d.jsonl");
  mkdirSync(dir);
  const d = loadTranscript(dir);
  assert.equal(d.records.length, 0);
  assert.ok(d.problems.unreadable);
  assert.deepEqual(loadTranscript(path.join(tmp(), "missing.jsonl")).records, []);
});

test("a FIFO named like a transcript is reported, not waited on", { skip: process.platform === "win32" ? "no mkfifo" : false }, () => {
  const fifo = path.join(tmp(), "fifo.jsonl");
  execFileSync("mkfifo", [fifo]);
  for (const repair of [false, true]) {
    const t = loadTranscript(fifo, { repair });
    assert.equal(t.problems.unreadable, "not a regular file");
    assert.deepEqual(t.records, []);
  }
  assert.throws(() => appendTranscriptRecord(fifo, { a: 1 }), /FIFO|not a regular file|ENXIO/);
});
