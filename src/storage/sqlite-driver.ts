/**
 * better-sqlite3, loaded on first use and only then (`status`, `health`, `config get` and `--help`
 * never load it). Every SQLite user in the program (OpenClaw's state database, backups' online
 * snapshots, the memory index) gets the driver here, or the one-line reason it did not load.
 */
import { createRequire } from "node:module";
import type BetterSqlite3 from "better-sqlite3";

export type SqliteDriver = typeof BetterSqlite3;

let driver: SqliteDriver | undefined;
let failure: string | undefined;

/** The driver, or `{ error }` (its first message line) when the native module cannot load. */
export function loadSqliteDriver(): { driver: SqliteDriver } | { error: string } {
  if (!driver && failure === undefined) {
    try {
      driver = createRequire(import.meta.url)("better-sqlite3") as SqliteDriver;
    } catch (e) {
      failure = (e as Error).message.split("\n")[0] ?? String(e);
    }
  }
  return driver ? { driver } : { error: failure! };
}
