/**
 * Auth never fails open (issue 10, holes 2 and 6): a config without credentials gets a generated,
 * persisted token; emptying, truncating, deleting or stripping the config while the gateway runs
 * never lowers its auth; `config validate` and the gateway's guards give the same verdict.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { GatewayClient } from "../../src/client/index.js";
import { parseJson5 } from "../../src/config/index.js";
import { GatewayRuntime } from "../../src/gateway/index.js";
import { resolvePaths } from "../../src/infra/index.js";
import { AppError } from "../../src/shared/index.js";
import { runInProcess } from "../helpers/cli.js";
import { startTestGateway, type TestGateway, waitUntil } from "../helpers/gateway.js";

interface HealthReply {
  ok: boolean;
  configReload: { lastError: string | null };
}

function replaceFile(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.edit-${randomBytes(4).toString("hex")}.tmp`);
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

/** A temp state dir with `raw` as its openclaw.json; returns env and paths for an in-process gateway. */
function home(t: { after(fn: () => unknown): void }, raw: ((dir: string) => string) | undefined, extraEnv: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "openclaw-authguard-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const stateDir = path.join(dir, ".openclaw");
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const configPath = path.join(stateDir, "openclaw.json");
  if (raw !== undefined) writeFileSync(configPath, raw(dir), { mode: 0o600 });
  const env: Record<string, string | undefined> = { HOME: dir, PATH: process.env.PATH, OPENCLAW_STATE_DIR: stateDir, NO_COLOR: "1", ...extraEnv };
  return { dir, stateDir, configPath, env };
}

async function startIn(t: { after(fn: () => unknown): void }, h: ReturnType<typeof home>, overrides: Record<string, unknown> = {}) {
  const rt = await GatewayRuntime.start({ paths: resolvePaths(h.env), env: h.env, version: "0.0.0-test", overrides: { port: 0, ...overrides }, tickIntervalMs: 60_000 });
  t.after(() => rt.stop("test done"));
  return rt;
}

/** Whether a client without credentials gets in. */
async function openToAnyone(port: number): Promise<boolean> {
  try {
    const c = await GatewayClient.connect({ url: `ws://127.0.0.1:${port}`, timeoutMs: 3000, clientId: "test", clientMode: "test" });
    c.close();
    return true;
  } catch {
    return false;
  }
}

const logging = (dir: string) => `logging: { file: ${JSON.stringify(path.join(dir, "openclaw.log"))} },`;

describe("a config without credentials never starts an open gateway", () => {
  test("no gateway.auth: a token is generated, saved to the config (comments kept) and required", async (t) => {
    const h = home(t, undefined);
    writeFileSync(h.configPath, `// my gateway\n{\n  ${logging(h.dir)}\n  gateway: { mode: "local" }, // local only\n}\n`, { mode: 0o600 });
    const rt = await startIn(t, h);
    assert.equal(rt.auth.mode, "token");
    const text = readFileSync(h.configPath, "utf8");
    assert.match(text, /\/\/ my gateway/, "comments kept");
    assert.match(text, /\/\/ local only/);
    const saved = (parseJson5(text) as { gateway: { auth?: { token?: string } } }).gateway.auth?.token;
    assert.match(saved ?? "", /^[0-9a-f]{48}$/, "a 24-byte hex token is saved");
    assert.equal(rt.auth.token, saved, "the running token is the saved one");
    assert.equal(await openToAnyone(rt.port), false, "a client without the token is refused");
    const c = await GatewayClient.connect({ url: `ws://127.0.0.1:${rt.port}`, token: saved!, timeoutMs: 3000, clientId: "test", clientMode: "test" });
    c.close();
    assert.doesNotMatch(readFileSync(path.join(h.dir, "openclaw.log"), "utf8"), new RegExp(saved!), "the token is not logged");
  });

  test('gateway.auth.mode "token" without a token also gets a generated one', async (t) => {
    const h = home(t, (d) => `{ ${logging(d)} gateway: { mode: "local", auth: { mode: "token" } } }`);
    const rt = await startIn(t, h);
    assert.equal(rt.auth.mode, "token");
    assert.ok(rt.auth.token && rt.auth.token.length >= 32);
    assert.equal(await openToAnyone(rt.port), false);
  });

  test('only an explicit auth.mode "none" on loopback runs without auth', async (t) => {
    const h = home(t, (d) => `{ ${logging(d)} gateway: { mode: "local", auth: { mode: "none" } } }`);
    const rt = await startIn(t, h);
    assert.equal(rt.auth.mode, "none");
    assert.equal(await openToAnyone(rt.port), true);
    assert.deepEqual((parseJson5(readFileSync(h.configPath, "utf8")) as { gateway: { auth: object } }).gateway.auth, { mode: "none" }, "nothing was written");
  });

  test("an unwritable config still starts with a (runtime-only) token, never open", async (t) => {
    if (process.getuid?.() === 0) {
      // Root ignores file modes; make the write fail another way: a config that is a symlink is never replaced.
      const h = home(t, undefined);
      const real = path.join(h.dir, "real.json");
      writeFileSync(real, `{ ${logging(h.dir)} gateway: { mode: "local" } }`, { mode: 0o600 });
      const { symlinkSync } = await import("node:fs");
      symlinkSync(real, h.configPath);
      const rt = await startIn(t, h);
      assert.equal(rt.auth.mode, "token");
      assert.ok(rt.auth.token);
      assert.doesNotMatch(readFileSync(real, "utf8"), /token/, "the file was not changed");
      assert.equal(await openToAnyone(rt.port), false);
      return;
    }
    const h = home(t, (d) => `{ ${logging(d)} gateway: { mode: "local" } }`);
    const { chmodSync } = await import("node:fs");
    chmodSync(h.stateDir, 0o500);
    t.after(() => chmodSync(h.stateDir, 0o700));
    const rt = await startIn(t, h);
    assert.equal(rt.auth.mode, "token");
    assert.equal(await openToAnyone(rt.port), false);
  });
});

describe("a running gateway never lowers its auth by reload", () => {
  async function refusedEdit(t: { after(fn: () => unknown): void }, edit: (gw: TestGateway) => void, expected: RegExp) {
    const gw = await startTestGateway(t);
    const c = await gw.connect();
    t.after(() => c.close());
    edit(gw);
    let health: HealthReply | undefined;
    await waitUntil(
      async () => {
        health = (await c.call("health")) as HealthReply;
        return health.configReload.lastError !== null;
      },
      5000,
      "the reload to be refused",
    );
    assert.match(health!.configReload.lastError!, expected);
    assert.equal(gw.rt.auth.mode, "token", "auth mode kept");
    assert.equal(gw.rt.auth.token, gw.token, "the running token kept");
    assert.equal(await openToAnyone(gw.rt.port), false, "still refuses clients without the token");
    const again = await gw.connect();
    again.close();
    assert.equal(gw.rt.metrics.restarts, 0, "no restart happened");
  }

  test("emptying the config", (t) => refusedEdit(t, (gw) => replaceFile(gw.configPath, ""), /empty/));
  test("whitespace only", (t) => refusedEdit(t, (gw) => replaceFile(gw.configPath, "  \n\t\n"), /empty/));
  test("truncating it mid-way", (t) => refusedEdit(t, (gw) => replaceFile(gw.configPath, readFileSync(gw.configPath, "utf8").slice(0, 40)), /./));
  test("removing gateway.auth", (t) =>
    refusedEdit(
      t,
      (gw) => {
        const cfg = JSON.parse(readFileSync(gw.configPath, "utf8"));
        delete cfg.gateway.auth;
        replaceFile(gw.configPath, JSON.stringify(cfg));
      },
      /no gateway credential/,
    ));
  test('setting auth.mode "none"', (t) =>
    refusedEdit(
      t,
      (gw) => {
        const cfg = JSON.parse(readFileSync(gw.configPath, "utf8"));
        cfg.gateway.auth = { mode: "none" };
        replaceFile(gw.configPath, JSON.stringify(cfg));
      },
      /lower gateway auth from token to none/,
    ));
  test('gateway.mode "remote" (a start would exit) is not applied', (t) =>
    refusedEdit(
      t,
      (gw) => {
        const cfg = JSON.parse(readFileSync(gw.configPath, "utf8"));
        cfg.gateway.mode = "remote";
        replaceFile(gw.configPath, JSON.stringify(cfg));
      },
      /gateway\.mode=local/,
    ));

  test("deleting the config keeps the running auth", async (t) => {
    const gw = await startTestGateway(t);
    const c = await gw.connect();
    t.after(() => c.close());
    unlinkSync(gw.configPath);
    await waitUntil(async () => ((await c.call("health")) as HealthReply).configReload.lastError !== null, 5000, "the reload to be skipped");
    assert.equal(gw.rt.auth.token, gw.token);
    assert.equal(await openToAnyone(gw.rt.port), false);
  });

  test("SIGUSR1-style restart with an auth-less file keeps the running listener and auth", async (t) => {
    const gw = await startTestGateway(t, { config: { gateway: { reload: { mode: "off" } } } });
    const cfg = JSON.parse(readFileSync(gw.configPath, "utf8"));
    delete cfg.gateway.auth;
    replaceFile(gw.configPath, JSON.stringify(cfg));
    await gw.rt.restart("test");
    assert.match(gw.rt.reloadState.lastError ?? "", /no gateway credential/);
    assert.equal(gw.rt.auth.token, gw.token);
    assert.equal(await openToAnyone(gw.rt.port), false);
    const c = await gw.connect();
    c.close();
  });

  test("a new token is still applied (credentials may change, auth may not weaken)", async (t) => {
    const gw = await startTestGateway(t);
    const cfg = JSON.parse(readFileSync(gw.configPath, "utf8"));
    const next = `new-${randomBytes(16).toString("hex")}`;
    cfg.gateway.auth.token = next;
    replaceFile(gw.configPath, JSON.stringify(cfg));
    await waitUntil(() => gw.rt.auth.token === next, 5000, "the new token to apply");
    assert.equal(gw.rt.reloadState.lastError, null);
    const c = await gw.connect({ token: next });
    c.close();
  });
});

describe("config validate and the gateway agree", () => {
  const cases: Array<{ name: string; gateway: Record<string, unknown>; env?: Record<string, string>; exit: number; message: RegExp }> = [
    { name: 'token ""', gateway: { mode: "local", auth: { token: "" } }, exit: 78, message: /gateway\.auth\.token is empty/ },
    { name: "password mode without a password", gateway: { mode: "local", auth: { mode: "password" } }, exit: 78, message: /no password is set/ },
    { name: "an env SecretRef whose variable is unset", gateway: { mode: "local", auth: { token: { source: "env", provider: "default", id: "NOPE_TOKEN_VAR" } } }, exit: 78, message: /NOPE_TOKEN_VAR, which is not set/ },
    { name: "an env SecretRef whose variable is empty", gateway: { mode: "local", auth: { token: { source: "env", provider: "default", id: "EMPTY_TOKEN_VAR" } } }, env: { EMPTY_TOKEN_VAR: "" }, exit: 78, message: /EMPTY_TOKEN_VAR, which is empty/ },
    { name: 'bind "lan" with auth "none"', gateway: { mode: "local", bind: "lan", auth: { mode: "none" } }, exit: 78, message: /without auth/ },
    { name: "token and password without a mode", gateway: { mode: "local", auth: { token: "a".repeat(40), password: "b".repeat(20) } }, exit: 78, message: /must say which one/ },
  ];
  for (const c of cases) {
    test(`${c.name}: validate exits 3 at file:line, the gateway refuses with the same message`, async (t) => {
      const h = home(t, (d) => `{\n  ${logging(d)}\n  gateway: ${JSON.stringify(c.gateway)},\n}\n`, c.env);
      const v = await runInProcess(["config", "validate", "--json"], { env: h.env });
      assert.equal(v.code, 3, v.stdout + v.stderr);
      const report = JSON.parse(v.stdout) as { valid: boolean; issues: Array<{ message: string; file?: string; line?: number }> };
      assert.equal(report.valid, false);
      const issue = report.issues.find((i) => c.message.test(i.message));
      assert.ok(issue, JSON.stringify(report.issues));
      assert.equal(issue.file, h.configPath);
      assert.equal(issue.line, 3, "points at the gateway line");
      const refused = await GatewayRuntime.start({ paths: resolvePaths(h.env), env: h.env, version: "0.0.0-test", overrides: { port: 0 } }).then(
        async (rt) => {
          await rt.stop("unexpected start");
          return undefined;
        },
        (error: unknown) => error,
      );
      assert.ok(refused instanceof AppError, "the gateway refuses to start");
      assert.match(refused.message, c.message);
      assert.equal(refused.exitCode, c.exit);
    });
  }

  test("a config both accept: validate exits 0 and the gateway starts", async (t) => {
    const h = home(t, (d) => `{ ${logging(d)} gateway: { mode: "local", auth: { token: "${"c".repeat(40)}" } } }`);
    const v = await runInProcess(["config", "validate", "--json"], { env: h.env });
    assert.equal(v.code, 0, v.stdout + v.stderr);
    const rt = await startIn(t, h);
    assert.equal(rt.auth.mode, "token");
  });

  test("config set refuses what the gateway would refuse, leaving the file byte-identical", async (t) => {
    const h = home(t, (d) => `{ ${logging(d)} gateway: { mode: "local", auth: { mode: "none" } } }`);
    const before = readFileSync(h.configPath);
    const r = await runInProcess(["config", "set", "gateway.bind", '"lan"'], { env: h.env });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /without auth/);
    assert.deepEqual(readFileSync(h.configPath), before);
  });
});
