/**
 * A hundred-odd malformed configs, generated: truncations of a real config, bad tokens, deep nesting,
 * huge values, bad includes (devices, a FIFO, a socket, a directory, missing, outside the directory,
 * cycles), prototype keys, wrong types, unknown keys, empty files, BOMs, NUL bytes, invalid UTF-8.
 * Every one must give `config validate --json` exit 3 with a located issue, and one real gateway that
 * receives each as an edit of its config file must keep running on its last good config, report a
 * one-line `configReload.lastError` in `health`, and keep its memory bounded.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { describe, test } from "node:test";
import { pollUntil } from "../../src/infra/index.js";
import { runInProcess } from "../helpers/cli.js";
import { startTestGateway } from "../helpers/gateway.js";

const isPosix = process.platform !== "win32";
const MiB = 1024 * 1024;

/** A realistic hand-written config (comments, JSON5 forms, several sections). */
const REAL = `// OpenClaw config, hand-written
{
  "$schema": "https://openclaw.ai/config.schema.json",
  gateway: {
    mode: "local",
    bind: "loopback", // only this machine
    controlUi: { allowedOrigins: ["http://localhost:5173"] },
  },
  /* chat channels */
  channels: {
    whatsapp: { allowFrom: ["+15550001", "+15550002"], dmPolicy: "allowlist" },
    telegram: { groupPolicy: 'open' },
  },
  agents: {
    defaults: { model: "anthropic/claude-sonnet-4", heartbeat: { every: "30m" } },
    list: [
      { id: "main", default: true },
      { id: "work", name: "Work" },
    ],
  },
  logging: { level: "info", consoleLevel: "warn" },
  tools: { profile: "coding", deny: ["browser"] },
  session: { scope: "per-sender" },
}
`;

interface Case {
  name: string;
  /** Writes the case's extra files (includes) into `dir`; returns the root config bytes. */
  make(dir: string): string | Buffer;
}

const text = (name: string, body: string | Buffer): Case => ({ name, make: () => body });

function cases(outside: string): Case[] {
  const out: Case[] = [];
  // Truncations of the real config at 40 offsets (never its complete text).
  const end = REAL.lastIndexOf("}");
  for (let i = 0; i < 40; i++) {
    const at = Math.floor(((i + 0.5) * end) / 40);
    out.push(text(`truncated at ${at}/${REAL.length}`, REAL.slice(0, at)));
  }
  // Bad tokens.
  for (const [name, value] of [
    ["at sign", "@"],
    ["undefined", "undefined"],
    ["bare 0x", "0x"],
    ["leading zero", "0123"],
    ["unterminated string", "'open"],
    ["unterminated block comment", "/* never closed"],
    ["double comma", "[1,,2]"],
    ["NaNx", "NaNx"],
    ["tru", "tru"],
    ["octal escape", '"\\01"'],
    ["bad hex escape", '"\\xZZ"'],
    ["line break in string", '"a\nb"'],
  ] as const) {
    out.push(text(`bad token: ${name}`, `{\n  gateway: {\n    port: ${value},\n  },\n}\n`));
  }
  out.push(text("extra closing brace", "{ gateway: {} }}"));
  out.push(text("missing colon", '{ "gateway" {} }'));
  out.push(text("missing comma", "{ a: 1 b: 2 }"));
  out.push(text("key with a newline and an escape char", '{ "bad\\nkey\\u001b": 1 }'));
  out.push(text("control character outside strings", "{ gateway: {}\u001b }"));
  out.push(text("comment only", "// nothing here\n"));
  // Deep nesting.
  for (const depth of [257, 5_000, 200_000]) {
    out.push(text(`arrays nested ${depth} deep`, `{ meta: ${"[".repeat(depth)}${"]".repeat(depth)} }`));
    out.push(text(`objects nested ${depth} deep`, `{ wizard: ${"{a:".repeat(depth)}1${"}".repeat(depth)} }`));
  }
  // Huge values.
  out.push(text("3 MiB string (over the cap)", `{ meta: { note: "${"x".repeat(3 * MiB)}" } }`));
  out.push(text("1.5 MiB string of the wrong type", `{ gateway: { port: "${"9".repeat(1.5 * MiB)}" } }`));
  out.push(text("100k-element array of the wrong type", `{ gateway: { port: [${"1,".repeat(100_000)}] } }`));
  out.push(text("3 MiB of whitespace", `{${" ".repeat(3 * MiB)}}`));
  out.push(text("number overflowing to Infinity", "{ gateway: { port: 1e400 } }"));
  // Bad includes.
  const include = (name: string, target: string, setup: (dir: string) => void = () => {}): Case => ({
    name: `$include ${name}`,
    make: (dir) => {
      setup(dir);
      return `{\n  gateway: {\n    "$include": ${JSON.stringify(target)},\n  },\n}\n`;
    },
  });
  if (fs.existsSync("/dev/zero")) {
    out.push(include("of /dev/zero", "/dev/zero"));
    out.push(include("of /dev/urandom", "/dev/urandom"));
    out.push(include("of /dev/null", "/dev/null"));
  }
  if (isPosix) {
    out.push(include("of a FIFO", "./parts/pipe.json5", (dir) => execFileSync("mkfifo", [path.join(dir, "parts", "pipe.json5")])));
    out.push(include("of a symlink to /dev/zero", "./parts/zero.json5", (dir) => fs.symlinkSync("/dev/zero", path.join(dir, "parts", "zero.json5"))));
    out.push(include("of a symlink to a file outside", "./parts/out.json5", (dir) => fs.symlinkSync(path.join(outside, "gw.json5"), path.join(dir, "parts", "out.json5"))));
    out.push(include("of a socket", "./parts/sock.json5"));
  }
  out.push(include("of a directory", "./parts/adir", (dir) => fs.mkdirSync(path.join(dir, "parts", "adir"))));
  out.push(include("of a missing file", "./parts/missing.json5"));
  out.push(include("by absolute path outside the directory", path.join(outside, "gw.json5")));
  out.push(include("by ../ outside the directory", "../outside-gw.json5", (dir) => fs.writeFileSync(path.join(path.dirname(dir), "outside-gw.json5"), "{ port: 1 }")));
  out.push(include("cycle a -> b -> a", "./parts/a.json5", (dir) => {
    fs.writeFileSync(path.join(dir, "parts", "a.json5"), '{ "$include": "./b.json5" }');
    fs.writeFileSync(path.join(dir, "parts", "b.json5"), '{ "$include": "./a.json5" }');
  }));
  out.push(include("of itself", "../openclaw.json".slice(1)));
  out.push(include("chain deeper than 10", "./parts/d1.json5", (dir) => {
    for (let i = 1; i <= 12; i++) fs.writeFileSync(path.join(dir, "parts", `d${i}.json5`), `{ "$include": "./d${i + 1}.json5" }`);
  }));
  out.push(include("of a file with a syntax error", "./parts/bad.json5", (dir) => fs.writeFileSync(path.join(dir, "parts", "bad.json5"), "{\n  port: ,\n}")));
  out.push(include("of an empty file", "./parts/empty.json5", (dir) => fs.writeFileSync(path.join(dir, "parts", "empty.json5"), "  \n")));
  out.push(include("of a 3 MiB file", "./parts/big.json5", (dir) => fs.writeFileSync(path.join(dir, "parts", "big.json5"), `{ x: "${"y".repeat(3 * MiB)}" }`)));
  out.push(include("of a file with a __proto__ key", "./parts/proto.json5", (dir) => fs.writeFileSync(path.join(dir, "parts", "proto.json5"), '{\n  "__proto__": { "polluted": true }\n}')));
  out.push(text("$include of a number", '{ "$include": 5 }'));
  out.push(text("$include list with a non-string", '{ "$include": ["./a.json5", 1] }'));
  // Prototype keys.
  for (const key of ["__proto__", "constructor", "prototype"]) {
    out.push(text(`${key} at the root`, `{\n  "${key}": { "polluted": true }\n}`));
    out.push(text(`${key} in gateway`, `{\n  gateway: { "${key}": { "polluted": true } }\n}`));
    out.push(text(`${key} in a loose section`, `{\n  wizard: { deep: { "${key}": 1 } }\n}`));
  }
  // Wrong types and values.
  for (const [name, body] of [
    ["port as a word", '{ gateway: { port: "abc" } }'],
    ["port out of range", "{ gateway: { port: 70000 } }"],
    ["negative port", "{ gateway: { port: -1 } }"],
    ["fractional port", "{ gateway: { port: 1.5 } }"],
    ["unknown log level", '{ logging: { level: "loud" } }'],
    ["bind as a number", "{ gateway: { bind: 5 } }"],
    ["agents.list as a string", '{ agents: { list: "main" } }'],
    ["gateway as true", "{ gateway: true }"],
    ["root array", "[]"],
    ["root string", '"openclaw"'],
    ["root number", "42"],
    ["root null", "null"],
    ["$schema as a number", '{ "$schema": 5 }'],
  ] as const) {
    out.push(text(`wrong type: ${name}`, body));
  }
  // Unknown keys, removed sections, missing variables.
  out.push(text("unknown root key (typo)", "{ gatway: { port: 1 } }"));
  out.push(text("unknown gateway key", "{ gateway: { prot: 1 } }"));
  out.push(text("removed bridge section", "{ bridge: { enabled: true } }"));
  out.push(text("missing ${VAR}", '{ gateway: { auth: { token: "${OPENCLAW_TEST_NEVER_SET}" } } }'));
  // Empty files.
  for (const [name, body] of [
    ["empty", ""],
    ["spaces", "   "],
    ["newlines", "\n\n\n"],
    ["tab and CRLF", "\t\r\n"],
    ["BOM only", "\ufeff"],
  ] as const) {
    out.push(text(`empty file: ${name}`, body));
  }
  // Encodings and bytes.
  out.push(text("BOM then truncated", `\ufeff${REAL.slice(0, 200)}`));
  out.push(text("NUL at the start", "\u0000{}"));
  out.push(text("NUL inside a string", '{ meta: { note: "a\u0000b" } }'));
  out.push(text("NUL after the value", "{}\u0000"));
  const bytes = (name: string, raw: number[]) => text(`invalid UTF-8: ${name}`, Buffer.concat([Buffer.from('{\n  meta: { note: "'), Buffer.from(raw), Buffer.from('" }\n}\n')]));
  out.push(bytes("lone continuation byte", [0x80]));
  out.push(bytes("overlong slash", [0xc0, 0xaf]));
  out.push(bytes("encoded surrogate", [0xed, 0xa0, 0x80]));
  out.push(bytes("truncated 4-byte sequence", [0xf0, 0x9f]));
  out.push(bytes("0xFF", [0xff]));
  out.push(bytes("code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80]));
  out.push(text("UTF-16LE file", Buffer.from(`\ufeff{ gateway: { mode: "local" } }`, "utf16le")));
  out.push(text("CR-only line endings with an error", "{\r  gateway: {\r    port: ,\r  },\r}"));
  return out;
}

/** Writes `data` to `file` the way editors do: a temp file renamed over it (no half-written states). */
function replaceFile(file: string, data: string | Buffer): void {
  const tmp = path.join(path.dirname(file), `.edit-${process.pid}.tmp`);
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

describe("malformed config suite", () => {
  test("every case: validate exits 3 with a located issue; the gateway keeps running with a one-line lastError and bounded RSS", { timeout: 120_000 }, async (t) => {
    const gw = await startTestGateway(t, { config: { gateway: { reload: { debounceMs: 10 } } } });
    // Let includes of /dev reach the device check instead of stopping at the directory rule.
    gw.env.OPENCLAW_INCLUDE_ROOTS = "/dev";
    const dir = gw.stateDir;
    const outside = fs.mkdtempSync(path.join(gw.home, "outside-"));
    fs.writeFileSync(path.join(outside, "gw.json5"), "{ port: 4242 }");
    const good = JSON.parse(fs.readFileSync(gw.configPath, "utf8")) as Record<string, unknown>;
    const all = cases(outside);
    assert.ok(all.length >= 100, `only ${all.length} cases`);

    const socket = isPosix ? createServer() : undefined;
    const client = await gw.connect({ timeoutMs: 5000 });
    t.after(() => {
      client.close();
      socket?.close();
    });
    const health = async () => (await client.call("health", { probe: true })) as { configReload: { lastError: string | null; lastChangedPaths: string[] } };

    let rssBefore = 0;
    for (const [i, c] of all.entries()) {
      const parts = path.join(dir, "parts");
      fs.rmSync(parts, { recursive: true, force: true });
      fs.mkdirSync(parts);
      if (socket && c.name.endsWith("socket")) await new Promise<void>((r) => socket.listen(path.join(parts, "sock.json5"), () => r()));

      // A good edit first, so each bad one is seen as a fresh failure.
      const marker = `case-${i}`;
      replaceFile(gw.configPath, JSON.stringify({ ...good, meta: { lastTouchedAt: marker } }, null, 2));
      const applied = await pollUntil(async () => {
        const h = await health();
        return h.configReload.lastError === null && h.configReload.lastChangedPaths.includes("meta.lastTouchedAt");
      }, 10_000, 10);
      assert.ok(applied, `${c.name}: the good edit before it was not applied`);
      if (i === 5) rssBefore = process.memoryUsage().rss;

      replaceFile(gw.configPath, c.make(dir));
      let lastError: string | null = null;
      const seen = await pollUntil(async () => {
        lastError = (await health()).configReload.lastError;
        return typeof lastError === "string";
      }, 10_000, 10);
      assert.ok(seen, `${c.name}: the gateway never reported the bad edit`);
      assert.ok(lastError!.length > 0 && !/[\r\n\u2028\u2029]/.test(lastError!), `${c.name}: lastError is not one line: ${JSON.stringify(lastError).slice(0, 300)}`);
      assert.ok(lastError!.length < 4096, `${c.name}: lastError is ${lastError!.length} chars`);
      assert.match(lastError!, /\/[^\s:]+:\d+:\d+: /, `${c.name}: lastError names no file:line:col`);

      const r = await runInProcess(["config", "validate", "--json"], { env: gw.env });
      assert.equal(r.code, 3, `${c.name}: exit ${r.code}: ${r.stdout.slice(0, 300)}${r.stderr.slice(0, 300)}`);
      const out = JSON.parse(r.stdout) as { valid: boolean; issues: Array<{ file?: string; line?: number; message: string }> };
      assert.equal(out.valid, false, c.name);
      const locatedIssue = out.issues.find((x) => x.file && typeof x.line === "number" && x.line >= 1);
      assert.ok(locatedIssue, `${c.name}: no issue with file and line: ${JSON.stringify(out.issues).slice(0, 300)}`);
      for (const x of out.issues) {
        assert.doesNotMatch(x.message, /[\r\n]/, `${c.name}: multi-line message`);
        // The code frame (`excerpt`) is windowed separately; the message itself never echoes the input.
        assert.ok(x.message.length < 4096, `${c.name}: message is ${x.message.length} chars`);
      }

      if (socket?.listening) await new Promise<void>((r) => socket.close(() => r()));
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    // The gateway still serves on its last good config.
    const h = await health();
    assert.equal(typeof h.configReload.lastError, "string");
    const growth = (process.memoryUsage().rss - rssBefore) / MiB;
    assert.ok(growth < 256, `RSS grew by ${growth.toFixed(0)} MiB over ${all.length} cases`);
    t.diagnostic(`${all.length} cases; RSS growth ${growth.toFixed(1)} MiB`);
  });
});
