/** Read access to the file-based session store (`agents/<id>/sessions/sessions.json`, spec §8.2). */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { writeFileAtomic, writeFileAtomicAsync } from "../infra/index.js";
import { AppError } from "../shared/index.js";
import { type SessionLockOptions, withSessionLock } from "./session-lock.js";

/** Stores past this size are refused rather than read into memory. */
export const MAX_SESSION_STORE_BYTES = 256 * 1024 * 1024;

/**
 * The store's text, or why it cannot be read: missing, not a regular file (a FIFO must not block
 * status or the gateway), too large, or an I/O error. Opened non-blocking.
 */
function readStoreText(file: string): { text: string } | { missing: true } | { problem: string } {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? { missing: true } : { problem: `unreadable (${code})` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { problem: "not a regular file" };
    if (st.size > MAX_SESSION_STORE_BYTES) return { problem: `larger than ${MAX_SESSION_STORE_BYTES / 1024 / 1024} MiB` };
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return { text: buf.subarray(0, off).toString("utf8") };
  } catch (error) {
    return { problem: `unreadable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  } finally {
    closeSync(fd);
  }
}

export interface SessionEntry {
  key: string;
  sessionId?: string;
  updatedAt: number | null;
  [field: string]: unknown;
}

/** The entries of a session store; a missing or unreadable store is empty. */
export function readSessionStore(file: string): SessionEntry[] {
  const read = readStoreText(file);
  if (!("text" in read)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.text);
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
  /** Keys whose values are not objects: left out of `entries`, written back untouched by `updateSessionStore`. */
  foreign?: Record<string, unknown>;
}

/** Reads `sessions.json` as a map; never throws. Non-object entries are dropped with a problem noted. */
export function loadSessionStore(file: string): LoadedSessionStore {
  const read = readStoreText(file);
  if ("missing" in read) return { file, entries: {}, exists: false };
  if ("problem" in read) return { file, entries: {}, exists: true, problem: read.problem };
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.text);
  } catch (error) {
    return { file, entries: {}, exists: true, problem: `not valid JSON (${(error as Error).message})` };
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return { file, entries: {}, exists: true, problem: "not a JSON object" };
  const entries: SessionStoreMap = {};
  const foreign: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) entries[key] = value as Record<string, unknown>;
    else foreign[key] = value;
  }
  const dropped = Object.keys(foreign).length;
  return { file, entries, exists: true, ...(dropped ? { problem: `${dropped} ${dropped === 1 ? "entry is not an object" : "entries are not objects"}`, foreign } : {}) };
}

/** Writes the whole store atomically (temp file, fsync, rename), mode 0600. Take the store lock first. */
export function saveSessionStore(file: string, entries: SessionStoreMap): void {
  writeFileAtomic(file, `${JSON.stringify(entries, null, 2)}\n`, { mode: 0o600 });
}

type StoreMutation = (entries: SessionStoreMap) => { entries?: SessionStoreMap; result: unknown };
interface PendingUpdate {
  mutate: StoreMutation;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}
/** Updates waiting for a store's lock: they are applied together in one read-modify-write. */
const batches = new Map<string, PendingUpdate[]>();

/**
 * Read-modify-write of `sessions.json` under its lock (`sessions.json.lock`): `mutate` gets the
 * current map and returns what to save (or undefined to leave the file as it is). A store that
 * is not valid JSON is refused rather than replaced, so nothing on disk is lost.
 *
 * Updates from this process that wait for the lock at the same time are applied in order in one
 * read and one atomic write (fifty sessions finishing a turn together cost one fsync, not fifty);
 * a mutation that throws rejects only its own caller.
 */
export function updateSessionStore<T>(file: string, mutate: (entries: SessionStoreMap) => { entries?: SessionStoreMap; result: T }, options: SessionLockOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const waiting = batches.get(file);
    const item: PendingUpdate = { mutate, resolve: resolve as (v: unknown) => void, reject };
    if (waiting) {
      waiting.push(item);
      return;
    }
    const batch = [item];
    batches.set(file, batch);
    withSessionLock(
      file,
      async () => {
        // Later arrivals form the next batch from here on.
        if (batches.get(file) === batch) batches.delete(file);
        const loaded = loadSessionStore(file);
        if (loaded.problem && !loaded.foreign) {
          throw new AppError("FS", `${file} is ${loaded.problem}; refusing to overwrite it`, { hint: `Move ${file} aside (or fix it by hand); the gateway recreates entries on demand.` });
        }
        let entries = loaded.entries;
        let changed = false;
        const outcomes = batch.map((u) => {
          try {
            const out = u.mutate(entries);
            if (out.entries) {
              entries = out.entries;
              changed = true;
            }
            return { ok: true as const, value: out.result };
          } catch (error) {
            return { ok: false as const, error };
          }
        });
        // Values we do not understand are kept as they were, unless a mutation wrote that key.
        // Asynchronous, so a slow fsync does not stall the gateway's other work; updates arriving
        // meanwhile gather into the next batch.
        if (changed) await writeFileAtomicAsync(file, `${JSON.stringify({ ...(loaded.foreign as SessionStoreMap | undefined), ...entries }, null, 2)}\n`, { mode: 0o600 });
        return outcomes;
      },
      options,
    ).then(
      (outcomes) => {
        for (const [i, o] of outcomes.entries()) {
          if (o.ok) batch[i]!.resolve(o.value);
          else batch[i]!.reject(o.error);
        }
      },
      (error) => {
        if (batches.get(file) === batch) batches.delete(file);
        for (const u of batch) u.reject(error);
      },
    );
  });
}
