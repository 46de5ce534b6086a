/**
 * `session.maintenance` (spec §8.3, OpenClaw docs/cli/sessions.md): entries older than `pruneAfter`
 * are pruned, then the oldest are evicted down to `maxEntries`. Planning is pure; applying removes
 * the entries from `sessions.json` under its lock and renames their transcripts to
 * `<id>.jsonl.deleted.<ts>` (history is archived, never deleted). Durable conversation pointers
 * (groups, rooms, threads), the agent's main session and `activeKeys` are kept.
 */
import { existsSync, renameSync } from "node:fs";
import path from "node:path";
import { type SessionStoreMap, tryAcquireSessionLock, updateSessionStore } from "../../storage/index.js";
import { isDurableSessionKey, isSyntheticSessionKey } from "./keys.js";

export type MaintenanceMode = "warn" | "enforce";

export interface MaintenanceSettings {
  mode: MaintenanceMode;
  pruneAfterMs: number;
  maxEntries: number;
}

/** OpenClaw 2026.9 defaults (docs: enforce, 30d, 5000; the spec's baseline had warn / 500). */
export const DEFAULT_MAINTENANCE: MaintenanceSettings = { mode: "enforce", pruneAfterMs: 30 * 86_400_000, maxEntries: 5000 };

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `"30d"`, `"12h"`, `"90m"`, a number of ms → ms; undefined when it is not a duration. */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/i.exec(value);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNITS[(m[2] ?? "ms").toLowerCase()]!);
}

/** Maintenance settings from the `session` config block, each bad value named (the default is kept). */
export function resolveMaintenanceSettings(session: unknown): { settings: MaintenanceSettings; problems: string[] } {
  const m = session && typeof session === "object" ? (session as Record<string, unknown>).maintenance : undefined;
  const raw = m && typeof m === "object" && !Array.isArray(m) ? (m as Record<string, unknown>) : {};
  const problems: string[] = [];
  const settings = { ...DEFAULT_MAINTENANCE };
  if (raw.mode !== undefined) {
    if (raw.mode === "warn" || raw.mode === "enforce") settings.mode = raw.mode;
    else problems.push(`session.maintenance.mode must be "warn" or "enforce" (got ${JSON.stringify(raw.mode)})`);
  }
  if (raw.pruneAfter !== undefined) {
    const ms = parseDurationMs(raw.pruneAfter);
    if (ms !== undefined && ms > 0) settings.pruneAfterMs = ms;
    else problems.push(`session.maintenance.pruneAfter must be a duration such as "30d" (got ${JSON.stringify(raw.pruneAfter)})`);
  }
  if (raw.maxEntries !== undefined) {
    if (typeof raw.maxEntries === "number" && Number.isInteger(raw.maxEntries) && raw.maxEntries > 0) settings.maxEntries = raw.maxEntries;
    else problems.push(`session.maintenance.maxEntries must be a positive integer (got ${JSON.stringify(raw.maxEntries)})`);
  }
  return { settings, problems };
}

export type MaintenanceAction = "prune" | "cap";

export interface MaintenancePlan {
  beforeCount: number;
  afterCount: number;
  /** Keys dropped for age. */
  pruned: string[];
  /** Keys evicted by the count cap (oldest first). */
  capped: string[];
  /** Keys that matched a rule but are protected. */
  kept: string[];
}

const updatedOf = (e: Record<string, unknown>) => (typeof e.updatedAt === "number" ? e.updatedAt : 0);

/** Which entries maintenance would remove from a store at `now`. Pure. */
export function planSessionMaintenance(entries: SessionStoreMap, o: { settings: MaintenanceSettings; now: number; mainKeys?: string[]; activeKeys?: string[] }): MaintenancePlan {
  const protectedKey = (key: string) => key === "global" || o.mainKeys?.includes(key) === true || o.activeKeys?.includes(key) === true || (isDurableSessionKey(key) && !isSyntheticSessionKey(key));
  const keys = Object.keys(entries);
  const pruned: string[] = [];
  const kept = new Set<string>();
  const cutoff = o.now - o.settings.pruneAfterMs;
  for (const key of keys) {
    if (updatedOf(entries[key]!) >= cutoff) continue;
    if (protectedKey(key)) kept.add(key);
    else pruned.push(key);
  }
  const remaining = keys.filter((k) => !pruned.includes(k));
  const capped: string[] = [];
  let over = remaining.length - o.settings.maxEntries;
  if (over > 0) {
    const oldest = [...remaining].sort((a, b) => updatedOf(entries[a]!) - updatedOf(entries[b]!));
    for (const key of oldest) {
      if (over <= 0) break;
      if (protectedKey(key)) {
        kept.add(key);
        continue;
      }
      capped.push(key);
      over--;
    }
  }
  return { beforeCount: keys.length, afterCount: keys.length - pruned.length - capped.length, pruned, capped, kept: [...kept] };
}

/** Where an entry's transcript lives: `sessionFile` when set (relative to the store), else `<sessionId>.jsonl`. */
export function transcriptPathOf(storeFile: string, entry: Record<string, unknown>): string | undefined {
  const dir = path.dirname(storeFile);
  if (typeof entry.sessionFile === "string" && entry.sessionFile) return path.resolve(dir, entry.sessionFile);
  if (typeof entry.sessionId === "string" && /^[A-Za-z0-9._-]+$/.test(entry.sessionId)) return path.join(dir, `${entry.sessionId}.jsonl`);
  return undefined;
}

export interface AppliedMaintenance extends MaintenancePlan {
  /** Transcripts renamed to `….deleted.<ts>`. */
  archived: Array<{ from: string; to: string }>;
  /** Transcripts left in place because a writer held their lock (orphans for the next cleanup). */
  busy: string[];
}

/**
 * Re-plans under the store lock (the store may have moved on since a dry run) and applies: the
 * entries leave `sessions.json` (atomic rewrite) first, then their transcripts are archived beside
 * it, each under its own write lock; a transcript that is busy stays where it is (reported).
 */
export async function runSessionMaintenance(storeFile: string, o: { settings: MaintenanceSettings; now: number; mainKeys?: string[]; activeKeys?: string[] }): Promise<AppliedMaintenance> {
  let files: string[] = [];
  const plan = await updateSessionStore(storeFile, (entries) => {
    const p = planSessionMaintenance(entries, o);
    const gone = new Set([...p.pruned, ...p.capped]);
    if (!gone.size) return { result: p };
    const next: SessionStoreMap = {};
    for (const [k, e] of Object.entries(entries)) if (!gone.has(k)) next[k] = e;
    const stillUsed = new Set(Object.values(next).map((e) => transcriptPathOf(storeFile, e)));
    files = [...gone].map((k) => transcriptPathOf(storeFile, entries[k]!)).filter((f): f is string => f !== undefined && !stillUsed.has(f));
    return { entries: next, result: p };
  });
  const archived: Array<{ from: string; to: string }> = [];
  const busy: string[] = [];
  const stamp = new Date(o.now).toISOString().replace(/[:.]/g, "-");
  for (const file of new Set(files)) {
    if (!existsSync(file)) continue;
    const lock = tryAcquireSessionLock(file);
    if (!("release" in lock)) {
      busy.push(file);
      continue;
    }
    try {
      const to = `${file}.deleted.${stamp}`;
      renameSync(file, to);
      archived.push({ from: file, to });
    } finally {
      lock.release();
    }
  }
  return { ...plan, archived, busy };
}
