import assert from "node:assert/strict";
import { test } from "node:test";
import { pollUntil } from "../../../infra/index.js";
import type { SyncProgress } from "../../../memory/index.js";
import { createProgressReporter, renderProgressLine } from "./progress.js";

const p = (filesDone: number, extra: Partial<SyncProgress> = {}): SyncProgress => ({
  phase: "index",
  agentId: "main",
  filesTotal: 100,
  filesDone,
  bytesTotal: 4 * 1024 * 1024,
  bytesDone: filesDone * 41_943,
  chunks: filesDone * 2,
  embedTotal: 0,
  embedDone: 0,
  elapsedMs: 1500,
  rate: 66.6,
  etaMs: 3000,
  ...extra,
});

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, io: { stdout: { write: () => true }, stderr: { write: (s: string) => writes.push(s), isTTY }, signal: new AbortController().signal } };
}

test("the line names phase, files, MB, chunks, rate and ETA; embedding shows chunks/s", () => {
  assert.equal(renderProgressLine(p(50)), "main  index  50/100 files  2.0 MB/4.0 MB  100 chunks  67 files/s  ETA 3.0 s  (1.5 s)");
  assert.equal(renderProgressLine(p(50), { bar: true }), "main  [##########----------]  49 %  index  50/100 files  2.0 MB/4.0 MB  100 chunks  67 files/s  ETA 3.0 s  (1.5 s)");
  assert.equal(renderProgressLine(p(0, { phase: "embed", embedTotal: 40, embedDone: 10, rate: 12 })), "main  embed  10/40 chunks embedded  12 chunks/s  ETA 3.0 s  (1.5 s)");
});

test("--json: one NDJSON progress object per event on stderr", () => {
  const s = stream(false);
  const r = createProgressReporter({ io: s.io, json: true });
  r.onProgress(p(10));
  r.onProgress(p(20));
  r.stop();
  assert.deepEqual(s.writes.map((w) => JSON.parse(w)).map((o) => [o.type, o.filesDone]), [["progress", 10], ["progress", 20]]);
});

test("a terminal gets one line redrawn in place from the latest state, never one write per event; stop clears it", async () => {
  const s = stream(true);
  const r = createProgressReporter({ io: s.io, json: false, frameMs: 20 });
  for (let i = 1; i <= 50; i++) r.onProgress(p(i));
  assert.equal(s.writes.length, 0, "events only record; the frame timer draws");
  assert.ok(await pollUntil(() => s.writes.length > 0, 5000, 5));
  assert.ok(s.writes[0]!.startsWith("\r\x1b[2Kmain  [##########----------]  49 %  index  50/100 files"), JSON.stringify(s.writes[0]));
  r.stop();
  assert.equal(s.writes.at(-1), "\r\x1b[2K");
  assert.ok(s.writes.every((w) => !w.includes("\n")));
});

test("logs (no terminal) get whole lines, and a 'still working' line while a batch takes long", async () => {
  const s = stream(false);
  let now = 0;
  const r = createProgressReporter({ io: s.io, json: false, frameMs: 20, now: () => now });
  r.onProgress(p(30));
  assert.ok(await pollUntil(() => s.writes.length >= 1, 5000, 5));
  now = 12_000;
  assert.ok(await pollUntil(() => s.writes.length >= 2, 5000, 5));
  r.stop();
  assert.match(s.writes[0]!, /^main {2}index {2}30\/100 files.*\n$/);
  assert.equal(s.writes[1], "main  index  still working (12 s)\n");
});
