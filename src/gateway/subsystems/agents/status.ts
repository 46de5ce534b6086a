/**
 * The agents' part of `status` (the StatusSummary of spec §5.1, in the shape OpenClaw's own CLI
 * reads): heartbeat per agent, tasks, and sessions with `byAgent[] {agentId, path, count, recent[]}`.
 * Paths are for admin-scoped connections only.
 */
import { readSessionStore, type SessionEntry } from "../../../storage/index.js";
import type { GatewayCore } from "../../subsystem.js";
import { heartbeatSummary, listAgents } from "./agents.js";

const RECENT_PER_AGENT = 5;
const RECENT_OVERALL = 10;
const HOUR = 3_600_000;

/** One session as `status` shows it (OpenClaw's SessionStatus; fields we do not track are null). */
export interface SessionStatus {
  agentId: string;
  key: string;
  kind: string;
  sessionId?: string;
  updatedAt: number | null;
  age: number | null;
  model: string | null;
  contextTokens: number | null;
  inputTokens?: number;
  outputTokens?: number;
  totalTokens: number | null;
  totalTokensFresh: boolean;
  remainingTokens: number | null;
  percentUsed: number | null;
  flags: string[];
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);

/** `agent:main:telegram:group:42` → group; `global` → global; everything else is a direct chat. */
function sessionKind(key: string, entry: SessionEntry): string {
  const explicit = str(entry.chatType) ?? str(entry.kind);
  if (explicit) return explicit;
  if (key === "global" || key === "unknown") return key;
  return /:(group|channel|room):/.test(key) ? "group" : "direct";
}

function toSessionStatus(agentId: string, entry: SessionEntry, now: number): SessionStatus {
  const contextTokens = num(entry.contextTokens) ?? null;
  const inputTokens = num(entry.inputTokens);
  const outputTokens = num(entry.outputTokens);
  const totalTokens = num(entry.totalTokens) ?? (inputTokens !== undefined || outputTokens !== undefined ? (inputTokens ?? 0) + (outputTokens ?? 0) : null);
  const flags = ["systemSent", "abortedLastRun"].filter((f) => entry[f] === true);
  return {
    agentId,
    key: entry.key,
    kind: sessionKind(entry.key, entry),
    ...(str(entry.sessionId) ? { sessionId: str(entry.sessionId)! } : {}),
    updatedAt: entry.updatedAt,
    age: entry.updatedAt === null ? null : Math.max(0, now - entry.updatedAt),
    model: str(entry.model) ?? null,
    contextTokens,
    ...(inputTokens !== undefined ? { inputTokens } : {}),
    ...(outputTokens !== undefined ? { outputTokens } : {}),
    totalTokens,
    totalTokensFresh: entry.totalTokensFresh === true,
    remainingTokens: contextTokens !== null && totalTokens !== null ? Math.max(0, contextTokens - totalTokens) : null,
    percentUsed: contextTokens && totalTokens !== null ? Math.min(100, Math.round((totalTokens / contextTokens) * 100)) : null,
    flags,
  };
}

const byRecency = (a: { updatedAt: number | null }, b: { updatedAt: number | null }) => (b.updatedAt ?? 0) - (a.updatedAt ?? 0);

function countBy<T>(items: T[], key: (item: T) => string | null): Array<{ key: string; count: number }> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].map(([k, count]) => ({ key: k, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

const TASK_STATUSES = ["queued", "running", "succeeded", "failed", "timed_out", "cancelled", "lost"] as const;
const TASK_RUNTIMES = ["subagent", "acp", "cli", "cron"] as const;
const TASK_AUDIT_CODES = ["stale_queued", "stale_running", "lost", "delivery_failed", "missing_cleanup", "inconsistent_timestamps"] as const;
const zeros = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, 0]));

/** Heartbeat, tasks, sessions and model runtime for `status`. */
export function agentsStatus(core: GatewayCore, admin: boolean) {
  const now = Date.now();
  const config = core.runningConfig();
  const agents = listAgents(config);
  const defaultAgentId = agents.find((a) => a.isDefault)!.id;
  const heartbeat = heartbeatSummary(config);
  const stores = agents.map((a) => {
    const path = core.paths.layout.sessionStoreFile(a.id);
    const sessions = readSessionStore(path).map((e) => toSessionStatus(a.id, e, now));
    return { agentId: a.id, path, sessions };
  });
  const all = stores.flatMap((s) => s.sessions);
  const visible = all.filter((s) => s.key !== "global" && s.key !== "unknown").sort(byRecency);
  const within = (ms: number) => all.filter((s) => s.age !== null && s.age <= ms).length;
  const defaults = config.agents?.defaults as { model?: unknown; contextTokens?: unknown } | undefined;
  const defaultModel = typeof defaults?.model === "string" ? defaults.model : (str((defaults?.model as { primary?: unknown } | undefined)?.primary) ?? null);
  return {
    heartbeat: { defaultAgentId, agents: agents.map((a) => ({ agentId: a.id, enabled: heartbeat.enabled, every: heartbeat.every, everyMs: heartbeat.enabled ? heartbeat.everyMs : null })) },
    tasks: { total: 0, active: 0, terminal: 0, failures: 0, byStatus: zeros(TASK_STATUSES), byRuntime: zeros(TASK_RUNTIMES) },
    taskAudit: { total: 0, warnings: 0, errors: 0, byCode: zeros(TASK_AUDIT_CODES) },
    sessions: {
      paths: admin ? stores.map((s) => s.path) : [],
      count: all.length,
      defaults: { model: defaultModel, contextTokens: num(defaults?.contextTokens) ?? null, defaultAgentId, mainKey: "main" },
      overview: {
        recentActivity: { last60m: within(HOUR), last24h: within(24 * HOUR), last7d: within(7 * 24 * HOUR) },
        topModels: countBy(all, (s) => s.model).slice(0, 5).map(({ key, count }) => ({ model: key, count })),
        topAgents: countBy(all, (s) => s.agentId).slice(0, 5).map(({ key, count }) => ({ agentId: key, count })),
        kinds: countBy(all, (s) => s.kind).map(({ key, count }) => ({ kind: key, count })),
      },
      recent: visible.slice(0, RECENT_OVERALL),
      byAgent: stores.map((s) => ({
        agentId: s.agentId,
        path: admin ? s.path : "[redacted]",
        count: s.sessions.length,
        recent: s.sessions.filter((x) => x.key !== "global" && x.key !== "unknown").sort(byRecency).slice(0, RECENT_PER_AGENT),
      })),
    },
    modelRuntime: { degraded: false, pendingAgents: [], providers: Object.keys(config.models?.providers ?? {}) },
  };
}
