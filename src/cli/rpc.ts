/**
 * Talking to the gateway from a command: resolve the target like the gateway does, connect, call,
 * close. `resolveGatewayFor` is the one resolver every command uses: the shell has already applied
 * the profile and the environment files (`resolveCommandEnv`); this adds the config and the
 * installed service's own port for this profile.
 */
import { GatewayClient, type GatewayTarget, resolveGatewayTarget } from "../client/index.js";
import { type GatewayPortResolution, readConfigInput, resolveGatewayPortDetail } from "../config/index.js";
import { findInstalledService, type InstalledService, installedServicePort } from "../service/index.js";
import { AppError, toAppError } from "../shared/index.js";
import type { CommandContext } from "./types.js";
import { readVersion } from "./version.js";

/** The installed service for this command's profile (definition files only; no supervisor tool runs). */
export function installedServiceFor(ctx: CommandContext): { installed?: InstalledService; port?: number } {
  try {
    const installed = findInstalledService({ env: ctx.env });
    if (!installed) return {};
    const port = installedServicePort(installed);
    return { installed, ...(port !== undefined ? { port } : {}) };
  } catch {
    // An unreadable definition must not stop a command that only wants to talk to the gateway.
    return {};
  }
}

/** The port this profile's gateway uses and where that comes from (flag, env, config, service, profile, default). */
export function resolvePortFor(ctx: CommandContext, flag?: number): GatewayPortResolution {
  const input = readConfigInput({ configPath: ctx.paths().configPath, env: ctx.env, lenientEnv: true }).input;
  return resolveGatewayPortDetail({ env: ctx.env, input, flag, servicePort: installedServiceFor(ctx).port });
}

export function targetFor(ctx: CommandContext): GatewayTarget {
  const s = (k: string) => (typeof ctx.options[k] === "string" ? (ctx.options[k] as string) : undefined);
  const url = s("url");
  return resolveGatewayTarget({
    env: ctx.env,
    configPath: ctx.paths().configPath,
    flags: { url, token: s("token"), password: s("password") },
    ...(url ? {} : { servicePort: installedServiceFor(ctx).port }),
  });
}

export function timeoutFor(ctx: CommandContext, fallback = 10_000): number {
  return typeof ctx.options.timeout === "number" && ctx.options.timeout > 0 ? ctx.options.timeout : fallback;
}

/**
 * A failure to connect while the config could not be read is reported as what it is: the config
 * is invalid (file:line:col), so its port and token were not used — not "token missing".
 */
export function explainWithConfig(target: GatewayTarget, error: unknown): unknown {
  if (!target.configProblem) return error;
  const cause = toAppError(error);
  return new AppError("CONFIG_PARSE", `${target.configProblem} — the config is invalid, so the gateway port and token could not be read from it (tried ${target.url}: ${cause.message})`, {
    hint: "Fix the file (openclaw config validate lists every problem), or pass --url with --token for this call.",
    cause: error,
  });
}

/** Connects, runs `fn`, always closes. Connection failures surface as exit 4 (unreachable). */
export async function withGateway<T>(
  ctx: CommandContext,
  fn: (client: GatewayClient, target: GatewayTarget) => Promise<T>,
  options: { timeoutMs?: number; clientMode?: string; target?: GatewayTarget } = {},
): Promise<T> {
  const target = options.target ?? targetFor(ctx);
  let client: GatewayClient;
  try {
    client = await GatewayClient.connect({
      url: target.url,
      token: target.token,
      password: target.password,
      timeoutMs: options.timeoutMs ?? timeoutFor(ctx),
      clientId: "cli",
      clientMode: options.clientMode ?? "cli",
      version: readVersion(),
    });
  } catch (error) {
    throw explainWithConfig(target, error);
  }
  try {
    return await fn(client, target);
  } finally {
    client.close();
  }
}
