/**
 * Which memory indexes an operation is about: the configured agents (or one, by `--agent`) with
 * their memory settings resolved from the config and env. Shared by `openclaw memory …`, doctor
 * and `migrate verify`. Resolving never opens a database; the memory engine loads SQLite only
 * when a caller opens an index.
 */

import { existsSync, readFileSync } from "node:fs";
import { findAgent, listAgents, normalizeAgentId, resolveAgents } from "../agent/index.js";
import type { OpenClawConfig } from "../config/index.js";
import type { Env, StateLayout } from "../infra/index.js";
import { MemoryIndex, type MemorySettings, type MemoryStatus, memorySearchBlock, memoryStatus, resolveMemorySettings, type SyncProgress, scanSources, searchMemory, syncMemory } from "../memory/index.js";
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

/** What `migrate import` did for one agent's memory index. */
export interface MemoryRebuild {
  agentId: string;
  rebuilt: boolean;
  files?: number;
  chunks?: number;
  keywordOnly?: boolean;
  /** Why it was not rebuilt, and the one command that does it. */
  error?: string;
  fix?: string;
}

/**
 * Rebuilds every agent's memory index in place (an imported state has none: the index is not
 * portable). Agents with memory disabled or nothing to index are skipped; a failure is reported
 * with `openclaw memory index`, never thrown (the import itself succeeded).
 */
export async function rebuildMemoryIndexes(o: Omit<MemoryTargetOptions, "all" | "agentId"> & { signal?: AbortSignal; onProgress?: (p: SyncProgress) => void }): Promise<MemoryRebuild[]> {
  const out: MemoryRebuild[] = [];
  let targets: MemorySettings[];
  try {
    targets = resolveMemoryTargets({ ...o, all: true });
  } catch (e) {
    return [{ agentId: "*", rebuilt: false, error: (e as Error).message, fix: "openclaw memory index" }];
  }
  for (const settings of targets) {
    if (!settings.enabled || (scanSources(settings).files.length === 0 && !existsSync(settings.dbPath))) continue;
    let index: MemoryIndex | undefined;
    try {
      index = MemoryIndex.open(settings, { create: true })!;
      const r = await syncMemory(index, { ...(o.signal ? { signal: o.signal } : {}), ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
      out.push({ agentId: settings.agentId, rebuilt: true, files: r.files, chunks: r.chunks, keywordOnly: r.keywordOnly });
    } catch (e) {
      out.push({ agentId: settings.agentId, rebuilt: false, error: (e as Error).message, fix: `openclaw memory index --agent ${settings.agentId}` });
    } finally {
      index?.close();
    }
  }
  return out;
}

/** The query `migrate verify` searches for: the longest plain word of the first memory file (so a hit is expected). */
function probeQuery(settings: MemorySettings): string | undefined {
  const first = scanSources(settings).files[0];
  if (!first) return undefined;
  let text: string;
  try {
    text = readFileSync(first.abs, "utf8").slice(0, 4096);
  } catch {
    return undefined;
  }
  const words = text.match(/[\p{L}]{4,32}/gu) ?? [];
  return words.sort((a, b) => b.length - a.length)[0];
}

/** One row of `migrate verify` for an agent's memory: index present, chunks > 0, and a search answers. */
export async function verifyMemorySearch(settings: MemorySettings): Promise<{ ok: boolean; detail: string }> {
  const fix = `openclaw memory index --agent ${settings.agentId}`;
  if (!settings.enabled) return { ok: true, detail: "memory search disabled" };
  const status = await memoryStatus(settings);
  if (status.sourceFiles === 0 && status.chunks === 0) return { ok: true, detail: `no memory files in ${settings.workspace} (nothing to index)` };
  if (!status.exists || status.generation === undefined) return { ok: false, detail: `no memory index (${settings.dbPath}) → ${fix}` };
  if (status.chunks === 0) return { ok: false, detail: `the memory index is empty but ${status.sourceFiles} memory file(s) exist → ${fix}` };
  const query = probeQuery(settings) ?? "memory";
  const index = MemoryIndex.open(settings, { create: false });
  if (!index) return { ok: false, detail: `no memory index (${settings.dbPath}) → ${fix}` };
  try {
    const r = await searchMemory(index, query, { minScore: 0, embedTimeoutMs: 8000 });
    if (r.results.length === 0) return { ok: false, detail: `searching "${query}" found nothing in ${status.chunks} chunks → ${fix}` };
    const stale = status.state === "ok" || status.state === "pending" ? "" : ` (index ${status.state}: ${status.fix ?? fix})`;
    return { ok: true, detail: `${status.files} file(s), ${status.chunks} chunks; "${query}" → ${r.results[0]!.citation} (${r.mode})${stale}` };
  } finally {
    index.close();
  }
}
