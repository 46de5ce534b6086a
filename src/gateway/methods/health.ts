/** `health`: the HealthSummary OpenClaw's CLI reads (spec §4.11, interop notes). */
import { summarizeSessions } from "../../storage/index.js";
import type { GatewayRuntime } from "../runtime.js";

interface AgentRef {
  id: string;
  name?: string;
  isDefault: boolean;
}

/** Agents from config (`agents.list`, newer `agents.entries`), else the implicit `main`. */
export function listAgents(rt: GatewayRuntime): AgentRef[] {
  const agents = rt.config.agents;
  const list = agents?.list ?? Object.entries(agents?.entries ?? {}).map(([id, e]) => ({ ...e, id: e.id ?? id }));
  if (list.length === 0) return [{ id: "main", isDefault: true }];
  const explicit = list.findIndex((a) => a.default === true);
  const defaultIndex = Math.max(explicit, 0);
  return list.map((a, i) => ({ id: a.id, ...(a.name ? { name: a.name } : {}), isDefault: i === defaultIndex }));
}

/** The default agent heartbeat interval (`agents.defaults.heartbeat.every`, default 30m). */
export function heartbeatSummary(rt: GatewayRuntime): { enabled: boolean; every: string; everyMs: number } {
  const every = String((rt.config.agents?.defaults?.heartbeat as { every?: unknown } | undefined)?.every ?? "30m");
  const m = /^(\d+)(s|m|h)$/.exec(every);
  const everyMs = m ? Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "s" | "m" | "h"] : 1_800_000;
  return { enabled: everyMs > 0, every, everyMs };
}

function channelsHealth(rt: GatewayRuntime) {
  const snapshot = rt.channels.snapshot(rt.config.channels as Record<string, unknown> | undefined);
  const channels: Record<string, unknown> = {};
  const labels: Record<string, string> = {};
  for (const ch of snapshot) {
    const def = ch.accounts.find((a) => a.accountId === ch.defaultAccountId) ?? ch.accounts[0];
    channels[ch.id] = { ...(def ?? { accountId: "default" }), accounts: Object.fromEntries(ch.accounts.map((a) => [a.accountId, a])) };
    labels[ch.id] = ch.label;
  }
  return { channels, channelOrder: snapshot.map((c) => c.id), channelLabels: labels };
}

const HEALTH_CACHE_MS = 1000;
const healthCache = new WeakMap<GatewayRuntime, { at: number; config: unknown; value: ReturnType<typeof computeHealth> }>();

/** Health, cached for a second (and recomputed when the config changes); `probe: true` bypasses the cache. */
export function health(params: { probe?: boolean | undefined }, rt: GatewayRuntime) {
  const cached = healthCache.get(rt);
  const now = Date.now();
  if (!params.probe && cached && cached.config === rt.config && now - cached.at < HEALTH_CACHE_MS) return { ...cached.value, ts: now };
  const value = computeHealth(rt);
  healthCache.set(rt, { at: now, config: rt.config, value });
  return value;
}

function computeHealth(rt: GatewayRuntime) {
  const started = performance.now();
  const agents = listAgents(rt);
  const defaultAgent = agents.find((a) => a.isDefault)!;
  const heartbeat = heartbeatSummary(rt);
  const agentSummaries = agents.map((a) => ({
    agentId: a.id,
    ...(a.name ? { name: a.name } : {}),
    isDefault: a.isDefault,
    heartbeat,
    sessions: summarizeSessions(rt.options.paths.layout.sessionStoreFile(a.id)),
  }));
  const mem = process.memoryUsage();
  return {
    ok: true as const,
    ts: Date.now(),
    durationMs: Math.round(performance.now() - started),
    ...channelsHealth(rt),
    heartbeatSeconds: Math.round(heartbeat.everyMs / 1000),
    defaultAgentId: defaultAgent.id,
    agents: agentSummaries,
    sessions: agentSummaries.find((a) => a.isDefault)!.sessions,
    plugins: { loaded: [], errors: [], unavailable: [] },
    configReload: {
      hotReloadStatus: rt.reloadState.mode === "off" ? "disabled" : "active",
      mode: rt.reloadState.mode,
      hash: rt.reloadState.hash,
      lastReloadAt: rt.reloadState.lastReloadAt,
      lastError: rt.reloadState.lastError,
      lastChangedPaths: rt.reloadState.lastChangedPaths,
    },
    eventLoop: rt.eventLoop.sample(),
    modelRuntime: { degraded: false, pendingAgents: [], providers: Object.keys(rt.config.models?.providers ?? {}) },
    process: { pid: process.pid, rssBytes: mem.rss, heapUsedBytes: mem.heapUsed },
  };
}
