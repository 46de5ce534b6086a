/**
 * The index database's layout. Memory-owned tables only (an OpenClaw-written database at the same
 * path keeps its own tables untouched): `memory_meta` (numbered schema migrations, the active and
 * the building generation, each generation's identity), `memory_embedding_cache` (vectors by
 * provider identity and chunk hash, so unchanged text is never embedded twice), and one set of
 * tables per *generation* `memory_g<N>_*`: files, chunks, an FTS5 table over the chunk text
 * (external content, BM25), the ids of chunks holding CJK text, stored vectors, and a sqlite-vec table when the
 * extension loads. `index --force` builds generation N+1 beside the active one while searches keep
 * reading N, then flips `active_gen` in one transaction and drops N: atomic, resumable, and in the
 * same WAL database file (renaming database files under an open WAL connection is not safe).
 */
import { AppError } from "../shared/index.js";
import type { SqliteDb } from "./db.js";

/** The newest schema this build knows. */
export const MEMORY_SCHEMA_VERSION = 1;

const MIGRATIONS: Record<number, string> = {
  1: `CREATE TABLE IF NOT EXISTS memory_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS memory_embedding_cache (provider_key TEXT NOT NULL, hash TEXT NOT NULL, dims INTEGER NOT NULL,
        embedding BLOB NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (provider_key, hash)) WITHOUT ROWID;`,
};

/** What a generation was built with: a change to the keyword part needs a rebuild; to the vector part, re-embedding. */
export interface GenIdentity {
  chunkTokens: number;
  chunkOverlap: number;
  tokenizer: "unicode61" | "trigram";
  /** Set when the first vectors were written. */
  vector?: { provider: string; model: string; endpoint: string; dims: number };
  createdAt: number;
}

/** Table names of one generation. */
export interface GenTables {
  gen: number;
  files: string;
  chunks: string;
  fts: string;
  vectors: string;
  vec: string;
  /** Ids of chunks holding CJK text (unicode61 keeps a run of CJK characters as one token: those are matched by substring). */
  cjk: string;
}

export function genTables(gen: number): GenTables {
  const p = `memory_g${gen}_`;
  return { gen, files: `${p}files`, chunks: `${p}chunks`, fts: `${p}fts`, vectors: `${p}vectors`, vec: `${p}vec`, cjk: `${p}cjk` };
}

/** Reads a meta value. */
export function getMeta(db: SqliteDb, key: string): string | undefined {
  try {
    return db.prepare("SELECT value FROM memory_meta WHERE key = ?").get<{ value: string }>(key)?.value;
  } catch {
    return undefined;
  }
}

export function setMeta(db: SqliteDb, key: string, value: string | undefined): void {
  if (value === undefined) db.prepare("DELETE FROM memory_meta WHERE key = ?").run(key);
  else db.prepare("INSERT INTO memory_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(key, value);
}

/** Applies the numbered migrations this database has not seen; refuses a newer schema. */
export function migrate(db: SqliteDb): void {
  const have = Number(getMeta(db, "schema") ?? 0);
  if (have > MEMORY_SCHEMA_VERSION) {
    throw new AppError("MEMORY_STORE", `${db.file} has memory schema ${have}, newer than this build's ${MEMORY_SCHEMA_VERSION}`, {
      hint: "Upgrade openclaw, or rebuild this index with the current one: openclaw memory reset --yes && openclaw memory index.",
    });
  }
  if (have === MEMORY_SCHEMA_VERSION) return;
  db.transaction(() => {
    for (let v = have + 1; v <= MEMORY_SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    setMeta(db, "schema", String(MEMORY_SCHEMA_VERSION));
  });
}

export function readGen(db: SqliteDb, key: "active_gen" | "building_gen"): number | undefined {
  const v = Number(getMeta(db, key));
  return Number.isInteger(v) && v > 0 ? v : undefined;
}

export function readIdentity(db: SqliteDb, gen: number): GenIdentity | undefined {
  const raw = getMeta(db, `gen.${gen}`);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as GenIdentity;
  } catch {
    return undefined;
  }
}

export function writeIdentity(db: SqliteDb, gen: number, identity: GenIdentity): void {
  setMeta(db, `gen.${gen}`, JSON.stringify(identity));
}

/** Creates a generation's tables (inside the caller's transaction). */
export function createGen(db: SqliteDb, gen: number, identity: GenIdentity): GenTables {
  const t = genTables(gen);
  db.exec(`CREATE TABLE IF NOT EXISTS ${t.files} (path TEXT PRIMARY KEY, source TEXT NOT NULL, hash TEXT NOT NULL, mtime_ms INTEGER NOT NULL,
      size INTEGER NOT NULL, chunks INTEGER NOT NULL, indexed_at INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ${t.chunks} (id INTEGER PRIMARY KEY, path TEXT NOT NULL, start_line INTEGER NOT NULL, end_line INTEGER NOT NULL,
      hash TEXT NOT NULL, text TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS ${t.chunks}_path ON ${t.chunks}(path);
    CREATE VIRTUAL TABLE IF NOT EXISTS ${t.fts} USING fts5(text, content='${t.chunks}', content_rowid='id', tokenize='${identity.tokenizer === "trigram" ? "trigram" : "unicode61 remove_diacritics 2"}');
    CREATE TABLE IF NOT EXISTS ${t.vectors} (chunk_id INTEGER PRIMARY KEY, embedding BLOB NOT NULL);
    CREATE TABLE IF NOT EXISTS ${t.cjk} (chunk_id INTEGER PRIMARY KEY);`);
  writeIdentity(db, gen, identity);
  return t;
}

/** Drops a generation's tables and identity (inside the caller's transaction). */
export function dropGen(db: SqliteDb, gen: number): void {
  const t = genTables(gen);
  db.exec(`DROP TABLE IF EXISTS ${t.vec}; DROP TABLE IF EXISTS ${t.fts}; DROP TABLE IF EXISTS ${t.cjk};
    DROP TABLE IF EXISTS ${t.vectors}; DROP TABLE IF EXISTS ${t.chunks}; DROP TABLE IF EXISTS ${t.files};`);
  setMeta(db, `gen.${gen}`, undefined);
}

/** Every generation number that has tables (including orphans of an interrupted run). */
export function listGens(db: SqliteDb): number[] {
  const rows = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name GLOB 'memory_g*_files'").all<{ name: string }>();
  return rows.map((r) => Number(/^memory_g(\d+)_files$/.exec(r.name)?.[1])).filter((n) => Number.isInteger(n) && n > 0).sort((a, b) => a - b);
}

/** True when the table exists. */
export function hasTable(db: SqliteDb, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE name = ?").get(name) !== undefined;
}

/** Hiragana, katakana, CJK ideographs and hangul. */
export const CJK_CHARS = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]/;

/** The vector as SQLite stores it (float32 little-endian). */
export function vectorBlob(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

export function blobVector(b: Uint8Array): Float32Array {
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Float32Array(copy.buffer);
}
