/** `openclaw gateway` in the foreground through the built binary: guards, exit codes, lock, signals, --force. */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { before, describe, test } from "node:test";
import { gatewayLockFile } from "../../src/infra/lock.js";
import { BIN, ROOT, runBinary, tempHome } from "../helpers/cli.js";
import { freePort, waitUntil } from "../helpers/gateway.js";

type After = { after(fn: () => unknown): void };

interface Home {
  home: string;
  env: Record<string, string | undefined>;
  configPath: string;
  lockFile: string;
}

/** A temp HOME with ~/.openclaw/openclaw.json (logs kept inside the home). */
function homeWith(t: After, config: Record<string, unknown>): Home {
  const { home, env } = tempHome(t);
  const dir = path.join(home, ".openclaw");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const configPath = path.join(dir, "openclaw.json");
  const logging = { file: path.join(home, "logs", "openclaw.log"), ...((config.logging as object | undefined) ?? {}) };
  writeFileSync(configPath, `${JSON.stringify({ ...config, logging }, null, 2)}\n`, { mode: 0o600 });
  const lockFile = gatewayLockFile(configPath);
  // A SIGKILLed gateway (cleanup) or a hand-written lock would otherwise stay in the shared lock dir.
  t.after(() => rmSync(lockFile, { force: true }));
  return { home, env: { ...env, TMPDIR: os.tmpdir() }, configPath, lockFile };
}

const TOKEN = "run-test-token-0123456789abcdef";
/** Port holders are found through /proc (Linux only). */
const procOnly = { skip: process.platform !== "linux" && "port holders are read from /proc" };
const local = { gateway: { mode: "local", auth: { token: TOKEN } } };

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Spawns a long-running `openclaw gateway …`; killed (SIGKILL) after the test if still running. */
function spawnGateway(t: After, h: Home, args: string[]): Running {
  const child = spawn(process.execPath, [BIN, "gateway", ...args], { env: h.env as NodeJS.ProcessEnv, cwd: ROOT });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exit;
    }
    rmSync(h.lockFile, { force: true });
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

async function listening(r: Running): Promise<void> {
  let exited = false;
  void r.exit.then(() => (exited = true));
  await waitUntil(() => exited || r.stderr().includes("gateway listening"), 10_000, "gateway listening");
  assert.ok(!exited, `the gateway exited early:\n${r.stderr()}`);
}

function errorLines(text: string): string[] {
  return text.split("\n").filter((l) => l.startsWith("error:"));
}

/** A pid that belonged to a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.on("exit", resolve));
  return child.pid!;
}

async function healthz(port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  await res.body?.cancel();
  return res.status;
}

before(() => {
  assert.ok(existsSync(path.join(ROOT, "dist", "cli.js")), "build the CLI first: node scripts/build.mjs");
});

describe("startup guards", () => {
  test('--bind lan with gateway.mode local and auth mode "none" exits 78 (as OpenClaw) with one error line', async (t) => {
    const h = homeWith(t, { gateway: { mode: "local", auth: { mode: "none" } } });
    const r = await runBinary(["gateway", "--bind", "lan", "--port", String(await freePort())], { env: h.env });
    assert.equal(r.code, 78, r.stderr);
    const errors = errorLines(r.stderr);
    assert.equal(errors.length, 1, r.stderr);
    assert.match(errors[0]!, /without auth/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    assert.equal(existsSync(h.lockFile), false, "the lock is released on refusal");
  });

  test("no gateway.mode exits 78 (as OpenClaw) naming gateway.mode=local", async (t) => {
    const h = homeWith(t, { gateway: { auth: { token: TOKEN } } });
    const r = await runBinary(["gateway", "--port", String(await freePort())], { env: h.env });
    assert.equal(r.code, 78, r.stderr);
    const errors = errorLines(r.stderr);
    assert.equal(errors.length, 1, r.stderr);
    assert.match(errors[0]!, /gateway\.mode=local/);
  });

  test("an invalid config (unknown key in gateway) exits 78", async (t) => {
    const h = homeWith(t, { gateway: { mode: "local", auth: { token: TOKEN }, bogusKey: 1 } });
    const r = await runBinary(["gateway", "--port", String(await freePort())], { env: h.env });
    assert.equal(r.code, 78, r.stderr);
    const errors = errorLines(r.stderr);
    assert.equal(errors.length, 1, r.stderr);
    assert.match(errors[0]!, /gateway\.bogusKey/);
  });

  test("a port in use exits 75 and names the pid holding it", procOnly, async (t) => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    t.after(() => new Promise((resolve) => server.close(resolve)));
    const port = (server.address() as { port: number }).port;
    const h = homeWith(t, local);
    const r = await runBinary(["gateway", "--port", String(port)], { env: h.env });
    assert.equal(r.code, 75, r.stderr);
    const errors = errorLines(r.stderr);
    assert.equal(errors.length, 1, r.stderr);
    assert.match(errors[0]!, new RegExp(`pid ${process.pid}\\b`));
    assert.equal(existsSync(h.lockFile), false, "the lock is released on refusal");
  });
});

describe("the README's first command", () => {
  test("gateway --dev on a fresh HOME creates a config with a token and listens on 19001, where --dev clients look", async (t) => {
    const busy = await new Promise<boolean>((resolve) => {
      const probe = createServer().once("error", () => resolve(true));
      probe.listen(19001, "127.0.0.1", () => probe.close(() => resolve(false)));
    });
    if (busy) {
      t.skip("port 19001 is in use on this machine");
      return;
    }
    const { home, env } = tempHome(t);
    const h: Home = { home, env: { ...env, TMPDIR: os.tmpdir() }, configPath: path.join(home, ".openclaw-dev", "openclaw.json"), lockFile: gatewayLockFile(path.join(home, ".openclaw-dev", "openclaw.json")) };
    const r = spawnGateway(t, h, ["--dev"]);
    await listening(r);
    assert.match(r.stderr(), /listening on ws:\/\/127\.0\.0\.1:19001\b/);
    assert.match(r.stderr(), /auth: token/);
    const health = await runBinary(["--dev", "health", "--json"], { env: h.env });
    assert.equal(health.code, 0, health.stderr);
    r.child.kill("SIGTERM");
    assert.equal(await r.exit, 0);
  });
});

describe("single instance and signals", () => {
  test("a second gateway for the same state dir exits 0 saying it is already running", async (t) => {
    const h = homeWith(t, local);
    const port = await freePort();
    const first = spawnGateway(t, h, ["--port", String(port)]);
    await listening(first);
    assert.equal(await healthz(port), 200);
    const second = await runBinary(["gateway", "--port", String(port)], { env: h.env });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout + second.stderr, /already running/);
    assert.match(second.stdout + second.stderr, new RegExp(`pid ${first.child.pid}`));
    assert.equal(first.child.exitCode, null, "the first one keeps running");
    assert.equal(await healthz(port), 200);
  });

  test("SIGTERM stops the gateway with exit 0 and removes its lock file", async (t) => {
    const h = homeWith(t, local);
    const port = await freePort();
    const r = spawnGateway(t, h, ["--port", String(port)]);
    await listening(r);
    const lock = JSON.parse(readFileSync(h.lockFile, "utf8")) as { pid: number; port: number; configPath: string };
    assert.equal(lock.pid, r.child.pid);
    assert.equal(lock.port, port);
    assert.equal(lock.configPath, h.configPath);
    r.child.kill("SIGTERM");
    assert.equal(await r.exit, 0, r.stderr());
    assert.equal(existsSync(h.lockFile), false, "lock removed on shutdown");
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), "the port is closed");
  });

  test("a stale lock whose pid is dead is reclaimed with a message", async (t) => {
    const h = homeWith(t, local);
    const port = await freePort();
    const dead = await deadPid();
    mkdirSync(path.dirname(h.lockFile), { recursive: true, mode: 0o700 });
    writeFileSync(h.lockFile, JSON.stringify({ pid: dead, port, configPath: h.configPath, stateDir: path.dirname(h.configPath), startedAt: new Date().toISOString() }));
    const r = spawnGateway(t, h, ["--port", String(port)]);
    await listening(r);
    assert.match(r.stderr(), new RegExp(`reclaimed a stale gateway lock from dead pid ${dead}\\b`));
    assert.equal((JSON.parse(readFileSync(h.lockFile, "utf8")) as { pid: number }).pid, r.child.pid);
    r.child.kill("SIGTERM");
    assert.equal(await r.exit, 0);
  });

  test("a lock whose live owner does not listen on its port is reclaimed", async (t) => {
    const h = homeWith(t, local);
    const port = await freePort();
    const lockedPort = await freePort();
    mkdirSync(path.dirname(h.lockFile), { recursive: true, mode: 0o700 });
    // The pid is alive (this test process, e.g. a pid reused after a container restart) but nothing listens on lockedPort.
    writeFileSync(h.lockFile, JSON.stringify({ pid: process.pid, port: lockedPort, configPath: h.configPath, stateDir: path.dirname(h.configPath), startedAt: new Date().toISOString() }));
    const r = spawnGateway(t, h, ["--port", String(port)]);
    await waitUntil(() => r.child.exitCode !== null || r.stderr().includes("gateway listening"), 10_000, "start or exit");
    assert.equal(r.child.exitCode, null, `the gateway should start:\n${r.stderr()}`);
    // Stopped here, before the temp home goes (hooks run in the order they were added).
    r.child.kill("SIGTERM");
    assert.equal(await r.exit, 0, r.stderr());
  });

  test("--force stops a previous listener on the port and then starts", procOnly, async (t) => {
    const port = await freePort();
    const holder = spawn(process.execPath, ["-e", `require("node:net").createServer().listen(${port}, "127.0.0.1", () => console.log("ready"))`], { stdio: ["ignore", "pipe", "ignore"] });
    const holderExit = new Promise<NodeJS.Signals | number | null>((resolve) => holder.on("exit", (code, signal) => resolve(signal ?? code)));
    t.after(async () => {
      if (holder.exitCode === null && holder.signalCode === null) {
        holder.kill("SIGKILL");
        await holderExit;
      }
    });
    let ready = false;
    holder.stdout!.on("data", (d: Buffer) => (ready ||= d.toString().includes("ready")));
    await waitUntil(() => ready, 5000, "the holder to listen");
    const h = homeWith(t, local);
    const r = spawnGateway(t, h, ["--force", "--port", String(port)]);
    await listening(r);
    assert.match(r.stderr(), new RegExp(`--force: stopping pid ${holder.pid}\\b`));
    assert.equal(await holderExit, "SIGTERM", "the holder was stopped with SIGTERM");
    assert.equal(await healthz(port), 200, "the gateway now owns the port");
    r.child.kill("SIGTERM");
    assert.equal(await r.exit, 0);
  });
});
