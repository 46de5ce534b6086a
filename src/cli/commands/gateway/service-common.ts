/** What every service command shares: the supervisor for this host, the install's paths, ports and waiting for health. */
import { spawnSync } from "node:child_process";
import { probeHealthz } from "../../../client/index.js";
import { readConfigInput, resolveGatewayPort } from "../../../config/index.js";
import { gatewayLockFile, isPidAlive, pollUntil, readLock, terminateProcess } from "../../../infra/index.js";
import {
  createServiceContext,
  portFromArgs,
  resolveCliEntry,
  resolveServiceManager,
  type ResolvedManager,
  type ServiceContext,
  type ServiceManager,
  serviceName,
} from "../../../service/index.js";
import { AppError } from "../../../shared/index.js";
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

/** The port the service should listen on: --port, OPENCLAW_GATEWAY_PORT, gateway.port, 18789. */
export function servicePort(ctx: CommandContext): number {
  const flag = ctx.options.port;
  if (flag !== undefined) {
    if (typeof flag !== "number" || !Number.isInteger(flag) || flag < 1 || flag > 65535) {
      throw new AppError("USAGE", `invalid --port ${String(flag)}`, { hint: "Use a port between 1 and 65535." });
    }
    return flag;
  }
  return resolveGatewayPort({ env: ctx.env, input: readConfigInput({ configPath: ctx.paths().configPath, env: ctx.env, lenientEnv: true }).input });
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

/** Waits until the service's gateway answers /healthz, the supervisor reports failure, or the deadline. */
export async function waitForHealthy(setup: ServiceSetup, port: number, timeoutMs = 20_000): Promise<WaitResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rt = setup.manager.runtime(setup.name);
    if (rt.status === "failed") return { healthy: false, ...(rt.detail ? { detail: rt.detail } : {}) };
    if (rt.status === "running" && (await httpLive(port, 500))) return { healthy: true, ...(rt.pid ? { pid: rt.pid } : {}) };
    if (Date.now() > deadline) return { healthy: false, detail: `not healthy after ${Math.round(timeoutMs / 1000)}s (state: ${rt.status})` };
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
  return (installed && portFromArgs(installed.programArguments)) ?? servicePort(ctx);
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
