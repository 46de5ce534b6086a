import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, beforeEach, describe, test } from "node:test";
import { configureLogging, createLogger, currentLogFile, type LoggingSettings, onLogRecord } from "./logger.js";
import { type LogEntry, parseLogLine } from "./record.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-logger-"));
const NOW = new Date("2026-11-21T09:15:42.000Z");
const now = () => new Date(NOW.getTime());

let counter = 0;
let output: string[] = [];
let logFile = "";

/** Reconfigures the singleton with a fresh temp file and a captured console. */
function setup(overrides: Partial<LoggingSettings> = {}): void {
  counter++;
  logFile = path.join(root, `run-${counter}`, "openclaw.log");
  output = [];
  configureLogging({
    fileLevel: "trace",
    consoleLevel: "trace",
    file: logFile,
    maxFileBytes: 10_000_000,
    consoleStyle: "compact",
    color: false,
    console: { write: (text: string) => output.push(text) },
    now,
    ...overrides,
  });
}

function fileText(): string {
  return fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "";
}

function fileEntries(): LogEntry[] {
  return fileText()
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const parsed = parseLogLine(line);
      assert.equal(parsed.type, "log", line);
      return (parsed as { type: "log"; entry: LogEntry }).entry;
    });
}

function consoleText(): string {
  return output.join("");
}

function assertNoSecret(text: string, ...secrets: string[]): void {
  for (const secret of secrets) assert.ok(!text.includes(secret), `raw secret ${JSON.stringify(secret)} leaked in ${JSON.stringify(text)}`);
}

const GATEWAY_TOKEN = "a3f9c2e7b1d04f6a8c5e2b9d7f1a3c6e";
const API_KEY = "q9W8e7R6t5Y4u3I2o1P0asdf";
const OPENAI_KEY = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv";

beforeEach(() => setup());
after(() => {
  // Close the file sink before removing its directory; leave the singleton quiet.
  configureLogging({ fileLevel: "silent", consoleLevel: "silent", maxFileBytes: 1, consoleStyle: "compact", color: false, console: { write: () => true } });
  fs.rmSync(root, { recursive: true, force: true });
});

describe("logger", () => {
  test("writes tslog records to the configured file", () => {
    createLogger("gateway").info("listening", { port: 18789 });
    assert.equal(currentLogFile(), logFile);
    assert.deepEqual(fileEntries(), [{ time: NOW.toISOString(), level: "info", subsystem: "gateway", message: "listening", meta: { port: 18789 } }]);
    assert.equal(fs.statSync(logFile).mode & 0o777, 0o600);
  });

  test("fileLevel and consoleLevel thresholds are independent", () => {
    setup({ fileLevel: "info", consoleLevel: "warn" });
    const log = createLogger("cli");
    log.trace("t");
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");
    log.fatal("f");
    assert.deepEqual(
      fileEntries().map((e) => [e.level, e.message]),
      [
        ["info", "i"],
        ["warn", "w"],
        ["error", "e"],
        ["fatal", "f"],
      ],
    );
    assert.deepEqual(output, ["[cli] w\n", "[cli] e\n", "[cli] f\n"]);
    assert.equal(log.isEnabled("debug"), false);
    assert.equal(log.isEnabled("info"), true);
  });

  test("silent levels write nothing", () => {
    setup({ fileLevel: "silent", consoleLevel: "silent" });
    createLogger("cli").fatal("nothing");
    assert.equal(fileText(), "");
    assert.deepEqual(output, []);
    assert.equal(createLogger("cli").isEnabled("fatal"), false);
  });

  test("no file configured: console only, currentLogFile undefined", () => {
    setup({ file: undefined });
    createLogger("cli").info("console only");
    assert.equal(currentLogFile(), undefined);
    assert.deepEqual(output, ["[cli] console only\n"]);
  });

  test("consoleStyle compact", () => {
    createLogger("gateway/channels/whatsapp/outbound").info("sent", { id: 7 });
    createLogger("").info("bare");
    assert.deepEqual(output, ['[whatsapp/outbound] sent {"id":7}\n', "bare\n"]);
  });

  test("consoleStyle pretty without colour has time, padded level and no ANSI escapes", () => {
    setup({ consoleStyle: "pretty", color: false });
    createLogger("gateway").info("ready");
    createLogger("gateway/reload").warn("changed", { path: "x" });
    assert.deepEqual(output, ["09:15:42 INFO  [gateway] ready\n", '09:15:42 WARN  [reload] changed {"path":"x"}\n']);
    assert.ok(!consoleText().includes("\u001b"));
  });

  test("consoleStyle pretty with colour uses ANSI escapes", () => {
    setup({ consoleStyle: "pretty", color: true });
    createLogger("gateway").error("bad");
    assert.equal(output[0], "\u001b[90m09:15:42\u001b[0m \u001b[31mERROR\u001b[0m \u001b[90m[gateway]\u001b[0m bad\n");
  });

  test("compact and json styles never colour", () => {
    for (const consoleStyle of ["compact", "json"] as const) {
      setup({ consoleStyle, color: false });
      createLogger("gateway").warn("plain");
      assert.ok(!consoleText().includes("\u001b"), consoleStyle);
    }
  });

  test("consoleStyle json writes the same record as the file", () => {
    setup({ consoleStyle: "json" });
    createLogger("gateway").warn("json line", { a: [1, 2] });
    assert.equal(output.length, 1);
    assert.equal(output[0], fileText());
    assert.deepEqual(parseLogLine(output[0]!.trimEnd()), {
      type: "log",
      entry: { time: NOW.toISOString(), level: "warn", subsystem: "gateway", message: "json line", meta: { a: [1, 2] } },
    });
  });

  test("secrets in messages and meta are redacted in file and console", () => {
    const log = createLogger("gateway");
    log.info(`starting with OPENCLAW_GATEWAY_TOKEN=${GATEWAY_TOKEN} and ${OPENAI_KEY}`, {
      apiKey: API_KEY,
      password: "hunter2",
      nested: { list: [{ refreshToken: GATEWAY_TOKEN }], note: `Authorization: Bearer ${API_KEY}` },
      err: new Error(`failed: --token ${GATEWAY_TOKEN}`),
      maxTokens: 8192,
    });
    const file = fileText();
    const con = consoleText();
    for (const text of [file, con]) {
      assertNoSecret(text, GATEWAY_TOKEN, API_KEY, OPENAI_KEY, "hunter2");
      assert.ok(text.includes("OPENCLAW_GATEWAY_TOKEN=a3f9c2…3c6e"), text);
      assert.ok(text.includes('"maxTokens":8192'), text);
    }
    const [entry] = fileEntries();
    assert.equal(entry!.message, "starting with OPENCLAW_GATEWAY_TOKEN=a3f9c2…3c6e and sk-ant…StUv");
    const meta = entry!.meta as Record<string, Record<string, unknown>>;
    assert.equal(meta.password, "***");
    assert.equal(meta.maxTokens, 8192);
    assert.equal(meta.nested!.note, "Authorization: Bearer q9W8e7…asdf");
    assert.deepEqual(Object.keys(meta), ["apiKey", "password", "nested", "err", "maxTokens"]);
  });

  test("masked meta values keep the maskSecret form (first 6 + last 4)", () => {
    createLogger("gateway").info("m", { apiKey: API_KEY, list: [{ refreshToken: GATEWAY_TOKEN }], err: new Error(`--token ${GATEWAY_TOKEN}`) });
    assert.deepEqual(fileEntries()[0]!.meta, {
      apiKey: "q9W8e7…asdf",
      list: [{ refreshToken: "a3f9c2…3c6e" }],
      err: { name: "Error", message: "--token a3f9c2…3c6e" },
    });
  });

  test("the secrets option masks literal values everywhere", () => {
    const literal = "plain-literal-gateway-secret";
    setup({ secrets: [literal] });
    createLogger("gateway").warn(`ws://127.0.0.1:18789/?auth=${literal}`, { url: `x ${literal} y`, arr: [literal] });
    for (const text of [fileText(), consoleText()]) {
      assertNoSecret(text, literal);
      assert.ok(text.includes("plain-…cret"), text);
    }
  });

  test("redactPatterns: plain sources are case-insensitive, /re/flags sources keep their flags", () => {
    setup({ redactPatterns: ["customer-\\d+", "/Internal-[a-z]+/", "(invalid"] });
    createLogger("agent").info("CUSTOMER-1234 and customer-99 saw Internal-alpha, not internal-beta", { who: "customer-42" });
    for (const text of [fileText(), consoleText()]) {
      assertNoSecret(text, "CUSTOMER-1234", "customer-99", "Internal-alpha", "customer-42");
      assert.ok(text.includes("internal-beta"), text);
    }
    assert.equal(fileEntries()[0]!.message, "*** and *** saw ***, not internal-beta");
  });

  test("a redact pattern that spans a JSON quote does not break logging", () => {
    setup({ redactPatterns: ["secret=\\S+"] });
    const log = createLogger("agent");
    assert.doesNotThrow(() => log.info("in meta", { note: "secret=abc" }));
    assertNoSecret(fileText(), "secret=abc");
  });

  test("logging a meta value JSON cannot serialise does not throw", () => {
    assert.doesNotThrow(() => createLogger("agent").info("usage", { tokens: 10n }));
  });

  test("child() appends to the subsystem", () => {
    const gateway = createLogger("gateway");
    const reload = gateway.child("reload");
    const deep = reload.child("watch");
    assert.equal(reload.subsystem, "gateway/reload");
    assert.equal(deep.subsystem, "gateway/reload/watch");
    deep.info("tick");
    assert.equal(fileEntries()[0]!.subsystem, "gateway/reload/watch");
    assert.deepEqual(output, ["[reload/watch] tick\n"]);
  });

  test("onLogRecord listeners get redacted entries and can unsubscribe", () => {
    setup({ fileLevel: "silent", consoleLevel: "silent" });
    const seen: LogEntry[] = [];
    const off = onLogRecord((entry) => seen.push(entry));
    try {
      createLogger("gateway").child("auth").debug(`token ${OPENAI_KEY}`, { botToken: "tg-short", port: 1 });
    } finally {
      off();
    }
    createLogger("gateway").info("after unsubscribe");
    assert.equal(seen.length, 1);
    assert.deepEqual(seen[0], { time: NOW.toISOString(), level: "debug", subsystem: "gateway/auth", message: "token sk-ant…StUv", meta: { botToken: "***", port: 1 } });
    assertNoSecret(JSON.stringify(seen), OPENAI_KEY, "tg-short");
  });

  test("a failing file sink is reported once on the console and logging goes on", () => {
    const blocker = path.join(root, `blocker-${counter}`);
    fs.writeFileSync(blocker, "x");
    setup({ file: path.join(blocker, "openclaw.log") });
    const log = createLogger("gateway");
    assert.doesNotThrow(() => {
      log.info("one");
      log.info("two");
    });
    const disabled = output.filter((line) => line.startsWith("[logging] file sink disabled:"));
    assert.equal(disabled.length, 1);
    assert.deepEqual(
      output.filter((line) => !line.startsWith("[logging]")),
      ["[gateway] one\n", "[gateway] two\n"],
    );
  });

  test("reconfiguring with a new file switches the sink", () => {
    const first = logFile;
    createLogger("cli").info("to first");
    setup();
    createLogger("cli").info("to second");
    assert.notEqual(first, logFile);
    assert.equal(fs.readFileSync(first, "utf8").split("\n").filter(Boolean).length, 1);
    assert.deepEqual(
      fileEntries().map((e) => e.message),
      ["to second"],
    );
  });
});
