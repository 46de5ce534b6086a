/**
 * Which supervisor serves this host. The only platform switch in the codebase: launchd on macOS,
 * Task Scheduler on Windows, systemd on Linux when the user bus answers, else the detached supervisor.
 * `OPENCLAW_SERVICE_MANAGER=systemd|launchd|schtasks|supervisor` overrides the choice.
 */
import { existsSync } from "node:fs";
import os from "node:os";
import { type Env, resolveHomeDir } from "../infra/index.js";
import { AppError } from "../shared/index.js";
import { portFromArgs, serviceName } from "./definition.js";
import { execSync } from "./exec.js";
import { createLaunchdManager } from "./launchd.js";
import { createSchtasksManager } from "./schtasks.js";
import { createSupervisorManager } from "./supervisor.js";
import { createSystemdManager } from "./systemd.js";
import type { Exec, InstalledService, PreflightProblem, ServiceContext, ServiceKind, ServiceManager } from "./types.js";

const KINDS: ServiceKind[] = ["systemd", "launchd", "schtasks", "supervisor"];

export interface ServiceContextOptions {
  env: Env;
  platform?: NodeJS.Platform;
  exec?: Exec;
}

export function createServiceContext(o: ServiceContextOptions): ServiceContext {
  const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
  let user = o.env.USER || o.env.LOGNAME || o.env.USERNAME || "";
  if (!user) {
    try {
      user = os.userInfo().username;
    } catch {
      user = String(uid ?? "user");
    }
  }
  const platform = o.platform ?? process.platform;
  return {
    env: o.env,
    home: resolveHomeDir(o.env),
    platform,
    uid,
    user,
    exec: o.exec ?? execSync,
    ...(platform === "linux" && !o.exec ? { systemdBooted: existsSync("/run/systemd/system") } : {}),
  };
}

export function createServiceManager(kind: ServiceKind, ctx: ServiceContext): ServiceManager {
  if (kind === "systemd") return createSystemdManager(ctx);
  if (kind === "launchd") return createLaunchdManager(ctx);
  if (kind === "schtasks") return createSchtasksManager(ctx);
  return createSupervisorManager(ctx);
}

/** The platform's own supervisor (what `install --dry-run` shows), even where it is not running. */
export function nativeServiceKind(platform: NodeJS.Platform): ServiceKind {
  if (platform === "darwin") return "launchd";
  if (platform === "win32") return "schtasks";
  return "systemd";
}

export interface ResolvedManager {
  manager: ServiceManager;
  /** The native supervisor when it was passed over, with the reason and the fix. */
  fallback?: { from: ServiceKind; problems: PreflightProblem[] };
}

/** Picks the supervisor for this host (cheap: one probe of the native one). */
export function resolveServiceManager(ctx: ServiceContext): ResolvedManager {
  const forced = ctx.env.OPENCLAW_SERVICE_MANAGER?.trim();
  if (forced) {
    if (!KINDS.includes(forced as ServiceKind)) {
      throw new AppError("USAGE", `invalid OPENCLAW_SERVICE_MANAGER "${forced}"`, { hint: `Use one of ${KINDS.join(", ")}, or unset it.` });
    }
    return { manager: createServiceManager(forced as ServiceKind, ctx) };
  }
  const native = createServiceManager(nativeServiceKind(ctx.platform), ctx);
  const pre = native.preflight();
  if (pre.ok) return { manager: native };
  return { manager: createServiceManager("supervisor", ctx), fallback: { from: native.kind, problems: pre.problems } };
}

/**
 * The service installed for this environment's profile, read from its definition file only (no
 * supervisor tool runs): the forced supervisor, else the platform's own, then the detached one.
 */
export function findInstalledService(o: ServiceContextOptions): InstalledService | undefined {
  const ctx = createServiceContext(o);
  const forced = o.env.OPENCLAW_SERVICE_MANAGER?.trim();
  const kinds: ServiceKind[] = forced && KINDS.includes(forced as ServiceKind) ? [forced as ServiceKind] : [nativeServiceKind(ctx.platform), "supervisor"];
  for (const kind of kinds) {
    const installed = createServiceManager(kind, ctx).readInstalled(serviceName(kind, o.env));
    if (installed) return installed;
  }
  return undefined;
}

/** The port an installed service listens on: its `--port` argument, else its OPENCLAW_GATEWAY_PORT. */
export function installedServicePort(installed: InstalledService): number | undefined {
  const fromArgs = portFromArgs(installed.programArguments);
  if (fromArgs !== undefined) return fromArgs;
  const fromEnv = Number(installed.environment.OPENCLAW_GATEWAY_PORT);
  return Number.isInteger(fromEnv) && fromEnv > 0 && fromEnv <= 65535 ? fromEnv : undefined;
}
