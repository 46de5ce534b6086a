/**
 * The agents subsystem (the agent runtime plugs in here): owns `agents.*`, `models.*`, `session`,
 * tools and auth profiles config; serves `models.list` and `sessions.list`; contributes agents,
 * sessions and heartbeat to `health` and `status`.
 */
import { readSessionStore, summarizeSessions } from "../../../storage/index.js";
import type { ApplyResult, MethodHandlers, Subsystem } from "../../subsystem.js";
import { CoreBound } from "../base.js";
import { heartbeatSummary, listAgents } from "./agents.js";
import { agentsStatus } from "./status.js";

export { type AgentRef, heartbeatSummary, listAgents } from "./agents.js";

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
      modelRuntime: { degraded: false, pendingAgents: [], providers: Object.keys(config.models?.providers ?? {}) },
    };
  }

  status(options: { admin: boolean }): Record<string, unknown> {
    return agentsStatus(this.core, options.admin);
  }

}
