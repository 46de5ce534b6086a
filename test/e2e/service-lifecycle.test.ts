/**
 * The gateway service lifecycle through the built binary: install, start, stop, restart, status,
 * uninstall and the `daemon` alias, on the detached supervisor (systemd is not usable in a clean
 * temp HOME here). Every test gets its own HOME and port, and leaves no process behind.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { test } from "node:test";
import type { CliRun } from "../helpers/cli.js";
import { freePort, waitUntil } from "../helpers/gateway.js";
import { alive, healthz, readJson, show } from "../helpers/inspect.js";
import { configText, type Home, NAME, type SupervisorStateFile, SYSTEMD_USABLE, serviceHome, type TestContext } from "../helpers/service-home.js";

interface StatusJson {
  profile: string | null;
  supervisor: { kind: string };
  service: {
    name: string;
    installed: boolean;
    definitionPath: string;
    state: string;
    runtime: { status: string; pid?: number; restarts?: number; lastExitSignal?: string; lastExitStatus?: number; detail?: string };
    port?: number;
  };
  config: { cli: { path: string }; service?: { path: string }; mismatch: boolean };
  drift: Array<{ field: string; message: string }>;
  tokens: Array<{ source: string; fingerprint: string }>;
  probe: { ok: boolean; url: string; error?: string } | null;
  otherInstalls: Array<{ name: string; configPath: string }>;
  warnings: Array<{ code: string; message: string; fix: string }>;
  verdict: string;
}

async function status(h: Home, argv: string[] = [], extraEnv: Record<string, string | undefined> = {}): Promise<{ run: CliRun; json: StatusJson }> {
  const run = await h.run([...argv, "gateway", "status", "--json"], extraEnv);
  let json: StatusJson;
  try {
    json = JSON.parse(run.stdout) as StatusJson;
  } catch {
    throw new Error(`gateway status --json printed no JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
  return { run, json };
}

/** The supervisor must be the detached one: auto-selected here, forced where systemd works. */
function assertSupervisorKind(s: StatusJson): void {
  assert.equal(s.supervisor.kind, "supervisor", SYSTEMD_USABLE ? "OPENCLAW_SERVICE_MANAGER=supervisor was set" : "systemd is not usable here, so the detached supervisor must be auto-selected");
}

/** True when a TCP connect to 127.0.0.1:port is refused. */
function connectRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    // A connect deadline, not a sleep: an unanswered connect counts as not refused.
    const socket = connect({ host: "127.0.0.1", port, timeout: 1000 });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}

function install(h: Home, extra: string[] = []): Promise<CliRun> {
  return h.run(["gateway", "install", ...extra]);
}

test("install, start, kill -9 → restarted, stop, start, restart, daemon alias", async (t) => {
  const h = await serviceHome(t);
  const inst = await install(h);
  assert.equal(inst.code, 0, show(inst));
  assert.ok(existsSync(h.definitionPath), "the supervisor definition is written");

  const start = await h.run(["gateway", "start"]);
  assert.equal(start.code, 0, show(start));
  assert.match(start.stdout, /already running/);

  const first = await status(h);
  assert.equal(first.run.code, 0, show(first.run));
  assertSupervisorKind(first.json);
  assert.equal(first.json.service.state, "running");
  assert.equal(first.json.service.port, h.port);
  const pid1 = first.json.service.runtime.pid;
  assert.ok(pid1 && alive(pid1), `runtime.pid ${pid1} is a live process`);
  assert.equal(first.json.probe?.ok, true, JSON.stringify(first.json.probe));
  assert.equal(first.json.verdict, "running");
  const state = readJson<SupervisorStateFile>(h.stateFile);
  assert.ok(state, "the state file exists");
  assert.equal(state.pid, pid1);
  assert.ok(alive(state.supervisorPid), "the supervisor runs");

  // The crash: the supervisor restarts the gateway (1 s backoff) under a new pid.
  process.kill(pid1, "SIGKILL");
  let after: StatusJson | undefined;
  await waitUntil(
    async () => {
      const s = await status(h);
      after = s.json;
      const pid = s.json.service.runtime.pid;
      return s.json.service.state === "running" && pid !== undefined && pid !== pid1 && alive(pid) && s.json.probe?.ok === true;
    },
    20_000,
    "the supervisor to restart the gateway after kill -9",
  );
  assert.ok(after);
  assert.ok((after.service.runtime.restarts ?? 0) >= 1, `restarts ${after.service.runtime.restarts}`);
  assert.equal(after.service.runtime.lastExitSignal, "SIGKILL");
  assert.equal(after.verdict, "running");
  assert.equal(alive(pid1), false);
  const pid2 = after.service.runtime.pid!;

  const stop = await h.run(["gateway", "stop"]);
  assert.equal(stop.code, 0, show(stop));
  const stopped = await h.run(["gateway", "status"]);
  assert.equal(stopped.code, 4, show(stopped));
  assert.equal(alive(pid2), false, "the gateway is gone after stop");
  assert.equal(alive(state.supervisorPid), false, "the supervisor is gone after stop");
  assert.equal(await connectRefused(h.port), true, "the port is free after stop");

  const again = await h.run(["gateway", "start"]);
  assert.equal(again.code, 0, show(again));
  const s3 = await status(h);
  assert.equal(s3.run.code, 0, show(s3.run));
  assert.equal(s3.json.probe?.ok, true);
  const pid3 = s3.json.service.runtime.pid;
  assert.ok(pid3 && alive(pid3));

  const restart = await h.run(["gateway", "restart"]);
  assert.equal(restart.code, 0, show(restart));
  const s4 = await status(h);
  assert.equal(s4.run.code, 0, show(s4.run));
  const pid4 = s4.json.service.runtime.pid;
  assert.ok(pid4 && alive(pid4), "a live pid after restart");
  assert.notEqual(pid4, pid3, "restart gives a new gateway pid");
  assert.equal(alive(pid3), false, "the previous gateway is gone");
  assert.equal(s4.json.probe?.ok, true);

  const daemon = await h.run(["daemon", "status", "--json"]);
  assert.equal(daemon.code, 0, show(daemon));
  const d = JSON.parse(daemon.stdout) as StatusJson;
  assert.deepEqual(Object.keys(d).sort(), Object.keys(s4.json).sort());
  assert.deepEqual(Object.keys(d.service).sort(), Object.keys(s4.json.service).sort());
  assert.equal(d.service.name, NAME);
  assert.equal(d.service.state, "running");
  assert.equal(d.service.runtime.pid, pid4);
  assert.equal(d.supervisor.kind, "supervisor");
  assert.equal(d.verdict, "running");
});

test("status from another profile or state dir names the installed service and the fix", async (t) => {
  const h = await serviceHome(t);
  const inst = await install(h);
  assert.equal(inst.code, 0, show(inst));

  const dev = await status(h, ["--profile", "dev"]);
  assertSupervisorKind(dev.json);
  assert.equal(dev.json.profile, "dev");
  assert.equal(dev.json.service.installed, false);
  const warning = dev.json.warnings.find((w) => w.code === "profile-mismatch");
  assert.ok(warning, JSON.stringify(dev.json.warnings));
  assert.match(warning.message, new RegExp(`\\b${NAME}\\b`));
  assert.ok(warning.message.includes(h.configPath), warning.message);
  assert.ok(dev.json.otherInstalls.some((o) => o.name === NAME && o.configPath === h.configPath));
  assert.notEqual(dev.run.code, 0);

  const human = await h.run(["--profile", "dev", "gateway", "status"]);
  assert.ok(/openclaw --profile dev gateway install|without --profile/.test(human.stdout + human.stderr), show(human));
  assert.ok((human.stdout + human.stderr).includes(h.configPath));

  const other = path.join(h.home, "other");
  const mis = await status(h, [], { OPENCLAW_STATE_DIR: other });
  assert.equal(mis.run.code, 3, show(mis.run));
  assert.equal(mis.json.config.mismatch, true);
  assert.equal(mis.json.config.service?.path, h.configPath);
  assert.equal(mis.json.config.cli.path, path.join(other, "openclaw.json"));
  const cm = mis.json.warnings.find((w) => w.code === "config-mismatch");
  assert.ok(cm, JSON.stringify(mis.json.warnings));
  assert.match(cm.fix, /gateway install --force/);
  assert.equal(existsSync(other), false, "status does not create the other state dir");

  // The default profile itself is unaffected.
  const ok = await status(h);
  assert.equal(ok.run.code, 0, show(ok.run));
  assert.equal(ok.json.config.mismatch, false);
  assert.equal(ok.json.verdict, "running");
});

test("install is idempotent; port drift is refused without --force and rewritten with it", async (t) => {
  const h = await serviceHome(t);
  const inst = await install(h);
  assert.equal(inst.code, 0, show(inst));
  const original = readFileSync(h.definitionPath);
  const pid1 = readJson<SupervisorStateFile>(h.stateFile)?.pid;

  const second = await install(h);
  assert.equal(second.code, 0, show(second));
  assert.match(second.stdout, /already installed and up to date/);
  assert.deepEqual(readFileSync(h.definitionPath), original, "definition byte-identical");
  assert.equal(readJson<SupervisorStateFile>(h.stateFile)?.pid, pid1, "an up-to-date install does not restart the gateway");
  assert.equal(existsSync(`${h.definitionPath}.bak`), false);

  const newPort = await freePort();
  assert.notEqual(newPort, h.port);
  writeFileSync(h.configPath, configText({ port: newPort, token: h.token, home: h.home }));

  const blocked = await install(h);
  assert.equal(blocked.code, 3, show(blocked));
  const out = blocked.stdout + blocked.stderr;
  assert.ok(out.includes(`port ${h.port} → ${newPort}`), out);
  assert.match(out, /--force/);
  assert.deepEqual(readFileSync(h.definitionPath), original, "a blocked install leaves the definition alone");

  const drifted = await status(h);
  assert.equal(drifted.run.code, 3, show(drifted.run));
  const dw = drifted.json.warnings.find((w) => w.code === "drift");
  assert.ok(dw, JSON.stringify(drifted.json.warnings));
  assert.ok(dw.message.includes(String(newPort)), dw.message);
  assert.ok(drifted.json.drift.some((d) => d.field === "port"));

  const forced = await install(h, ["--force"]);
  assert.equal(forced.code, 0, show(forced));
  const rewritten = readJson<{ programArguments: string[]; environment: Record<string, string> }>(h.definitionPath);
  assert.ok(rewritten);
  assert.deepEqual(rewritten.programArguments.slice(-2), ["--port", String(newPort)]);
  assert.equal(rewritten.environment.OPENCLAW_GATEWAY_PORT, String(newPort));
  assert.deepEqual(readFileSync(`${h.definitionPath}.bak`), original, ".bak holds the previous definition");
  assert.equal(await healthz(newPort), true, "the gateway answers on the new port");
  assert.equal(await connectRefused(h.port), true, "nothing listens on the old port");
  const fresh = await status(h);
  assert.equal(fresh.run.code, 0, show(fresh.run));
  assert.equal(fresh.json.service.port, newPort);
  assert.equal(fresh.json.probe?.ok, true);
  assert.deepEqual(fresh.json.drift, []);
});

test("restart refuses an invalid config and leaves the running gateway alone", async (t) => {
  const h = await serviceHome(t);
  const inst = await install(h);
  assert.equal(inst.code, 0, show(inst));
  const pid = readJson<SupervisorStateFile>(h.stateFile)?.pid;
  assert.ok(pid && alive(pid));

  const broken = [configText({ port: h.port, token: h.token, home: h.home, portValue: "not-a-number" }), "{ gateway: { mode: 'local', port: "];
  for (const text of broken) {
    writeFileSync(h.configPath, text);
    const r = await h.run(["gateway", "restart"]);
    assert.notEqual(r.code, 0, show(r));
    assert.ok(r.stderr.includes(h.configPath), show(r));
    const s = readJson<SupervisorStateFile>(h.stateFile);
    assert.equal(s?.pid, pid, "same gateway pid");
    assert.equal(s?.restarts, 0);
    assert.ok(alive(pid), "the gateway still runs");
    assert.equal(await healthz(h.port), true, "the gateway still answers");
  }
});

test("a config exit code (78, gateway.mode unset) is reported as failed, not restarted in a loop", async (t) => {
  const h = await serviceHome(t, { mode: null });
  const inst = await install(h);
  assert.equal(inst.code, 3, show(inst));
  assert.match(inst.stdout + inst.stderr, /not healthy/);

  const state = readJson<SupervisorStateFile>(h.stateFile);
  assert.ok(state);
  await waitUntil(() => !alive(state.supervisorPid), 5000, "the supervisor to give up");
  const final = readJson<SupervisorStateFile>(h.stateFile);
  assert.equal(final?.status, "failed");
  assert.equal(final?.restarts, 0, "no restart after a config exit code");
  assert.equal(final?.lastExit?.code, 78);

  const s = await status(h);
  assertSupervisorKind(s.json);
  assert.equal(s.json.service.state, "failed");
  assert.ok(s.json.service.runtime.detail && s.json.service.runtime.detail.length > 0, "failed state carries a detail");
  assert.match(s.json.service.runtime.detail!, /78/);
  assert.equal(s.json.service.runtime.lastExitStatus, 78);
  assert.ok(s.json.warnings.some((w) => w.code === "failed"));
  assert.equal(s.run.code, 4, show(s.run));
  const starts = readFileSync(path.join(h.stateDir, "logs", "gateway.err.log"), "utf8").match(/gateway started/g) ?? [];
  assert.equal(starts.length, 1, "the gateway was started exactly once");

  const stop = await h.run(["gateway", "stop"]);
  assert.equal(stop.code, 0, show(stop));

  // Fixed config: start brings it up.
  writeFileSync(h.configPath, configText({ port: h.port, token: h.token, home: h.home }));
  const start = await h.run(["gateway", "start"]);
  assert.equal(start.code, 0, show(start));
  const up = await status(h);
  assert.equal(up.run.code, 0, show(up.run));
  assert.equal(up.json.service.state, "running");
  assert.equal(up.json.probe?.ok, true);
});

test("install --dry-run writes nothing and never prints the token from the environment", async (t) => {
  const secret = `dry-${randomBytes(16).toString("hex")}`;
  const h = await serviceHome(t, { token: false, extraEnv: { OPENCLAW_GATEWAY_TOKEN: secret } });
  const before = readFileSync(h.configPath);

  const human = await install(h, ["--dry-run"]);
  assert.equal(human.code, 0, show(human));
  assert.match(human.stdout, /^\[Service\]$/m);
  assert.match(human.stdout, /^ExecStart=.*gateway --port \d+/m);
  assert.match(human.stdout, /^Restart=always$/m);
  assert.ok(!human.stdout.includes(secret) && !human.stderr.includes(secret), "the secret is not printed");
  assert.match(human.stdout, /OPENCLAW_GATEWAY_TOKEN/);

  const json = await install(h, ["--dry-run", "--json"]);
  assert.equal(json.code, 0, show(json));
  const data = JSON.parse(json.stdout) as { dryRun: boolean; supervisor: string; plans: Array<{ kind: string; secretKeys: string[]; files: Array<{ content: string }> }> };
  assert.equal(data.dryRun, true);
  assert.equal(data.plans[0]?.kind, "systemd");
  assert.equal(data.supervisor, "supervisor");
  assert.ok(!json.stdout.includes(secret) && !json.stderr.includes(secret), "the secret is not in the JSON");
  assert.match(json.stdout, /OPENCLAW_GATEWAY_TOKEN/);
  assert.deepEqual(data.plans[0]?.secretKeys, ["OPENCLAW_GATEWAY_TOKEN"]);

  assert.equal(existsSync(path.join(h.home, ".config", "openclaw")), false, "no supervisor dir");
  assert.equal(existsSync(path.join(h.home, ".config", "systemd")), false, "no systemd dir");
  assert.equal(existsSync(path.join(h.stateDir, "gateway.env")), false, "no env file");
  assert.equal(existsSync(h.stateFile), false, "nothing started");
  assert.deepEqual(readFileSync(h.configPath), before);
});

test("a token from the environment goes to a 0600 env file, not the definition, and the service accepts it", async (t) => {
  const secret = `svc-${randomBytes(16).toString("hex")}`;
  const h = await serviceHome(t, { token: false, extraEnv: { OPENCLAW_GATEWAY_TOKEN: secret } });
  const inst = await install(h);
  assert.equal(inst.code, 0, show(inst));
  assert.ok(!inst.stdout.includes(secret) && !inst.stderr.includes(secret));

  const definition = readFileSync(h.definitionPath, "utf8");
  assert.ok(!definition.includes(secret), "the definition does not contain the secret");
  const envFile = path.join(h.stateDir, "gateway.env");
  assert.ok(existsSync(envFile));
  assert.equal(statSync(envFile).mode & 0o777, 0o600);
  assert.ok(readFileSync(envFile, "utf8").includes(`OPENCLAW_GATEWAY_TOKEN=${secret}`));

  const health = await h.run(["health", "--json"]);
  assert.equal(health.code, 0, show(health));
  const wrong = await h.run(["health", "--json"], { OPENCLAW_GATEWAY_TOKEN: `x${secret.slice(1)}` });
  assert.notEqual(wrong.code, 0, "another token is refused");

  const human = await h.run(["gateway", "status"]);
  assert.equal(human.code, 0, show(human));
  assert.ok(!human.stdout.includes(secret) && !human.stderr.includes(secret), "human status never shows the secret");
  const s = await status(h);
  assert.equal(s.run.code, 0, show(s.run));
  assert.ok(!s.run.stdout.includes(secret) && !s.run.stderr.includes(secret), "JSON status never shows the secret");
  assert.equal(s.json.probe?.ok, true);
  assert.ok(s.json.tokens.some((x) => x.source === "service env file"));
});

test("uninstall stops and removes the service, keeps the config; start afterwards says how to install", async (t) => {
  const h = await serviceHome(t);
  const inst = await install(h);
  assert.equal(inst.code, 0, show(inst));
  const config = readFileSync(h.configPath);
  const state = readJson<SupervisorStateFile>(h.stateFile);
  assert.ok(state?.pid && alive(state.pid));

  const un = await h.run(["gateway", "uninstall"]);
  assert.equal(un.code, 0, show(un));
  assert.equal(alive(state.pid), false, "the gateway is stopped");
  assert.equal(alive(state.supervisorPid), false, "the supervisor is stopped");
  assert.equal(await connectRefused(h.port), true, "the port is free");
  assert.equal(existsSync(h.definitionPath), false, "definition removed");
  assert.equal(existsSync(h.stateFile), false, "state file removed");
  assert.deepEqual(readFileSync(h.configPath), config, "openclaw.json untouched");

  const twice = await h.run(["gateway", "uninstall"]);
  assert.equal(twice.code, 0, show(twice));
  assert.match(twice.stdout, /not installed/);

  const start = await h.run(["gateway", "start"]);
  assert.equal(start.code, 4, show(start));
  assert.match(start.stderr, /gateway install/);

  const s = await status(h);
  assert.equal(s.json.service.installed, false);
  assert.equal(s.json.service.state, "uninstalled");
  assert.equal(s.run.code, 4);
});

/** Gone as the product sees it: signal 0 fails (a zombie still counts as alive there, so wait for the reap). */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Installs, then SIGKILLs the supervisor (OOM killer, `kill -9`), leaving its gateway orphaned. */
async function orphanedGateway(t: TestContext): Promise<{ h: Home; gatewayPid: number; supervisorPid: number }> {
  const h = await serviceHome(t);
  const inst = await install(h);
  assert.equal(inst.code, 0, show(inst));
  const state = readJson<SupervisorStateFile>(h.stateFile);
  assert.ok(state?.pid && alive(state.pid) && alive(state.supervisorPid));
  const gatewayPid = state.pid;
  // The state file may be rewritten below; make sure the orphan never outlives the test.
  t.after(() => {
    if (alive(gatewayPid)) process.kill(gatewayPid, "SIGKILL");
  });
  process.kill(state.supervisorPid, "SIGKILL");
  await waitUntil(() => gone(state.supervisorPid), 15_000, "the killed supervisor to be reaped");
  const s = await status(h);
  assert.equal(s.json.service.state, "stopped");
  assert.match(s.json.service.runtime.detail ?? "", /supervisor pid \d+ is gone/);
  assert.ok(s.json.warnings.some((w) => w.code === "not-supervised"), JSON.stringify(s.json.warnings));
  assert.ok(alive(gatewayPid), "the orphaned gateway still runs");
  return { h, gatewayPid, supervisorPid: state.supervisorPid };
}

test("supervisor killed: gateway stop still stops the service's orphaned gateway", async (t) => {
  const { h, gatewayPid } = await orphanedGateway(t);
  const stop = await h.run(["gateway", "stop"]);
  assert.equal(stop.code, 0, show(stop));
  const stopped = await waitUntil(() => !alive(gatewayPid), 5000).then(
    () => true,
    () => false,
  );
  assert.equal(stopped, true, `gateway stop said "${stop.stdout.trim()}" but the service's gateway (pid ${gatewayPid}) still runs`);
  assert.equal(await connectRefused(h.port), true, "the port is free after stop");
});

test("supervisor killed: gateway restart ends up with the supervised gateway serving", async (t) => {
  const { h, gatewayPid } = await orphanedGateway(t);
  const restart = await h.run(["gateway", "restart"]);
  assert.equal(restart.code, 0, show(restart));
  const health = await h.run(["health", "--json"]);
  assert.equal(health.code, 0, show(health));
  const served = (JSON.parse(health.stdout) as { process: { pid: number } }).process.pid;
  const supervised = readJson<SupervisorStateFile>(h.stateFile);
  assert.equal(served, supervised?.pid, `after restart the orphan (pid ${gatewayPid}) serves, not the supervised gateway (state: ${JSON.stringify(supervised)})`);
  assert.equal(alive(gatewayPid), false, "the old gateway is gone after restart");
});
