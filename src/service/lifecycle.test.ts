import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, type TestContext, test } from "node:test";
import { type Env, loadDotEnvFile, resolvePaths } from "../infra/index.js";
import { collectServiceSecrets, createServiceManager, type Exec, planInstall, renderEnvFile, type ServiceContext, writeInstallFiles } from "./index.js";

const VERSION = "2026.11.0";

function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-lifecycle-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const noExec: Exec = (command) => {
  throw new Error(`unexpected exec of ${command}`);
};

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

/** A supervisor manager for a temp home, and a planInstall bound to it. */
function supervisorSetup(t: TestContext, extraEnv: Env = {}) {
  const home = tempDir(t);
  const env: Env = { HOME: home, ...extraEnv };
  const ctx: ServiceContext = { env, home, platform: "linux", uid: 1000, user: "alice", exec: noExec };
  const manager = createServiceManager("supervisor", ctx);
  assert.equal(manager.kind, "supervisor");
  const entryPath = path.join(home, "openclaw", "bin", "openclaw.mjs");
  const plan = (o: { port?: number; force?: boolean; token?: string } = {}) =>
    planInstall({ manager, env, paths: resolvePaths(env), port: o.port ?? 18789, runtimePath: process.execPath, entryPath, version: VERSION, platform: "linux", token: o.token, force: o.force ?? false });
  return { home, env, manager, plan, definitionFile: path.join(home, ".config", "openclaw", "supervisor", "openclaw-gateway.json") };
}

describe("planInstall / writeInstallFiles (supervisor)", () => {
  test("install, then unchanged, then blocked on a port change, then rewrite with force", (t) => {
    const { plan, manager, definitionFile } = supervisorSetup(t);

    const first = plan();
    assert.equal(first.action, "install");
    assert.equal(first.installed, undefined);
    assert.deepEqual(first.drift, []);
    assert.equal(first.diff, undefined);
    assert.equal(first.definition.name, "openclaw-gateway");
    assert.deepEqual(first.files.map((f) => f.role), ["supervisor definition"]);
    assert.equal(first.files[0]!.path, definitionFile);
    assert.equal(manager.definitionPath("openclaw-gateway"), definitionFile);

    assert.deepEqual(writeInstallFiles(first), [definitionFile]);
    const original = fs.readFileSync(definitionFile, "utf8");
    assert.equal(original, first.files[0]!.content);
    assert.equal(modeOf(definitionFile), 0o600);
    assert.ok(!fs.existsSync(`${definitionFile}.bak`), "a first install has nothing to back up");

    const second = plan();
    assert.equal(second.action, "unchanged");
    assert.ok(second.installed);
    assert.equal(second.installed.definitionPath, definitionFile);
    assert.deepEqual(second.drift, []);

    const moved = plan({ port: 18790 });
    assert.equal(moved.action, "blocked");
    const port = moved.drift.find((d) => d.field === "port");
    assert.ok(port, JSON.stringify(moved.drift));
    assert.equal(port.installed, "18789");
    assert.equal(port.expected, "18790");
    assert.ok(moved.diff, "a blocked plan carries a diff");
    assert.match(moved.diff, /^- .*18789/m);
    assert.match(moved.diff, /^\+ .*18790/m);
    assert.equal(fs.readFileSync(definitionFile, "utf8"), original, "planning writes nothing");

    const forced = plan({ port: 18790, force: true });
    assert.equal(forced.action, "rewrite");
    assert.ok(forced.drift.some((d) => d.field === "port"));
    assert.equal(forced.diff, moved.diff);

    writeInstallFiles(forced);
    assert.equal(fs.readFileSync(`${definitionFile}.bak`, "utf8"), original, "the previous definition is kept as .bak");
    assert.equal(modeOf(`${definitionFile}.bak`), 0o600);
    assert.equal(fs.readFileSync(definitionFile, "utf8"), forced.files[0]!.content);
    assert.equal(plan({ port: 18790 }).action, "unchanged");
    assert.equal(plan({ port: 18789 }).action, "blocked");
  });

  test("a token goes to the 0600 env file, never into the definition or the diff", (t) => {
    const { plan, home } = supervisorSetup(t);
    const p = plan({ token: "tok-SECRET-123" });
    assert.equal(p.action, "install");
    assert.deepEqual(p.definition.secretKeys, ["OPENCLAW_GATEWAY_TOKEN"]);
    const envFile = path.join(home, ".openclaw", "gateway.env");
    assert.equal(p.definition.envFile, envFile);
    assert.deepEqual(p.files.map((f) => f.role), ["supervisor definition", "secrets env file"]);
    assert.ok(!p.files[0]!.content.includes("tok-SECRET-123"));
    writeInstallFiles(p);
    assert.equal(modeOf(envFile), 0o600);
    assert.equal(loadDotEnvFile(envFile).OPENCLAW_GATEWAY_TOKEN, "tok-SECRET-123");
    assert.equal(plan({ token: "tok-SECRET-123" }).action, "unchanged");

    const moved = plan({ token: "tok-SECRET-123", port: 18790 });
    assert.equal(moved.action, "blocked");
    assert.ok(!JSON.stringify(moved.drift).includes("tok-SECRET-123"));
    assert.ok(!(moved.diff ?? "").includes("tok-SECRET-123"));
  });
});

describe("collectServiceSecrets", () => {
  const CONFIG = '{ gateway: { mode: "local" }, tools: { web: { search: { apiKey: "${BRAVE_API_KEY}" } } } }\n';

  function setup(t: TestContext, config: string | undefined, extraEnv: Env = {}) {
    const home = tempDir(t);
    const stateDir = path.join(home, ".openclaw");
    fs.mkdirSync(stateDir, { recursive: true });
    if (config !== undefined) fs.writeFileSync(path.join(stateDir, "openclaw.json"), config);
    const env: Env = { HOME: home, BRAVE_API_KEY: "brave-1", OPENCLAW_GATEWAY_TOKEN: "t-env", ...extraEnv };
    const paths = resolvePaths(env);
    assert.equal(paths.configPath, path.join(stateDir, "openclaw.json"));
    const collect = (token?: string) => collectServiceSecrets({ env, paths, token });
    return { stateDir, collect };
  }

  test("a referenced ${VAR} and the shell's gateway token (config has no gateway.auth.token)", (t) => {
    const { collect } = setup(t, CONFIG);
    assert.deepEqual(collect(), { OPENCLAW_GATEWAY_TOKEN: "t-env", BRAVE_API_KEY: "brave-1" });
  });

  test("a variable the state dir .env defines is not collected", (t) => {
    const { stateDir, collect } = setup(t, CONFIG);
    fs.writeFileSync(path.join(stateDir, ".env"), "BRAVE_API_KEY=brave-from-dotenv\n");
    assert.deepEqual(collect(), { OPENCLAW_GATEWAY_TOKEN: "t-env" });
  });

  test("a variable the config's env block defines is not collected", (t) => {
    const { collect } = setup(t, '{ env: { vars: { BRAVE_API_KEY: "brave-cfg" } }, tools: { web: { search: { apiKey: "${BRAVE_API_KEY}" } } } }');
    assert.deepEqual(collect(), { OPENCLAW_GATEWAY_TOKEN: "t-env" });
  });

  test("with gateway.auth.token in the config, the shell's token is not collected", (t) => {
    const { collect } = setup(t, '{ gateway: { mode: "local", auth: { token: "cfg-token" } }, tools: { web: { search: { apiKey: "${BRAVE_API_KEY}" } } } }');
    assert.deepEqual(collect(), { BRAVE_API_KEY: "brave-1" });
  });

  test("a referenced variable that is not set here is not collected; a shell password is", (t) => {
    const { collect } = setup(t, '{ tools: { web: { search: { apiKey: "${MISSING_KEY}" } } } }', { OPENCLAW_GATEWAY_PASSWORD: "pw-1", OPENCLAW_GATEWAY_TOKEN: undefined });
    assert.deepEqual(collect(), { OPENCLAW_GATEWAY_PASSWORD: "pw-1" });
  });

  test("no config and no secrets in the shell: nothing", (t) => {
    const { collect } = setup(t, undefined, { BRAVE_API_KEY: undefined, OPENCLAW_GATEWAY_TOKEN: undefined });
    assert.deepEqual(collect(), {});
  });

  test("--token wins over the shell, the config's token and the state .env", (t) => {
    const plain = setup(t, CONFIG);
    assert.equal(plain.collect("t-cli").OPENCLAW_GATEWAY_TOKEN, "t-cli");

    const configured = setup(t, '{ gateway: { auth: { token: "cfg-token" } } }');
    assert.deepEqual(configured.collect("t-cli"), { OPENCLAW_GATEWAY_TOKEN: "t-cli" });

    const dotenv = setup(t, CONFIG);
    fs.writeFileSync(path.join(dotenv.stateDir, ".env"), "OPENCLAW_GATEWAY_TOKEN=t-dotenv\n");
    assert.equal(dotenv.collect("t-cli").OPENCLAW_GATEWAY_TOKEN, "t-cli");
  });

  test("--token wins when the config reads the token from ${OPENCLAW_GATEWAY_TOKEN}", (t) => {
    const { collect } = setup(t, '{ gateway: { auth: { token: "${OPENCLAW_GATEWAY_TOKEN}" } } }');
    assert.deepEqual(collect("t-cli"), { OPENCLAW_GATEWAY_TOKEN: "t-cli" });
  });
});

describe("secrets env file", () => {
  test("values renderEnvFile writes load back unchanged through the gateway's dotenv reader", (t) => {
    const dir = tempDir(t);
    const values = { PLAIN: "tok-123", SPACE: "correct horse #1", QUOTE: 'say "hi"', NEWLINE: "line1\nline2", SINGLE: "it's", DOLLAR: "pa$word", BACKSLASH: "dom\\user" };
    const file = path.join(dir, "gateway.env");
    fs.writeFileSync(file, renderEnvFile(values, "OpenClaw Gateway (v2026.11.0)"));
    const loaded = loadDotEnvFile(file);
    for (const k of ["PLAIN", "SPACE", "QUOTE", "NEWLINE", "SINGLE", "DOLLAR"] as const) assert.equal(loaded[k], values[k], k);
    assert.equal(loaded.BACKSLASH, values.BACKSLASH);
  });
});
