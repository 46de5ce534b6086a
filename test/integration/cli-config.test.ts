/** `openclaw config …` end to end through the real shell, on real files in a temp HOME. */
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { runInProcess, tempHome } from "../helpers/cli.js";

describe("config set / get", () => {
  test("set then get round-trips gateway.port", async (t) => {
    const { home, env } = tempHome(t);
    const set = await runInProcess(["config", "set", "gateway.port", "19999"], { env });
    assert.equal(set.code, 0, set.stderr);
    const get = await runInProcess(["config", "get", "gateway.port"], { env });
    assert.equal(get.code, 0, get.stderr);
    assert.equal(get.stdout, "19999\n");
    const file = path.join(home, ".openclaw", "openclaw.json");
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700);
  });

  test("--profile work reads ~/.openclaw-work/openclaw.json", async (t) => {
    const { home, env } = tempHome(t);
    mkdirSync(path.join(home, ".openclaw-work"));
    writeFileSync(path.join(home, ".openclaw-work", "openclaw.json"), "{ gateway: { port: 20001 } }");
    mkdirSync(path.join(home, ".openclaw"));
    writeFileSync(path.join(home, ".openclaw", "openclaw.json"), "{ gateway: { port: 20002 } }");
    const work = await runInProcess(["--profile", "work", "config", "get", "gateway.port"], { env });
    assert.equal(work.stdout, "20001\n");
    const plain = await runInProcess(["config", "get", "gateway.port"], { env });
    assert.equal(plain.stdout, "20002\n");
    const file = await runInProcess(["--profile", "work", "config", "file"], { env });
    assert.equal(file.stdout.trim(), path.join(home, ".openclaw-work", "openclaw.json"));
  });

  test("--profile beats an inherited OPENCLAW_STATE_DIR, loudly", async (t) => {
    const { home, env } = tempHome(t);
    const r = await runInProcess(["--profile", "work", "config", "file"], { env: { ...env, OPENCLAW_STATE_DIR: path.join(home, "elsewhere") } });
    assert.equal(r.stdout.trim(), path.join(home, ".openclaw-work", "openclaw.json"));
    assert.match(r.stderr, /--profile work wins over inherited OPENCLAW_STATE_DIR/);
  });

  test("an invalid value is refused with one line naming the key; the file is byte-identical", async (t) => {
    const { home, env } = tempHome(t);
    const dir = path.join(home, ".openclaw");
    mkdirSync(dir);
    const file = path.join(dir, "openclaw.json");
    const original = "// my gateway\n{\n  gateway: { port: 18789 }, // keep me\n}\n";
    writeFileSync(file, original);
    const r = await runInProcess(["config", "set", "gateway.port", '"abc"'], { env });
    assert.notEqual(r.code, 0);
    const errorLines = r.stderr.split("\n").filter((l) => l.startsWith("error:"));
    assert.equal(errorLines.length, 1);
    assert.match(errorLines[0]!, /gateway\.port/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    assert.equal(readFileSync(file, "utf8"), original);
    assert.deepEqual(readdirSync(dir).sort(), ["openclaw.json"]);
  });

  test("set keeps comments and writes the previous version to .bak", async (t) => {
    const { home, env } = tempHome(t);
    const dir = path.join(home, ".openclaw");
    mkdirSync(dir);
    const file = path.join(dir, "openclaw.json");
    const original = "{\n  // the port\n  gateway: {\n    port: 18789, // default\n  },\n}\n";
    writeFileSync(file, original);
    const r = await runInProcess(["config", "set", "gateway.port", "19001"], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(file, "utf8"), original.replace("18789", "19001"));
    assert.equal(readFileSync(`${file}.bak`, "utf8"), original);
  });

  test("--dry-run prints the diff and the reload kind, writes nothing", async (t) => {
    const { home, env } = tempHome(t);
    const dir = path.join(home, ".openclaw");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "openclaw.json"), '{ "channels": { "telegram": { "allowFrom": ["1"] } } }\n');
    const r = await runInProcess(["config", "set", "channels.telegram.allowFrom", '["1","2"]', "--dry-run"], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /dry run/);
    assert.match(r.stdout, /^\+ /m);
    assert.match(r.stdout, /Reload: hot/);
    assert.equal(readFileSync(path.join(dir, "openclaw.json"), "utf8"), '{ "channels": { "telegram": { "allowFrom": ["1"] } } }\n');
    const restart = await runInProcess(["config", "set", "gateway.port", "1234", "--dry-run", "--json"], { env });
    assert.equal(JSON.parse(restart.stdout).reload.kind, "restart");
  });

  test("prototype-polluting paths are refused", async (t) => {
    const { env } = tempHome(t);
    for (const p of ["__proto__.polluted", "gateway.constructor", "a.prototype.b"]) {
      const r = await runInProcess(["config", "set", p, "1"], { env });
      assert.equal(r.code, 2, `${p}: ${r.stderr}`);
      assert.match(r.stderr, /not allowed/);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test("unset removes a key and is a no-op for an absent one", async (t) => {
    const { home, env } = tempHome(t);
    await runInProcess(["config", "set", "gateway.bind", "lan"], { env });
    await runInProcess(["config", "set", "gateway.auth.token", "a-very-long-token-value-1234567890"], { env });
    const r = await runInProcess(["config", "unset", "gateway.bind"], { env });
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(path.join(home, ".openclaw", "openclaw.json"), "utf8");
    assert.doesNotMatch(text, /bind/);
    const again = await runInProcess(["config", "unset", "gateway.bind"], { env });
    assert.equal(again.code, 0);
    assert.match(again.stderr, /not set/);
  });

  test("get redacts secrets unless --show-secrets; missing keys suggest a fix", async (t) => {
    const { env } = tempHome(t);
    const secret = "tok-0123456789abcdef0123456789";
    await runInProcess(["config", "set", "gateway.auth.token", secret], { env });
    const hidden = await runInProcess(["config", "get", "gateway.auth", "--json"], { env });
    assert.doesNotMatch(hidden.stdout, new RegExp(secret));
    assert.equal(JSON.parse(hidden.stdout).token, "__OPENCLAW_REDACTED__");
    const shown = await runInProcess(["config", "get", "gateway.auth.token", "--show-secrets"], { env });
    assert.equal(shown.stdout.trim(), secret);
    const typo = await runInProcess(["config", "get", "gateway.prot"], { env });
    assert.equal(typo.code, 1);
    assert.match(typo.stderr, /did you mean gateway\.port/);
    const dflt = await runInProcess(["config", "get", "gateway.bind"], { env });
    assert.equal(dflt.stdout, "loopback\n");
  });
});

describe("config validate", () => {
  test("comments, $include and ${TOKEN} load; an unset or empty TOKEN is named with its path", async (t) => {
    const { home, env } = tempHome(t);
    const dir = path.join(home, ".openclaw");
    mkdirSync(path.join(dir, "parts"), { recursive: true });
    writeFileSync(path.join(dir, "parts", "gateway.json5"), "// included\n{ mode: 'local', auth: { token: '${TOKEN}' } }\n");
    writeFileSync(path.join(dir, "openclaw.json"), "// root\n{\n  gateway: { $include: './parts/gateway.json5', port: 19002 },\n}\n");
    const ok = await runInProcess(["config", "validate", "--json"], { env: { ...env, TOKEN: "s3cr3t-token-value-xyz" } });
    assert.equal(ok.code, 0, ok.stdout);
    assert.equal(JSON.parse(ok.stdout).valid, true);
    for (const value of [undefined, ""]) {
      const r = await runInProcess(["config", "validate"], { env: { ...env, TOKEN: value } });
      assert.equal(r.code, 3, r.stdout);
      assert.match(r.stdout, /TOKEN/);
      assert.match(r.stdout, /gateway\.auth\.token/);
      assert.match(r.stdout, /parts\/gateway\.json5:2:/);
    }
  });

  test("a JSON5 syntax error gives file:line:col and a caret, never a stack", async (t) => {
    const { home, env } = tempHome(t);
    const dir = path.join(home, ".openclaw");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "openclaw.json"), "{\n  gateway: {\n    port: 18789\n    bind: 'lan'\n  }\n}\n");
    const r = await runInProcess(["config", "get", "gateway.port"], { env });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /openclaw\.json:4:5: expected "," or "}"/);
    assert.match(r.stderr, /\n\s+\| \s+\^\n/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    const v = await runInProcess(["config", "validate", "--json"], { env });
    assert.equal(v.code, 3);
    assert.equal(JSON.parse(v.stdout).issues[0].line, 4);
  });

  test("unknown keys: strict sections reject with a suggestion, loose sections keep them", async (t) => {
    const { home, env } = tempHome(t);
    const dir = path.join(home, ".openclaw");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "openclaw.json"), '{ "gatewy": {}, "gateway": { "prt": 1 }, "mcp": { "servers": {} } }');
    const r = await runInProcess(["config", "validate", "--json"], { env });
    assert.equal(r.code, 3);
    const messages = JSON.parse(r.stdout).issues.map((i: { path: string; message: string }) => `${i.path}: ${i.message}`);
    assert.ok(messages.some((m: string) => /gatewy: .*did you mean "gateway"/.test(m)), messages.join("\n"));
    assert.ok(messages.some((m: string) => /gateway\.prt: .*did you mean "port"/.test(m)), messages.join("\n"));
    assert.ok(!messages.some((m: string) => m.startsWith("mcp")));
  });
});

describe("shell", () => {
  test("unknown commands and flags exit 2 with a suggestion", async (t) => {
    const { env } = tempHome(t);
    const cmd = await runInProcess(["confg", "get", "x"], { env });
    assert.equal(cmd.code, 2);
    assert.match(cmd.stderr, /did you mean "config"/);
    const sub = await runInProcess(["config", "gett", "x"], { env });
    assert.equal(sub.code, 2);
    assert.match(sub.stderr, /did you mean "get"/);
    const flag = await runInProcess(["config", "get", "gateway.port", "--jsn"], { env });
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /did you mean "--json"/);
    const missing = await runInProcess(["config", "set", "gateway.port"], { env });
    assert.equal(missing.code, 2);
  });

  test("--json failures are one JSON value on stdout", async (t) => {
    const { env } = tempHome(t);
    const r = await runInProcess(["config", "get", "nothing.here", "--json"], { env });
    assert.equal(r.code, 1);
    const parsed = JSON.parse(r.stdout);
    assert.equal(parsed.error.code, "CONFIG_PATH_NOT_FOUND");
    assert.equal(typeof parsed.error.hint, "string");
  });

  test("--dev with --profile is refused; --version prints the version", async (t) => {
    const { env } = tempHome(t);
    const r = await runInProcess(["--dev", "--profile", "x", "config", "file"], { env });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Cannot combine --dev with --profile/);
    const v = await runInProcess(["--version"], { env });
    assert.match(v.stdout, /^\d{4}\.\d+\.\d+\n$/);
  });
});

describe("--log-level", () => {
  test("debug output goes to stderr only when asked; a bad level is a usage error", async (t) => {
    const { env } = tempHome(t);
    const bad = await runInProcess(["--log-level", "loud", "config", "file"], { env });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /invalid --log-level "loud"/);
    const quiet = await runInProcess(["config", "set", "gateway.port", "19003"], { env });
    assert.doesNotMatch(quiet.stderr, /\[config\]/);
    const loud = await runInProcess(["--log-level", "debug", "config", "set", "gateway.port", "19004"], { env });
    assert.equal(loud.code, 0, loud.stderr);
    assert.match(loud.stderr, /\[config\] wrote .*openclaw\.json/);
  });
});
