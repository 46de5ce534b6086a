/**
 * `memory status`: what the index holds, whether it is current (files changed since the last
 * run, chunks still waiting for vectors), what it was built with and whether the config still
 * matches, where it lives and how big it is. `deep` also embeds one probe text to prove the
 * provider answers. Never writes to the database.
 */
import { statSync } from "node:fs";
import { createEmbedder, endpointOf } from "./embeddings.js";
import { MemoryIndex } from "./memory-index.js";
import type { MemorySettings } from "./settings.js";
import { scanSources } from "./sources.js";
import { type GenIdentity, getMeta, hasTable } from "./store.js";

export interface MemoryStatus {
  agentId: string;
  /** ok | missing (never indexed) | dirty (files changed) | pending (vectors missing) | mismatch | disabled. */
  state: "ok" | "missing" | "dirty" | "pending" | "mismatch" | "disabled";
  enabled: boolean;
  workspace: string;
  dbPath: string;
  exists: boolean;
  sourceFiles: number;
  files: number;
  chunks: number;
  vectors: number;
  pendingEmbeddings: number;
  dirty: { added: number; changed: number; removed: number; sample: string[] };
  lastIndexedAt?: number;
  lastDurationMs?: number;
  identity?: GenIdentity;
  generation?: number;
  building?: { generation: number; files: number; chunks: number };
  provider?: { id: string; model: string; endpoint: string };
  providerNote?: string;
  keywordOnly: boolean;
  keywordMismatch?: string;
  vectorMismatch?: string;
  vectorSearch: "sqlite-vec" | "in-process" | "off";
  dbBytes: number;
  walBytes: number;
  extraPaths: string[];
  skippedRoots: Array<{ path: string; reason: string }>;
  /** What a `--force` rebuild would send to the embedding provider (chunks whose text is not cached for this provider and model), and what the cache covers. */
  rebuildEstimate?: { chunks: number; cached: number; tokens: number };
  /** What to run next, when something is off. */
  fix?: string;
  deep?: { ok: boolean; latencyMs?: number; dims?: number; error?: string };
}

const size = (f: string) => {
  try {
    return statSync(f).size;
  } catch {
    return 0;
  }
};

/** One probe embedding through the configured provider (undefined when none is configured or usable). */
export async function probeEmbeddings(settings: MemorySettings, signal?: AbortSignal): Promise<MemoryStatus["deep"]> {
  const p = settings.provider;
  if (!p || settings.providerBroken || !settings.enabled) return undefined;
  const started = Date.now();
  try {
    const [v] = await createEmbedder(p).embed(["openclaw memory status probe"], { label: "status probe", maxAttempts: 1, timeoutMs: Math.min(p.timeoutMs, 15_000), ...(signal ? { signal } : {}) });
    return { ok: true, latencyMs: Date.now() - started, dims: v!.length };
  } catch (e) {
    return { ok: false, latencyMs: Date.now() - started, error: (e as Error).message };
  }
}

/** One agent's memory status. */
export async function memoryStatus(settings: MemorySettings, options: { deep?: boolean; signal?: AbortSignal } = {}): Promise<MemoryStatus> {
  const scan = scanSources(settings);
  const p = settings.provider;
  const base: MemoryStatus = {
    agentId: settings.agentId,
    state: settings.enabled ? "missing" : "disabled",
    enabled: settings.enabled,
    workspace: settings.workspace,
    dbPath: settings.dbPath,
    exists: false,
    sourceFiles: scan.files.length,
    files: 0,
    chunks: 0,
    vectors: 0,
    pendingEmbeddings: 0,
    dirty: { added: scan.files.length, changed: 0, removed: 0, sample: scan.files.slice(0, 5).map((f) => f.key) },
    ...(p ? { provider: { id: p.id, model: p.model, endpoint: endpointOf(p.baseUrl) } } : {}),
    ...(settings.providerNote ? { providerNote: settings.providerNote } : {}),
    keywordOnly: !p || settings.providerBroken === true,
    vectorSearch: "off",
    dbBytes: size(settings.dbPath),
    walBytes: size(`${settings.dbPath}-wal`),
    extraPaths: settings.extraPaths.map((e) => (e.pattern ? `${e.path} (${e.pattern})` : e.path)),
    skippedRoots: scan.skipped,
  };
  if (!settings.enabled) return base;
  const index = MemoryIndex.open(settings, { create: false, inspectOnly: true });
  if (!index) {
    // No index yet: the provider can still be probed (a fresh install wants to know before indexing).
    const deep = options.deep ? await probeEmbeddings(settings, options.signal) : undefined;
    return { ...base, ...(deep ? { deep } : {}), fix: `openclaw memory index --agent ${settings.agentId}` };
  }
  try {
    const out: MemoryStatus = { ...base, exists: true };
    const gen = index.activeGen();
    if (gen !== undefined && hasTable(index.db, index.tables(gen).files)) {
      const t = index.tables(gen);
      const db = index.db;
      const known = new Map(index.guard(() => db.prepare(`SELECT path, mtime_ms, size FROM ${t.files}`).all<{ path: string; mtime_ms: number; size: number }>()).map((r) => [r.path, r]));
      const seen = new Set<string>();
      const dirty = { added: 0, changed: 0, removed: 0, sample: [] as string[] };
      for (const f of scan.files) {
        seen.add(f.key);
        const k = known.get(f.key);
        if (!k) dirty.added++;
        else if (k.mtime_ms !== f.mtimeMs || k.size !== f.size) dirty.changed++;
        else continue;
        if (dirty.sample.length < 5) dirty.sample.push(f.key);
      }
      for (const k of known.keys()) if (!seen.has(k)) dirty.removed++;
      out.dirty = dirty;
      out.generation = gen;
      out.files = known.size;
      index.guard(() => {
        out.chunks = db.prepare(`SELECT count(*) AS n FROM ${t.chunks}`).get<{ n: number }>()!.n;
        out.vectors = db.prepare(`SELECT count(*) AS n FROM ${t.vectors}`).get<{ n: number }>()!.n;
      });
      const identity = index.identity(gen);
      if (identity) out.identity = identity;
      const km = index.keywordMismatch(gen);
      const vm = index.vectorMismatch(gen);
      if (km) out.keywordMismatch = km;
      if (vm) out.vectorMismatch = vm;
      out.pendingEmbeddings = p && !settings.providerBroken && !vm ? out.chunks - out.vectors : 0;
      if (out.vectors > 0) out.vectorSearch = index.vectorExtension() ? "sqlite-vec" : "in-process";
      out.keywordOnly = out.keywordOnly || vm !== undefined;
      const last = getMeta(db, "last_sync");
      if (last) {
        try {
          const l = JSON.parse(last) as { at?: number; durationMs?: number };
          if (typeof l.at === "number") out.lastIndexedAt = l.at;
          if (typeof l.durationMs === "number") out.lastDurationMs = l.durationMs;
        } catch {
          // An unreadable record only hides the time.
        }
      }
      const building = index.buildingGen();
      if (building !== undefined && hasTable(db, index.tables(building).files)) {
        const b = index.tables(building);
        out.building = index.guard(() => ({
          generation: building,
          files: db.prepare(`SELECT count(*) AS n FROM ${b.files}`).get<{ n: number }>()!.n,
          chunks: db.prepare(`SELECT count(*) AS n FROM ${b.chunks}`).get<{ n: number }>()!.n,
        }));
      }
      const key = index.cacheKey();
      if (key && !settings.providerBroken) {
        const est = index.guard(() =>
          db
            .prepare(
              `SELECT count(*) AS n, coalesce(sum(length(c.text)), 0) AS chars FROM ${t.chunks} c WHERE NOT EXISTS (SELECT 1 FROM memory_embedding_cache e WHERE e.provider_key = ? AND e.hash = c.hash)`,
            )
            .get<{ n: number; chars: number }>(key)!,
        );
        out.rebuildEstimate = { chunks: est.n, cached: out.chunks - est.n, tokens: Math.ceil(est.chars / 4) };
      }
      const d = dirty.added + dirty.changed + dirty.removed;
      out.state = km || vm ? "mismatch" : d > 0 ? "dirty" : out.pendingEmbeddings > 0 ? "pending" : "ok";
      if (km || vm) out.fix = `openclaw memory index --force --agent ${settings.agentId}`;
      else if (out.state !== "ok") out.fix = `openclaw memory index --agent ${settings.agentId}`;
    } else out.fix = `openclaw memory index --agent ${settings.agentId}`;
    if (options.deep) {
      const deep = await probeEmbeddings(settings, options.signal);
      if (deep) out.deep = deep;
    }
    return out;
  } finally {
    index.close();
  }
}
