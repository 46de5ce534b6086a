/**
 * The agents subsystem (the agent runtime plugs in here): owns `agents.*`, `models.*`, `session`,
 * tools and auth profiles config; serves `models.list` and `sessions.list`; contributes agents,
 * sessions and heartbeat to `health` and `status`.
 */
import type { OpenClawConfig } from "../../../config/index.js";
import { readSessionStore, summarizeSessions } from "../../../storage/index.js";
import type { ApplyResult, MethodHandlers, Subsystem } from "../../subsystem.js";
import { CoreBound } from "../base.js";

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

export class AgentsSubsystem extends CoreBound implements Subsystem {
  readonly name = "agents";

  readonly methods: MethodHandlers = {
    "models.list": (_p, ctx) => {
      const providers = ctx.config().models?.providers ?? {};
      const models = Object.entries(providers).flatMap(([provider, p]) =>
        (p.models ?? []).map((m) => ({ id: `${provider}/${String((m as { id?: unknown }).id ?? "")}`, provider, name: (m as { name?: unknown }).name ?? (m as { id?: unknown }).id })),
      );
      return { models };
    },
    "sessions.list": (p, ctx) => {
      const agents = listAgents(ctx.config()).filter((a) => !p.agentId || a.id === p.agentId);
      const cutoff = p.activeMinutes ? Date.now() - p.activeMinutes * 60_000 : 0;
      const layout = this.core.paths.layout;
      const sessions = agents
        .flatMap((a) => readSessionStore(layout.sessionStoreFile(a.id)).map((s) => ({ ...s, agentId: a.id })))
        .filter((s) => (s.updatedAt ?? 0) >= cutoff)
        .sort((a, b) => (b.updatedAt ?? 0) - (a.updatedAt ?? 0));
      return { ts: Date.now(), count: sessions.length, sessions: sessions.slice(0, p.limit ?? 200) };
    },
  };

  /** Agent config is read per call today; the agent runtime will reload what it caches here. */
  applyConfig(): ApplyResult {
    return "applied";
  }

  health(): Record<string, unknown> {
    const core = this.core;
    const config = core.runningConfig();
    const agents = listAgents(config);
    const heartbeat = heartbeatSummary(config);
    const summaries = agents.map((a) => ({
      agentId: a.id,
      ...(a.name ? { name: a.name } : {}),
      isDefault: a.isDefault,
      heartbeat,
      sessions: summarizeSessions(core.paths.layout.sessionStoreFile(a.id)),
    }));
    return {
      heartbeatSeconds: Math.round(heartbeat.everyMs / 1000),
      defaultAgentId: agents.find((a) => a.isDefault)!.id,
      agents: summaries,
      sessions: summaries.find((a) => a.isDefault)!.sessions,
      modelRuntime: { providers: Object.keys(config.models?.providers ?? {}) },
    };
  }

  status(options: { admin: boolean }): Record<string, unknown> {
    const core = this.core;
    const config = core.runningConfig();
    const agents = listAgents(config);
    const byAgent = agents.map((a) => ({ agentId: a.id, ...summarizeSessions(core.paths.layout.sessionStoreFile(a.id)) }));
    const recent = byAgent
      .flatMap((a) => a.recent.map((r) => ({ ...r, agentId: a.agentId })))
      .sort((x, y) => (y.updatedAt ?? 0) - (x.updatedAt ?? 0))
      .slice(0, 10);
    return {
      heartbeat: heartbeatSummary(config),
      sessions: {
        ...(options.admin ? { paths: byAgent.map((a) => a.path) } : {}),
        count: byAgent.reduce((n, a) => n + a.count, 0),
        defaults: { defaultAgentId: agents.find((a) => a.isDefault)!.id, mainKey: "main" },
        recent,
        byAgent: byAgent.map((a) => ({ agentId: a.agentId, count: a.count })),
      },
      modelRuntime: { providers: Object.keys(config.models?.providers ?? {}) },
    };
  }
}
