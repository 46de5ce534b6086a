/** Agents as the config names them (from the agent module), and their heartbeat cadence. */
import type { OpenClawConfig } from "../../../config/index.js";

export { type AgentRef, listAgents } from "../../../agent/index.js";

/** The heartbeat cadence from `agents.defaults.heartbeat.every` (30m by default). */
export function heartbeatSummary(config: OpenClawConfig): { enabled: boolean; every: string; everyMs: number } {
  const every = String((config.agents?.defaults?.heartbeat as { every?: unknown } | undefined)?.every ?? "30m");
  const m = /^(\d+)(s|m|h)$/.exec(every);
  const everyMs = m ? Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "s" | "m" | "h"] : 1_800_000;
  return { enabled: everyMs > 0, every, everyMs };
}
