/**
 * One write lock per session file (`<file>.lock`, holding `{ pid, createdAt }` like OpenClaw's):
 * created with O_EXCL, reclaimed when its owner is dead or it is older than `staleMs` (a crashed or
 * wedged writer never blocks a session for good). Same-process callers queue on the lock too.
 */
import { closeSync, fstatSync, lstatSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";
import { ensureDir, isPidAlive } from "../infra/index.js";
import { AppError } from "../shared/index.js";

/** Locks older than this are stale even when their pid answers (spec §8.2: doctor uses 30 min). */
export const STALE_SESSION_LOCK_MS = 30 * 60_000;
/** `session.writeLock.acquireTimeoutMs` default. */
export const SESSION_LOCK_TIMEOUT_MS = 60_000;

export interface SessionLockOptions {
  /** Give up after this long (default 60 s). */
  timeoutMs?: number;
  /** A lock older than this is reclaimed (default 30 min). */
  staleMs?: number;
  /** Delay between attempts (default 20 ms). */
  retryMs?: number;
  now?: () => number;
}

export interface SessionLockHolder {
  pid?: number;
  createdAt?: string;
  ageMs: number;
  pidAlive: boolean;
}

/** A held lock; `release()` is idempotent. `reclaimed` describes a stale holder that was pushed aside. */
export interface SessionLock {
  file: string;
  reclaimed?: SessionLockHolder;
  release(): void;
}

/** The lock file that guards `target` (a transcript or `sessions.json`). */
export function sessionLockFile(target: string): string {
  return `${target}.lock`;
}

/** Who holds a lock file, how old it is and whether the holder is alive; undefined when absent. */
export function readSessionLock(file: string, now = Date.now()): SessionLockHolder | undefined {
  let mtime: number;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  let pid: number | undefined;
  let createdAt: string | undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as { pid?: unknown; createdAt?: unknown };
    if (typeof parsed.pid === "number") pid = parsed.pid;
    if (typeof parsed.createdAt === "string") createdAt = parsed.createdAt;
  } catch {
    // torn or foreign: judged by its age alone
  }
  const created = createdAt ? Date.parse(createdAt) : Number.NaN;
  const ageMs = Math.max(0, now - (Number.isFinite(created) ? created : mtime));
  return { ...(pid !== undefined ? { pid } : {}), ...(createdAt ? { createdAt } : {}), ageMs, pidAlive: pid !== undefined && isPidAlive(pid) };
}

/** Whether a holder may be pushed aside: dead pid, no pid after 10 s (a writer mid-create has one), or older than `staleMs`. */
export function isSessionLockStale(holder: SessionLockHolder, staleMs = STALE_SESSION_LOCK_MS): boolean {
  if (holder.ageMs > staleMs) return true;
  if (holder.pid === undefined) return holder.ageMs > 10_000;
  return !holder.pidAlive;
}

/** How long a reclaim may take before another process may break it (it is held for microseconds). */
const RECLAIM_STALE_MS = 10_000;

/** Creates the lock file; its inode when it was ours to create, false when it exists. */
function writeExclusive(file: string, now: number): number | false {
  try {
    const fd = openSync(file, "wx", 0o600);
    try {
      writeSync(fd, JSON.stringify({ pid: process.pid, createdAt: new Date(now).toISOString() }));
      return fstatSync(fd).ino;
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/**
 * Removes a stale lock so a fresh one can be taken. Only the holder of `<lock>.reclaim` removes,
 * and only after judging the lock stale again under it, so a lock that a faster reclaimer took a
 * moment ago is never removed (a dead owner cannot release, so its lock cannot change under us).
 * A reclaim mutex left by a process killed mid-reclaim is broken when its pid is dead or it is old.
 */
function reclaimStaleLock(file: string, staleMs?: number): SessionLockHolder | "busy" | undefined {
  const mutex = `${file}.reclaim`;
  const now = Date.now();
  if (writeExclusive(mutex, now) === false) {
    const m = readSessionLock(mutex, now);
    if (m && (m.ageMs > RECLAIM_STALE_MS || (m.pid !== undefined && !m.pidAlive))) {
      try {
        unlinkSync(mutex);
      } catch {
        // another process broke it first
      }
    }
    return "busy";
  }
  try {
    const current = readSessionLock(file, Date.now());
    if (!current) return undefined;
    if (!isSessionLockStale(current, staleMs)) return "busy";
    unlinkSync(file);
    return current;
  } catch {
    return "busy";
  } finally {
    try {
      unlinkSync(mutex);
    } catch {
      // broken by another process as stale
    }
  }
}

const heldHere = new Set<string>();

/** One attempt: the lock, or the holder that keeps it. Never waits. */
export function tryAcquireSessionLock(target: string, options: SessionLockOptions = {}): SessionLock | { held: SessionLockHolder | undefined } {
  const file = sessionLockFile(target);
  const now = options.now?.() ?? Date.now();
  if (heldHere.has(file)) return { held: readSessionLock(file, now) };
  ensureDir(path.dirname(file));
  let reclaimed: SessionLockHolder | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const ino = writeExclusive(file, now);
    if (ino !== false) {
      heldHere.add(file);
      let released = false;
      return {
        file,
        ...(reclaimed ? { reclaimed } : {}),
        release() {
          if (released) return;
          released = true;
          heldHere.delete(file);
          // Only our own lock: if it was reclaimed as stale meanwhile, the file (a new inode) is someone else's.
          try {
            if (lstatSync(file).ino !== ino) return;
          } catch {
            return;
          }
          try {
            unlinkSync(file);
          } catch {
            // already gone
          }
        },
      };
    }
    const holder = readSessionLock(file, now);
    if (holder && !isSessionLockStale(holder, options.staleMs)) return { held: holder };
    const removed = reclaimStaleLock(file, options.staleMs);
    if (removed === "busy") return { held: holder };
    if (removed) reclaimed = removed;
  }
  return { held: readSessionLock(file, now) };
}

/** Waits for the lock on `target` (polling), reclaiming a stale one; `SESSION_LOCKED` on timeout. */
export async function acquireSessionLock(target: string, options: SessionLockOptions = {}): Promise<SessionLock> {
  const timeoutMs = options.timeoutMs ?? SESSION_LOCK_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = tryAcquireSessionLock(target, options);
    if ("release" in r) return r;
    if (Date.now() >= deadline) {
      const who = r.held?.pid !== undefined ? `pid ${r.held.pid}` : "another writer";
      throw new AppError("SESSION_LOCKED", `${target} is locked by ${who} (waited ${timeoutMs} ms)`, {
        hint: `Wait for that writer to finish, or stop it; a lock whose owner died is reclaimed automatically (${sessionLockFile(target)}).`,
        details: { file: sessionLockFile(target), ...(r.held?.pid !== undefined ? { pid: r.held.pid } : {}) },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 20));
  }
}

/** Per-target tail of the in-process queue: writers in one process wait their turn instead of polling the file lock. */
const inProcess = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` holding the lock on `target`, releasing it however `fn` ends. Callers in this process
 * queue in order (no polling among themselves); the file lock still excludes other processes.
 */
export async function withSessionLock<T>(target: string, fn: () => T | Promise<T>, options: SessionLockOptions = {}): Promise<T> {
  const previous = inProcess.get(target) ?? Promise.resolve();
  const run = previous.then(async () => {
    const lock = await acquireSessionLock(target, options);
    try {
      return await fn();
    } finally {
      lock.release();
    }
  });
  const tail = run.catch(() => undefined);
  inProcess.set(target, tail);
  void tail.then(() => {
    if (inProcess.get(target) === tail) inProcess.delete(target);
  });
  return run;
}
