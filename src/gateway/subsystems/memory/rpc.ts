/**
 * `doctor.memory.status`, `memory.search` and the compact memory summary `health` and `status`
 * carry. The doctor answer keeps OpenClaw's top-level shape (`agentId`, `provider`, `embedding
 * {ok, checked, error?}`: what its doctor reads) and adds `agents[]`: the engine's `MemoryStatus`
 * per agent plus the watcher's view. The summary is built from what the gateway already knows (no
 * database reads), so `health` stays cheap.
 */
import { defaultAgentId } from "../../../agent/index.js";
import { memoryStatus } from "../../../memory/index.js";
import type { MethodHandlers } from "../../subsystem.js";
import type { AgentMemory, MemoryWatchState } from "./agent-memory.js";

/** What `memoryMethods` and `memorySummary` need of the subsystem. */
export interface MemoryHost {
  list(): AgentMemory[];
  agent(agentId: string): AgentMemory;
  readonly backgroundEnabled: boolean;
}

/** One agent in `health.memory` / `status.memory`. */
export interface MemoryAgentSummary {
  agentId: string;
  /** disabled · missing (nothing indexed yet) · syncing · dirty · error (last sync failed) · ok · unknown (no background sync ran). */
  state: "disabled" | "missing" | "syncing" | "dirty" | "error" | "ok" | "unknown";
  files?: number;
  chunks?: number;
  dirty: boolean;
  lastIndexedAt?: number;
  keywordOnly: boolean;
  lastError?: string;
  failures: number;
}

function summarize(a: AgentMemory, background: boolean): MemoryAgentSummary {
  const w = a.watchState();
  const base = { agentId: a.agentId, dirty: w.dirty, keywordOnly: w.keywordOnly ?? !a.settings.provider, failures: w.failures };
  const known = {
    ...(w.files !== undefined ? { files: w.files } : {}),
    ...(w.chunks !== undefined ? { chunks: w.chunks } : {}),
    ...(w.lastSyncAt !== undefined && (w.files ?? 0) > 0 ? { lastIndexedAt: w.lastSyncAt } : {}),
    ...(w.lastError ? { lastError: w.lastError } : {}),
  };
  const state: MemoryAgentSummary["state"] = !a.settings.enabled
    ? "disabled"
    : w.lastError
      ? "error"
      : w.syncing
        ? "syncing"
        : !background
          ? "unknown"
          : w.dirty
            ? "dirty"
            : (w.files ?? 0) === 0
              ? "missing"
              : "ok";
  return { ...base, ...known, state };
}

/** The compact per-agent memory view for `health` and `status`. */
export function memorySummary(host: MemoryHost): { watching: boolean; agents: MemoryAgentSummary[] } {
  return { watching: host.backgroundEnabled, agents: host.list().map((a) => summarize(a, host.backgroundEnabled)) };
}

/** A Prometheus label value, escaped. */
const label = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

/** Prometheus lines: per agent the indexed files and chunks, syncs, failed syncs and whether it is dirty. */
export function memoryMetrics(host: MemoryHost): string[] {
  const agents = host.list().map((a) => ({ id: label(a.agentId), w: a.watchState() }));
  const series: Array<[name: string, help: string, type: string, value: (w: MemoryWatchState) => number]> = [
    ["openclaw_memory_files", "Memory files in the agent's index after its last sync.", "gauge", (w) => w.files ?? 0],
    ["openclaw_memory_chunks", "Chunks in the agent's memory index after its last sync.", "gauge", (w) => w.chunks ?? 0],
    ["openclaw_memory_syncs_total", "Memory index syncs that completed.", "counter", (w) => w.syncs],
    ["openclaw_memory_sync_failures_total", "Memory index syncs that failed.", "counter", (w) => w.failures],
    ["openclaw_memory_dirty", "1 when memory files changed since the last sync.", "gauge", (w) => (w.dirty ? 1 : 0)],
  ];
  return series.flatMap(([name, help, type, value]) => [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...agents.map((a) => `${name}{agent="${a.id}"} ${value(a.w)}`)]);
}

function watcherView(w: MemoryWatchState): Record<string, unknown> {
  return {
    dirty: w.dirty,
    syncing: w.syncing,
    watching: w.watching,
    lastSyncAt: w.lastSyncAt ?? null,
    lastSyncMs: w.lastSyncMs ?? null,
    lastError: w.lastError ?? null,
    syncs: w.syncs,
    failures: w.failures,
    ...(w.unwatched ? { unwatched: w.unwatched } : {}),
  };
}

export function memoryMethods(host: MemoryHost): MethodHandlers {
  return {
    "doctor.memory.status": async (p, ctx) => {
      const probe = p.probe === true || p.deep === true;
      const selected = p.agentId ? [host.agent(p.agentId)] : host.list();
      const agents = await Promise.all(
        selected.map(async (a) => {
          try {
            const status = await memoryStatus(a.settings, { deep: probe });
            return { ...status, watcher: watcherView(a.watchState()) };
          } catch (error) {
            return { agentId: a.agentId, state: "error", error: (error as Error).message, watcher: watcherView(a.watchState()) };
          }
        }),
      );
      const mainId = p.agentId ? selected[0]!.agentId : defaultAgentId(ctx.config());
      const main = agents.find((a) => a.agentId === mainId) as (Awaited<ReturnType<typeof memoryStatus>> & { error?: string }) | undefined;
      const provider = main?.provider?.id ?? "none";
      let embedding: { ok: boolean; checked: boolean; error?: string };
      if (!main || main.error) embedding = { ok: false, checked: false, error: main?.error ?? "memory search unavailable" };
      else if (!main.enabled) embedding = { ok: false, checked: true, error: `memory search is disabled for agent ${mainId}` };
      else if (!main.provider) embedding = { ok: false, checked: true, error: main.providerNote ?? "no embedding provider: keyword search only" };
      else if (main.deep) embedding = { ok: main.deep.ok, checked: true, ...(main.deep.error ? { error: main.deep.error } : {}) };
      else embedding = { ok: false, checked: false, error: "memory embedding readiness not checked; run `openclaw memory status --deep` to probe" };
      return { agentId: mainId, provider, embedding, agents };
    },
    "memory.search": async (p, ctx) => {
      const agentId = p.agentId ?? defaultAgentId(ctx.config());
      const a = host.agent(agentId);
      const maxResults = Math.min(50, Math.max(1, Math.floor(p.maxResults ?? 20)));
      const r = await a.search(p.query.trim(), { maxResults, ...(p.minScore !== undefined ? { minScore: p.minScore } : {}) });
      return {
        agentId: a.agentId,
        provider: r.provider ?? "none",
        ...(r.model ? { model: r.model } : {}),
        searchMode: r.mode === "hybrid" ? "hybrid" : "fts-only",
        results: r.results,
        ...(r.stale ? { stale: true } : {}),
        ...(r.warning ? { warning: r.warning } : {}),
        ...(r.action ? { action: r.action } : {}),
      };
    },
  };
}
