/**
 * Which memory indexes an operation is about: the configured agents (or one, by `--agent`) with
 * their memory settings resolved from the config and env. Shared by `openclaw memory …`, doctor
 * and `migrate verify`. Resolving never opens a database; the memory engine loads SQLite only
 * when a caller opens an index.
 */
import { findAgent, listAgents, normalizeAgentId, resolveAgents } from "../agent/index.js";
import type { OpenClawConfig } from "../config/index.js";
import type { Env, StateLayout } from "../infra/index.js";
import { type MemorySettings, type MemoryStatus, memorySearchBlock, memoryStatus, resolveMemorySettings } from "../memory/index.js";
import { AppError } from "../shared/index.js";

export interface MemoryTargetOptions {
  config: OpenClawConfig;
  layout: StateLayout;
  env: Env;
  /** One agent (`--agent`); an unknown id is a NOT_FOUND error naming the configured ones. */
  agentId?: string;
  /** Without `agentId`: every configured agent (true) or only the default one (false). */
  all: boolean;
}

/** The memory settings of the selected agents, in config order. */
export function resolveMemoryTargets(o: MemoryTargetOptions): MemorySettings[] {
  const opts = { config: o.config, layout: o.layout, env: o.env };
  const settingsOf = (agent: { id: string; workspace: string; entry: Record<string, unknown> }) =>
    resolveMemorySettings({ config: o.config, agent: { id: agent.id, workspace: agent.workspace, entry: agent.entry }, memoryDir: o.layout.memoryDir, env: o.env });
  if (o.agentId !== undefined) {
    if (!o.agentId.trim()) throw new AppError("USAGE", "--agent needs an agent id", { hint: `Configured agents: ${listAgents(o.config).map((a) => a.id).join(", ")}.` });
    const agent = findAgent(opts, o.agentId);
    if (!agent) {
      throw new AppError("NOT_FOUND", `unknown agent "${o.agentId}" (as an id: ${normalizeAgentId(o.agentId) || "(empty)"})`, {
        hint: `Configured agents: ${listAgents(o.config).map((a) => a.id).join(", ")} (openclaw agents list).`,
      });
    }
    return [settingsOf(agent)];
  }
  const agents = resolveAgents(opts);
  return (o.all ? agents : agents.filter((a) => a.isDefault)).map(settingsOf);
}

/** One agent's memory facts for doctor and `migrate verify`: the engine's status, or why it could not be read. */
export interface MemoryFacts {
  agentId: string;
  dbPath: string;
  /** The memory-search block is configured explicitly (not just on by default). */
  configured: boolean;
  /** The configured embedding provider cannot work (missing key, unsupported id). */
  providerBroken: boolean;
  status?: MemoryStatus;
  /** The index exists but cannot be read (locked, corrupt): the message and its fix. */
  error?: { message: string; hint?: string };
}

/** Every configured agent's memory status (reads only; loads SQLite only when an index file exists). */
export async function collectMemoryFacts(o: Omit<MemoryTargetOptions, "all" | "agentId">): Promise<MemoryFacts[]> {
  const out: MemoryFacts[] = [];
  for (const settings of resolveMemoryTargets({ ...o, all: true })) {
    const configured = Object.keys(memorySearchBlock(o.config, settings.agentId)).length > 0;
    const base = { agentId: settings.agentId, dbPath: settings.dbPath, configured, providerBroken: settings.providerBroken === true };
    try {
      out.push({ ...base, status: await memoryStatus(settings) });
    } catch (e) {
      const error = e instanceof AppError ? e : new AppError("MEMORY_STORE", (e as Error).message);
      out.push({ ...base, error: { message: error.message, ...(error.hint ? { hint: error.hint } : {}) } });
    }
  }
  return out;
}
