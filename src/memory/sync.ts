/**
 * Indexing: bring a generation up to date with the source files, then embed the chunks that have
 * no vector yet. Work is committed in batches (a few MB of text, or one embedding request), each
 * file's chunks together with its file record, so a killed run keeps everything it committed and
 * the next run starts where it stopped: unchanged files are recognised by size and mtime (then by
 * content hash) and skipped. The loop yields to the event loop between batches (the gateway's
 * watcher runs it in process). `force` builds a new generation beside the active one, resumes an
 * interrupted build, and flips to it atomically when complete.
 */
import { readFileSync } from "node:fs";
import { AppError } from "../shared/index.js";
import { chunkMarkdown, sha256 } from "./chunk.js";
import { endpointOf } from "./embeddings.js";
import type { MemoryIndex } from "./memory-index.js";
import { type SourceFile, scanSources } from "./sources.js";
import { CJK_CHARS, createGen, dropGen, type GenTables, listGens, readIdentity, setMeta, vectorBlob, writeIdentity } from "./store.js";

export interface SyncProgress {
  phase: "scan" | "index" | "embed" | "swap" | "done";
  agentId: string;
  filesTotal: number;
  filesDone: number;
  bytesTotal: number;
  bytesDone: number;
  /** Chunks written by this run so far. */
  chunks: number;
  embedTotal: number;
  embedDone: number;
  elapsedMs: number;
  /** Files per second while indexing, chunks per second while embedding. */
  rate: number;
  /** Estimated time left in this phase, when it can be told. */
  etaMs?: number;
}

export interface SyncResult {
  agentId: string;
  dbPath: string;
  generation: number;
  forced: boolean;
  /** True when `--force` continued an interrupted rebuild. */
  resumedBuild: boolean;
  /** Files the sources hold. */
  files: number;
  /** Files (re)chunked by this run. */
  indexed: number;
  /** Files whose mtime changed but whose content did not. */
  touched: number;
  removed: number;
  /** Chunks in the index after the run. */
  chunks: number;
  chunksWritten: number;
  /** Vectors written by this run, and how many came from the embedding cache. */
  embedded: number;
  cacheHits: number;
  durationMs: number;
  /** Keyword search only (no provider, or vectors paused). */
  keywordOnly: boolean;
  /** Why vectors were not updated (identity mismatch), with the fix. */
  vectorPaused?: string;
  providerNote?: string;
  skippedRoots: Array<{ path: string; reason: string }>;
}

export interface SyncOptions {
  force?: boolean;
  /** Text per write transaction (default 1 MB). The gateway's background syncs use less, so no batch holds its event loop for long. */
  batchBytes?: number;
  signal?: AbortSignal;
  onProgress?: (p: SyncProgress) => void;
}

/** Text per write transaction: 1 MB keeps peak memory low (4 MB saved ~7 % CPU for ~50 MiB more RSS). */
const BATCH_BYTES = 1024 * 1024;
const BATCH_FILES = 500;

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError("INTERRUPTED", "memory index interrupted; rerun it to continue from the last committed batch");
}

interface Prepared {
  file: SourceFile;
  hash: string;
  chunks: ReturnType<typeof chunkMarkdown> | undefined;
}

function statements(index: MemoryIndex, t: GenTables) {
  const db = index.db;
  return {
    known: db.prepare(`SELECT path, hash, mtime_ms, size FROM ${t.files}`),
    oldChunks: db.prepare(`SELECT id, text FROM ${t.chunks} WHERE path = ?`),
    ftsDelete: db.prepare(`INSERT INTO ${t.fts}(${t.fts}, rowid, text) VALUES ('delete', ?, ?)`),
    delChunks: db.prepare(`DELETE FROM ${t.chunks} WHERE path = ?`),
    delVector: db.prepare(`DELETE FROM ${t.vectors} WHERE chunk_id = ?`),
    delCjk: db.prepare(`DELETE FROM ${t.cjk} WHERE chunk_id = ?`),
    insCjk: db.prepare(`INSERT OR IGNORE INTO ${t.cjk} (chunk_id) VALUES (?)`),
    insChunk: db.prepare(`INSERT INTO ${t.chunks} (path, start_line, end_line, hash, text) VALUES (?, ?, ?, ?, ?)`),
    insFts: db.prepare(`INSERT INTO ${t.fts}(rowid, text) VALUES (?, ?)`),
    upsertFile: db.prepare(
      `INSERT INTO ${t.files} (path, source, hash, mtime_ms, size, chunks, indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(path) DO UPDATE SET source = excluded.source, hash = excluded.hash, mtime_ms = excluded.mtime_ms, size = excluded.size, chunks = excluded.chunks, indexed_at = excluded.indexed_at`,
    ),
    touch: db.prepare(`UPDATE ${t.files} SET mtime_ms = ?, size = ? WHERE path = ?`),
    delFile: db.prepare(`DELETE FROM ${t.files} WHERE path = ?`),
  };
}

/** Removes a file's chunks (and their FTS rows and vectors) from a generation. */
function dropFileChunks(index: MemoryIndex, t: GenTables, st: ReturnType<typeof statements>, key: string, vecTable: boolean): void {
  const delVec = vecTable ? index.db.prepare(`DELETE FROM ${t.vec} WHERE rowid = ?`) : undefined;
  for (const old of st.oldChunks.all<{ id: number; text: string }>(key)) {
    st.ftsDelete.run(old.id, old.text);
    st.delVector.run(old.id);
    if (CJK_CHARS.test(old.text)) st.delCjk.run(old.id);
    delVec?.run(BigInt(old.id));
  }
  st.delChunks.run(key);
}

/** Brings generation `t` up to date with the sources: the keyword part. */
async function indexFiles(index: MemoryIndex, t: GenTables, o: SyncOptions, progress: (p: Partial<SyncProgress>) => void) {
  const scan = scanSources(index.settings);
  const st = statements(index, t);
  const known = new Map(index.guard(() => st.known.all<{ path: string; hash: string; mtime_ms: number; size: number }>()).map((r) => [r.path, r]));
  const seen = new Set(scan.files.map((f) => f.key));
  const changed = scan.files.filter((f) => {
    const k = known.get(f.key);
    return !k || k.mtime_ms !== f.mtimeMs || k.size !== f.size;
  });
  const removed = [...known.keys()].filter((k) => !seen.has(k));
  const bytesTotal = changed.reduce((n, f) => n + f.size, 0);
  const vecTable = index.guard(() => index.db.prepare("SELECT 1 FROM sqlite_schema WHERE name = ?").get(t.vec) !== undefined);
  let filesDone = 0;
  let bytesDone = 0;
  let indexed = 0;
  let touched = 0;
  let chunksWritten = 0;
  progress({ phase: "index", filesTotal: changed.length, filesDone: 0, bytesTotal, bytesDone: 0 });
  for (let i = 0; i < changed.length; ) {
    checkAbort(o.signal);
    const batch: Prepared[] = [];
    let bytes = 0;
    while (i < changed.length && batch.length < BATCH_FILES && (bytes < (o.batchBytes ?? BATCH_BYTES) || batch.length === 0)) {
      const file = changed[i++]!;
      let text: string;
      try {
        text = readFileSync(file.abs, "utf8");
      } catch {
        continue; // Vanished or unreadable since the scan: the next run settles it.
      }
      bytes += file.size;
      const hash = sha256(text);
      const k = known.get(file.key);
      batch.push({ file, hash, chunks: k && k.hash === hash ? undefined : chunkMarkdown(text, { tokens: index.settings.chunking.tokens, overlap: index.settings.chunking.overlap }) });
    }
    const now = Date.now();
    index.guard(() =>
      index.db.transaction(() => {
        for (const p of batch) {
          if (!p.chunks) {
            st.touch.run(p.file.mtimeMs, p.file.size, p.file.key);
            touched++;
            continue;
          }
          if (known.has(p.file.key)) dropFileChunks(index, t, st, p.file.key, vecTable);
          for (const c of p.chunks) {
            const r = st.insChunk.run(p.file.key, c.startLine, c.endLine, c.hash, c.text);
            st.insFts.run(r.lastInsertRowid, c.text);
            if (CJK_CHARS.test(c.text)) st.insCjk.run(r.lastInsertRowid);
          }
          st.upsertFile.run(p.file.key, p.file.source, p.hash, p.file.mtimeMs, p.file.size, p.chunks.length, now);
          chunksWritten += p.chunks.length;
          indexed++;
        }
      }),
    );
    filesDone = i;
    bytesDone += bytes;
    progress({ phase: "index", filesDone, bytesDone, chunks: chunksWritten });
    await tick();
  }
  if (removed.length) {
    index.guard(() =>
      index.db.transaction(() => {
        for (const key of removed) {
          dropFileChunks(index, t, st, key, vecTable);
          st.delFile.run(key);
        }
      }),
    );
  }
  return { scan, indexed, touched, removed: removed.length, chunksWritten };
}

/** Embeds every chunk of `t` that has no vector (cache first), one committed batch per request. */
async function embedChunks(index: MemoryIndex, t: GenTables, o: SyncOptions, progress: (p: Partial<SyncProgress>) => void) {
  const embedder = index.embedder!;
  const db = index.db;
  const missing = `FROM ${t.chunks} c WHERE NOT EXISTS (SELECT 1 FROM ${t.vectors} v WHERE v.chunk_id = c.id)`;
  const total = index.guard(() => db.prepare(`SELECT count(*) AS n ${missing}`).get<{ n: number }>()!.n);
  const next = db.prepare(`SELECT c.id, c.path, c.hash, c.text ${missing} AND c.id > ? ORDER BY c.id LIMIT ?`);
  const cacheGet = db.prepare("SELECT embedding, dims FROM memory_embedding_cache WHERE provider_key = ? AND hash = ?");
  const cachePut = db.prepare("INSERT OR REPLACE INTO memory_embedding_cache (provider_key, hash, dims, embedding, created_at) VALUES (?, ?, ?, ?, ?)");
  const insVector = db.prepare(`INSERT OR REPLACE INTO ${t.vectors} (chunk_id, embedding) VALUES (?, ?)`);
  let done = 0;
  let cacheHits = 0;
  let embedded = 0;
  let after = 0;
  let batchNo = 0;
  progress({ phase: "embed", embedTotal: total, embedDone: 0 });
  while (done < total) {
    checkAbort(o.signal);
    const rows = index.guard(() => next.all<{ id: number; path: string; hash: string; text: string }>(after, embedder.settings.batchSize));
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    batchNo++;
    const vectors = new Map<number, Float32Array>();
    const misses: typeof rows = [];
    for (const r of rows) {
      const hit = index.settings.cache ? index.guard(() => cacheGet.get<{ embedding: Buffer; dims: number }>(embedder.key, r.hash)) : undefined;
      if (hit) {
        vectors.set(r.id, new Float32Array(new Uint8Array(hit.embedding).slice().buffer));
        cacheHits++;
      } else misses.push(r);
    }
    if (misses.length) {
      const files = [...new Set(misses.map((r) => r.path))];
      const label = `embedding batch ${batchNo} (chunks ${misses[0]!.id}–${misses[misses.length - 1]!.id} of ${files.slice(0, 2).join(", ")}${files.length > 2 ? ` and ${files.length - 2} more` : ""})`;
      const got = await embedder.embed(
        misses.map((r) => r.text),
        { label, ...(o.signal ? { signal: o.signal } : {}) },
      );
      for (const [k, r] of misses.entries()) vectors.set(r.id, got[k]!);
    }
    const dims = vectors.values().next().value!.length;
    const identity = index.guard(() => readIdentity(db, t.gen))!;
    if (identity.vector && identity.vector.dims !== dims) {
      throw new AppError("MEMORY_EMBEDDING", `${embedder.settings.id}/${embedder.settings.model} answered ${dims}-dimension vectors, the index holds ${identity.vector.dims}`, {
        hint: `Rebuild the index for the new model: openclaw memory index --force --agent ${index.settings.agentId}`,
      });
    }
    const vecTable = index.ensureVecTable(t.gen, dims);
    const insVec = vecTable ? db.prepare(`INSERT OR REPLACE INTO ${t.vec}(rowid, embedding) VALUES (?, ?)`) : undefined;
    const now = Date.now();
    index.guard(() =>
      db.transaction(() => {
        if (!identity.vector) {
          const p = embedder.settings;
          writeIdentity(db, t.gen, { ...identity, vector: { provider: p.id, model: p.model, endpoint: endpointOf(p.baseUrl), dims } });
        }
        for (const r of rows) {
          const v = vectors.get(r.id)!;
          const blob = vectorBlob(v);
          insVector.run(r.id, blob);
          insVec?.run(BigInt(r.id), blob);
          if (index.settings.cache && misses.includes(r)) cachePut.run(embedder.key, r.hash, dims, blob, now);
        }
      }),
    );
    embedded += rows.length;
    done += rows.length;
    progress({ phase: "embed", embedDone: done });
    await tick();
  }
  return { embedded, cacheHits };
}

/** Syncs the index with its sources (see the file comment). */
export async function syncMemory(index: MemoryIndex, o: SyncOptions = {}): Promise<SyncResult> {
  const started = Date.now();
  const settings = index.settings;
  const db = index.db;
  const state: SyncProgress = { phase: "scan", agentId: settings.agentId, filesTotal: 0, filesDone: 0, bytesTotal: 0, bytesDone: 0, chunks: 0, embedTotal: 0, embedDone: 0, elapsedMs: 0, rate: 0 };
  let phaseStart = started;
  const progress = (p: Partial<SyncProgress>) => {
    if (p.phase && p.phase !== state.phase) phaseStart = Date.now();
    Object.assign(state, p);
    const now = Date.now();
    state.elapsedMs = now - started;
    const secs = Math.max(0.001, (now - phaseStart) / 1000);
    const [done, total] = state.phase === "embed" ? [state.embedDone, state.embedTotal] : [state.filesDone, state.filesTotal];
    state.rate = done / secs;
    if (state.phase === "index" && state.bytesDone > 0) state.etaMs = Math.round(((state.bytesTotal - state.bytesDone) / state.bytesDone) * (now - phaseStart));
    else if (done > 0 && total >= done) state.etaMs = Math.round(((total - done) / done) * (now - phaseStart));
    else delete state.etaMs;
    o.onProgress?.({ ...state });
  };
  progress({ phase: "scan" });
  const wanted = () => ({ chunkTokens: settings.chunking.tokens, chunkOverlap: settings.chunking.overlap, tokenizer: settings.tokenizer, createdAt: Date.now() });
  const active = index.activeGen();
  let gen: number;
  let resumedBuild = false;
  if (o.force || active === undefined) {
    const building = index.buildingGen();
    if (building !== undefined && !index.keywordMismatch(building) && !index.vectorMismatch(building)) {
      gen = building;
      resumedBuild = o.force === true;
    } else {
      gen = Math.max(0, ...index.guard(() => listGens(db))) + 1;
      index.guard(() =>
        db.transaction(() => {
          if (building !== undefined && building !== active) dropGen(db, building);
          createGen(db, gen, wanted());
          // A first index builds in place (it is resumable the same way); a rebuild stays beside the active one.
          setMeta(db, active === undefined ? "active_gen" : "building_gen", String(gen));
        }),
      );
    }
    if (active === undefined && gen === index.buildingGen()) {
      index.guard(() =>
        db.transaction(() => {
          setMeta(db, "active_gen", String(gen));
          setMeta(db, "building_gen", undefined);
        }),
      );
    }
  } else {
    gen = active;
    const mismatch = index.keywordMismatch(gen);
    if (mismatch) {
      throw new AppError("MEMORY_STORE", `the memory index of agent ${settings.agentId} was built with different settings (${mismatch})`, {
        hint: `Rebuild it (search keeps working meanwhile): openclaw memory index --force --agent ${settings.agentId}`,
      });
    }
  }
  const t = index.tables(gen);
  const keyword = await indexFiles(index, t, o, progress);
  const vectorPaused = index.vectorMismatch(gen);
  let emb = { embedded: 0, cacheHits: 0 };
  if (index.embedder && !vectorPaused && !settings.providerBroken) emb = await embedChunks(index, t, o, progress);
  if (gen !== index.activeGen()) {
    // Catch edits made while the rebuild ran, then flip in one transaction.
    const late = await indexFiles(index, t, o, progress);
    keyword.indexed += late.indexed;
    keyword.chunksWritten += late.chunksWritten;
    if (index.embedder && !vectorPaused && !settings.providerBroken && late.chunksWritten) {
      const more = await embedChunks(index, t, o, progress);
      emb = { embedded: emb.embedded + more.embedded, cacheHits: emb.cacheHits + more.cacheHits };
    }
    progress({ phase: "swap" });
    index.guard(() =>
      db.transaction(() => {
        const old = Number(db.prepare("SELECT value FROM memory_meta WHERE key = 'active_gen'").get<{ value: string }>()?.value);
        setMeta(db, "active_gen", String(gen));
        setMeta(db, "building_gen", undefined);
        if (Number.isInteger(old) && old > 0 && old !== gen) dropGen(db, old);
      }),
    );
  }
  const counts = index.guard(() => ({
    files: db.prepare(`SELECT count(*) AS n FROM ${t.files}`).get<{ n: number }>()!.n,
    chunks: db.prepare(`SELECT count(*) AS n FROM ${t.chunks}`).get<{ n: number }>()!.n,
  }));
  const durationMs = Date.now() - started;
  index.guard(() => setMeta(db, "last_sync", JSON.stringify({ at: Date.now(), durationMs, files: counts.files, chunks: counts.chunks, indexed: keyword.indexed })));
  progress({ phase: "done" });
  return {
    agentId: settings.agentId,
    dbPath: settings.dbPath,
    generation: gen,
    forced: o.force === true,
    resumedBuild,
    files: counts.files,
    indexed: keyword.indexed,
    touched: keyword.touched,
    removed: keyword.removed,
    chunks: counts.chunks,
    chunksWritten: keyword.chunksWritten,
    embedded: emb.embedded,
    cacheHits: emb.cacheHits,
    durationMs,
    keywordOnly: !index.embedder || vectorPaused !== undefined || settings.providerBroken === true,
    ...(vectorPaused ? { vectorPaused: `vectors paused: the index was embedded with a different ${vectorPaused}; keyword search still works. Rebuild: openclaw memory index --force --agent ${settings.agentId}` } : {}),
    ...(settings.providerNote ? { providerNote: settings.providerNote } : {}),
    skippedRoots: keyword.scan.skipped,
  };
}
