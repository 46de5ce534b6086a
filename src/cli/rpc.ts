/** Talking to the gateway from a command: resolve the target like the gateway does, connect, call, close. */
import { GatewayClient, type GatewayTarget, resolveGatewayTarget } from "../client/index.js";
import type { CommandContext } from "./types.js";
import { readVersion } from "./version.js";


export function targetFor(ctx: CommandContext): GatewayTarget {
  const s = (k: string) => (typeof ctx.options[k] === "string" ? (ctx.options[k] as string) : undefined);
  return resolveGatewayTarget({ env: ctx.env, configPath: ctx.paths().configPath, flags: { url: s("url"), token: s("token"), password: s("password") } });
}

export function timeoutFor(ctx: CommandContext, fallback = 10_000): number {
  return typeof ctx.options.timeout === "number" && ctx.options.timeout > 0 ? ctx.options.timeout : fallback;
}

/** Connects, runs `fn`, always closes. Connection failures surface as exit 4 (unreachable). */
export async function withGateway<T>(
  ctx: CommandContext,
  fn: (client: GatewayClient, target: GatewayTarget) => Promise<T>,
  options: { timeoutMs?: number; clientMode?: string; target?: GatewayTarget } = {},
): Promise<T> {
  const target = options.target ?? targetFor(ctx);
  const client = await GatewayClient.connect({
    url: target.url,
    token: target.token,
    password: target.password,
    timeoutMs: options.timeoutMs ?? timeoutFor(ctx),
    clientId: "cli",
    clientMode: options.clientMode ?? "cli",
    version: readVersion(),
  });
  try {
    return await fn(client, target);
  } finally {
    client.close();
  }
}
