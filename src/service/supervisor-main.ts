/**
 * The detached supervisor process (`node dist/supervisor.js <definition.json>`), for hosts without
 * systemd, launchd or Task Scheduler. It runs the gateway with the service's environment only,
 * appends its output to the service logs, restarts it on a crash with backoff (1 s doubling to 30 s,
 * reset after 30 s of uptime), gives up on the config exit codes, and records every transition in
 * the state file. SIGTERM stops it and the gateway; SIGUSR2 restarts the gateway.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, closeSync, openSync, readFileSync } from "node:fs";
import path from "node:path";
import { ensureDir, loadDotEnvFile, writeFileAtomic } from "../infra/index.js";
import type { SupervisorDefinition, SupervisorState } from "./supervisor-state.js";
import { NO_RESTART_EXIT_CODES } from "./systemd.js";

const STOP_GRACE_MS = 15_000;
const HEALTHY_RUN_MS = 30_000;
const MAX_BACKOFF_MS = 30_000;

function main(defFile: string): void {
  const def = JSON.parse(readFileSync(defFile, "utf8")) as SupervisorDefinition;
  ensureDir(path.dirname(def.stdoutPath));
  const now = () => new Date().toISOString();
  const state: SupervisorState = { supervisorPid: process.pid, status: "starting", restarts: 0, startedAt: now(), updatedAt: now() };
  const save = () => {
    state.updatedAt = now();
    writeFileAtomic(def.stateFile, `${JSON.stringify(state, null, 2)}\n`);
  };
  const note = (line: string) => {
    try {
      appendFileSync(def.stderrPath, `${now()} [supervisor ${process.pid}] ${line}\n`, { mode: 0o600 });
    } catch {
      // logging must not stop supervision
    }
  };
  let child: ChildProcess | undefined;
  let childStartedAt = 0;
  let fastCrashes = 0;
  let stopping = false;
  let restartNow = false;
  let timer: NodeJS.Timeout | undefined;

  const spawnChild = () => {
    timer = undefined;
    const env: Record<string, string> = { ...def.environment };
    if (def.envFile) for (const [k, v] of Object.entries(loadDotEnvFile(def.envFile))) env[k] ??= v;
    const out = openSync(def.stdoutPath, "a", 0o600);
    const err = openSync(def.stderrPath, "a", 0o600);
    const [cmd, ...args] = def.programArguments;
    child = spawn(cmd!, args, { cwd: def.workingDirectory, env, stdio: ["ignore", out, err] });
    closeSync(out);
    closeSync(err);
    childStartedAt = Date.now();
    const c = child;
    c.once("error", (error) => {
      note(`cannot start ${cmd}: ${error.message}`);
      onExit(c, 127, null);
    });
    c.once("exit", (code, signal) => onExit(c, code, signal));
    state.pid = c.pid;
    state.status = "running";
    delete state.nextRestartAt;
    delete state.detail;
    save();
    note(`gateway started (pid ${c.pid})`);
  };

  const onExit = (c: ChildProcess, code: number | null, signal: NodeJS.Signals | null) => {
    if (child !== c) return;
    child = undefined;
    state.lastExit = { code, signal, at: now() };
    delete state.pid;
    note(`gateway exited (${signal ? `signal ${signal}` : `code ${code}`})`);
    if (stopping) {
      state.status = "stopped";
      save();
      process.exit(0);
    }
    if (restartNow) {
      restartNow = false;
      state.restarts++;
      spawnChild();
      return;
    }
    if (code !== null && NO_RESTART_EXIT_CODES.includes(code)) {
      state.status = "failed";
      state.detail = `gateway exited with code ${code} (configuration problem); not restarting. Fix the config (openclaw config validate), then: openclaw gateway start`;
      save();
      note(state.detail);
      process.exit(0);
    }
    fastCrashes = Date.now() - childStartedAt >= HEALTHY_RUN_MS ? 1 : fastCrashes + 1;
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (fastCrashes - 1));
    state.status = "restarting";
    state.nextRestartAt = new Date(Date.now() + delay).toISOString();
    save();
    note(`restarting in ${delay} ms`);
    timer = setTimeout(() => {
      state.restarts++;
      spawnChild();
    }, delay);
  };

  const stop = () => {
    if (stopping) return;
    stopping = true;
    if (timer) clearTimeout(timer);
    if (!child) {
      state.status = "stopped";
      save();
      process.exit(0);
    }
    child.kill("SIGTERM");
    const c = child;
    setTimeout(() => c.kill("SIGKILL"), STOP_GRACE_MS).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.on("SIGHUP", () => {});
  process.on("SIGUSR2", () => {
    if (stopping) return;
    if (child) {
      restartNow = true;
      state.status = "restarting";
      save();
      const c = child;
      c.kill("SIGTERM");
      setTimeout(() => c.kill("SIGKILL"), STOP_GRACE_MS).unref();
    } else if (timer) {
      clearTimeout(timer);
      state.restarts++;
      spawnChild();
    }
  });
  spawnChild();
}

const defFile = process.argv[2];
if (!defFile) {
  process.stderr.write("usage: supervisor.js <definition.json>\n");
  process.exit(2);
}
main(defFile);
