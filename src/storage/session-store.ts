/** Read access to the file-based session store (`agents/<id>/sessions/sessions.json`, spec §8.2). */
import { readFileSync } from "node:fs";

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
