import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { MAX_INCLUDE_DEPTH } from "./includes.js";
import type { ConfigIssue } from "./issues.js";
import { loadConfigSnapshot } from "./load.js";
import { readConfigInput } from "./load-input.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-includes-"));
after(() => fs.rmSync(root, { recursive: true, force: true }));

let counter = 0;
/** A fresh config directory with a writer for files relative to it. */
function workspace() {
  counter++;
  const dir = path.join(root, `case-${counter}`);
  fs.mkdirSync(dir, { recursive: true });
  const write = (rel: string, text: string): string => {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  };
  const configPath = path.join(dir, "openclaw.json");
  const load = (env: Record<string, string> = {}) => loadConfigSnapshot({ configPath, env });
  return { dir, configPath, write, load };
}

function onlyIssue(list: readonly ConfigIssue[]): ConfigIssue {
  assert.equal(list.length, 1, JSON.stringify(list));
  return list[0]!;
}

function issueAt(list: readonly ConfigIssue[], p: string): ConfigIssue {
  const hit = list.find((i) => i.path === p);
  assert.ok(hit, `no issue at ${p}; got ${JSON.stringify(list)}`);
  return hit;
}

describe("$include: merging", () => {
  test("a single file replaces the object holding the directive", () => {
    const ws = workspace();
    ws.write("openclaw.json", '{\n  gateway: { $include: "./parts/gateway.json5" },\n  logging: { level: "warn" }\n}\n');
    const inc = ws.write("parts/gateway.json5", '// the gateway\n{ port: 19001, bind: "lan" }\n');
    const snap = ws.load();
    assert.equal(snap.valid, true, JSON.stringify(snap.issues));
    assert.deepEqual(snap.input, { gateway: { port: 19001, bind: "lan" }, logging: { level: "warn" } });
    assert.equal(Object.hasOwn(snap.input.gateway as object, "$include"), false);
    assert.equal(snap.config?.gateway.port, 19001);
    assert.deepEqual(snap.files, [ws.configPath, inc]);
  });

  test("a root-level $include replaces the whole root", () => {
    const ws = workspace();
    ws.write("openclaw.json", '{ "$include": "./base/root.json5" }');
    ws.write("base/root.json5", "{ gateway: { port: 20000 } }");
    const snap = ws.load();
    assert.equal(snap.valid, true, JSON.stringify(snap.issues));
    assert.deepEqual(snap.input, { gateway: { port: 20000 } });
  });

  test("a list is deep-merged in order: later files win, arrays are replaced", () => {
    const ws = workspace();
    ws.write("openclaw.json", '{\n  agents: { $include: ["./agents/a.json5", "./agents/b.json5"] }\n}\n');
    ws.write("agents/a.json5", '{ defaults: { workspace: "/a", skipBootstrap: true }, list: [{ id: "x" }, { id: "y" }] }');
    ws.write("agents/b.json5", '{ defaults: { workspace: "/b" }, list: [{ id: "z" }] }');
    const snap = ws.load();
    assert.equal(snap.valid, true, JSON.stringify(snap.issues));
    assert.deepEqual(snap.input.agents, { defaults: { workspace: "/b", skipBootstrap: true }, list: [{ id: "z" }] });
  });

  test("sibling keys override the included content (deeply)", () => {
    const ws = workspace();
    ws.write("openclaw.json", '{\n  gateway: {\n    $include: "./parts/gw.json5",\n    port: 2222,\n    auth: { mode: "token" }\n  }\n}\n');
    ws.write("parts/gw.json5", '{ port: 1111, bind: "lan", auth: { token: "t0ken", mode: "password" } }');
    const snap = ws.load();
    assert.equal(snap.valid, true, JSON.stringify(snap.issues));
    assert.deepEqual(snap.input.gateway, { port: 2222, bind: "lan", auth: { token: "t0ken", mode: "token" } });
    // The override is located in the root file, the inherited key in the included file.
    assert.equal(snap.locate(["gateway", "port"])?.file, ws.configPath);
    assert.equal(snap.locate(["gateway", "port"])?.line, 4);
    assert.equal(snap.locate(["gateway", "bind"])?.file, path.join(ws.dir, "parts/gw.json5"));
  });

  test("siblings next to a non-object include are an include error", () => {
    const ws = workspace();
    ws.write("openclaw.json", '{ agents: { list: { $include: "./list.json5", extra: 1 } } }');
    ws.write("list.json5", '[{ id: "a" }]');
    const issue = onlyIssue(ws.load().issues);
    assert.equal(issue.kind, "include");
  });

  test("nested includes resolve relative to the including file's directory", () => {
    const ws = workspace();
    ws.write("openclaw.json", '{ "$include": "./conf/root.json5" }');
    ws.write("conf/root.json5", '{ gateway: { $include: "./sub/gw.json5" } }');
    const nested = ws.write("conf/sub/gw.json5", "{ port: 3333 }");
    // A decoy at the path relative to the ROOT file: must not be used.
    ws.write("sub/gw.json5", "{ port: 4444 }");
    const snap = ws.load();
    assert.equal(snap.valid, true, JSON.stringify(snap.issues));
    assert.equal(snap.config?.gateway.port, 3333);
    assert.deepEqual(snap.files, [ws.configPath, path.join(ws.dir, "conf/root.json5"), nested]);
  });
});

describe("$include: errors", () => {
  test("a circular include reports the chain", () => {
    const ws = workspace();
    ws.write("openclaw.json", '{ "$include": "./loop/first.json5" }');
    ws.write("loop/first.json5", '{ "$include": "./second.json5" }');
    ws.write("loop/second.json5", '{ "$include": "./first.json5" }');
    const snap = ws.load();
    assert.equal(snap.valid, false);
    const issue = onlyIssue(snap.issues);
    assert.equal(issue.kind, "include");
    assert.match(issue.message, /circular/);
    assert.ok(issue.message.includes("first.json5"), issue.message);
    assert.ok(issue.message.includes("second.json5"), issue.message);
    assert.ok(issue.message.indexOf("first.json5") < issue.message.indexOf("second.json5"), issue.message);
  });

  test("a file including itself is circular", () => {
    const ws = workspace();
    ws.write("openclaw.json", '{ gateway: { "$include": "./openclaw.json" } }');
    const issue = onlyIssue(ws.load().issues);
    assert.equal(issue.kind, "include");
    assert.match(issue.message, /circular/);
  });

  /** root → chain/d1 → … → chain/d<n>, the last one holding the gateway port. */
  function chain(n: number) {
    const ws = workspace();
    ws.write("openclaw.json", '{ "$include": "./chain/d1.json5" }');
    for (let i = 1; i <= n; i++) {
      ws.write(`chain/d${i}.json5`, i === n ? "{ gateway: { port: 4444 } }" : `{ "$include": "./d${i + 1}.json5" }`);
    }
    return ws.load();
  }

  test(`${MAX_INCLUDE_DEPTH} levels of nesting are allowed`, () => {
    assert.equal(MAX_INCLUDE_DEPTH, 10);
    const snap = chain(MAX_INCLUDE_DEPTH);
    assert.equal(snap.valid, true, JSON.stringify(snap.issues));
    assert.equal(snap.config?.gateway.port, 4444);
  });

  test("nesting deeper than 10 levels is rejected", () => {
    const snap = chain(MAX_INCLUDE_DEPTH + 1);
    assert.equal(snap.valid, false);
    const issue = onlyIssue(snap.issues);
    assert.equal(issue.kind, "include");
    assert.match(issue.message, /deeper than 10/);
  });

  test("a missing include names the resolved path", () => {
    const ws = workspace();
    ws.write("openclaw.json", '{ gateway: { $include: "./nope/../missing/gw.json5" } }');
    const snap = ws.load();
    assert.equal(snap.valid, false);
    const issue = onlyIssue(snap.issues);
    assert.equal(issue.kind, "include");
    const resolved = path.join(ws.dir, "missing", "gw.json5");
    assert.ok(issue.message.includes(resolved), issue.message);
    // Located at the $include that names it.
    assert.deepEqual([issue.file, issue.line, issue.column], [ws.configPath, 1, 14]);
  });

  test("a parse error inside an included file names that file with line:col", () => {
    const ws = workspace();
    ws.write("openclaw.json", '{\n  gateway: { $include: "./parts/bad.json5" }\n}\n');
    const bad = ws.write("parts/bad.json5", "{\n  port: 1,\n  bind: ,\n}\n");
    const snap = ws.load();
    assert.equal(snap.valid, false);
    const issue = onlyIssue(snap.issues);
    assert.equal(issue.kind, "parse");
    assert.equal(issue.file, bad);
    assert.equal(issue.line, 3);
    assert.equal(issue.column, 9);
    assert.ok(issue.message.includes(`${bad}:3:9`), issue.message);
  });

  test("$include must be a path or a list of paths", () => {
    const ws = workspace();
    ws.write("openclaw.json", "{ gateway: { $include: 42 } }");
    assert.equal(onlyIssue(ws.load().issues).kind, "include");
  });
});

describe("$include: substitution and schema locations", () => {
  test("${VAR} substitution applies inside included files", () => {
    const ws = workspace();
    ws.write("openclaw.json", '{ gateway: { $include: "./parts/auth.json5" } }');
    ws.write("parts/auth.json5", '{\n  auth: { token: "${GW_TOKEN}" },\n  remote: { url: "wss://${GW_HOST}/ws" }\n}\n');
    const snap = ws.load({ GW_TOKEN: "s3cret-value", GW_HOST: "gw.example" });
    assert.equal(snap.valid, true, JSON.stringify(snap.issues));
    assert.deepEqual(snap.input.gateway, { auth: { token: "s3cret-value" }, remote: { url: "wss://gw.example/ws" } });
  });

  test("a missing variable inside an included file is located there", () => {
    const ws = workspace();
    ws.write("openclaw.json", '{ gateway: { $include: "./parts/auth.json5" } }');
    const inc = ws.write("parts/auth.json5", '{\n  auth: {\n    token: "${GW_TOKEN}"\n  }\n}\n');
    const issue = issueAt(ws.load().issues, "gateway.auth.token");
    assert.equal(issue.kind, "env");
    assert.match(issue.message, /GW_TOKEN/);
    assert.equal(issue.file, inc);
    assert.equal(issue.line, 3);
  });

  test("schema errors inside an included file are located in that file", () => {
    const ws = workspace();
    ws.write("openclaw.json", '{\n  logging: { level: "debug" },\n  gateway: { $include: "./parts/gw.json5" }\n}\n');
    const inc = ws.write("parts/gw.json5", '{\n  bind: "loopback",\n  port: "abc",\n  prt: 2\n}\n');
    const snap = ws.load();
    assert.equal(snap.valid, false);
    const port = issueAt(snap.issues, "gateway.port");
    assert.equal(port.file, inc);
    assert.equal(port.line, 3);
    assert.equal(port.column, 3);
    const typo = issueAt(snap.issues, "gateway.prt");
    assert.match(typo.message, /did you mean "port"/);
    assert.equal(typo.file, inc);
    assert.equal(typo.line, 4);
  });

  test("schema errors in files merged from a list are located in the file that wrote them", () => {
    const ws = workspace();
    ws.write("openclaw.json", '{ gateway: { $include: ["./a.json5", "./nested/b.json5"] } }');
    ws.write("a.json5", '{\n  bind: "nowhere"\n}\n');
    const b = ws.write("nested/b.json5", "{\n  mode: 'local',\n  port: -1\n}\n");
    const snap = ws.load();
    assert.equal(issueAt(snap.issues, "gateway.port").file, b);
    assert.equal(issueAt(snap.issues, "gateway.port").line, 3);
    assert.equal(issueAt(snap.issues, "gateway.bind").file, path.join(ws.dir, "a.json5"));
    assert.equal(issueAt(snap.issues, "gateway.bind").line, 2);
  });
});

describe("$include: hash", () => {
  test("the hash changes when an included file changes", () => {
    const ws = workspace();
    const rootText = '{ gateway: { $include: "./parts/gw.json5" } }';
    ws.write("openclaw.json", rootText);
    ws.write("parts/gw.json5", "{ port: 1111 }");
    const first = readConfigInput({ configPath: ws.configPath, env: {} });
    const again = readConfigInput({ configPath: ws.configPath, env: {} });
    assert.ok(first.hash);
    assert.equal(again.hash, first.hash);
    // With includes, the hash is not just the root file's hash.
    assert.notEqual(first.hash, createHash("sha256").update(rootText).digest("hex"));

    ws.write("parts/gw.json5", "{ port: 2222 }");
    const changed = readConfigInput({ configPath: ws.configPath, env: {} });
    assert.equal(changed.raw, rootText);
    assert.notEqual(changed.hash, first.hash);
  });
});
