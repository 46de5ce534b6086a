/**
 * `openclaw gateway` in the foreground: one gateway per config (lock with owner pid), `--force`
 * to replace a listener, signals (SIGTERM/SIGINT drain and stop, SIGUSR1 restarts in process), and
 * "already running and healthy" answered with exit 0.
 */
import { probeHealthz } from "../client/index.js";
import { readConfigInput, resolveGatewayPort } from "../config/index.js";
import {
  acquireGatewayLock,
  type Env,
  findPortHolders,
  isPidAlive,
  pollUntil,
  processCommand,
  type ResolvedPaths,
  releaseGatewayLock,
  updateGatewayLock,
} from "../infra/index.js";
import { AppError, EXIT, type ExitCode } from "../shared/index.js";
import { type GatewayOptions, type GatewayOverrides, GatewayRuntime } from "./runtime.js";

export interface ForegroundOptions {
  paths: ResolvedPaths;
  env: Env;
  version: string;
  overrides: GatewayOverrides;
  allowUnconfigured: boolean;
  verbose: boolean;
  force: boolean;
  console: GatewayOptions["console"];
  /** Progress lines for the user (stderr). */
  say(line: string): void;
  /** Aborted on SIGINT by the CLI shell. */
  signal: AbortSignal;
}

export interface ForegroundResult {
  exitCode: ExitCode;
  message: string;
}

function targetPort(options: ForegroundOptions): number {
  const { input } = readConfigInput({ configPath: options.paths.configPath, env: options.env, lenientEnv: true });
  return resolveGatewayPort({ env: options.env, input, flag: options.overrides.port });
}

/** SIGTERM, then SIGKILL after a grace, every other process listening on the port. */
async function freePort(port: number, say: (line: string) => void): Promise<void> {
  const holders = findPortHolders(port).filter((h) => h.pid !== process.pid);
  for (const h of holders) {
    say(`--force: stopping pid ${h.pid} listening on port ${port}${h.command ? ` (${h.command.slice(0, 80)})` : ""}`);
    try {
      process.kill(h.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  if (holders.length === 0) return;
  if (await pollUntil(() => findPortHolders(port).every((h) => h.pid === process.pid), 5000)) return;
  for (const h of findPortHolders(port)) {
    if (h.pid === process.pid) continue;
    say(`--force: pid ${h.pid} did not stop; sending SIGKILL`);
    try {
      process.kill(h.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await pollUntil(() => findPortHolders(port).length === 0, 3000);
}

/** Runs until stopped by a signal. Returns the exit code and a last line for the user. */
export async function runGatewayForeground(options: ForegroundOptions): Promise<ForegroundResult> {
  const port = targetPort(options);
  const lockInfo = () => ({ pid: process.pid, port: rt?.port ?? port, configPath: options.paths.configPath, stateDir: options.paths.stateDir, startedAt: new Date().toISOString() });
  let rt: GatewayRuntime | undefined;
  if (options.force) await freePort(port, options.say);
  let lock = acquireGatewayLock(lockInfo());
  if (!lock.acquired && options.force && isPidAlive(lock.holder.pid)) {
    options.say(`--force: stopping the gateway holding the lock (pid ${lock.holder.pid})`);
    process.kill(lock.holder.pid, "SIGTERM");
    await pollUntil(() => !isPidAlive(lock.acquired ? 0 : lock.holder.pid), 5000);
    lock = acquireGatewayLock(lockInfo());
  }
  if (!lock.acquired) {
    const holder = lock.holder;
    const already = { exitCode: EXIT.ok, message: `gateway already running for ${options.paths.stateDir} (pid ${holder.pid}) on ws://127.0.0.1:${holder.port}` };
    if (await probeHealthz(holder.port)) return already;
    // A live owner that does not serve its port is stale (spec §3.4): a reused pid at once, a
    // gateway that may still be starting after up to 5 s.
    const command = processCommand(holder.pid);
    const looksLikeGateway = command === "" || /openclaw|node/.test(command);
    if (looksLikeGateway) {
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && isPidAlive(holder.pid)) {
        if (await probeHealthz(holder.port, 300)) return already;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    if (!(await probeHealthz(holder.port))) {
      options.say(`lock owner pid ${holder.pid}${command ? ` (${command.slice(0, 60)})` : ""} is not serving port ${holder.port}; reclaiming the lock`);
      releaseGatewayLock(lock.file, holder.pid);
      lock = acquireGatewayLock(lockInfo());
    }
  }
  if (!lock.acquired) {
    const holder = lock.holder;
    throw new AppError("GATEWAY_LOCKED", `gateway already running (pid ${holder.pid}) for ${holder.configPath}, but it does not answer on port ${holder.port}`, {
      hint: `Stop it (kill ${holder.pid}) or run openclaw gateway --force.`,
    });
  }
  if (lock.reclaimed) options.say(`reclaimed a stale gateway lock from dead pid ${lock.reclaimed.pid}`);
  const lockFile = lock.file;
  // A SIGTERM that arrives while starting (the "listening" log line is already out) stops the
  // gateway as soon as it is up, instead of killing it with the lock still held.
  let termDuringStart = false;
  const onEarlyTerm = () => {
    termDuringStart = true;
  };
  process.on("SIGTERM", onEarlyTerm);
  try {
    rt = await GatewayRuntime.start({
      paths: options.paths,
      env: options.env,
      version: options.version,
      overrides: options.overrides,
      allowUnconfigured: options.allowUnconfigured,
      verbose: options.verbose,
      console: options.console,
      onListening: (p) => updateGatewayLock(lockFile, { ...lockInfo(), port: p }),
    });
  } catch (error) {
    process.off("SIGTERM", onEarlyTerm);
    releaseGatewayLock(lockFile);
    throw error;
  }
  const running = rt;
  options.say(`gateway listening on ${running.urls().join(", ")} (PID ${process.pid}); auth: ${running.auth.mode}; log: ${running.logFile ?? "none"}`);
  return new Promise<ForegroundResult>((resolve) => {
    const stop = (reason: string) => {
      process.off("SIGTERM", onTerm);
      process.off("SIGUSR1", onUsr1);
      void running.stop(reason).finally(() => {
        releaseGatewayLock(lockFile);
        resolve({ exitCode: EXIT.ok, message: `gateway stopped (${reason})` });
      });
    };
    const onTerm = () => stop("SIGTERM");
    const onUsr1 = () => {
      if ((running.config.commands as { restart?: unknown } | undefined)?.restart === false) {
        running.log.warn("SIGUSR1 ignored: commands.restart is false");
        return;
      }
      void running.restart("SIGUSR1");
    };
    process.on("SIGTERM", onTerm);
    process.on("SIGUSR1", onUsr1);
    process.off("SIGTERM", onEarlyTerm);
    if (termDuringStart) stop("SIGTERM");
    else if (options.signal.aborted) stop("SIGINT");
    else options.signal.addEventListener("abort", () => stop("SIGINT"), { once: true });
  });
}
