/** What `system heartbeat last|enable|disable` share: the RPC calls and the human line for a heartbeat event. */
import { timeoutFor, withGateway } from "../../rpc.js";
import type { CommandContext, CommandResult } from "../../types.js";

type Loose = Record<string, unknown>;

/** `sent to telegram 42 (1.2 s ago): preview…` style line. */
export function renderHeartbeatEvent(event: Loose | null, now = Date.now()): string {
  if (!event) return "No heartbeat yet.";
  const ts = typeof event.ts === "number" ? event.ts : undefined;
  const age = ts === undefined ? "" : ` ${Math.max(0, Math.round((now - ts) / 1000))}s ago`;
  const where = typeof event.channel === "string" ? ` ${event.channel}${typeof event.to === "string" ? ` ${event.to}` : ""}` : "";
  const parts = [`Last heartbeat: ${String(event.status)}${event.reason ? ` (${String(event.reason)})` : ""}${where}${age}`];
  if (typeof event.durationMs === "number") parts.push(`  duration: ${event.durationMs} ms`);
  if (typeof event.preview === "string" && event.preview) parts.push(`  preview: ${event.preview}`);
  if (typeof event.message === "string") parts.push(`  ${event.message}`);
  return parts.join("\n");
}

export async function setHeartbeats(ctx: CommandContext, enabled: boolean): Promise<CommandResult> {
  const result = (await withGateway(ctx, (client) => client.call("set-heartbeats", { enabled }, { timeoutMs: timeoutFor(ctx) }))) as Loose;
  return { data: result, human: `Heartbeats ${result.enabled === true ? "enabled" : "disabled"}.` };
}

export async function lastHeartbeat(ctx: CommandContext): Promise<CommandResult> {
  const result = (await withGateway(ctx, (client) => client.call("last-heartbeat", {}, { timeoutMs: timeoutFor(ctx) }))) as Loose | null;
  return { data: result, human: renderHeartbeatEvent(result) };
}
