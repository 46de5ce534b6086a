/** Read access to the file-based session store (`agents/<id>/sessions/sessions.json`, spec §8.2). */
import { readFileSync } from "node:fs";
import { writeFileAtomic } from "../infra/index.js";
import { AppError } from "../shared/index.js";
import { type SessionLockOptions, withSessionLock } from "./session-lock.js";

export interface SessionEntry {
  key: string;
  sessionId?: string;
  updatedAt: number | null;
  [field: string]: unknown;
}

/** The entries of a session store; a missing or unreadable store is empty. */
export function readSessionStore(file: string): SessionEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return [];
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return [];
  return Object.entries(parsed as Record<string, unknown>).map(([key, value]) => {
    const entry = value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
    const updatedAt = typeof entry.updatedAt === "number" ? entry.updatedAt : null;
    return { ...entry, key, updatedAt };
  });
}

export interface SessionsSummary {
  path: string;
  count: number;
  recent: Array<{ key: string; updatedAt: number | null; age: number | null }>;
}

/** Count and the five most recent sessions (excluding "global" and "unknown"), as in `health`. */
export function summarizeSessions(file: string, now = Date.now()): SessionsSummary {
  const entries = readSessionStore(file);
  const recent = entries
    .filter((e) => e.key !== "global" && e.key !== "unknown")
    .sort((a, b) => (b.updatedAt ?? 0) - (a.updatedAt ?? 0))
    .slice(0, 5)
    .map((e) => ({ key: e.key, updatedAt: e.updatedAt, age: e.updatedAt === null ? null : now - e.updatedAt }));
  return { path: file, count: entries.length, recent };
}

/** The store as OpenClaw writes it: session key → entry (spec §8.2). */
export type SessionStoreMap = Record<string, Record<string, unknown>>;

/** What loading a store found: its entries, and a problem when the file was not a readable object. */
export interface LoadedSessionStore {
  file: string;
  entries: SessionStoreMap;
  exists: boolean;
  /** Set when the file exists but is not a JSON object (it is then treated as empty, never overwritten silently). */
  problem?: string;
}

/** Reads `sessions.json` as a map; never throws. Non-object entries are dropped with a problem noted. */
export function loadSessionStore(file: string): LoadedSessionStore {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? { file, entries: {}, exists: false } : { file, entries: {}, exists: true, problem: `unreadable (${code})` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { file, entries: {}, exists: true, problem: `not valid JSON (${(error as Error).message})` };
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return { file, entries: {}, exists: true, problem: "not a JSON object" };
  const entries: SessionStoreMap = {};
  let dropped = 0;
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) entries[key] = value as Record<string, unknown>;
    else dropped++;
  }
  return { file, entries, exists: true, ...(dropped ? { problem: `${dropped} entr${dropped === 1 ? "y is" : "ies are"} not objects` } : {}) };
}

/** Writes the whole store atomically (temp file, fsync, rename), mode 0600. Take the store lock first. */
export function saveSessionStore(file: string, entries: SessionStoreMap): void {
  writeFileAtomic(file, `${JSON.stringify(entries, null, 2)}\n`, { mode: 0o600 });
}

/**
 * Read-modify-write of `sessions.json` under its lock (`sessions.json.lock`): `mutate` gets the
 * current map and returns what to save (or undefined to leave the file as it is). A store that
 * is not valid JSON is refused rather than replaced, so nothing on disk is lost.
 */
export async function updateSessionStore<T>(file: string, mutate: (entries: SessionStoreMap) => { entries?: SessionStoreMap; result: T }, options: SessionLockOptions = {}): Promise<T> {
  return withSessionLock(
    file,
    () => {
      const loaded = loadSessionStore(file);
      if (loaded.problem && Object.keys(loaded.entries).length === 0 && loaded.exists) {
        throw new AppError("FS", `${file} is ${loaded.problem}; refusing to overwrite it`, { hint: `Move ${file} aside (or fix it by hand); the gateway recreates entries on demand.` });
      }
      const out = mutate(loaded.entries);
      if (out.entries) saveSessionStore(file, out.entries);
      return out.result;
    },
    options,
  );
}
