/**
 * The Logs page's pure parts: lines the gateway's logger really writes (src/logging formatRecord)
 * read back as rows with the same level, subsystem and message the CLI's reader finds; plain lines
 * as text; folding `logs.tail` answers (cursor, rotation, skipped lines, a moved file, the cap); the
 * level and text filters.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatRecord, parseLogLine } from "../../src/logging/index.js";
import { applyLogTail, EMPTY_TAIL, fileChanged, filterLogRows, formatLogTime, type LogTailAnswer, parseLogRow, parseLogTail } from "../../ui/src/logs-data.js";

const rec = (level: "trace" | "debug" | "info" | "warn" | "error" | "fatal", message: string, meta?: Record<string, unknown>) =>
  formatRecord({ time: "2026-12-02T11:47:18.123Z", level, subsystem: "gateway/reload", message, ...(meta ? { meta } : {}) });

const answer = (o: Partial<LogTailAnswer>): LogTailAnswer => ({ file: "/logs/openclaw.log", cursor: 0, lines: [], truncated: false, reset: false, ...o });

describe("log rows", () => {
  test("the logger's own records: time, level, subsystem, message and structured fields, as the CLI's reader sees them", () => {
    for (const level of ["trace", "debug", "info", "warn", "error", "fatal"] as const) {
      const line = rec(level, `hello ${level}`, level === "error" ? { path: "/x", code: 7 } : undefined);
      const row = parseLogRow(line, 1);
      const cli = parseLogLine(line);
      assert.equal(cli.type, "log");
      if (cli.type !== "log") continue;
      assert.deepEqual([row.kind, row.time, row.level, row.subsystem, row.message], ["log", cli.entry.time, cli.entry.level, cli.entry.subsystem, cli.entry.message]);
      assert.equal(row.extra, level === "error" ? '{"path":"/x","code":7}' : "");
    }
  });

  test("other JSON shapes degrade; non-JSON and non-object lines are plain text", () => {
    const plain = parseLogRow('{"level":"WARNING","msg":"disk low","module":"fs","time":"2026-01-01T00:00:00Z"}', 2);
    assert.deepEqual([plain.kind, plain.level, plain.subsystem, plain.message, plain.time], ["log", "warn", "fs", "disk low", "2026-01-01T00:00:00Z"]);
    assert.deepEqual([parseLogRow('{"0":"{\\"module\\":\\"cli\\"}","1":"a","2":"b"}', 3).subsystem, parseLogRow('{"0":"{\\"module\\":\\"cli\\"}","1":"a","2":"b"}', 3).message], ["cli", "a b"]);
    for (const text of ["Error: boom at foo.js:1", "[1,2]", "42", "null", ""]) {
      const row = parseLogRow(text, 4);
      assert.deepEqual([row.kind, row.level, row.message, row.time], ["raw", "info", text, ""]);
    }
  });

  test("times show as local HH:MM:SS; a non-time is shown as is", () => {
    const d = new Date(2026, 11, 2, 9, 5, 7);
    assert.equal(formatLogTime(d.toISOString()), "09:05:07");
    assert.equal(formatLogTime("soon"), "soon");
    assert.equal(formatLogTime(""), "");
  });
});

describe("tailing", () => {
  test("answers fold into rows with the cursor; rotation, skipped lines and a moved file leave a notice; the cap drops the oldest", () => {
    let s = applyLogTail(EMPTY_TAIL, answer({ cursor: 100, lines: [rec("info", "a"), "plain b"], truncated: true }), { cap: 5 });
    assert.deepEqual([s.file, s.cursor, s.rows.map((r) => r.kind)], ["/logs/openclaw.log", 100, ["log", "raw"]], "the first read's older-lines flag is no notice");
    s = applyLogTail(s, answer({ cursor: 100 }), { cap: 5 });
    assert.equal(s.rows.length, 2, "an empty poll adds nothing");
    s = applyLogTail(s, answer({ cursor: 40, lines: [rec("warn", "c")], reset: true }), { cap: 5 });
    assert.deepEqual(s.rows.map((r) => [r.kind, r.message]).slice(2), [["notice", "log file rotated or truncated; reading from its start"], ["log", "c"]]);
    assert.equal(s.cursor, 40);
    s = applyLogTail(s, answer({ cursor: 900, lines: [rec("error", "d"), rec("error", "e")], truncated: true }), { cap: 5 });
    assert.equal(s.rows.length, 5, "capped at 5: the two oldest are gone");
    assert.deepEqual(s.rows.map((r) => r.message), ["log file rotated or truncated; reading from its start", "c", "some lines were skipped (too many since the last read)", "d", "e"]);
    const ids = s.rows.map((r) => r.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    assert.equal(new Set(ids).size, ids.length);

    const other = answer({ file: "/elsewhere/gw.log", cursor: 10 });
    assert.equal(fileChanged(s, other), true);
    assert.equal(fileChanged(s, answer({ cursor: 5 })), false);
    assert.equal(fileChanged(EMPTY_TAIL, other), false, "the first read has no file to differ from");
    s = applyLogTail(s, { ...other, lines: [rec("info", "f")] }, { cap: 5, moved: true });
    assert.deepEqual([s.file, s.cursor, s.rows.at(-2)?.message, s.rows.at(-1)?.message], ["/elsewhere/gw.log", 10, "log file changed: now reading /elsewhere/gw.log", "f"]);
  });

  test("a logs.tail answer is read defensively", () => {
    assert.deepEqual(parseLogTail({ file: "/f", cursor: 12, size: 12, lines: ["a", 3, "b"], truncated: true, reset: false }), { file: "/f", cursor: 12, lines: ["a", "b"], truncated: true, reset: false });
    assert.deepEqual(parseLogTail(undefined), { file: "", cursor: 0, lines: [], truncated: false, reset: false });
  });

  test("filters: a minimum level (plain lines count as info) and text in any field; notices always show", () => {
    const s = applyLogTail(EMPTY_TAIL, answer({ cursor: 1, lines: [rec("debug", "dbg"), rec("info", "listening on 18789"), rec("warn", "slow"), rec("error", "reload failed", { path: "/cfg" }), "plain text"] }), { cap: 100 });
    const t = applyLogTail(s, answer({ cursor: 0, reset: true }), { cap: 100 });
    const show = (min: Parameters<typeof filterLogRows>[1], text = "") => filterLogRows(t.rows, min, text).map((r) => (r.kind === "notice" ? "notice" : r.message));
    assert.deepEqual(show("trace"), ["dbg", "listening on 18789", "slow", "reload failed", "plain text", "notice"]);
    assert.deepEqual(show("info"), ["listening on 18789", "slow", "reload failed", "plain text", "notice"]);
    assert.deepEqual(show("error"), ["reload failed", "notice"]);
    assert.deepEqual(show("fatal"), ["notice"]);
    assert.deepEqual(show("trace", "  FAILED "), ["reload failed", "notice"]);
    assert.deepEqual(show("trace", "/cfg"), ["reload failed", "notice"], "structured fields are searched");
    assert.deepEqual(show("trace", "gateway/reload").length, 5, "the subsystem is searched");
    assert.deepEqual(show("warn", "plain"), ["notice"]);
  });
});
