/**
 * The detached supervisor process (`node dist/supervisor.js <definition.json>`), for hosts without
 * systemd, launchd or Task Scheduler. It runs the gateway with the service's environment only,
 * appends its output to the service logs, restarts it on a crash with backoff (1 s doubling to 30 s,
 * reset after 30 s of uptime), gives up at once on the exit codes a restart cannot fix (config,
 * mode, bind/auth) and after a few tries on the ones that need something else to change first (port
 * in use, lock held), and records every transition in the state file with the gateway's last logged
 * error. SIGTERM stops it and the gateway; SIGUSR2 restarts the gateway.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, closeSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import path from "node:path";
import { ensureDir, loadDotEnvFile, writeFileAtomic } from "../infra/index.js";
import { describeGatewayExit, gatewayExitFix, LIMITED_RESTART_EXIT_CODES, LIMITED_RESTART_TRIES, lastLoggedError, NO_RESTART_EXIT_CODES } from "./exit-codes.js";
import type { SupervisorDefinition, SupervisorState } from "./supervisor-state.js";

const STOP_GRACE_MS = 15_000;
const HEALTHY_RUN_MS = 30_000;
const MAX_BACKOFF_MS = 30_000;
/** How much of the stderr log's tail is searched for the gateway's last error. */
const ERROR_TAIL_BYTES = 64 * 1024;

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** The last `error:` line written to `file` since `offset` (at most the last 64 KiB). */
function errorSince(file: string, offset: number): string | undefined {
  let fd: number | undefined;
  try {
    const size = statSync(file).size;
    const start = Math.max(offset, size - ERROR_TAIL_BYTES);
    if (size <= start) return undefined;
    fd = openSync(file, "r");
    const buf = Buffer.alloc(size - start);
    readSync(fd, buf, 0, buf.length, start);
    return lastLoggedError(buf.toString("utf8"));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

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
  let limitedExits = 0;
  let logOffset = 0;
  let stopping = false;
  let restartNow = false;
  let timer: NodeJS.Timeout | undefined;

  const spawnChild = () => {
    timer = undefined;
    const env: Record<string, string> = { ...def.environment };
    if (def.envFile) for (const [k, v] of Object.entries(loadDotEnvFile(def.envFile))) env[k] ??= v;
    logOffset = fileSize(def.stderrPath);
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
    const lastError = errorSince(def.stderrPath, logOffset);
    state.lastExit = { code, signal, at: now(), ...(c.pid ? { pid: c.pid } : {}), ...(lastError ? { error: lastError } : {}) };
    delete state.pid;
    note(`gateway exited (${signal ? `signal ${signal}` : `code ${code}`})`);
    const ranLong = Date.now() - childStartedAt >= HEALTHY_RUN_MS;
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
    limitedExits = code !== null && LIMITED_RESTART_EXIT_CODES.includes(code) && !signal && !ranLong ? limitedExits + 1 : 0;
    const never = code !== null && NO_RESTART_EXIT_CODES.includes(code);
    if (never || limitedExits >= LIMITED_RESTART_TRIES) {
      const times = never ? "" : ` ${limitedExits} times in a row`;
      state.status = "failed";
      state.detail = `gateway exited with ${describeGatewayExit(code, signal)}${times}; not restarting${lastError ? `: ${lastError}` : ""}. Fix: ${gatewayExitFix(code)}`;
      save();
      note(state.detail);
      process.exit(0);
    }
    fastCrashes = ranLong ? 1 : fastCrashes + 1;
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
