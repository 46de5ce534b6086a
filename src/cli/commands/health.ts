/** `openclaw health` — the gateway's health snapshot; `--verbose` shows the target and config path on failure. */
import { toAppError } from "../../shared/index.js";
import { renderMemoryLine } from "../memory-lines.js";
import { renderModelAuthLines } from "../model-auth-lines.js";
import { targetFor, timeoutFor, withGateway } from "../rpc.js";
import type { CommandHandler } from "../types.js";

interface HealthResult {
  ok: boolean;
  durationMs: number;
  defaultAgentId: string;
  channelOrder: string[];
  channelLabels: Record<string, string>;
  channels: Record<string, { configured?: boolean; running?: boolean; connected?: boolean; linked?: boolean; dropped?: Record<string, number> }>;
  sessions: { count: number; path: string };
  agents?: Array<{ agentId: string; modelAuth?: unknown }>;
  configReload?: { mode: string; hash: string | null; lastError: string | null };
  /** The memory summary (per agent state, files, chunks, dirty, last indexed, errors). */
  memory?: unknown;
}

export const run: CommandHandler = async (ctx) => {
  const target = targetFor(ctx);
  let health: HealthResult;
  try {
    health = (await withGateway(ctx, (client) => client.call("health", {}, { timeoutMs: timeoutFor(ctx) }), { target })) as HealthResult;
  } catch (error) {
    if (ctx.options.verbose === true) {
      const e = toAppError(error);
      ctx.warn(`target: ${target.url} (${target.source}); config: ${target.configPath}; auth: ${target.token ? "token" : target.password ? "password" : "none"}`);
      throw e;
    }
    throw error;
  }
  const human = [`Gateway healthy (${target.url}, ${health.durationMs} ms)`, `  default agent: ${health.defaultAgentId}; sessions: ${health.sessions.count}`];
  for (const id of health.channelOrder) {
    const ch = health.channels[id] ?? {};
    const drops = Object.entries(ch.dropped ?? {}).filter(([, n]) => typeof n === "number" && n > 0);
    const state = ch.running ? (ch.connected === false ? "running, disconnected" : "running") : ch.configured ? "configured (not running)" : "not configured";
    human.push(`  ${health.channelLabels[id] ?? id}: ${state}${drops.length ? ` · dropped ${drops.map(([r, n]) => `${r} ${n}`).join(", ")}` : ""}`);
  }
  for (const a of health.agents ?? []) human.push(...renderModelAuthLines(a.modelAuth, Date.now()));
  const memory = renderMemoryLine(health.memory, Date.now(), "  memory: ");
  if (memory) human.push(memory);
  if (health.configReload?.lastError) human.push(`  config reload error: ${health.configReload.lastError}`);
  if (ctx.options.verbose === true) human.push(`  target: ${target.url}; config: ${target.configPath}; config hash: ${health.configReload?.hash ?? "none"}`);
  return { data: health, human };
};
