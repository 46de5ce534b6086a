import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { AppError } from "../shared/index.js";
import { loadConfigSnapshot } from "./load.js";
import { parseCliValue, runConfigSet, runConfigUnset } from "./write.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-write-"));
after(() => fs.rmSync(root, { recursive: true, force: true }));

let counter = 0;
/** A fresh directory; `configPath` is its openclaw.json (written when `text` is given). */
function workspace(text?: string) {
  counter++;
  const dir = path.join(root, `case-${counter}`);
  fs.mkdirSync(dir, { recursive: true });
  const configPath = path.join(dir, "openclaw.json");
  if (text !== undefined) fs.writeFileSync(configPath, text);
  const write = (rel: string, body: string): string => {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, body);
    return file;
  };
  return { dir, configPath, write };
}

function catchAppError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected an AppError to be thrown");
}

const mode = (p: string) => fs.statSync(p).mode & 0o777;
const env = {};

const COMMENTED = [
  "// OpenClaw config, hand-written",
  "{",
  "  // the gateway",
  "  gateway: {",
  "    port: 18789, // default port",
  '    bind: "loopback",',
  "  },",
  "  /* chat channels */",
  "  channels: {",
  '    whatsapp: { allowFrom: ["+15550001"] },',
  "  },",
  "}",
  "",
].join("\n");

describe("runConfigSet: writing", () => {
  test("creates the file (0600) and its directory (0700)", () => {
    const ws = workspace();
    const configPath = path.join(ws.dir, "state", "nested", "openclaw.json");
    const result = runConfigSet({ configPath, env, path: "gateway.port", value: 19001 });
    assert.equal(result.changed, true);
    assert.equal(result.written, true);
    assert.equal(result.backupPath, undefined);
    assert.equal(mode(configPath), 0o600);
    assert.equal(mode(path.dirname(configPath)), 0o700);
    assert.equal(mode(path.join(ws.dir, "state")), 0o700);
    assert.deepEqual(fs.readdirSync(path.dirname(configPath)), ["openclaw.json"]);
    const snap = loadConfigSnapshot({ configPath, env });
    assert.equal(snap.valid, true);
    assert.deepEqual(snap.input, { gateway: { port: 19001 } });
  });

  test("keeps comments and formatting of an existing JSON5 file", () => {
    const ws = workspace(COMMENTED);
    runConfigSet({ configPath: ws.configPath, env, path: "gateway.port", value: 19002 });
    assert.equal(fs.readFileSync(ws.configPath, "utf8"), COMMENTED.replace("port: 18789,", "port: 19002,"));
    runConfigSet({ configPath: ws.configPath, env, path: "tools.allow", value: ["group:fs"] });
    assert.equal(
      fs.readFileSync(ws.configPath, "utf8"),
      COMMENTED.replace("port: 18789,", "port: 19002,").replace(
        "    whatsapp: { allowFrom: [\"+15550001\"] },\n  },\n}",
        '    whatsapp: { allowFrom: ["+15550001"] },\n  },\n  tools: {\n    allow: [\n      "group:fs"\n    ]\n  },\n}',
      ),
    );
  });

  test("keeps the previous version as <file>.bak, byte-identical", () => {
    const ws = workspace(COMMENTED);
    const before = fs.readFileSync(ws.configPath);
    const result = runConfigSet({ configPath: ws.configPath, env, path: "logging.level", value: "debug" });
    assert.equal(result.backupPath, `${ws.configPath}.bak`);
    assert.ok(fs.readFileSync(`${ws.configPath}.bak`).equals(before));
    assert.equal(mode(`${ws.configPath}.bak`), 0o600);
    assert.equal(mode(ws.configPath), 0o600);
    assert.deepEqual(fs.readdirSync(ws.dir).sort(), ["openclaw.json", "openclaw.json.bak"]);
  });

  test("an invalid value throws CONFIG_INVALID and leaves the file byte-identical, no temp files", () => {
    const ws = workspace(COMMENTED);
    const before = fs.readFileSync(ws.configPath);
    const err = catchAppError(() => runConfigSet({ configPath: ws.configPath, env, path: "gateway.port", value: "abc" }));
    assert.equal(err.code, "CONFIG_INVALID");
    assert.match(err.message, /gateway\.port/);
    assert.ok(fs.readFileSync(ws.configPath).equals(before));
    assert.deepEqual(fs.readdirSync(ws.dir), ["openclaw.json"]);
  });

  test("an invalid value for a new file creates nothing", () => {
    const ws = workspace();
    const configPath = path.join(ws.dir, "state", "openclaw.json");
    const err = catchAppError(() => runConfigSet({ configPath, env, path: "gateway.bind", value: "everywhere" }));
    assert.equal(err.code, "CONFIG_INVALID");
    assert.equal(fs.existsSync(configPath), false);
  });

  for (const bad of ["__proto__.polluted", "gateway.constructor", "gateway.prototype.x", 'channels["__proto__"].x']) {
    test(`refuses the path ${bad} with CONFIG_PATH, file unchanged`, () => {
      const ws = workspace(COMMENTED);
      const before = fs.readFileSync(ws.configPath);
      assert.equal(catchAppError(() => runConfigSet({ configPath: ws.configPath, env, path: bad, value: 1 })).code, "CONFIG_PATH");
      assert.equal(catchAppError(() => runConfigUnset({ configPath: ws.configPath, env, path: bad })).code, "CONFIG_PATH");
      assert.ok(fs.readFileSync(ws.configPath).equals(before));
      assert.deepEqual(fs.readdirSync(ws.dir), ["openclaw.json"]);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  }

  test("dryRun returns the diff and reload kind and writes nothing", () => {
    const ws = workspace(COMMENTED);
    const before = fs.readFileSync(ws.configPath);
    const result = runConfigSet({ configPath: ws.configPath, env, path: "gateway.port", value: 19005, dryRun: true });
    assert.equal(result.dryRun, true);
    assert.equal(result.written, false);
    assert.equal(result.changed, true);
    assert.ok(result.diff.some((l) => l.startsWith("+") && l.includes("19005")), JSON.stringify(result.diff));
    assert.ok(result.diff.some((l) => l.startsWith("-") && l.includes("18789")), JSON.stringify(result.diff));
    assert.equal(result.reload.kind, "restart");
    assert.ok(fs.readFileSync(ws.configPath).equals(before));
    assert.deepEqual(fs.readdirSync(ws.dir), ["openclaw.json"]);
  });

  test("dryRun on a missing file creates neither the file nor its directory", () => {
    const ws = workspace();
    const configPath = path.join(ws.dir, "state", "openclaw.json");
    const result = runConfigSet({ configPath, env, path: "tools.allow", value: ["x"], dryRun: true });
    assert.equal(result.written, false);
    assert.equal(result.reload.kind, "hot");
    assert.equal(fs.existsSync(path.dirname(configPath)), false);
  });

  const RELOAD: Array<[string, unknown, string]> = [
    ["gateway.port", 19001, "restart"],
    ["channels.whatsapp.allowFrom", ["+15550002"], "hot"],
    ["tools.allow", ["group:fs"], "hot"],
  ];
  for (const [p, value, kind] of RELOAD) {
    test(`reload kind of ${p} is ${kind}`, () => {
      const ws = workspace(COMMENTED);
      const result = runConfigSet({ configPath: ws.configPath, env, path: p, value });
      assert.equal(result.reload.kind, kind);
      assert.deepEqual(kind === "restart" ? result.reload.restartPaths : result.reload.hotPaths, [p]);
    });
  }

  test("setting the current value changes nothing and writes nothing", () => {
    const ws = workspace(COMMENTED);
    const result = runConfigSet({ configPath: ws.configPath, env, path: "gateway.port", value: 18789 });
    assert.equal(result.changed, false);
    assert.equal(result.written, false);
    assert.deepEqual(fs.readdirSync(ws.dir), ["openclaw.json"]);
  });
});

describe("runConfigSet: refusals and warnings", () => {
  test("a missing ${VAR} elsewhere in the file does not block a set (warning)", () => {
    const ws = workspace('{\n  gateway: { port: 1 },\n  wizard: { note: "${NOT_SET_ANYWHERE}" }\n}\n');
    const result = runConfigSet({ configPath: ws.configPath, env, path: "gateway.port", value: 2 });
    assert.equal(result.written, true);
    assert.ok(result.warnings.some((w) => w.includes("NOT_SET_ANYWHERE")), JSON.stringify(result.warnings));
    assert.equal(fs.readFileSync(ws.configPath, "utf8"), '{\n  gateway: { port: 2 },\n  wizard: { note: "${NOT_SET_ANYWHERE}" }\n}\n');
  });

  test("a file with a syntax error refuses set (CONFIG_PARSE) and is unchanged", () => {
    const ws = workspace("{\n  gateway: { port: 1 \n");
    const before = fs.readFileSync(ws.configPath);
    const err = catchAppError(() => runConfigSet({ configPath: ws.configPath, env, path: "gateway.port", value: 2 }));
    assert.equal(err.code, "CONFIG_PARSE");
    assert.ok(err.message.includes(`${ws.configPath}:3:1`), err.message);
    assert.ok(fs.readFileSync(ws.configPath).equals(before));
    assert.deepEqual(fs.readdirSync(ws.dir), ["openclaw.json"]);
  });

  test("a file with a syntax error refuses unset with CONFIG_PARSE and is unchanged", () => {
    const ws = workspace("{\n  gateway: { port: 1 \n");
    const before = fs.readFileSync(ws.configPath);
    const err = catchAppError(() => runConfigUnset({ configPath: ws.configPath, env, path: "gateway.port" }));
    assert.equal(err.code, "CONFIG_PARSE");
    assert.ok(fs.readFileSync(ws.configPath).equals(before));
  });

  test("a symlinked config is refused (CONFIG_READONLY), link and target unchanged", () => {
    const ws = workspace();
    const target = ws.write("real/openclaw.json", "{ gateway: { port: 1 } }\n");
    fs.symlinkSync(target, ws.configPath);
    for (const run of [
      () => runConfigSet({ configPath: ws.configPath, env, path: "gateway.port", value: 2 }),
      () => runConfigUnset({ configPath: ws.configPath, env, path: "gateway.port" }),
    ]) {
      assert.equal(catchAppError(run).code, "CONFIG_READONLY");
    }
    assert.ok(fs.lstatSync(ws.configPath).isSymbolicLink());
    assert.equal(fs.readFileSync(target, "utf8"), "{ gateway: { port: 1 } }\n");
  });

  test("a config path below a regular file fails with an AppError", () => {
    const ws = workspace();
    const blocker = ws.write("not-a-dir", "x");
    const err = catchAppError(() => runConfigSet({ configPath: path.join(blocker, "openclaw.json"), env, path: "gateway.port", value: 2 }));
    assert.notEqual(err.code, "INTERNAL");
    assert.equal(fs.readFileSync(blocker, "utf8"), "x");
  });
});

describe("runConfigSet / runConfigUnset with $include", () => {
  function included() {
    const ws = workspace('{\n  gateway: { $include: "./parts/gw.json5" }\n}\n');
    const inc = ws.write("parts/gw.json5", '{\n  port: 1234,\n  bind: "lan"\n}\n');
    return { ...ws, inc, rootBefore: fs.readFileSync(ws.configPath), incBefore: fs.readFileSync(inc) };
  }

  test("unset of a key defined only in an included file is CONFIG_READONLY naming that file", () => {
    const ws = included();
    const err = catchAppError(() => runConfigUnset({ configPath: ws.configPath, env, path: "gateway.bind" }));
    assert.equal(err.code, "CONFIG_READONLY");
    assert.ok(err.message.includes(ws.inc), err.message);
    assert.ok(fs.readFileSync(ws.configPath).equals(ws.rootBefore));
    assert.ok(fs.readFileSync(ws.inc).equals(ws.incBefore));
  });

  test("set of a key whose value lives in an include writes a sibling override and warns", () => {
    const ws = included();
    const result = runConfigSet({ configPath: ws.configPath, env, path: "gateway.port", value: 4321 });
    assert.equal(result.written, true);
    assert.ok(result.warnings.some((w) => w.includes(ws.inc) && w.includes("gateway.port")), JSON.stringify(result.warnings));
    assert.equal(fs.readFileSync(ws.configPath, "utf8"), '{\n  gateway: { $include: "./parts/gw.json5", port: 4321 }\n}\n');
    assert.ok(fs.readFileSync(ws.inc).equals(ws.incBefore));
    const snap = loadConfigSnapshot({ configPath: ws.configPath, env });
    assert.equal(snap.config?.gateway.port, 4321);
    assert.equal(snap.config?.gateway.bind, "lan");
  });

  test("set of a key not in the include writes it without a warning", () => {
    const ws = included();
    const result = runConfigSet({ configPath: ws.configPath, env, path: "logging.level", value: "warn" });
    assert.deepEqual(result.warnings, []);
    assert.ok(fs.readFileSync(ws.inc).equals(ws.incBefore));
  });
});

describe("runConfigUnset", () => {
  test("unset of an absent key is a no-op: changed false, file unchanged", () => {
    const ws = workspace(COMMENTED);
    const before = fs.readFileSync(ws.configPath);
    const result = runConfigUnset({ configPath: ws.configPath, env, path: "gateway.tls.enabled" });
    assert.equal(result.changed, false);
    assert.equal(result.written, false);
    assert.deepEqual(result.diff, []);
    assert.ok(fs.readFileSync(ws.configPath).equals(before));
    assert.deepEqual(fs.readdirSync(ws.dir), ["openclaw.json"]);
  });

  test("unset on a missing file is a no-op and creates nothing", () => {
    const ws = workspace();
    const configPath = path.join(ws.dir, "state", "openclaw.json");
    const result = runConfigUnset({ configPath, env, path: "gateway.port" });
    assert.equal(result.written, false);
    assert.equal(result.changed, false);
    assert.equal(fs.existsSync(path.dirname(configPath)), false);
  });

  test("unset removes the key, keeps comments and reports the reload kind", () => {
    const ws = workspace(COMMENTED);
    const before = fs.readFileSync(ws.configPath);
    const result = runConfigUnset({ configPath: ws.configPath, env, path: "gateway.bind" });
    assert.equal(result.changed, true);
    assert.equal(result.reload.kind, "restart");
    assert.equal(fs.readFileSync(ws.configPath, "utf8"), COMMENTED.replace('    bind: "loopback",\n', ""));
    assert.ok(fs.readFileSync(`${ws.configPath}.bak`).equals(before));
  });
});

describe("parseCliValue", () => {
  test("parses JSON5 and falls back to a string", () => {
    assert.equal(parseCliValue("19001"), 19001);
    assert.equal(parseCliValue("true"), true);
    assert.equal(parseCliValue("false"), false);
    assert.equal(parseCliValue("null"), null);
    assert.equal(parseCliValue("hello"), "hello");
    assert.equal(parseCliValue('"quoted"'), "quoted");
    assert.deepEqual(parseCliValue("[1,2]"), [1, 2]);
    assert.deepEqual(parseCliValue("{a: 1, 'b': [true]}"), { a: 1, b: [true] });
  });

  test("strict mode rejects a bare word with CONFIG_VALUE", () => {
    assert.equal(catchAppError(() => parseCliValue("hello", true)).code, "CONFIG_VALUE");
    assert.equal(parseCliValue("19001", true), 19001);
  });
});
