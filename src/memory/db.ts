/**
 * The memory engine's view of SQLite: a handful of calls (exec, prepared statements, transactions,
 * pragmas, extension loading, online backup) so the driver can change without touching the engine.
 * Today it is better-sqlite3 12 (the last major that runs on Node 20; loaded on first use only, so
 * `status`, `health` and `--help` never load it). Node 22's `node:sqlite` fits the same shape.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { AppError } from "../shared/index.js";
import { loadSqliteDriver, type SqliteDriver } from "../storage/index.js";

/** How long a statement waits for another process (the gateway, a CLI) to release the write lock. */
export const MEMORY_DB_BUSY_TIMEOUT_MS = 10_000;

export type SqlValue = string | number | bigint | Buffer | Uint8Array | null;

/** A prepared statement. */
export interface Statement {
  run(...params: SqlValue[]): { changes: number; lastInsertRowid: number | bigint };
  get<T = Record<string, unknown>>(...params: SqlValue[]): T | undefined;
  all<T = Record<string, unknown>>(...params: SqlValue[]): T[];
  iterate<T = Record<string, unknown>>(...params: SqlValue[]): IterableIterator<T>;
}

/** One open database. Every call may throw the driver's error (the engine turns them into AppErrors). */
export interface SqliteDb {
  readonly file: string;
  exec(sql: string): void;
  prepare(sql: string): Statement;
  /** Runs `fn` in one IMMEDIATE transaction (the write lock is taken first). */
  transaction<T>(fn: () => T): T;
  /** A pragma's single value (`journal_mode`, `data_version`, …). */
  pragma(statement: string): unknown;
  /** Loads a SQLite extension from a file; throws when the driver or build refuses. */
  loadExtension(file: string): void;
  /** SQLite's online backup into `destination` (consistent while others write). */
  backup(destination: string): Promise<void>;
  close(): void;
}

function loadDriver(file: string): SqliteDriver {
  const r = loadSqliteDriver();
  if ("driver" in r) return r.driver;
  throw new AppError("MEMORY_STORE", `cannot open ${file}: the better-sqlite3 module did not load (${r.error})`, {
    hint: "Reinstall the package's dependencies (npm rebuild better-sqlite3).",
  });
}

function wrap(file: string, db: BetterSqlite3.Database): SqliteDb {
  return {
    file,
    exec: (sql) => void db.exec(sql),
    prepare: (sql) => db.prepare(sql) as unknown as Statement,
    transaction: (fn) => db.transaction(fn).immediate(),
    pragma: (s) => db.pragma(s, { simple: true }),
    loadExtension: (f) => void db.loadExtension(f),
    backup: async (destination) => void (await db.backup(destination)),
    close: () => db.close(),
  };
}

/**
 * Opens (creating when asked) a database in WAL mode with a busy timeout. A new file and its dir
 * are created 0600/0700 before SQLite opens them, so the -wal and -shm files take the same mode.
 */
export function openSqlite(file: string, options: { create: boolean; readonly?: boolean }): SqliteDb {
  const Database = loadDriver(file);
  if (options.create && !existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    closeSync(openSync(file, "a", 0o600));
    chmodSync(file, 0o600);
  }
  const db = new Database(file, { fileMustExist: true, timeout: MEMORY_DB_BUSY_TIMEOUT_MS, ...(options.readonly ? { readonly: true } : {}) });
  try {
    db.pragma(`busy_timeout = ${MEMORY_DB_BUSY_TIMEOUT_MS}`);
    if (!options.readonly) {
      if (db.pragma("journal_mode", { simple: true }) !== "wal") db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
    }
  } catch (e) {
    db.close();
    throw e;
  }
  return wrap(file, db);
}
