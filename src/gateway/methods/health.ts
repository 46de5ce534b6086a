/** `health` and `status`: what OpenClaw's CLI reads (spec §4.11, interop notes). */
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

function heartbeatSummary(rt: GatewayRuntime): { enabled: boolean; every: string; everyMs: number } {
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
    plugins: { loaded: [], errors: [] },
    configReload: {
      mode: rt.reloadState.mode,
      hash: rt.reloadState.hash,
      lastReloadAt: rt.reloadState.lastReloadAt,
      lastError: rt.reloadState.lastError,
      lastChangedPaths: rt.reloadState.lastChangedPaths,
    },
    eventLoop: { uptimeMs: Date.now() - rt.startedAt },
    modelRuntime: { providers: Object.keys(rt.config.models?.providers ?? {}) },
    process: { pid: process.pid, rssBytes: mem.rss, heapUsedBytes: mem.heapUsed },
  };
}

export function status(_params: unknown, rt: GatewayRuntime, conn: { scopes: string[] }) {
  const agents = listAgents(rt);
  const byAgent = agents.map((a) => ({ agentId: a.id, ...summarizeSessions(rt.options.paths.layout.sessionStoreFile(a.id)) }));
  const admin = conn.scopes.includes("operator.admin");
  const mem = process.memoryUsage();
  const recent = byAgent.flatMap((a) => a.recent.map((r) => ({ ...r, agentId: a.agentId }))).sort((x, y) => (y.updatedAt ?? 0) - (x.updatedAt ?? 0)).slice(0, 10);
  return {
    runtimeVersion: rt.options.version,
    pid: process.pid,
    uptimeMs: Date.now() - rt.startedAt,
    heartbeat: heartbeatSummary(rt),
    channelSummary: rt.channels.snapshot(rt.config.channels as Record<string, unknown> | undefined).map((c) => ({ id: c.id, label: c.label, accounts: c.accounts.length })),
    queuedSystemEvents: rt.systemEvents.slice(-20).map((e) => e.text),
    sessions: {
      ...(admin ? { paths: byAgent.map((a) => a.path) } : {}),
      count: byAgent.reduce((n, a) => n + a.count, 0),
      defaults: { defaultAgentId: agents.find((a) => a.isDefault)!.id, mainKey: "main" },
      recent,
      byAgent: byAgent.map((a) => ({ agentId: a.agentId, count: a.count })),
    },
    modelRuntime: { providers: Object.keys(rt.config.models?.providers ?? {}) },
    eventLoop: { uptimeMs: Date.now() - rt.startedAt },
    processMemory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, heapTotalBytes: mem.heapTotal },
    tasks: [],
    gateway: { port: rt.port, urls: rt.urls(), authMode: rt.auth.mode, connections: rt.metrics.connectionsOpen, ...(admin ? { configPath: rt.options.paths.configPath, stateDir: rt.options.paths.stateDir } : {}) },
  };
}
