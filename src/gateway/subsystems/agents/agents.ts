/** Agents as the config names them, and their heartbeat cadence. */
import type { OpenClawConfig } from "../../../config/index.js";

export interface AgentRef {
  id: string;
  name?: string;
  isDefault: boolean;
}

/** Agents from config (`agents.list`, newer `agents.entries`), else the implicit `main`. */
export function listAgents(config: OpenClawConfig): AgentRef[] {
  const agents = config.agents;
  const list = agents?.list ?? Object.entries(agents?.entries ?? {}).map(([id, e]) => ({ ...e, id: e.id ?? id }));
  if (list.length === 0) return [{ id: "main", isDefault: true }];
  const explicit = list.findIndex((a) => a.default === true);
  const defaultIndex = Math.max(explicit, 0);
  return list.map((a, i) => ({ id: a.id, ...(a.name ? { name: a.name } : {}), isDefault: i === defaultIndex }));
}

/** The heartbeat cadence from `agents.defaults.heartbeat.every` (30m by default). */
export function heartbeatSummary(config: OpenClawConfig): { enabled: boolean; every: string; everyMs: number } {
  const every = String((config.agents?.defaults?.heartbeat as { every?: unknown } | undefined)?.every ?? "30m");
  const m = /^(\d+)(s|m|h)$/.exec(every);
  const everyMs = m ? Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "s" | "m" | "h"] : 1_800_000;
  return { enabled: everyMs > 0, every, everyMs };
}
