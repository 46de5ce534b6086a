import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { readLogTail } from "./reader.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-reader-"));
after(() => fs.rmSync(root, { recursive: true, force: true }));

let counter = 0;
function logFile(content?: string): string {
  counter++;
  const file = path.join(root, `log-${counter}.log`);
  if (content !== undefined) fs.writeFileSync(file, content);
  return file;
}

/** `n` lines "line-1" … "line-n", each newline-terminated. */
function numbered(n: number, from = 1): string {
  let out = "";
  for (let i = from; i < from + n; i++) out += `line-${i}\n`;
  return out;
}

describe("readLogTail", () => {
  test("a missing file gives no lines", () => {
    const file = path.join(root, "does-not-exist.log");
    assert.deepEqual(readLogTail({ file }), { file, cursor: 0, size: 0, lines: [], truncated: false, reset: false });
    assert.deepEqual(readLogTail({ file, cursor: 0 }), { file, cursor: 0, size: 0, lines: [], truncated: false, reset: false });
  });

  test("a missing file with a previous cursor reports a reset", () => {
    const file = path.join(root, "gone.log");
    assert.deepEqual(readLogTail({ file, cursor: 120 }), { file, cursor: 0, size: 0, lines: [], truncated: false, reset: true });
  });

  test("an empty file gives no lines", () => {
    const file = logFile("");
    assert.deepEqual(readLogTail({ file }), { file, cursor: 0, size: 0, lines: [], truncated: false, reset: false });
  });

  test("reads every complete line of a small file", () => {
    const content = numbered(3);
    const file = logFile(content);
    const size = Buffer.byteLength(content);
    assert.deepEqual(readLogTail({ file }), { file, cursor: size, size, lines: ["line-1", "line-2", "line-3"], truncated: false, reset: false });
  });

  test("limit keeps the last N lines and sets truncated", () => {
    const content = numbered(10);
    const file = logFile(content);
    const tail = readLogTail({ file, limit: 3 });
    assert.deepEqual(tail.lines, ["line-8", "line-9", "line-10"]);
    assert.equal(tail.truncated, true);
    assert.equal(tail.cursor, Buffer.byteLength(content));
    const exact = readLogTail({ file, limit: 10 });
    assert.equal(exact.lines.length, 10);
    assert.equal(exact.truncated, false);
  });

  test("limit defaults to 200", () => {
    const file = logFile(numbered(250));
    const tail = readLogTail({ file });
    assert.equal(tail.lines.length, 200);
    assert.equal(tail.lines[0], "line-51");
    assert.equal(tail.truncated, true);
  });

  test("maxBytes truncation drops a partial first line", () => {
    const content = "line-1\nline-2\nline-3\n"; // 21 bytes
    const file = logFile(content);
    const tail = readLogTail({ file, maxBytes: 10 }); // starts inside "line-2"
    assert.deepEqual(tail.lines, ["line-3"]);
    assert.equal(tail.truncated, true);
    assert.equal(tail.cursor, 21);
    assert.equal(tail.size, 21);
  });

  test("maxBytes starting exactly at a line boundary keeps that line", () => {
    const file = logFile("line-1\nline-2\nline-3\n");
    const tail = readLogTail({ file, maxBytes: 14 }); // starts at "line-2"
    assert.deepEqual(tail.lines, ["line-2", "line-3"]);
    assert.equal(tail.truncated, true);
  });

  test("maxBytes smaller than the last line gives no lines but a cursor at the end", () => {
    const content = `short\n${"x".repeat(100)}\n`;
    const file = logFile(content);
    const tail = readLogTail({ file, maxBytes: 50 });
    assert.deepEqual(tail.lines, []);
    assert.equal(tail.truncated, true);
    assert.equal(tail.cursor, Buffer.byteLength(content));
  });

  test("maxBytes truncation with multi-byte characters returns whole, valid lines", () => {
    const content = "ünïcödé-1 ✓\nünïcödé-2 ✓\nünïcödé-3 ✓\n";
    const file = logFile(content);
    const size = Buffer.byteLength(content);
    // Start one byte into a multi-byte character of the second line.
    const tail = readLogTail({ file, maxBytes: size - Buffer.byteLength("ünïcödé-1 ✓\n") - 1 });
    assert.deepEqual(tail.lines, ["ünïcödé-3 ✓"]);
    assert.equal(tail.cursor, size);
    assert.ok(!tail.lines.join("").includes("\uFFFD"));
  });

  test("an unterminated last line is held back; the cursor stops before it", () => {
    const complete = numbered(2);
    const file = logFile(`${complete}line-3 partial`);
    const tail = readLogTail({ file });
    assert.deepEqual(tail.lines, ["line-1", "line-2"]);
    assert.equal(tail.cursor, Buffer.byteLength(complete));
    assert.equal(tail.size, Buffer.byteLength(`${complete}line-3 partial`));
  });

  test("cursor continuation returns only new complete lines", () => {
    const file = logFile(numbered(3));
    const first = readLogTail({ file });
    assert.deepEqual(first.lines, ["line-1", "line-2", "line-3"]);

    // Nothing new.
    const idle = readLogTail({ file, cursor: first.cursor });
    assert.deepEqual(idle, { file, cursor: first.cursor, size: first.size, lines: [], truncated: false, reset: false });

    // Two new lines and the start of a third.
    fs.appendFileSync(file, "line-4\nline-5\nline-6 par");
    const second = readLogTail({ file, cursor: first.cursor });
    assert.deepEqual(second.lines, ["line-4", "line-5"]);
    assert.equal(second.reset, false);
    assert.equal(second.truncated, false);

    // The partial line is not returned until it is completed.
    const stillPartial = readLogTail({ file, cursor: second.cursor });
    assert.deepEqual(stillPartial.lines, []);
    assert.equal(stillPartial.cursor, second.cursor);

    fs.appendFileSync(file, "tial\nline-7\n");
    const third = readLogTail({ file, cursor: stillPartial.cursor });
    assert.deepEqual(third.lines, ["line-6 partial", "line-7"]);
    assert.equal(third.cursor, fs.statSync(file).size);
  });

  test("cursor continuation with more new data than maxBytes drops the partial first line", () => {
    const file = logFile(numbered(2));
    const first = readLogTail({ file });
    fs.appendFileSync(file, numbered(20, 3));
    const next = readLogTail({ file, cursor: first.cursor, maxBytes: 20 });
    assert.equal(next.truncated, true);
    assert.equal(next.reset, false);
    assert.ok(next.lines.length >= 1);
    assert.equal(next.lines[next.lines.length - 1], "line-22");
    for (const line of next.lines) assert.match(line, /^line-\d+$/);
    assert.equal(next.cursor, fs.statSync(file).size);
  });

  test("cursor continuation with more new lines than limit keeps the newest and flags truncated", () => {
    const file = logFile(numbered(1));
    const first = readLogTail({ file });
    fs.appendFileSync(file, numbered(5, 2));
    const next = readLogTail({ file, cursor: first.cursor, limit: 2 });
    assert.deepEqual(next.lines, ["line-5", "line-6"]);
    assert.equal(next.truncated, true);
    assert.equal(next.cursor, fs.statSync(file).size);
  });

  test("a cursor past the end (truncated or rotated file) resets and re-reads from the start", () => {
    const file = logFile(numbered(5));
    const first = readLogTail({ file });
    // Rotation: the current file is replaced by a shorter, new one.
    fs.renameSync(file, `${file}.1`);
    fs.writeFileSync(file, "fresh-1\nfresh-2\n");
    const after = readLogTail({ file, cursor: first.cursor });
    assert.deepEqual(after, { file, cursor: 16, size: 16, lines: ["fresh-1", "fresh-2"], truncated: false, reset: true });
    // The next read continues normally.
    fs.appendFileSync(file, "fresh-3\n");
    const next = readLogTail({ file, cursor: after.cursor });
    assert.deepEqual(next.lines, ["fresh-3"]);
    assert.equal(next.reset, false);
  });

  test("a reset into a file larger than maxBytes reads the tail and drops the partial first line", () => {
    const file = logFile(numbered(50));
    const cursor = fs.statSync(file).size + 1000;
    const tail = readLogTail({ file, cursor, maxBytes: 30 });
    assert.equal(tail.reset, true);
    assert.equal(tail.truncated, true);
    assert.equal(tail.lines[tail.lines.length - 1], "line-50");
    for (const line of tail.lines) assert.match(line, /^line-\d+$/);
  });

  test("truncating the file in place (cursor > size) also resets", () => {
    const file = logFile(numbered(4));
    const first = readLogTail({ file });
    fs.truncateSync(file, 0);
    fs.appendFileSync(file, "new\n");
    const tail = readLogTail({ file, cursor: first.cursor });
    assert.equal(tail.reset, true);
    assert.deepEqual(tail.lines, ["new"]);
    assert.equal(tail.cursor, 4);
  });

  test("blank lines inside the file are kept", () => {
    const file = logFile("a\n\nb\n");
    assert.deepEqual(readLogTail({ file }).lines, ["a", "", "b"]);
  });

  test("a negative cursor is treated as invalid and resets instead of throwing", () => {
    const file = logFile(numbered(2));
    assert.doesNotThrow(() => readLogTail({ file, cursor: -5 }));
  });
});

describe("readLogTail masks secrets a line was written with", () => {
  test("old JSON lines stay JSON with their secrets masked; plain lines are masked too; clean lines are untouched", () => {
    const bot = "7712345678:AAF3xKq9Lm2Np7Rs4Tv8Wx1Yz5Bc6De0FgH";
    const url = "postgres://app:correct-horse-battery-staple-42@db:5432/app";
    const clean = JSON.stringify({ time: "2026-02-26T02:23:37.000Z", message: "gateway listening on ws://127.0.0.1:18789" });
    const file = logFile(`${JSON.stringify({ message: `getMe failed: https://api.telegram.org/bot${bot}/getMe`, meta: { url } })}\nplain ${url}\n${clean}\n`);
    const { lines } = readLogTail({ file });
    assert.equal(lines.length, 3);
    for (const line of lines) assert.ok(!line.includes(bot) && !line.includes("correct-horse-battery-staple-42"), line);
    assert.ok(JSON.parse(lines[0]!).meta.url.startsWith("postgres://app:"));
    assert.equal(lines[2], clean);
  });
});
