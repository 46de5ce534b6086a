import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LEVEL_IDS, type RecordLevel } from "./levels.js";
import { formatRecord, type LogEntry, parseLogLine } from "./record.js";

const TIME = "2026-11-21T09:15:00.123Z";

describe("formatRecord", () => {
  test("produces a tslog-shaped JSON line", () => {
    const line = formatRecord({ time: TIME, level: "warn", subsystem: "gateway/reload", message: "config changed", meta: { path: "gateway.port" } });
    assert.ok(!line.includes("\n"));
    const obj = JSON.parse(line) as Record<string, unknown>;
    assert.equal(obj["0"], '{"subsystem":"gateway/reload"}');
    assert.deepEqual(JSON.parse(obj["0"] as string), { subsystem: "gateway/reload" });
    assert.equal(obj["1"], "config changed");
    assert.deepEqual(obj["2"], { path: "gateway.port" });
    assert.equal(obj.time, TIME);
    const meta = obj._meta as Record<string, unknown>;
    assert.equal(meta.logLevelName, "WARN");
    assert.equal(meta.logLevelId, 4);
    assert.equal(meta.name, '{"subsystem":"gateway/reload"}');
    assert.equal(meta.date, TIME);
    assert.equal(meta.runtime, "node");
    assert.deepEqual(meta.parentNames, ["openclaw"]);
  });

  test("positional keys come first, in order", () => {
    const line = formatRecord({ time: TIME, level: "info", subsystem: "cli", message: "m", meta: { a: 1 } });
    assert.deepEqual(Object.keys(JSON.parse(line) as object), ["0", "1", "2", "_meta", "time", "message"]);
  });

  test("omits key 2 without meta or with empty meta", () => {
    for (const meta of [undefined, {}]) {
      const entry: LogEntry = { time: TIME, level: "info", subsystem: "cli", message: "hello" };
      if (meta) entry.meta = meta;
      const obj = JSON.parse(formatRecord(entry)) as Record<string, unknown>;
      assert.equal("2" in obj, false);
    }
  });

  test("every level maps to its tslog id and upper-case name", () => {
    const expected: Record<RecordLevel, number> = { trace: 1, debug: 2, info: 3, warn: 4, error: 5, fatal: 6 };
    assert.deepEqual(LEVEL_IDS, expected);
    for (const level of Object.keys(expected) as RecordLevel[]) {
      const obj = JSON.parse(formatRecord({ time: TIME, level, subsystem: "x", message: "m" })) as { _meta: Record<string, unknown> };
      assert.equal(obj._meta.logLevelName, level.toUpperCase());
      assert.equal(obj._meta.logLevelId, expected[level]);
    }
  });

  test("messages with quotes, newlines and unicode stay on one line", () => {
    const message = 'line one\nline "two"\t… ✓';
    const line = formatRecord({ time: TIME, level: "info", subsystem: "cli", message });
    assert.ok(!line.includes("\n"));
    assert.equal((JSON.parse(line) as Record<string, unknown>)["1"], message);
  });
});

describe("parseLogLine", () => {
  test("round-trips formatRecord at every level", () => {
    for (const level of Object.keys(LEVEL_IDS) as RecordLevel[]) {
      const entry: LogEntry = { time: TIME, level, subsystem: "gateway/channels/telegram", message: `at ${level}`, meta: { n: 1, nested: { ok: true } } };
      assert.deepEqual(parseLogLine(formatRecord(entry)), { type: "log", entry });
    }
  });

  test("round-trips entries without meta, with an empty message and with an empty subsystem", () => {
    const entries: LogEntry[] = [
      { time: TIME, level: "info", subsystem: "cli", message: "no meta" },
      { time: TIME, level: "error", subsystem: "cli", message: "" },
      { time: TIME, level: "debug", subsystem: "", message: "root" },
      { time: TIME, level: "info", subsystem: "cli", message: '{"looks":"like json"}' },
    ];
    for (const entry of entries) assert.deepEqual(parseLogLine(formatRecord(entry)), { type: "log", entry });
  });

  test("parses an OpenClaw gateway line", () => {
    const line =
      '{"0":"{\\"subsystem\\":\\"gateway\\"}","1":"listening on ws://127.0.0.1:18789 (PID 123)","_meta":{"logLevelName":"INFO","name":"{\\"subsystem\\":\\"gateway\\"}"},"time":"2026-02-26T02:23:37.000Z"}';
    assert.deepEqual(parseLogLine(line), {
      type: "log",
      entry: { time: "2026-02-26T02:23:37.000Z", level: "info", subsystem: "gateway", message: "listening on ws://127.0.0.1:18789 (PID 123)" },
    });
  });

  test("parses OpenClaw lines with meta objects, lower-case levels and no time key", () => {
    const line = JSON.stringify({
      "0": '{"subsystem":"gateway/channels/whatsapp"}',
      "1": "connected",
      "2": { jid: "x@s.whatsapp.net" },
      _meta: { logLevelName: "warn", date: TIME },
    });
    assert.deepEqual(parseLogLine(line), {
      type: "log",
      entry: { time: TIME, level: "warn", subsystem: "gateway/channels/whatsapp", message: "connected", meta: { jid: "x@s.whatsapp.net" } },
    });
  });

  test("joins several string positionals and takes the subsystem from `module`", () => {
    const line = JSON.stringify({ "0": '{"module":"agent"}', "1": "part one", "2": "part two", _meta: { logLevelName: "DEBUG" }, time: TIME });
    const parsed = parseLogLine(line);
    assert.equal(parsed.type, "log");
    if (parsed.type !== "log") return;
    assert.equal(parsed.entry.subsystem, "agent");
    assert.equal(parsed.entry.message, "part one part two");
    assert.equal(parsed.entry.level, "debug");
  });

  test("plain JSON objects fall back to level/msg/subsystem fields", () => {
    const parsed = parseLogLine(JSON.stringify({ level: "error", msg: "boom", subsystem: "cron", time: TIME }));
    assert.deepEqual(parsed, { type: "log", entry: { time: TIME, level: "error", subsystem: "cron", message: "boom" } });
  });

  test("unknown level names become info", () => {
    const parsed = parseLogLine(JSON.stringify({ "0": "hello", _meta: { logLevelName: "NOTICE" } }));
    assert.deepEqual(parsed, { type: "log", entry: { time: "", level: "info", subsystem: "", message: "hello" } });
  });

  test("non-JSON and non-object lines come back raw", () => {
    for (const line of ["", "plain text line", "{not json", "[1,2,3]", "null", "42", '"a string"', "2026-02-26 gateway started"]) {
      assert.deepEqual(parseLogLine(line), { type: "raw", line });
    }
  });
});
