/**
 * Consistent copies of live SQLite databases with SQLite's online backup API (through
 * better-sqlite3): the source is opened read-only and copied page by page while other connections
 * keep writing (a write by another process restarts the copy; after one restart the rest is copied
 * in one step under a read transaction, so a busy writer cannot starve it). Pages still in the
 * source's -wal are part of the copy; the result is one self-contained file, checked with
 * `PRAGMA integrity_check` before it counts.
 *
 * better-sqlite3 is loaded on first use only: `status`, `health`, `config get` and `--help` never
 * load it.
 */
import { closeSync, openSync, readSync, rmSync, statSync } from "node:fs";
import type BetterSqlite3 from "better-sqlite3";
import { AppError } from "../shared/index.js";
import { loadSqliteDriver, type SqliteDriver } from "./sqlite-driver.js";

/** The first 16 bytes of every SQLite 3 database file. */
export const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "latin1");

/** Default busy timeout (and overall deadline) of one snapshot. */
export const SQLITE_SNAPSHOT_TIMEOUT_MS = 60_000;

/** Sidecar suffixes of a database file: WAL, its shared-memory index, the rollback journal. */
export const SQLITE_SIDECARS = ["-wal", "-shm", "-journal"] as const;

/** True when `buf` starts with SQLite's 16-byte header. */
export function hasSqliteHeader(buf: Buffer): boolean {
  return buf.length >= SQLITE_HEADER.length && buf.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER);
}

/** True when `file` is a regular file whose first 16 bytes are SQLite's header (any error: false). */
export function isSqliteFile(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const buf = Buffer.alloc(SQLITE_HEADER.length);
    return readSync(fd, buf, 0, buf.length, 0) === buf.length && hasSqliteHeader(buf);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** `<db>` when `file` is `<db>-wal|-shm|-journal` next to a SQLite database, else undefined. */
export function sqliteSidecarOf(file: string): string | undefined {
  const suffix = SQLITE_SIDECARS.find((s) => file.endsWith(s));
  if (!suffix) return undefined;
  const db = file.slice(0, -suffix.length);
  return db && isSqliteFile(db) ? db : undefined;
}

/** The driver, or an FS error naming `what` could not be done and the fix. */
function load(what: string, hint = "Reinstall the package's dependencies (npm rebuild better-sqlite3)."): SqliteDriver {
  const r = loadSqliteDriver();
  if ("driver" in r) return r.driver;
  throw new AppError("FS", `cannot ${what}: the better-sqlite3 module did not load (${r.error})`, { hint });
}

/**
 * Whether online snapshots work here: loads better-sqlite3 (once) and returns undefined when it
 * did, or the reason it did not (callers fall back to copying the files).
 */
export function sqliteSnapshotUnavailable(): string | undefined {
  const r = loadSqliteDriver();
  return "driver" in r ? undefined : `the better-sqlite3 module did not load (${r.error})`;
}

function integrity(db: BetterSqlite3.Database): string {
  const rows = (db.pragma("integrity_check") as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
  return rows.length === 1 && rows[0] === "ok" ? "ok" : `${rows.slice(0, 3).join("; ")}${rows.length > 3 ? "; …" : ""}`;
}

/**
 * `PRAGMA integrity_check` of the database `file` (a copy: it is opened read-write so a WAL-mode
 * copy can be read, then closed): "ok", or the first problems it reports. Throws an FS AppError
 * when better-sqlite3 does not load or the file cannot be opened as a database.
 */
export function checkSqliteIntegrity(file: string): string {
  const Database = load(`check ${file}`);
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    return integrity(db);
  } catch (e) {
    return `cannot be opened as a database (${detail(e)})`;
  } finally {
    if (db?.open) db.close();
  }
}

/** What one snapshot wrote. */
export interface SqliteSnapshot {
  /** Size of the snapshot file. */
  bytes: number;
  /** Pages copied. */
  pages?: number;
  /** Copy steps after the first (a copy restarted by writers finishes in one more). */
  steps: number;
}

function detail(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  const msg = (e as Error)?.message ?? String(e);
  return typeof code === "string" && !msg.includes(code) ? `${code}: ${msg}` : msg;
}

/**
 * Writes a consistent copy of the SQLite database `source` to `destination` (replaced if present)
 * with the online backup API, then checks the copy with `PRAGMA integrity_check`. The source is
 * only read. Throws an FS AppError naming the file and the fix (better-sqlite3 missing, source
 * locked past `timeoutMs`, not a database, damaged copy); a failed destination is removed.
 */
export async function snapshotSqlite(source: string, destination: string, o: { timeoutMs?: number } = {}): Promise<SqliteSnapshot> {
  const Database = load(`snapshot ${source}`, "Reinstall the package's dependencies (npm rebuild better-sqlite3), or stop the gateway and copy the file.");
  const timeoutMs = o.timeoutMs ?? SQLITE_SNAPSHOT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let src: BetterSqlite3.Database | undefined;
  let dst: BetterSqlite3.Database | undefined;
  let pages: number | undefined;
  let steps = 0;
  let stage = "open";
  try {
    src = new Database(source, { readonly: true, fileMustExist: true, timeout: timeoutMs });
    src.pragma(`busy_timeout = ${Math.max(0, Math.round(timeoutMs))}`);
    stage = "copy";
    let last = Number.POSITIVE_INFINITY;
    let whole = false;
    const progress = await src.backup(destination, {
      progress: ({ totalPages, remainingPages }) => {
        if (Date.now() > deadline) throw new Error(`still copying after ${timeoutMs} ms (${remainingPages} of ${totalPages} pages left)`);
        // Another connection wrote and the copy restarted (no progress): take the rest in one step.
        if (remainingPages >= last) whole = true;
        steps++;
        last = remainingPages;
        return whole ? 0x7fffffff : 100;
      },
    });
    // A first step that met SQLITE_BUSY (past the busy timeout) looks like a finished copy of nothing.
    if (!progress.totalPages) throw Object.assign(new Error(`the database stayed locked for ${timeoutMs} ms`), { code: "SQLITE_BUSY" });
    pages = progress.totalPages;
    src.close();
    src = undefined;
    stage = "check";
    dst = new Database(destination, { fileMustExist: true, timeout: timeoutMs });
    const verdict = integrity(dst);
    if (verdict !== "ok") throw new Error(`integrity_check: ${verdict}`);
    dst.close();
    dst = undefined;
    return { bytes: statSync(destination).size, steps, ...(pages !== undefined ? { pages } : {}) };
  } catch (e) {
    if (e instanceof AppError) throw e;
    const code = String((e as { code?: unknown }).code ?? "");
    const hint =
      code === "SQLITE_NOTADB"
        ? `${source} is not a SQLite database: move it aside (mv ${source} ${source}.broken) or leave it out of the backup.`
        : code === "SQLITE_BUSY" || code === "SQLITE_LOCKED" || stage === "copy"
          ? "Another process held the database locked or kept rewriting it; retry, or stop the gateway (openclaw gateway stop) and run the backup again."
          : stage === "check"
            ? `The database is damaged: stop the gateway, keep a copy of ${source}, and rebuild it (memory: openclaw memory index --force) or restore it from an earlier backup.`
            : `Check that ${source} is readable by this user, or stop the gateway and run the backup again.`;
    for (const s of ["", ...SQLITE_SIDECARS]) rmSync(`${destination}${s}`, { force: true });
    throw new AppError("FS", `sqlite online backup of ${source} failed (${stage}): ${detail(e)}`, { hint });
  } finally {
    if (src?.open) src.close();
    if (dst?.open) dst.close();
  }
}
