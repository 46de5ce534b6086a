/** What every service command shares: the supervisor for this host, the install's paths, ports and waiting for health. */
import { spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { probeHealthz, probeReadyz, type ReadyzAnswer } from "../../../client/index.js";
import { gatewayLockFile, isPidAlive, pollUntil, readLock, terminateProcess } from "../../../infra/index.js";
import {
  createServiceContext,
  describeGatewayExit,
  gatewayExitFix,
  installedServicePort,
  lastLoggedError,
  type ResolvedManager,
  resolveCliEntry,
  resolveServiceManager,
  type ServiceContext,
  type ServiceManager,
  type ServiceRuntime,
  serviceName,
} from "../../../service/index.js";
import { AppError } from "../../../shared/index.js";
import { resolvePortFor } from "../../rpc.js";
import type { CommandContext } from "../../types.js";

export interface ServiceSetup {
  sctx: ServiceContext;
  resolved: ResolvedManager;
  manager: ServiceManager;
  name: string;
}

export function serviceSetup(ctx: CommandContext): ServiceSetup {
  const sctx = createServiceContext({ env: ctx.env });
  const resolved = resolveServiceManager(sctx);
  return { sctx, resolved, manager: resolved.manager, name: serviceName(resolved.manager.kind, ctx.env) };
}

/**
 * The port the service should listen on: --port, else the one resolver's answer (OPENCLAW_GATEWAY_PORT,
 * gateway.port, the installed service's own port, the dev profile's 19001, 18789).
 */
export function servicePort(ctx: CommandContext): number {
  const flag = ctx.options.port;
  if (flag !== undefined) {
    if (typeof flag !== "number" || !Number.isInteger(flag) || flag < 1 || flag > 65535) {
      throw new AppError("USAGE", `invalid --port ${String(flag)}`, { hint: "Use a port between 1 and 65535." });
    }
    return flag;
  }
  return resolvePortFor(ctx).port;
}

/** The runtime binary the service runs: this Node, or bun from PATH with `--runtime bun`. */
export function serviceRuntime(ctx: CommandContext): string {
  const runtime = ctx.options.runtime ?? "node";
  if (runtime === "node") return process.execPath;
  if (runtime === "bun") {
    const r = spawnSync("sh", ["-c", "command -v bun"], { encoding: "utf8", timeout: 5000 });
    const bun = r.stdout.trim();
    if (!bun) throw new AppError("USAGE", "--runtime bun: bun is not on PATH", { hint: "Install bun, or use --runtime node (recommended: WhatsApp and Telegram need Node)." });
    ctx.warn("warning: --runtime bun is discouraged; WhatsApp and Telegram need Node");
    return bun;
  }
  throw new AppError("USAGE", `invalid --runtime "${String(runtime)}"`, { hint: "Use node (default) or bun." });
}

export function cliEntry(): string {
  return resolveCliEntry();
}

/** Answers 200 on /healthz within the timeout. */
export const httpLive = probeHealthz;

export interface WaitResult {
  healthy: boolean;
  pid?: number;
  detail?: string;
}

export interface WaitOptions {
  /** The gateway pid before the start/restart: its exit is expected and never counts as ours. */
  previousPid?: number | undefined;
  /** When the start/restart began (ms): exits before it are history. */
  since: number;
  timeoutMs?: number;
}

/** Why the service's gateway is not up, from the supervisor's record: exit code meaning and last logged error. */
export function describeFailedRuntime(rt: ServiceRuntime, logFiles: string[]): string {
  const parts: string[] = [];
  if (rt.detail) parts.push(rt.detail);
  else if (rt.lastExitStatus !== undefined || rt.lastExitSignal) {
    parts.push(`the gateway${rt.lastExitPid ? ` (pid ${rt.lastExitPid})` : ""} exited with ${describeGatewayExit(rt.lastExitStatus, rt.lastExitSignal)}`);
  }
  const error = rt.lastError ?? lastErrorInLog(logFiles);
  if (error && !parts.some((p) => p.includes(error))) parts.push(`last error: ${error}`);
  const fix = rt.detail ? undefined : gatewayExitFix(rt.lastExitStatus);
  if (fix) parts.push(`fix: ${fix}`);
  return parts.join("; ") || `state: ${rt.status}`;
}

/** The last `error:` line in the service's stderr log file, for supervisors that do not record it. */
function lastErrorInLog(logFiles: string[]): string | undefined {
  const file = logFiles.find((f) => path.isAbsolute(f) && /err/.test(path.basename(f)));
  if (!file) return undefined;
  try {
    const st = statSync(file);
    const text = readFileSync(file, "utf8").slice(-Math.min(st.size, 64 * 1024));
    return lastLoggedError(text);
  } catch {
    return undefined;
  }
}

/** Who answers /readyz on the port when it is not the service's gateway, in words. */
function describeImpostor(port: number, answer: ReadyzAnswer | undefined, expectedPid: number | undefined): string | undefined {
  if (!answer) return undefined;
  if (answer.pid !== undefined && answer.pid === expectedPid) return undefined;
  const who = answer.pid !== undefined ? `pid ${answer.pid}` : "a process that does not say its pid";
  return `port ${port} is answered by ${who}, not by the service's gateway${expectedPid ? ` (pid ${expectedPid})` : ""}`;
}

/**
 * Waits until `/readyz` on the port answers from the pid the supervisor started, and reports the
 * real cause otherwise: the supervisor gave up (exit code meaning and last logged error), the new
 * gateway exited, or after the deadline, who else answers on the port. A gateway that answers on the
 * port but is not the one we started is never success.
 */
export async function waitForHealthy(setup: ServiceSetup, port: number, o: WaitOptions = { since: Date.now() }): Promise<WaitResult> {
  const timeoutMs = o.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  const logs = () => setup.manager.logHints(setup.name, setup.manager.readInstalled(setup.name));
  let lastAnswer: ReadyzAnswer | undefined;
  for (;;) {
    const rt = setup.manager.runtime(setup.name);
    if (rt.status === "failed") return { healthy: false, detail: describeFailedRuntime(rt, logs()) };
    const exitedAt = rt.lastExitAt ? Date.parse(rt.lastExitAt) : Number.NaN;
    const oursExited = rt.lastExitPid !== undefined && rt.lastExitPid !== o.previousPid && exitedAt >= o.since - 1000;
    if (oursExited && rt.status !== "running") {
      return { healthy: false, detail: `${describeFailedRuntime({ ...rt, detail: undefined } as ServiceRuntime, logs())}; the supervisor ${rt.status === "restarting" ? "is retrying" : "stopped"} (openclaw gateway status)` };
    }
    const candidate = rt.status === "running" && rt.pid !== undefined && rt.pid !== o.previousPid ? rt.pid : undefined;
    if (candidate !== undefined) {
      lastAnswer = await probeReadyz(port, 500);
      if (lastAnswer?.ready && lastAnswer.pid === candidate) return { healthy: true, pid: candidate };
    }
    if (Date.now() > deadline) {
      const other = describeImpostor(port, lastAnswer ?? (await probeReadyz(port, 500)), candidate);
      return { healthy: false, detail: `not ready after ${Math.round(timeoutMs / 1000)}s (state: ${rt.status}${rt.pid ? `, pid ${rt.pid}` : ""})${other ? `; ${other}` : ""}` };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the supervisor reports the service is not running. */
export function waitForStopped(setup: ServiceSetup, timeoutMs = 20_000): Promise<boolean> {
  return pollUntil(() => ["stopped", "failed"].includes(setup.manager.runtime(setup.name).status), timeoutMs);
}

/**
 * Stops whatever gateway runs for this config (the service, then a foreground one holding the
 * lock) and says what it stopped. Throws when a gateway does not go away.
 */
export async function stopGatewayFor(setup: ServiceSetup, configPath: string): Promise<string[]> {
  const stopped: string[] = [];
  if (setup.manager.readInstalled(setup.name) && ["running", "restarting"].includes(setup.manager.runtime(setup.name).status)) {
    await setup.manager.stop(setup.name);
    await waitForStopped(setup);
    stopped.push(`the service ${setup.name}`);
  }
  const lock = readLock(gatewayLockFile(configPath));
  if (lock && isPidAlive(lock.pid)) {
    if (!(await terminateProcess(lock.pid, { kill: false }))) {
      throw new AppError("GATEWAY_LOCKED", `the gateway (pid ${lock.pid}) did not stop`, { hint: `kill ${lock.pid}, then run the command again.` });
    }
    stopped.push(`the gateway (pid ${lock.pid})`);
  }
  return stopped;
}

/** The installed port, else what install would use. */
export function installedPort(setup: ServiceSetup, ctx: CommandContext): number {
  const installed = setup.manager.readInstalled(setup.name);
  return (installed && installedServicePort(installed)) ?? servicePort(ctx);
}

/** A gateway running for this config outside the service (a foreground `openclaw gateway`), if any. */
export function foregroundGateway(ctx: CommandContext, servicePid: number | undefined): { pid: number; port: number } | undefined {
  const lock = readLock(gatewayLockFile(ctx.paths().configPath));
  if (!lock || !isPidAlive(lock.pid) || lock.pid === servicePid) return undefined;
  return { pid: lock.pid, port: lock.port };
}

/** Wraps a supervisor tool failure as an error naming where to look. */
export function serviceFailure(setup: ServiceSetup, action: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError("SERVICE_FAILED", `${action} ${setup.name} (${setup.manager.label}) failed: ${message}`, {
    hint: `Look at ${setup.manager.logHints(setup.name, setup.manager.readInstalled(setup.name)).join(" or ")}.`,
    cause: error,
  });
}

export function notInstalled(setup: ServiceSetup, ctx: CommandContext): AppError {
  const profile = ctx.env.OPENCLAW_PROFILE && ctx.env.OPENCLAW_PROFILE !== "default" ? `openclaw --profile ${ctx.env.OPENCLAW_PROFILE}` : "openclaw";
  const others = setup.manager.list().filter((o) => o.name !== setup.name);
  const also = others.length ? ` Installed: ${others.map((o) => o.name).join(", ")} (other profiles; see ${profile} gateway status).` : "";
  return new AppError("SERVICE_NOT_INSTALLED", `the gateway service ${setup.name} is not installed (${setup.manager.label})`, {
    hint: `Install it: ${profile} gateway install.${also}`,
  });
}
