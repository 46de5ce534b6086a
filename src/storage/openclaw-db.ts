/**
 * OpenClaw's shared state database (`<stateDir>/state/openclaw.sqlite`), limited to what DM pairing
 * needs: OpenClaw 2026.9 keeps pending pairing requests and approved senders in two STRICT tables
 * there, and its CLI (`pairing list|approve`) reads and writes them directly. We open the same file
 * (WAL, a 5 s busy timeout so both processes can share it), create those two tables and their
 * indexes when missing, and never touch any other table or `user_version` (OpenClaw migrates a
 * database holding only these tables on its next open).
 *
 * better-sqlite3 is loaded on first use only: `status`, `health`, `config get` and `--help` never
 * load it.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { AppError } from "../shared/index.js";
import { loadSqliteDriver, type SqliteDriver } from "./sqlite-driver.js";

/** How long a statement waits for OpenClaw's CLI (or another gateway) to release the write lock. */
export const OPENCLAW_DB_BUSY_TIMEOUT_MS = 5_000;

const PAIRING_SCHEMA = `
CREATE TABLE IF NOT EXISTS channel_pairing_requests (channel_key TEXT NOT NULL, account_id TEXT NOT NULL,
  request_id TEXT NOT NULL, code TEXT NOT NULL, created_at TEXT NOT NULL, last_seen_at TEXT NOT NULL,
  meta_json TEXT, PRIMARY KEY (channel_key, account_id, request_id)) STRICT;
CREATE TABLE IF NOT EXISTS channel_pairing_allow_entries (channel_key TEXT NOT NULL, account_id TEXT NOT NULL,
  entry TEXT NOT NULL, sort_order INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  PRIMARY KEY (channel_key, account_id, entry)) STRICT;
CREATE INDEX IF NOT EXISTS idx_channel_pairing_requests_code ON channel_pairing_requests(channel_key, code);
CREATE INDEX IF NOT EXISTS idx_channel_pairing_requests_created ON channel_pairing_requests(channel_key, created_at, request_id);
CREATE INDEX IF NOT EXISTS idx_channel_pairing_allow_account ON channel_pairing_allow_entries(channel_key, account_id, sort_order, entry);
`;

/** `<stateDir>/state/openclaw.sqlite`. */
export function openclawDbFile(stateDir: string): string {
  return path.join(stateDir, "state", "openclaw.sqlite");
}

/** One row of `channel_pairing_requests`. */
export interface PairingRequestRow {
  accountId: string;
  requestId: string;
  code: string;
  createdAt: string;
  lastSeenAt: string;
  /** Parsed `meta_json` (string values only); undefined when absent or not an object. */
  meta?: Record<string, string>;
}

/** One approved sender of `channel_pairing_allow_entries`. */
export interface PairingAllowRow {
  accountId: string;
  entry: string;
}

/** The pairing tables of one open state database. Every method may throw a PAIRING_STORE AppError. */
export interface OpenClawPairingDb {
  readonly file: string;
  /** SQLite's `data_version`: changes when another connection commits (not on our own writes). */
  dataVersion(): number;
  /** A channel's requests, oldest first (channel keys are lower-case). */
  readRequests(channel: string): PairingRequestRow[];
  /** A channel's approved senders, per account in their stored order. */
  readAllow(channel: string): PairingAllowRow[];
  /** Runs `fn` in one IMMEDIATE transaction (taking the write lock first, so a read-modify-write is safe). */
  transaction<T>(fn: () => T): T;
  /** Replaces all of a channel's requests. */
  replaceRequests(channel: string, rows: readonly PairingRequestRow[]): void;
  /** Replaces one account's approved senders (`*` and duplicates are never stored). */
  replaceAllow(channel: string, accountId: string, entries: readonly string[]): void;
  close(): void;
}

function loadSqlite(file: string): SqliteDriver {
  const r = loadSqliteDriver();
  if ("driver" in r) return r.driver;
  throw new AppError("PAIRING_STORE", `cannot open ${file}: the better-sqlite3 module did not load (${r.error})`, {
    hint: "Reinstall the package's dependencies (npm rebuild better-sqlite3); pairing keeps working from credentials/<channel>-pairing.json meanwhile.",
  });
}

/** A clear PAIRING_STORE error naming the database file and the fix, from any SQLite failure. */
export function pairingDbError(file: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown }).code;
  const detail = (error as Error)?.message ?? String(error);
  if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") {
    return new AppError("PAIRING_STORE", `${file} stayed locked for ${OPENCLAW_DB_BUSY_TIMEOUT_MS / 1000} s (${detail})`, {
      hint: "Another process (an OpenClaw CLI or gateway) holds its write lock; retry when it finishes.",
    });
  }
  return new AppError("PAIRING_STORE", `${file} cannot be used as OpenClaw's state database (${detail})`, {
    hint: `Stop the gateway and move it aside (mv ${file} ${file}.broken); pending codes in it are lost, approvals can be repeated. Pairing keeps working from the credentials/*.json files meanwhile.`,
  });
}

function parseMeta(json: string | null): Record<string, string> | undefined {
  if (!json) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) if (typeof v === "string" && v.trim() !== "") out[k] = v.trim();
    return out;
  } catch {
    return undefined;
  }
}

/**
 * Opens the state database under `stateDir`. With `create: false` a missing file is `undefined`
 * (a read never creates state); with `create: true` the `state/` dir (0700), the file (0600) and
 * the pairing tables are created as needed. Throws a PAIRING_STORE AppError for a file that is not
 * a usable SQLite database.
 */
export function openOpenClawPairingDb(stateDir: string, options: { create: boolean }): OpenClawPairingDb | undefined {
  const file = openclawDbFile(stateDir);
  if (!options.create && !existsSync(file)) return undefined;
  const Database = loadSqlite(file);
  let db: BetterSqlite3.Database | undefined;
  try {
    if (!existsSync(file)) {
      const dir = path.dirname(file);
      if (!existsSync(dir)) {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        chmodSync(dir, 0o700);
      }
      // Created 0600 before SQLite opens it: its -wal and -shm files take the same mode.
      closeSync(openSync(file, "a", 0o600));
      chmodSync(file, 0o600);
    }
    db = new Database(file, { fileMustExist: true, timeout: OPENCLAW_DB_BUSY_TIMEOUT_MS });
    db.pragma(`busy_timeout = ${OPENCLAW_DB_BUSY_TIMEOUT_MS}`);
    if (db.pragma("journal_mode", { simple: true }) !== "wal") db.pragma("journal_mode = WAL");
    const have = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name IN ('channel_pairing_requests', 'channel_pairing_allow_entries')").get() as { n: number };
    if (have.n !== 2) db.exec(PAIRING_SCHEMA);
  } catch (e) {
    db?.close();
    throw pairingDbError(file, e);
  }
  return createPairingDb(file, db);
}

function createPairingDb(file: string, db: BetterSqlite3.Database): OpenClawPairingDb {
  const guard = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      throw pairingDbError(file, e);
    }
  };
  const st = guard(() => ({
    version: db.prepare("PRAGMA data_version").pluck(),
    requests: db.prepare(
      "SELECT account_id, request_id, code, created_at, last_seen_at, meta_json FROM channel_pairing_requests WHERE channel_key = ? ORDER BY created_at, account_id, request_id",
    ),
    allow: db.prepare("SELECT account_id, entry FROM channel_pairing_allow_entries WHERE channel_key = ? ORDER BY account_id, sort_order, entry"),
    deleteRequests: db.prepare("DELETE FROM channel_pairing_requests WHERE channel_key = ?"),
    insertRequest: db.prepare("INSERT OR REPLACE INTO channel_pairing_requests VALUES (?, ?, ?, ?, ?, ?, ?)"),
    deleteAllow: db.prepare("DELETE FROM channel_pairing_allow_entries WHERE channel_key = ? AND account_id = ?"),
    insertAllow: db.prepare("INSERT OR IGNORE INTO channel_pairing_allow_entries VALUES (?, ?, ?, ?, ?)"),
  }));
  const key = (s: string) => s.trim().toLowerCase();
  return {
    file,
    dataVersion: () => guard(() => st.version.get() as number),
    readRequests: (channel) =>
      guard(() =>
        (st.requests.all(key(channel)) as Array<{ account_id: string; request_id: string; code: string; created_at: string; last_seen_at: string; meta_json: string | null }>).map((r) => {
          const meta = parseMeta(r.meta_json);
          return {
            accountId: key(r.account_id) || "default",
            requestId: r.request_id,
            code: r.code,
            createdAt: r.created_at,
            lastSeenAt: r.last_seen_at || r.created_at,
            ...(meta ? { meta } : {}),
          };
        }),
      ),
    readAllow: (channel) =>
      guard(() => (st.allow.all(key(channel)) as Array<{ account_id: string; entry: string }>).map((r) => ({ accountId: key(r.account_id) || "default", entry: r.entry }))),
    transaction: (fn) => guard(() => db.transaction(fn).immediate()),
    replaceRequests: (channel, rows) =>
      guard(() => {
        st.deleteRequests.run(key(channel));
        for (const r of rows) {
          st.insertRequest.run(key(channel), key(r.accountId) || "default", r.requestId, r.code, r.createdAt, r.lastSeenAt, r.meta ? JSON.stringify(r.meta) : null);
        }
      }),
    replaceAllow: (channel, accountId, entries) =>
      guard(() => {
        const acc = key(accountId) || "default";
        st.deleteAllow.run(key(channel), acc);
        const now = Date.now();
        let order = 0;
        for (const entry of new Set(entries.map((e) => e.trim()).filter((e) => e !== "" && e !== "*"))) st.insertAllow.run(key(channel), acc, entry, order++, now);
      }),
    close: () => {
      if (db.open) db.close();
    },
  };
}
