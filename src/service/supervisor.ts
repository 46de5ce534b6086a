/**
 * The detached supervisor backend, for hosts where no OS supervisor runs (containers, CI, WSL
 * without systemd). Definitions sit beside systemd's user units in `~/.config/openclaw/supervisor/`
 * (so every profile's install is visible from any profile); the pid/state file sits in the
 * service's state dir. It does not survive a reboot or container restart, and says so.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, unlinkSync } from "node:fs";
import path from "node:path";
import { isPidAlive, pollUntil, terminateProcess } from "../infra/index.js";
import { readEnvFileKeys, renderEnvFile } from "./env-file.js";
import { resolveSupervisorScript } from "./install-root.js";
import { readJsonFile, type SupervisorDefinition, type SupervisorState, supervisorDir, supervisorStateFile } from "./supervisor-state.js";
import type { InstalledService, RenderedFile, ServiceContext, ServiceDefinition, ServiceManager, ServiceRuntime } from "./types.js";

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 20_000;

const until = (predicate: () => boolean, timeoutMs: number) => pollUntil(predicate, timeoutMs, 50);

export interface SupervisorManagerOptions {
  /** The supervisor script (`dist/supervisor.js`); resolved from the install when absent. */
  script?: string;
}

export function createSupervisorManager(ctx: ServiceContext, options: SupervisorManagerOptions = {}): ServiceManager {
  const dir = supervisorDir(ctx.env, ctx.home);
  const defFile = (name: string) => path.join(dir, `${name}.json`);
  const readDef = (name: string) => readJsonFile<SupervisorDefinition>(defFile(name));
  const readState = (name: string): SupervisorState | undefined => {
    const def = readDef(name);
    return def ? readJsonFile<SupervisorState>(def.stateFile) : undefined;
  };
  const supervisorAlive = (s: SupervisorState | undefined) => s !== undefined && isPidAlive(s.supervisorPid);
  const readInstalled = (name: string): InstalledService | undefined => {
    const def = readDef(name);
    if (!def) return undefined;
    return {
      kind: "supervisor",
      name,
      definitionPath: defFile(name),
      programArguments: def.programArguments,
      workingDirectory: def.workingDirectory,
      environment: def.environment,
      ...(def.envFile ? { envFile: def.envFile } : {}),
      envFileKeys: def.envFile ? readEnvFileKeys(def.envFile) : [],
    };
  };
  const start = async (name: string) => {
    const def = readDef(name);
    if (!def) throw new Error(`no supervisor definition at ${defFile(name)}`);
    const previous = readState(name);
    if (supervisorAlive(previous)) return;
    // A gateway left running by a supervisor that died would hold the lock and the port.
    if (previous?.pid && isPidAlive(previous.pid)) await terminate(previous.pid);
    const script = options.script ?? resolveSupervisorScript();
    if (!existsSync(script)) throw new Error(`supervisor script missing: ${script} (build the install: npm run build)`);
    const child = spawn(process.execPath, [script, defFile(name)], { detached: true, stdio: "ignore", cwd: def.workingDirectory, env: { PATH: def.environment.PATH ?? "/usr/bin:/bin" } });
    const pid = child.pid;
    child.unref();
    const up = await until(() => {
      const s = readState(name);
      return s !== undefined && s.supervisorPid === pid && s.status !== "starting";
    }, START_TIMEOUT_MS);
    if (!up) throw new Error(`the supervisor (pid ${pid}) did not start the gateway within ${START_TIMEOUT_MS / 1000}s; see ${def.stderrPath}`);
  };
  const terminate = (pid: number) => terminateProcess(pid, { graceMs: STOP_TIMEOUT_MS });
  const stop = async (name: string) => {
    const s = readState(name);
    if (!s || !supervisorAlive(s)) {
      if (s?.pid && isPidAlive(s.pid)) await terminate(s.pid);
      return;
    }
    process.kill(s.supervisorPid, "SIGTERM");
    if (await until(() => !isPidAlive(s.supervisorPid), STOP_TIMEOUT_MS)) return;
    process.kill(s.supervisorPid, "SIGKILL");
    const child = readState(name)?.pid;
    if (child && isPidAlive(child)) process.kill(child, "SIGKILL");
  };
  return {
    kind: "supervisor",
    label: "openclaw detached supervisor",
    preflight() {
      return {
        ok: true,
        problems: [{ message: "the detached supervisor does not survive a reboot or a container restart", fix: "run `openclaw gateway start` from the container entrypoint or an @reboot cron line" }],
      };
    },
    definitionPath: defFile,
    render(def: ServiceDefinition, secrets): RenderedFile[] {
      const sup: SupervisorDefinition = {
        name: def.name,
        description: def.description,
        programArguments: def.programArguments,
        workingDirectory: def.workingDirectory,
        environment: def.environment,
        ...(def.envFile ? { envFile: def.envFile } : {}),
        stdoutPath: def.stdoutPath,
        stderrPath: def.stderrPath,
        stateFile: supervisorStateFile(def.stateDir),
      };
      const files: RenderedFile[] = [{ path: defFile(def.name), content: `${JSON.stringify(sup, null, 2)}\n`, mode: 0o600, role: "supervisor definition" }];
      if (def.envFile) files.push({ path: def.envFile, content: renderEnvFile(secrets, def.description), mode: 0o600, role: "secrets env file" });
      return files;
    },
    async activate(def) {
      if (supervisorAlive(readState(def.name))) await stop(def.name);
      await start(def.name);
    },
    async remove(name) {
      await stop(name);
      const removed: string[] = [];
      const def = readDef(name);
      for (const f of [defFile(name), def?.stateFile]) {
        if (f && existsSync(f)) {
          unlinkSync(f);
          removed.push(f);
        }
      }
      return removed;
    },
    start,
    stop,
    async restart(name) {
      const s = readState(name);
      if (!s || !supervisorAlive(s)) return start(name);
      const before = s.pid;
      process.kill(s.supervisorPid, "SIGUSR2");
      const ok = await until(() => {
        const now = readState(name);
        return now !== undefined && now.status !== "restarting" && now.pid !== before;
      }, STOP_TIMEOUT_MS);
      if (!ok) throw new Error(`the supervisor did not restart the gateway within ${STOP_TIMEOUT_MS / 1000}s`);
    },
    readInstalled,
    runtime(name): ServiceRuntime {
      const s = readState(name);
      if (!s) return { status: "stopped", loaded: false };
      const alive = supervisorAlive(s);
      const e = s.lastExit;
      const last = e
        ? {
            ...(e.code !== null ? { lastExitStatus: e.code } : {}),
            ...(e.signal ? { lastExitSignal: e.signal } : {}),
            lastExitAt: e.at,
            ...(e.pid ? { lastExitPid: e.pid } : {}),
            ...(e.error ? { lastError: e.error } : {}),
          }
        : {};
      if (!alive) {
        const status = s.status === "failed" ? "failed" : "stopped";
        const orphan = s.pid !== undefined && isPidAlive(s.pid) ? s.pid : undefined;
        const detail =
          s.status === "failed"
            ? s.detail
            : s.status === "stopped" && !orphan
              ? undefined
              : `supervisor pid ${s.supervisorPid} is gone (killed or rebooted)${orphan ? `; its gateway (pid ${orphan}) runs unsupervised — openclaw gateway restart takes it back` : ""}`;
        return { status, loaded: false, ...(orphan ? { pid: orphan } : {}), restarts: s.restarts, ...last, ...(detail ? { detail } : {}) };
      }
      const childAlive = s.pid !== undefined && isPidAlive(s.pid);
      const status = s.status === "running" && !childAlive ? "restarting" : s.status === "starting" ? "restarting" : s.status;
      return { status, loaded: true, ...(childAlive ? { pid: s.pid } : {}), restarts: s.restarts, ...last, ...(s.detail ? { detail: s.detail } : {}) };
    },
    list() {
      let files: string[] = [];
      try {
        files = readdirSync(dir).filter((f) => f.endsWith(".json"));
      } catch {
        return [];
      }
      return files.flatMap((f) => readInstalled(f.slice(0, -5)) ?? []);
    },
    logHints(name) {
      const def = readDef(name);
      return def ? [def.stdoutPath, def.stderrPath] : [];
    },
  };
}
