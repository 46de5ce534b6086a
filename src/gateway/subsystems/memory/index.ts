/**
 * The memory subsystem: owns `memory.*` and the agents' memory-search settings. Per agent it keeps
 * an `AgentMemory` (lazily opened index, watcher, debounced syncs), started in the background after
 * the gateway starts (never delaying it) and rebuilt when the agent's memory settings change. It
 * serves `doctor.memory.status` and `memory.search`, gives the agent runtime its `MemoryPort` (the
 * `memory_*` tools), and contributes a compact memory summary to `health` and `status`.
 * `OPENCLAW_SKIP_MEMORY=1` turns off watchers and background syncs (tests, maintenance).
 */
import { type MemoryPort, normalizeAgentId, resolveAgents } from "../../../agent/index.js";
import type { Logger } from "../../../logging/index.js";
import { type MemorySettings, resolveMemorySettings } from "../../../memory/index.js";
import { AppError } from "../../../shared/index.js";
import type { ApplyResult, MethodHandlers, Subsystem, SubsystemContext } from "../../subsystem.js";
import { CoreBound } from "../base.js";
import { AgentMemory } from "./agent-memory.js";
import { memoryMethods, memoryMetrics, memorySummary } from "./rpc.js";

export { AgentMemory, MEMORY_SEARCH_SYNC_BUDGET_MS, MEMORY_SYNC_DEBOUNCE_MS, type MemoryWatchState } from "./agent-memory.js";
export { MemoryWatcher } from "./watcher.js";

/** A settings fingerprint: a change of any of these reopens the agent's index. */
const settingsKey = (s: MemorySettings) => JSON.stringify(s);

export class MemorySubsystem extends CoreBound implements Subsystem {
  readonly name = "memory";
  private readonly agents = new Map<string, AgentMemory>();
  private seenConfig: unknown;
  private log: Logger | undefined;
  private background = true;
  readonly methods: MethodHandlers;
  /** Agent paths (workspace, agentDir, the roster) are owned by the agents subsystem: their edits reach us too. */
  readonly observes = ["agents"] as const;

  constructor(private readonly options: { debounceMs?: number } = {}) {
    super();
    this.methods = memoryMethods(this);
  }

  override start(ctx: SubsystemContext): void {
    super.start(ctx);
    this.log = ctx.log;
    this.background = ctx.core.env.OPENCLAW_SKIP_MEMORY !== "1";
    if (!this.background) ctx.log.info("memory watchers and background syncs skipped (OPENCLAW_SKIP_MEMORY=1)");
    this.safeReconcile();
  }

  override async stop(reason?: string): Promise<void> {
    const all = [...this.agents.values()];
    this.agents.clear();
    this.seenConfig = undefined;
    await Promise.allSettled(all.map((a) => a.close()));
    super.stop(reason);
  }

  /** Agents whose memory settings changed get a fresh index and watcher; removed agents are closed. */
  applyConfig(): ApplyResult {
    return this.reconcile() ? "restarted" : "applied";
  }

  /** Whether memory runs its watchers and background syncs (false under OPENCLAW_SKIP_MEMORY=1). */
  get backgroundEnabled(): boolean {
    return this.background;
  }

  /**
   * Brings the per-agent set in line with the running config (cheap when the config object did not
   * change, so every entry point calls it; the agents' workspace edits arrive through `observes`).
   * Returns whether anything was reopened.
   */
  reconcile(): boolean {
    const core = this.maybeCore;
    if (!core) return false;
    const config = core.runningConfig();
    if (config === this.seenConfig) return false;
    this.seenConfig = config;
    let changed = false;
    const wanted = new Map<string, MemorySettings>();
    for (const agent of resolveAgents({ config, layout: core.paths.layout, env: core.env })) {
      wanted.set(agent.id, resolveMemorySettings({ config, agent: { id: agent.id, workspace: agent.workspace, entry: agent.entry }, memoryDir: core.paths.layout.memoryDir, env: core.env }));
    }
    for (const [id, current] of this.agents) {
      const next = wanted.get(id);
      if (next && settingsKey(next) === settingsKey(current.settings)) continue;
      this.agents.delete(id);
      void current.close();
      changed = true;
    }
    for (const [id, settings] of wanted) {
      if (this.agents.has(id)) continue;
      const agent = new AgentMemory(settings, { log: this.log!, background: this.background, ...(this.options.debounceMs !== undefined ? { debounceMs: this.options.debounceMs } : {}) });
      this.agents.set(id, agent);
      agent.start();
    }
    return changed;
  }

  /** `reconcile` at start: a failure is logged, never thrown into the gateway. */
  private safeReconcile(): void {
    try {
      this.reconcile();
    } catch (error) {
      this.log?.warn(`memory: cannot apply the agents' memory settings: ${(error as Error).message}`);
    }
  }

  /** Every agent's memory (after reconciling with the running config). */
  list(): AgentMemory[] {
    this.reconcile();
    return [...this.agents.values()];
  }

  /** One agent's memory; USAGE for an unknown agent id. */
  agent(agentId: string): AgentMemory {
    this.reconcile();
    const id = normalizeAgentId(agentId);
    const found = this.agents.get(id);
    if (!found) throw new AppError("USAGE", `unknown agent id "${agentId}"`, { hint: "Run openclaw agents list to see configured agents." });
    return found;
  }

  /** What the `memory_*` tools use (through the agent runtime). */
  port(): MemoryPort {
    return {
      enabled: (agentId) => {
        try {
          return this.maybeCore !== undefined && this.agent(agentId).settings.enabled;
        } catch {
          return false;
        }
      },
      search: (agentId, query, o) => this.agent(agentId).search(query, o),
      get: async (agentId, file, o) => this.agent(agentId).get(file, o),
    };
  }

  health(): Record<string, unknown> {
    return { memory: memorySummary(this) };
  }

  status(): Record<string, unknown> {
    return { memory: memorySummary(this) };
  }

  metrics(): string[] {
    return memoryMetrics(this);
  }
}
