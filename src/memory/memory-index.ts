/**
 * One agent's open memory index: the database, its schema, the active generation and the optional
 * sqlite-vec accelerator. Indexing (`sync.ts`), search (`search.ts`) and status (`status.ts`) work
 * on it. Opening never creates a file unless asked: `status` and `search` on a missing index say
 * so instead of leaving an empty database behind.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { AppError } from "../shared/index.js";
import { openSqlite, type SqliteDb, type Statement } from "./db.js";
import type { Embedder } from "./embeddings.js";
import { createEmbedder, embedderKey, endpointOf } from "./embeddings.js";
import type { MemorySettings } from "./settings.js";
import { dropGen, type GenIdentity, type GenTables, genTables, hasTable, listGens, migrate, readGen, readIdentity, setMeta } from "./store.js";

/** Turns a driver failure into a MEMORY_STORE error naming the file and the fix. */
export function storeError(file: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown }).code;
  const detail = ((error as Error)?.message ?? String(error)).split("\n")[0];
  if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") {
    return new AppError("MEMORY_STORE", `${file} stayed locked (${detail})`, { hint: "Another openclaw process is writing this index; retry when it finishes." });
  }
  if (code === "SQLITE_CORRUPT" || code === "SQLITE_NOTADB") {
    return new AppError("MEMORY_STORE", `${file} is not a usable SQLite database (${detail})`, {
      hint: `It holds only derived data: move it aside (mv ${file} ${file}.broken) and rebuild with openclaw memory index.`,
    });
  }
  return new AppError("MEMORY_STORE", `${file}: ${detail}`, { hint: "Check the file's permissions and free disk space, then rerun the command." });
}

export class MemoryIndex {
  private vec: boolean | undefined;
  private embedder_: Embedder | undefined;
  private readonly statements = new Map<string, Statement>();

  private constructor(
    readonly settings: MemorySettings,
    readonly db: SqliteDb,
  ) {}

  /** Opens the index; `create: false` answers undefined for a missing file. */
  static open(settings: MemorySettings, options: { create: boolean; inspectOnly?: boolean }): MemoryIndex | undefined {
    if (!options.create && !existsSync(settings.dbPath)) return undefined;
    let db: SqliteDb | undefined;
    try {
      db = openSqlite(settings.dbPath, { create: options.create });
      // Inspection (status) never writes: an unmigrated database simply shows no generation.
      if (!options.inspectOnly) migrate(db);
      return new MemoryIndex(settings, db);
    } catch (e) {
      db?.close();
      throw storeError(settings.dbPath, e);
    }
  }

  /** A prepared statement, cached (a generation's table names are in the SQL, so a flip prepares anew). */
  stmt(sql: string): Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      if (this.statements.size > 200) this.statements.clear();
      this.statements.set(sql, st);
    }
    return st;
  }

  get file(): string {
    return this.settings.dbPath;
  }

  /** The embedder for the configured provider, or undefined (keyword only). */
  get embedder(): Embedder | undefined {
    if (!this.settings.provider) return undefined;
    this.embedder_ ??= createEmbedder(this.settings.provider);
    return this.embedder_;
  }

  /** Runs `fn`, turning driver failures into MEMORY_STORE errors. */
  guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw storeError(this.file, e);
    }
  }

  activeGen(): number | undefined {
    return this.guard(() => readGen(this.db, "active_gen"));
  }

  buildingGen(): number | undefined {
    return this.guard(() => readGen(this.db, "building_gen"));
  }

  identity(gen: number): GenIdentity | undefined {
    return this.guard(() => readIdentity(this.db, gen));
  }

  tables(gen: number): GenTables {
    return genTables(gen);
  }

  /** The keyword identity this config asks for. */
  wantedKeyword(): Pick<GenIdentity, "chunkTokens" | "chunkOverlap" | "tokenizer"> {
    return { chunkTokens: this.settings.chunking.tokens, chunkOverlap: this.settings.chunking.overlap, tokenizer: this.settings.tokenizer };
  }

  /** Why `gen` cannot be updated in place with this config (chunking or tokenizer changed), or undefined. */
  keywordMismatch(gen: number): string | undefined {
    const id = this.identity(gen);
    const want = this.wantedKeyword();
    if (!id) return "the index has no recorded identity";
    const diffs: string[] = [];
    if (id.tokenizer !== want.tokenizer) diffs.push(`tokenizer ${id.tokenizer} → ${want.tokenizer}`);
    if (id.chunkTokens !== want.chunkTokens || id.chunkOverlap !== want.chunkOverlap) diffs.push(`chunking ${id.chunkTokens}/${id.chunkOverlap} → ${want.chunkTokens}/${want.chunkOverlap} tokens`);
    return diffs.length ? diffs.join(", ") : undefined;
  }

  /** Why the vectors of `gen` do not match the configured provider (a different model or endpoint), or undefined. */
  vectorMismatch(gen: number): string | undefined {
    const v = this.identity(gen)?.vector;
    const p = this.settings.provider;
    if (!v || !p) return undefined;
    const want = { provider: p.id, model: p.model, endpoint: endpointOf(p.baseUrl) };
    const diffs: string[] = [];
    if (v.provider !== want.provider) diffs.push(`provider ${v.provider} → ${want.provider}`);
    if (v.model !== want.model) diffs.push(`model ${v.model} → ${want.model}`);
    if (v.endpoint !== want.endpoint) diffs.push(`endpoint ${v.endpoint} → ${want.endpoint}`);
    if (p.dimensions && p.dimensions !== v.dims) diffs.push(`dimensions ${v.dims} → ${p.dimensions}`);
    return diffs.length ? diffs.join(", ") : undefined;
  }

  /** The embedding cache key for the configured provider. */
  cacheKey(): string | undefined {
    return this.settings.provider ? embedderKey(this.settings.provider) : undefined;
  }

  /** Loads sqlite-vec once (when `store.vector.enabled`); false means in-process cosine is used. */
  vectorExtension(): boolean {
    if (this.vec !== undefined) return this.vec;
    this.vec = false;
    if (!this.settings.vector.enabled) return false;
    try {
      const file = this.settings.vector.extensionPath ?? (createRequire(import.meta.url)("sqlite-vec") as { getLoadablePath(): string }).getLoadablePath();
      this.db.loadExtension(file);
      this.vec = true;
    } catch {
      this.vec = false;
    }
    return this.vec;
  }

  /** Ensures the sqlite-vec table of `gen` exists and holds every stored vector (rebuilt when it lags). */
  ensureVecTable(gen: number, dims: number): boolean {
    if (!this.vectorExtension()) return false;
    const t = this.tables(gen);
    return this.guard(() => {
      if (!hasTable(this.db, t.vec)) {
        this.db.transaction(() => {
          this.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${t.vec} USING vec0(embedding float[${dims}] distance_metric=cosine)`);
          const ins = this.db.prepare(`INSERT INTO ${t.vec}(rowid, embedding) VALUES (?, ?)`);
          for (const r of this.db.prepare(`SELECT chunk_id, embedding FROM ${t.vectors}`).iterate<{ chunk_id: number; embedding: Buffer }>()) ins.run(BigInt(r.chunk_id), r.embedding);
        });
      }
      return true;
    });
  }

  /** Drops every memory generation and the embedding cache (sessions and other tables are untouched). */
  reset(): { generations: number; cachedVectors: number } {
    return this.guard(() =>
      this.db.transaction(() => {
        const gens = listGens(this.db);
        for (const g of gens) dropGen(this.db, g);
        const cached = this.db.prepare("DELETE FROM memory_embedding_cache").run().changes;
        setMeta(this.db, "active_gen", undefined);
        setMeta(this.db, "building_gen", undefined);
        setMeta(this.db, "last_sync", undefined);
        return { generations: gens.length, cachedVectors: cached };
      }),
    );
  }

  close(): void {
    try {
      this.db.close();
    } catch {
      // Already closed.
    }
  }
}
