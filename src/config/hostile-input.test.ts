/**
 * Config inputs that must not exhaust or hang the process: non-regular files, oversized files,
 * includes outside the config directory, prototype keys, deep nesting, bad bytes. Each one is a
 * located config issue (file and line), never a crash, a hang or a read of the whole thing.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { tempDirFactory } from "../../test/helpers/temp.js";
import type { ConfigIssue } from "./issues.js";
import { MAX_JSON5_DEPTH } from "./json5/index.js";
import { loadConfigSnapshot } from "./load.js";
import { MAX_CONFIG_BYTES } from "./read-text.js";

const tempDir = tempDirFactory("hostile");
const isPosix = process.platform !== "win32";

function workspace(rootText?: string) {
  const dir = tempDir("case");
  const configPath = path.join(dir, "openclaw.json");
  if (rootText !== undefined) fs.writeFileSync(configPath, rootText);
  const load = (env: Record<string, string> = {}) => loadConfigSnapshot({ configPath, env });
  return { dir, configPath, load };
}

/** The single issue, which must carry a file and a line. */
function located(issues: readonly ConfigIssue[]): ConfigIssue {
  assert.equal(issues.length, 1, JSON.stringify(issues));
  const issue = issues[0]!;
  assert.ok(issue.file, `issue without file: ${JSON.stringify(issue)}`);
  assert.ok(typeof issue.line === "number" && issue.line >= 1, `issue without line: ${JSON.stringify(issue)}`);
  assert.doesNotMatch(issue.message, /\n/);
  return issue;
}

describe("config files that are not small regular files", () => {
  test("an $include of /dev/zero is refused at the $include line, without reading it", { skip: !fs.existsSync("/dev/zero") }, () => {
    const ws = workspace('{\n  gateway: { $include: "/dev/zero" },\n}\n');
    const issue = located(ws.load({ OPENCLAW_INCLUDE_ROOTS: "/dev" }).issues);
    assert.match(issue.message, /\/dev\/zero is a character device, not a regular file/);
    assert.deepEqual([issue.file, issue.line], [ws.configPath, 2]);
  });

  test("an $include of a FIFO returns at once with an error (no writer needed)", { skip: !isPosix }, () => {
    const ws = workspace('{ "$include": "./pipe.json5" }');
    execFileSync("mkfifo", [path.join(ws.dir, "pipe.json5")]);
    const issue = located(ws.load().issues);
    assert.match(issue.message, /pipe\.json5 is a named pipe \(FIFO\), not a regular file/);
  });

  test("a root config that is a FIFO is refused (file:1)", { skip: !isPosix }, () => {
    const ws = workspace();
    execFileSync("mkfifo", [ws.configPath]);
    const snap = ws.load();
    const issue = located(snap.issues);
    assert.equal(snap.valid, false);
    assert.match(issue.message, /config .*openclaw\.json is a named pipe/);
  });

  test("an $include of a directory is refused", () => {
    const ws = workspace('{ "$include": "./parts" }');
    fs.mkdirSync(path.join(ws.dir, "parts"));
    assert.match(located(ws.load().issues).message, /parts is a directory, not a regular file/);
  });

  test("a root file over the size cap is refused before parsing (names size and cap)", () => {
    const ws = workspace(`{ meta: { note: "${"x".repeat(MAX_CONFIG_BYTES)}" } }`);
    const issue = located(ws.load().issues);
    assert.match(issue.message, /openclaw\.json is 2\.0 MiB, over the 2\.0 MiB limit/);
    assert.deepEqual([issue.file, issue.line, issue.column], [ws.configPath, 1, 1]);
  });

  test("an included file over the size cap is refused", () => {
    const ws = workspace('{\n  "$include": "./big.json5"\n}');
    fs.writeFileSync(path.join(ws.dir, "big.json5"), `{ meta: { note: "${"y".repeat(MAX_CONFIG_BYTES + 10)}" } }`);
    const issue = located(ws.load().issues);
    assert.match(issue.message, /included file .*big\.json5 is 2\.0 MiB, over the 2\.0 MiB limit/);
    assert.deepEqual([issue.file, issue.line], [ws.configPath, 2]);
  });

  test("raw text over the cap (an RPC apply) is refused too", () => {
    const ws = workspace();
    const snap = loadConfigSnapshot({ configPath: ws.configPath, env: {}, raw: `{ meta: { note: "${"z".repeat(MAX_CONFIG_BYTES)}" } }` });
    assert.match(located(snap.issues).message, /over the 2\.0 MiB limit/);
  });
});

describe("$include stays inside the config directory (spec §2.2, newer rule)", () => {
  test("an absolute include outside the directory is refused, and its content never shows", () => {
    const outside = tempDir("outside");
    const secret = path.join(outside, "secret.json5");
    fs.writeFileSync(secret, "{ gateway: { port: 4242 } }");
    const ws = workspace(`{\n  "$include": ${JSON.stringify(secret)}\n}`);
    const snap = ws.load();
    const issue = located(snap.issues);
    assert.match(issue.message, /outside the config directory/);
    assert.deepEqual([issue.file, issue.line], [ws.configPath, 2]);
    assert.deepEqual(snap.files, []);
  });

  test("a ../ include is refused", () => {
    const ws = workspace('{ "$include": "../sibling.json5" }');
    fs.writeFileSync(path.join(path.dirname(ws.dir), "sibling.json5"), "{}");
    assert.match(located(ws.load().issues).message, /"\.\.\/sibling\.json5" in .* resolves to .*, outside the config directory/);
  });

  test("a symlink inside the directory pointing outside is refused (realpath)", { skip: !isPosix }, () => {
    const outside = tempDir("outside");
    fs.writeFileSync(path.join(outside, "gw.json5"), "{ port: 4243 }");
    const ws = workspace('{ gateway: { "$include": "./gw.json5" } }');
    fs.symlinkSync(path.join(outside, "gw.json5"), path.join(ws.dir, "gw.json5"));
    assert.match(located(ws.load().issues).message, /outside the config directory/);
  });

  test("an absolute include inside the directory and OPENCLAW_INCLUDE_ROOTS are allowed", () => {
    const extra = tempDir("extra");
    fs.writeFileSync(path.join(extra, "gw.json5"), "{ port: 4244 }");
    const ws = workspace();
    fs.writeFileSync(path.join(ws.dir, "auth.json5"), "{ mode: 'token' }");
    fs.writeFileSync(ws.configPath, `{ gateway: { "$include": ${JSON.stringify(path.join(extra, "gw.json5"))}, auth: { "$include": ${JSON.stringify(path.join(ws.dir, "auth.json5"))} } } }`);
    assert.match(located(ws.load().issues).message, /outside the config directory/);
    const snap = ws.load({ OPENCLAW_INCLUDE_ROOTS: extra });
    assert.equal(snap.valid, true, JSON.stringify(snap.issues));
    assert.equal(snap.config?.gateway.port, 4244);
  });
});

describe("keys and shapes that used to crash validation", () => {
  for (const key of ["__proto__", "constructor", "prototype"]) {
    for (const [where, text] of [
      ["the root", `{\n  "${key}": { a: 1 }\n}`],
      ["gateway", `{\n  gateway: {\n    "${key}": 1\n  }\n}`],
      ["a loose section", `{\n  wizard: {\n    "${key}": { polluted: true }\n  }\n}`],
    ] as const) {
      test(`a "${key}" key in ${where} is an issue at its line, not an internal error`, () => {
        const ws = workspace(text);
        const snap = ws.load();
        const issue = located(snap.issues);
        assert.equal(issue.kind, "schema");
        assert.match(issue.message, new RegExp(`key "${key}" is not allowed`));
        assert.equal(issue.line, text.split("\n").findIndex((l) => l.includes(`"${key}"`)) + 1);
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
      });
    }
  }

  test(`nesting deeper than ${MAX_JSON5_DEPTH} is a syntax error at file:line:col`, () => {
    const depth = 20_000;
    const ws = workspace(`{\n  meta: ${"[".repeat(depth)}${"]".repeat(depth)}\n}`);
    const issue = located(ws.load().issues);
    assert.equal(issue.kind, "parse");
    assert.match(issue.message, new RegExp(`nesting deeper than ${MAX_JSON5_DEPTH} levels`));
    assert.deepEqual([issue.line, issue.column], [2, 9 + MAX_JSON5_DEPTH - 1]);
  });

  test(`${MAX_JSON5_DEPTH} levels are still fine`, () => {
    const inner = MAX_JSON5_DEPTH - 2;
    const ws = workspace(`{ meta: { x: ${"[".repeat(inner)}${"]".repeat(inner)} } }`);
    const snap = ws.load();
    assert.equal(snap.valid, true, JSON.stringify(snap.issues).slice(0, 300));
  });
});

describe("bad bytes", () => {
  test("invalid UTF-8 inside a string is an error at its line (not silently replaced)", () => {
    const ws = workspace();
    fs.writeFileSync(ws.configPath, Buffer.concat([Buffer.from('{\n  meta: { note: "caf'), Buffer.from([0xc3, 0x28]), Buffer.from('" }\n}\n')]));
    const issue = located(ws.load().issues);
    assert.match(issue.message, /:2:\d+: invalid UTF-8 byte 0xc3/);
    assert.equal(issue.line, 2);
  });

  test("a NUL byte is an error at its line", () => {
    const ws = workspace('{\n  meta: { note: "a\u0000b" }\n}\n');
    const issue = located(ws.load().issues);
    assert.match(issue.message, /NUL byte/);
    assert.equal(issue.line, 2);
  });

  test("valid multi-byte UTF-8 and a BOM still load", () => {
    const ws = workspace('\ufeff{ meta: { note: "café — 日本 🦞" } }');
    const snap = ws.load();
    assert.equal(snap.valid, true, JSON.stringify(snap.issues));
    assert.equal((snap.input.meta as { note: string }).note, "café — 日本 🦞");
  });
});
