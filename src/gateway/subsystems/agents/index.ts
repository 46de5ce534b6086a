/**
 * The agents subsystem (the agent runtime plugs in here): owns `agents.*`, `models.*`, `session`,
 * tools and auth profiles config; serves `models.list` and `sessions.list`; contributes agents,
 * sessions and heartbeat to `health` and `status`.
 */
import { ensureWorkspace, normalizeAgentId, resolveAgents } from "../../../agent/index.js";
import type { Logger } from "../../../logging/index.js";
import type { MethodName } from "../../../protocol/index.js";
import { AppError } from "../../../shared/index.js";
import { readSessionStore, summarizeSessions } from "../../../storage/index.js";
import type { ApplyResult, MethodHandlers, Subsystem, SubsystemContext } from "../../subsystem.js";
import { CoreBound } from "../base.js";
import { heartbeatSummary, listAgents } from "./agents.js";
import { ApprovalBroker, approvalMethods } from "./approvals.js";
import { agentMethods } from "./rpc.js";
import { agentsStatus } from "./status.js";

export { type AgentRef, heartbeatSummary, listAgents } from "./agents.js";
export { ApprovalBroker, type ApprovalRecord, approvalMethods, MAX_PENDING_APPROVALS } from "./approvals.js";

/** TEMPORARY (issue 13 in progress): methods in the table whose handlers are being built. */
function notYetServed(names: MethodName[]): MethodHandlers {
  return Object.fromEntries(names.map((n) => [n, () => Promise.reject(new AppError("UNAVAILABLE", `${n} is not served yet`))]));
}

export class AgentsSubsystem extends CoreBound implements Subsystem {
  readonly name = "agents";

  /** Exec approvals: the turn engine's tools ask operators through this broker. */
  readonly approvals = new ApprovalBroker({ publish: (event, payload, options) => this.maybeCore?.events.publish(event, payload, options) });

  readonly methods: MethodHandlers = {
    ...agentMethods(() => this.core),
    ...approvalMethods(this.approvals),
    ...notYetServed(["agent", "agent.wait", "chat.send", "chat.history", "chat.abort", "chat.inject", "sessions.compact"]),
    "models.list": (_p, ctx) => {
      const providers = ctx.config().models?.providers ?? {};
      const models = Object.entries(providers).flatMap(([provider, p]) =>
        (p.models ?? []).map((m) => ({ id: `${provider}/${String((m as { id?: unknown }).id ?? "")}`, provider, name: (m as { name?: unknown }).name ?? (m as { id?: unknown }).id })),
      );
      return { models };
    },
    "sessions.list": (p, ctx) => {
      const wanted = p.agentId ? normalizeAgentId(p.agentId) : undefined;
      const agents = listAgents(ctx.config()).filter((a) => !wanted || a.id === wanted);
      const cutoff = p.activeMinutes ? Date.now() - p.activeMinutes * 60_000 : 0;
      const layout = this.core.paths.layout;
      const sessions = agents
        .flatMap((a) => readSessionStore(layout.sessionStoreFile(a.id)).map((s) => ({ ...s, agentId: a.id })))
        .filter((s) => (s.updatedAt ?? 0) >= cutoff)
        .sort((a, b) => (b.updatedAt ?? 0) - (a.updatedAt ?? 0));
      return { ts: Date.now(), count: sessions.length, sessions: sessions.slice(0, p.limit ?? 200) };
    },
  };

  private log: Logger | undefined;

  override start(ctx: SubsystemContext): void {
    super.start(ctx);
    this.log = ctx.log;
    this.ensureWorkspaces();
  }

  override stop(reason?: string): void {
    this.approvals.cancelAll();
    super.stop(reason);
  }

  /** Agent config is read per call; a new agent's workspace is bootstrapped here. */
  applyConfig(): ApplyResult {
    this.ensureWorkspaces();
    return "applied";
  }

  /**
   * First run: each agent's workspace with its bootstrap files (unless skipBootstrap). Best-effort:
   * an unwritable workspace is logged and never stops the gateway.
   */
  private ensureWorkspaces(): void {
    const core = this.core;
    for (const agent of resolveAgents({ config: core.runningConfig(), layout: core.paths.layout, env: core.env })) {
      try {
        const r = ensureWorkspace(agent);
        if (r.created.length > 0) this.log?.info(`agent ${agent.id}: created ${r.created.join(", ")} in ${agent.workspace}`);
      } catch (error) {
        this.log?.warn(`agent ${agent.id}: cannot prepare workspace ${agent.workspace}: ${(error as Error).message}`);
      }
    }
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
