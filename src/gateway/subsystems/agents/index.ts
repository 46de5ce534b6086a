/**
 * The agents subsystem (the agent runtime plugs in here): owns `agents.*`, `models.*`, `session`,
 * tools and auth profiles config; serves `models.list` and `sessions.list`; contributes agents,
 * sessions and heartbeat to `health` and `status`.
 */

import path from "node:path";
import { AgentRuns, createBuiltinTools, ensureWorkspace, listCatalog, type MemoryPort, normalizeAgentId, resolveAgents, resolveAgentTools, summarizeAgentModelAuth } from "../../../agent/index.js";
import type { Logger } from "../../../logging/index.js";
import { SandboxManager } from "../../../sandbox/index.js";
import { AppError } from "../../../shared/index.js";
import { readSessionStore, summarizeSessions } from "../../../storage/index.js";
import type { ApplyResult, MethodHandlers, Subsystem, SubsystemContext } from "../../subsystem.js";
import { CoreBound } from "../base.js";
import { heartbeatSummary, listAgents } from "./agents.js";
import { ApprovalBroker, approvalMethods } from "./approvals.js";
import { compactMethods } from "./compact.js";
import { agentMethods } from "./rpc.js";
import { agentsStatus } from "./status.js";
import { TurnMetrics } from "./turn-metrics.js";
import { publishRunEvent, turnMethods } from "./turns.js";

export { type AgentRef, heartbeatSummary, listAgents } from "./agents.js";
export { ApprovalBroker, type ApprovalRecord, approvalMethods, MAX_PENDING_APPROVALS } from "./approvals.js";

/** How often idle and old sandbox containers are pruned. */
const SANDBOX_PRUNE_INTERVAL_MS = 5 * 60_000;

/** What chat turns report to the WebChat channel (counted like any channel's traffic). */
export interface WebChatCounter {
  recordInbound(): void;
  recordReply(status: string, error?: string): void;
}

export class AgentsSubsystem extends CoreBound implements Subsystem {
  readonly name = "agents";

  /** `memory`: the agents' memory (the memory subsystem's port) for the `memory_*` tools. */
  constructor(private readonly options: { webchat?: () => WebChatCounter; memory?: () => MemoryPort } = {}) {
    super();
  }
  /** Turn counters and provider latency; the turn engine calls `turns.record(summary)` per finished turn. */
  readonly turns = new TurnMetrics();

  /** Exec approvals: the turn engine's tools ask operators through this broker. */
  readonly approvals = new ApprovalBroker({ publish: (event, payload, options) => this.maybeCore?.events.publish(event, payload, options) });

  readonly methods: MethodHandlers = {
    ...agentMethods(() => this.core),
    ...compactMethods(() => this.core),
    ...turnMethods(() => this.runs, () => this.options.webchat?.()),
    ...approvalMethods(this.approvals),
    "models.list": (p, ctx) => ({
      models: listCatalog(ctx.config(), p.view ?? "default").map((m) => ({ id: m.id, key: m.key, name: m.name, provider: m.provider, contextWindow: m.contextWindow, maxTokens: m.maxTokens, reasoning: m.reasoning, input: m.input })),
    }),
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
  private runs_: AgentRuns | undefined;

  /** The runtime's runs (created on start). */
  get runs(): AgentRuns {
    if (!this.runs_) throw new AppError("UNAVAILABLE", "the agent runtime is not running", { hint: "The gateway is starting or stopping; retry in a moment." });
    return this.runs_;
  }

  override start(ctx: SubsystemContext): void {
    super.start(ctx);
    this.log = ctx.log;
    const core = ctx.core;
    const memory = this.options.memory?.();
    // Sandboxed sessions' exec runs in Docker (DOCKER_HOST or /var/run/docker.sock); settings are read per call.
    const sandbox = new SandboxManager({ env: core.env, stateDir: core.paths.layout.stateDir, config: () => core.runningConfig() as Record<string, unknown>, info: (m) => ctx.log.info(m) });
    this.startSandboxPrune(sandbox, ctx.log);
    this.runs_ = new AgentRuns({
      config: () => core.runningConfig(),
      layout: core.paths.layout,
      env: core.env,
      // The memory tools are candidates only when the agent's memory is enabled; the policy still decides.
      tools: (o) => resolveAgentTools({ config: o.config as never, agentId: o.agentId, provider: o.provider, model: o.model, tools: createBuiltinTools({ memory: memory?.enabled(o.agentId) === true }) }),
      ...(memory ? { memory } : {}),
      sandbox,
      requestApproval: (r) => this.approvals.request(r),
      emit: (ev) => publishRunEvent(core, ev),
      onFinished: (s) => {
        this.turns.record(s);
        // Figures only (never message content): one line per run, failed runs with their redacted error.
        const line = `agent run ${s.runId} ${s.sessionKey} ${s.status} ${s.endedAt - s.startedAt} ms${s.model ? ` ${s.model}` : ""} tokens ${s.inputTokens}/${s.outputTokens}${s.toolCalls ? ` tools ${s.toolCalls}` : ""}${s.failovers ? ` failovers ${s.failovers}` : ""}`;
        if (s.status === "ok") ctx.log.info(line);
        else ctx.log.warn(`${line}: ${s.errorMessage ?? s.status}`);
      },
      warn: (m) => ctx.log.warn(m),
      info: (m) => ctx.log.info(m),
    });
    this.ensureWorkspaces();
  }

  /** Cancels open approvals, aborts running turns (each ends with an `aborted` final) and waits for them within the core's drain. */
  override async stop(reason?: string): Promise<void> {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.pruneTimer = undefined;
    this.approvals.cancelAll();
    const runs = this.runs_;
    this.runs_ = undefined;
    await runs?.stop();
    super.stop(reason);
  }

  private pruneTimer: NodeJS.Timeout | undefined;

  /**
   * Every 5 minutes, when some agent's sandbox is on: removes containers past `prune.idleHours` /
   * `prune.maxAgeDays`. A failed pass is logged (once per distinct cause) and retried next time.
   */
  private startSandboxPrune(sandbox: SandboxManager, log: Logger): void {
    let lastError = "";
    this.pruneTimer = setInterval(() => {
      const config = this.core.runningConfig() as Record<string, unknown>;
      const ids = resolveAgents({ config: config as never, layout: this.core.paths.layout, env: this.core.env }).map((a) => a.id);
      if (!ids.some((id) => sandbox.settings(id).mode !== "off")) return;
      sandbox.prune().then(
        () => {
          lastError = "";
        },
        (error: unknown) => {
          const message = (error as Error)?.message ?? String(error);
          if (message !== lastError) log.warn(`sandbox prune skipped: ${message}`);
          lastError = message;
        },
      );
    }, SANDBOX_PRUNE_INTERVAL_MS);
    this.pruneTimer.unref();
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
    const modelAuth = this.modelAuth();
    const summaries = agents.map((a) => ({
      agentId: a.id,
      ...(a.name ? { name: a.name } : {}),
      isDefault: a.isDefault,
      heartbeat,
      sessions: summarizeSessions(core.paths.layout.sessionStoreFile(a.id)),
      ...(modelAuth.get(a.id) ? { modelAuth: modelAuth.get(a.id) } : {}),
    }));
    return {
      heartbeatSeconds: Math.round(heartbeat.everyMs / 1000),
      defaultAgentId: agents.find((a) => a.isDefault)!.id,
      agents: summaries,
      sessions: summaries.find((a) => a.isDefault)!.sessions,
      modelRuntime: { degraded: false, pendingAgents: [], providers: Object.keys(config.models?.providers ?? {}) },
      turns: this.turns.health(),
    };
  }

  /** Turn, token, provider-error, failover and provider-latency lines for `/metrics`. */
  metrics(): string[] {
    return this.turns.metrics();
  }

  status(options: { admin: boolean }): Record<string, unknown> {
    return { ...agentsStatus(this.core, options.admin), modelAuth: [...this.modelAuth().values()] };
  }

  /** Per agent: default model, provider auth states, expiring profiles and cooldowns (no secrets). */
  private modelAuth(): Map<string, ReturnType<typeof summarizeAgentModelAuth>> {
    const core = this.core;
    const config = core.runningConfig() as unknown as Record<string, unknown>;
    const now = Date.now();
    const out = new Map<string, ReturnType<typeof summarizeAgentModelAuth>>();
    for (const agent of resolveAgents({ config: core.runningConfig(), layout: core.paths.layout, env: core.env })) {
      out.set(agent.id, summarizeAgentModelAuth({ config, env: core.env, storeFile: path.join(agent.agentDir, "auth-profiles.json"), agentId: agent.id, now }));
    }
    return out;
  }

}
