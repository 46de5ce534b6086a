/**
 * Profiles side by side, through the built binary on the detached supervisor: every `--profile`
 * command talks to its own gateway (one resolver: profile → state dir → env with `.env` → config →
 * installed service port), and install reports success only for the gateway it started.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { gatewayLockFile } from "../../src/infra/lock.js";
import { type CliRun, runBinary, tempHome } from "../helpers/cli.js";
import { freePort, startTestGateway, waitUntil } from "../helpers/gateway.js";
import { alive, readJson, show, stdoutJson } from "../helpers/inspect.js";

type TestContext = { after(fn: () => unknown): void };

const SYSTEMD_USABLE = spawnSync("systemctl", ["--user", "show-environment"], { stdio: "ignore", timeout: 10_000 }).status === 0;

interface SupervisorStateFile {
  supervisorPid: number;
  pid?: number;
  status: string;
  restarts: number;
  lastExit?: { code: number | null; pid?: number; error?: string };
  detail?: string;
}

interface Profile {
  /** Global flags selecting it (`[]`, `["--profile", "dev"]`). */
  flags: string[];
  stateDir: string;
  configPath: string;
  logFile: string;
  stateFile: string;
}

interface Homes {
  home: string;
  env: Record<string, string | undefined>;
  run(argv: string[]): Promise<CliRun>;
  profile(name: string | undefined): Profile;
}

/** A temp HOME; cleanup uninstalls every profile used, SIGKILLs what the state files still name, removes the home. */
function homes(t: TestContext): Homes {
  const { home, env: base } = tempHome();
  const env: Record<string, string | undefined> = { ...base, ...(SYSTEMD_USABLE ? { OPENCLAW_SERVICE_MANAGER: "supervisor" } : {}) };
  const used: Profile[] = [];
  const profile = (name: string | undefined): Profile => {
    const stateDir = path.join(home, name ? `.openclaw-${name}` : ".openclaw");
    const p: Profile = {
      flags: name ? ["--profile", name] : [],
      stateDir,
      configPath: path.join(stateDir, "openclaw.json"),
      logFile: path.join(home, "logs", `${name ?? "default"}.log`),
      stateFile: path.join(stateDir, "gateway.supervisor.json"),
    };
    used.push(p);
    return p;
  };
  t.after(async () => {
    const pids = () => used.flatMap((p) => {
      const s = readJson<SupervisorStateFile>(p.stateFile);
      return s ? [s.supervisorPid, ...(s.pid ? [s.pid] : [])] : [];
    });
    const before = pids();
    try {
      for (const p of used) await runBinary([...p.flags, "gateway", "uninstall"], { env });
    } finally {
      const all = [...before, ...pids()];
      for (const pid of all) if (alive(pid)) process.kill(pid, "SIGKILL");
      await waitUntil(() => all.every((pid) => !alive(pid)), 5000, "service processes to exit").catch(() => {});
      for (const p of used) rmSync(gatewayLockFile(p.configPath), { force: true });
      rmSync(home, { recursive: true, force: true });
    }
  });
  return { home, env, run: (argv) => runBinary(argv, { env }), profile };
}

function writeConfig(p: Profile, gateway: Record<string, unknown>): void {
  mkdirSync(p.stateDir, { recursive: true, mode: 0o700 });
  writeFileSync(p.configPath, `${JSON.stringify({ gateway: { mode: "local", ...gateway }, logging: { file: p.logFile } }, null, 2)}\n`, { mode: 0o600 });
}

const json = stdoutJson;

test("two profiles installed side by side: every --profile command talks to its own gateway", async (t) => {
  const h = homes(t);
  const main = h.profile(undefined);
  const dev = h.profile("dev");
  const [mainPort, devPort] = [await freePort(), await freePort()];
  const [mainToken, devToken] = [randomBytes(16).toString("hex"), randomBytes(16).toString("hex")];
  writeConfig(main, { port: mainPort, auth: { mode: "token", token: mainToken } });
  // The dev profile: no gateway.port (the install's --port decides), token only in its .env.
  writeConfig(dev, { auth: { mode: "token", token: "${OPENCLAW_GATEWAY_TOKEN}" } });
  writeFileSync(path.join(dev.stateDir, ".env"), `OPENCLAW_GATEWAY_TOKEN=${devToken}\n`, { mode: 0o600 });

  const devInstall = await h.run([...dev.flags, "gateway", "install", "--port", String(devPort)]);
  assert.equal(devInstall.code, 0, show(devInstall));
  const mainInstall = await h.run(["gateway", "install"]);
  assert.equal(mainInstall.code, 0, show(mainInstall));

  const pidOf = (p: Profile) => {
    const pid = readJson<SupervisorStateFile>(p.stateFile)?.pid;
    assert.ok(pid && alive(pid), `${p.stateDir}: a live gateway`);
    return pid;
  };
  assert.match(devInstall.stdout, new RegExp(`gateway running \\(pid ${pidOf(dev)}\\) on ws://127\\.0\\.0\\.1:${devPort}`));

  const cases: Array<{ p: Profile; flags: string[]; port: number; otherPort: number }> = [
    { p: main, flags: [], port: mainPort, otherPort: devPort },
    { p: dev, flags: ["--profile", "dev"], port: devPort, otherPort: mainPort },
    { p: dev, flags: ["--dev"], port: devPort, otherPort: mainPort },
  ];
  for (const { p, flags, port, otherPort } of cases) {
    const label = flags.join(" ") || "(default)";
    const pid = pidOf(p);

    const health = await h.run([...flags, "health", "--json"]);
    assert.equal(health.code, 0, `${label} health\n${show(health)}`);
    assert.equal(json<{ process: { pid: number } }>(health).process.pid, pid, `${label} health reached its own gateway`);

    const call = await h.run([...flags, "gateway", "call", "health", "--json"]);
    assert.equal(call.code, 0, `${label} gateway call\n${show(call)}`);
    assert.equal(json<{ process: { pid: number } }>(call).process.pid, pid, `${label} gateway call reached its own gateway`);

    const status = await h.run([...flags, "status", "--json"]);
    assert.ok(status.stdout.includes(`127.0.0.1:${port}`), `${label} status probes its own port\n${show(status)}`);
    assert.ok(!status.stdout.includes(`127.0.0.1:${otherPort}`), `${label} status does not probe the other profile\n${show(status)}`);

    const gs = await h.run([...flags, "gateway", "status", "--json"]);
    const g = json<{ verdict: string; drift: unknown[]; probe: { ok: boolean; url: string }; service: { port: number; runtime: { pid: number } }; warnings: Array<{ code: string; message: string; fix: string }> }>(gs);
    assert.equal(gs.code, 0, `${label} gateway status\n${show(gs)}`);
    assert.equal(g.verdict, "running");
    assert.deepEqual(g.drift, [], `${label}: an install with --port and no gateway.port in config is not drift`);
    assert.equal(g.service.port, port);
    assert.equal(g.service.runtime.pid, pid);
    assert.equal(g.probe.ok, true, JSON.stringify(g.probe));
    assert.ok(!g.warnings.some((w) => /install --force/.test(w.fix)), `${label}: no proposal to move the install: ${JSON.stringify(g.warnings)}`);

    const get = await h.run([...flags, "config", "get", "gateway.port"]);
    assert.equal(get.code, 0, show(get));
    assert.equal(get.stdout.trim(), String(port), `${label} config get gateway.port`);
    assert.doesNotMatch(get.stderr, /OPENCLAW_GATEWAY_PORT is set/, `${label}: no false note about the environment`);

    const logs = await h.run([...flags, "logs", "--json", "--limit", "500"]);
    assert.equal(logs.code, 0, show(logs));
    const meta = JSON.parse(logs.stdout.split("\n")[0]!) as { file: string };
    assert.equal(meta.file, p.logFile, `${label} logs reads its own gateway's log`);
    assert.ok(logs.stdout.includes(`:${port}`), `${label} logs show its gateway listening on ${port}`);
  }
});

test("install onto a port another gateway holds reports the real cause, and the supervisor stops retrying", async (t) => {
  // Another gateway (this test process) already listens on the port the service will use.
  const squatter = await startTestGateway(t, { port: await freePort() });
  const h = homes(t);
  const main = h.profile(undefined);
  writeConfig(main, { port: squatter.rt.port, auth: { mode: "token", token: randomBytes(16).toString("hex") } });

  const inst = await h.run(["gateway", "install"]);
  assert.equal(inst.code, 3, show(inst));
  const out = inst.stdout + inst.stderr;
  assert.doesNotMatch(out, /gateway running/, `install claimed success for a gateway that is not serving:\n${out}`);
  assert.match(out, /code 75/, out);
  assert.match(out, /port is in use|already listening/, out);
  assert.ok(out.includes(`pid ${process.pid}`), `the holder of the port is named:\n${out}`);

  let final: SupervisorStateFile | undefined;
  await waitUntil(
    () => {
      final = readJson<SupervisorStateFile>(main.stateFile);
      return final?.status === "failed" && !alive(final.supervisorPid);
    },
    30_000,
    "the supervisor to give up on exit 75",
  );
  assert.equal(final?.lastExit?.code, 75);
  const starts = readFileSync(path.join(main.stateDir, "logs", "gateway.err.log"), "utf8").match(/gateway started/g) ?? [];
  assert.equal(starts.length, 3, "three tries, then no more restarts");

  const gs = await h.run(["gateway", "status", "--json"]);
  const g = json<{ service: { state: string; runtime: { detail?: string; lastExitStatus?: number } }; warnings: Array<{ code: string; message: string; fix: string }> }>(gs);
  assert.equal(g.service.state, "failed");
  assert.equal(g.service.runtime.lastExitStatus, 75);
  assert.match(g.service.runtime.detail ?? "", /code 75 \(the port is in use\) 3 times in a row; not restarting/);
  assert.ok(g.service.runtime.detail?.includes(`pid ${process.pid}`), g.service.runtime.detail);
  const failed = g.warnings.find((w) => w.code === "failed");
  assert.ok(failed, JSON.stringify(g.warnings));
  assert.match(failed.fix, /free the port/);
  const held = g.warnings.find((w) => w.code === "port-held");
  assert.ok(held?.message.includes(`pid ${process.pid}`), `gateway status names the process holding the port: ${JSON.stringify(g.warnings)}`);
  const human = await h.run(["gateway", "status"]);
  assert.doesNotMatch(human.stdout, /^warning: .*token missing/m, `the busy port is the cause, not the token:\n${human.stdout}`);
  assert.equal(readdirSync(path.join(h.home, ".config", "openclaw", "supervisor")).length, 1);
});

test("the token in <stateDir>/.env: the CLI finds it like the gateway; an emptied one is refused by restart, reported as empty everywhere", async (t) => {
  const h = homes(t);
  const main = h.profile(undefined);
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  writeConfig(main, { port, auth: { mode: "token", token: "${OPENCLAW_GATEWAY_TOKEN}" } });
  const dotenv = path.join(main.stateDir, ".env");
  writeFileSync(dotenv, `OPENCLAW_GATEWAY_TOKEN=${token}\n`, { mode: 0o600 });

  const inst = await h.run(["gateway", "install"]);
  assert.equal(inst.code, 0, show(inst));
  const pid = readJson<SupervisorStateFile>(main.stateFile)?.pid;
  assert.ok(pid && alive(pid));

  const health = await h.run(["health", "--json"]);
  assert.equal(health.code, 0, `health reads the token from ${dotenv}\n${show(health)}`);
  const status = await h.run(["status", "--json"]);
  assert.doesNotMatch(status.stdout, /token missing/, show(status));
  const valid = await h.run(["config", "validate", "--json"]);
  assert.equal(valid.code, 0, show(valid));
  assert.doesNotMatch(valid.stdout, /OPENCLAW_GATEWAY_TOKEN/, "validate sees the variable the gateway sees");
  for (const r of [health, status, valid]) assert.ok(!r.stdout.includes(token) && !r.stderr.includes(token), "the token is never printed");

  // Empty it: restart must refuse (the gateway would exit 78), and every reader says "empty".
  writeFileSync(dotenv, "OPENCLAW_GATEWAY_TOKEN=\n", { mode: 0o600 });
  const restart = await h.run(["gateway", "restart"]);
  assert.notEqual(restart.code, 0, show(restart));
  assert.match(restart.stderr, /variable OPENCLAW_GATEWAY_TOKEN is empty/, show(restart));
  assert.equal(readJson<SupervisorStateFile>(main.stateFile)?.pid, pid, "the running gateway is left alone");
  assert.ok(alive(pid));

  const invalid = await h.run(["config", "validate"]);
  assert.equal(invalid.code, 3, show(invalid));
  assert.match(invalid.stdout, /OPENCLAW_GATEWAY_TOKEN is empty/, show(invalid));
  // The gateway itself, started by hand with the same state dir, words it the same way.
  const stop = await h.run(["gateway", "stop"]);
  assert.equal(stop.code, 0, show(stop));
  const fg = await h.run(["gateway", "run"]);
  assert.equal(fg.code, 78, show(fg));
  assert.notEqual(fg.code, 0, show(fg));
  assert.match(fg.stderr, /OPENCLAW_GATEWAY_TOKEN is empty/, show(fg));
  assert.doesNotMatch(fg.stderr + invalid.stdout, /OPENCLAW_GATEWAY_TOKEN is not set/);
});
