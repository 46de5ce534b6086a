/**
 * Session lifecycle on the file store, for the gateway's `sessions.*` methods and the turn runner:
 * list rows (one shape for `openclaw sessions --json` and RPC), open the session an inbound message
 * belongs to (applying `/new`/`/reset` and the daily/idle policy), reset, delete, patch, preview.
 * Every change happens under the store lock; old transcripts are archived (`.reset.<ts>`,
 * `.deleted.<ts>`), never removed.
 */
import { randomUUID } from "node:crypto";
import { existsSync, renameSync } from "node:fs";
import { AppError } from "../../shared/index.js";
import { appendTranscriptRecord, loadSessionStore, loadTranscript, type SessionStoreMap, tryAcquireSessionLock, updateSessionStore } from "../../storage/index.js";
import { classifySessionKind } from "./keys.js";
import { transcriptPathOf } from "./maintenance.js";
import { DEFAULT_RESET_TRIGGERS, evaluateSessionFreshness, parseResetTrigger, type ResetPolicy } from "./reset.js";

type Obj = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);

/** Entry fields a listed row carries through unchanged (an allowlist: nothing unexpected reaches output). */
export const SESSION_ROW_FIELDS = ["sessionStartedAt", "lastInteractionAt", "label", "displayName", "subject", "chatType", "channel", "spawnedBy", "color", "thinkingLevel", "verboseLevel", "reasoningLevel", "elevatedLevel", "sendPolicy", "inputTokens", "outputTokens", "compactionCount"] as const;

/** One listed session, as `openclaw sessions --json` prints it. */
export type SessionRow = Obj & { key: string; kind: string; agentId: string; updatedAt: number | null; ageMs: number | null };

/** Rows for a store's entries, newest first; `fallbackModel` fills sessions that never recorded one. */
export function buildSessionRows(entries: SessionStoreMap, o: { agentId: string; now: number; activeSince?: number; fallbackModel?: (agentId: string) => { provider?: string; model?: string } }): SessionRow[] {
  const rows: SessionRow[] = [];
  for (const [key, e] of Object.entries(entries)) {
    if (o.activeSince !== undefined && !(typeof e.updatedAt === "number" && e.updatedAt >= o.activeSince)) continue;
    const agentId = /^agent:([^:]+):/.exec(key)?.[1] ?? o.agentId;
    const updatedAt = num(e.updatedAt);
    const fallback = o.fallbackModel?.(agentId) ?? {};
    const row: SessionRow = { key, kind: classifySessionKind(key, e), agentId, sessionId: str(e.sessionId), updatedAt, ageMs: updatedAt === null ? null : Math.max(0, o.now - updatedAt) };
    for (const f of SESSION_ROW_FIELDS) if (e[f] !== undefined) row[f] = e[f];
    const input = num(e.inputTokens);
    const output = num(e.outputTokens);
    row.totalTokens = num(e.totalTokens) ?? (input !== null || output !== null ? (input ?? 0) + (output ?? 0) : null);
    row.totalTokensFresh = num(e.totalTokens) !== null;
    row.contextTokens = num(e.contextTokens);
    row.modelProvider = str(e.modelProvider) ?? str(e.providerOverride) ?? str(e.provider) ?? fallback.provider ?? null;
    row.model = str(e.model) ?? str(e.modelOverride) ?? fallback.model ?? null;
    rows.push(row);
  }
  return rows.sort((a, b) => (b.updatedAt ?? 0) - (a.updatedAt ?? 0));
}

function archiveTranscript(file: string | undefined, suffix: "reset" | "deleted", now: number): string | undefined {
  if (!file || !existsSync(file)) return undefined;
  const lock = tryAcquireSessionLock(file);
  if (!("release" in lock)) return undefined;
  try {
    const to = `${file}.${suffix}.${new Date(now).toISOString().replace(/[:.]/g, "-")}`;
    renameSync(file, to);
    return to;
  } finally {
    lock.release();
  }
}

function startTranscript(storeFile: string, entry: Obj, o: { now: number; cwd?: string; parentSession?: string }): void {
  const file = transcriptPathOf(storeFile, entry);
  if (!file) return;
  appendTranscriptRecord(file, { type: "session", version: 3, id: entry.sessionId, timestamp: new Date(o.now).toISOString(), cwd: o.cwd ?? "", ...(o.parentSession ? { parentSession: o.parentSession } : {}) });
}

export interface OpenedSession {
  key: string;
  entry: Obj;
  sessionId: string;
  transcript: string;
  /** Why a new sessionId was started: first message, a trigger, or the daily/idle policy. */
  started?: "new" | "trigger" | "daily" | "idle";
  /** The message text with a leading reset trigger removed. */
  text: string;
  /** The archived previous transcript, when one was rotated out. */
  archived?: string;
}

/**
 * The session an inbound message goes to: creates it on first use, or rotates its `sessionId`
 * when the message starts with a reset trigger or the reset policy says it expired (the old
 * transcript is archived as `.reset.<ts>`). Marks the interaction (`lastInteractionAt`), unless
 * `touch: false` and nothing changed: then the store is only read, and the caller stamps it later.
 */
export async function openSessionForMessage(
  storeFile: string,
  o: { key: string; now: number; text?: string; policy?: ResetPolicy; resetTriggers?: readonly string[]; cwd?: string; seed?: Obj; touch?: boolean },
): Promise<OpenedSession> {
  const trigger = o.text !== undefined ? parseResetTrigger(o.text, o.resetTriggers ?? DEFAULT_RESET_TRIGGERS) : undefined;
  // The common case, a message to a live session, needs no lock: sessions.json is only ever replaced
  // whole (rename), so a lock-free read sees a complete store; anything else takes the locked path.
  if (o.touch === false && !trigger) {
    const prev = loadSessionStore(storeFile).entries[o.key];
    const transcript = prev && typeof prev.sessionId === "string" ? transcriptPathOf(storeFile, prev) : undefined;
    if (prev && transcript && (!o.policy || evaluateSessionFreshness(prev, o.policy, o.now).fresh) && existsSync(transcript)) {
      return { key: o.key, entry: prev, sessionId: prev.sessionId as string, transcript, text: o.text ?? "" };
    }
  }
  // Rotation and the new transcript's header happen under the store lock, so two messages that
  // race to open the same session agree on one sessionId and one header.
  const opened = await updateSessionStore(storeFile, (entries) => {
    const prev = entries[o.key];
    let started: OpenedSession["started"];
    if (!prev || typeof prev.sessionId !== "string") started = "new";
    else if (trigger) started = "trigger";
    else if (o.policy) {
      const f = evaluateSessionFreshness(prev, o.policy, o.now);
      if (!f.fresh) started = f.reason;
    }
    let entry: Obj;
    let archived: string | undefined;
    if (started) {
      if (prev && started !== "new") archived = archiveTranscript(transcriptPathOf(storeFile, prev), "reset", o.now);
      const { sessionFile: _drop, ...keep } = prev ?? {};
      entry = { ...(o.seed ?? {}), ...keep, sessionId: randomUUID(), sessionStartedAt: o.now, updatedAt: o.now, lastInteractionAt: o.now };
      for (const k of ["inputTokens", "outputTokens", "totalTokens", "contextTokens", "compactionCount"]) delete entry[k];
    } else if (o.touch === false && existsSync(transcriptPathOf(storeFile, prev!) ?? "")) {
      // The caller stamps the interaction itself when the turn ends (one store write per turn).
      return { result: { entry: prev!, started: undefined, archived: undefined, transcript: transcriptPathOf(storeFile, prev!) } };
    } else entry = { ...prev, updatedAt: o.now, lastInteractionAt: o.now };
    const transcript = transcriptPathOf(storeFile, entry);
    if (transcript && (started || !existsSync(transcript))) startTranscript(storeFile, entry, { now: o.now, ...(o.cwd ? { cwd: o.cwd } : {}) });
    return { entries: { ...entries, [o.key]: entry }, result: { entry, started, archived, transcript } };
  });
  if (!opened.transcript) throw new AppError("CONFIG_VALUE", `session "${o.key}" has no usable transcript path`, { hint: "Its sessionId or sessionFile in sessions.json is malformed; delete the entry (it is recreated on the next message)." });
  return {
    key: o.key,
    entry: opened.entry,
    sessionId: opened.entry.sessionId as string,
    transcript: opened.transcript,
    ...(opened.started ? { started: opened.started } : {}),
    text: trigger ? trigger.rest : (o.text ?? ""),
    ...(opened.archived ? { archived: opened.archived } : {}),
  };
}

function notFound(key: string): AppError {
  return new AppError("NOT_FOUND", `session "${key}" not found`, { hint: "Run openclaw sessions --json to choose a valid key." });
}

/** Starts a new `sessionId` for an existing session; the old transcript becomes `.reset.<ts>`. */
export async function resetSession(storeFile: string, key: string, now: number): Promise<{ key: string; sessionId: string; archived?: string }> {
  let old: string | undefined;
  const sessionId = await updateSessionStore(storeFile, (entries) => {
    const prev = entries[key];
    if (!prev) throw notFound(key);
    old = transcriptPathOf(storeFile, prev);
    const { sessionFile: _drop, inputTokens: _i, outputTokens: _o, totalTokens: _t, contextTokens: _c, compactionCount: _n, ...keep } = prev;
    const id = randomUUID();
    return { entries: { ...entries, [key]: { ...keep, sessionId: id, sessionStartedAt: now, updatedAt: now } }, result: id };
  });
  const archived = archiveTranscript(old, "reset", now);
  return { key, sessionId, ...(archived ? { archived } : {}) };
}

/** Removes a session's entry; its transcript is archived as `.deleted.<ts>`. */
export async function deleteSession(storeFile: string, key: string, now: number): Promise<{ key: string; deleted: true; archived?: string }> {
  let old: string | undefined;
  await updateSessionStore(storeFile, (entries) => {
    const prev = entries[key];
    if (!prev) throw notFound(key);
    old = transcriptPathOf(storeFile, prev);
    const next = { ...entries };
    delete next[key];
    const stillUsed = Object.values(next).some((e) => transcriptPathOf(storeFile, e) === old);
    if (stillUsed) old = undefined;
    return { entries: next, result: undefined };
  });
  const archived = archiveTranscript(old, "deleted", now);
  return { key, deleted: true, ...(archived ? { archived } : {}) };
}

/** Fields `sessions.patch` may set (null clears); anything else is refused by name. */
export const PATCHABLE_SESSION_FIELDS = ["label", "color", "thinkingLevel", "verboseLevel", "reasoningLevel", "elevatedLevel", "sendPolicy", "responseUsage", "groupActivation", "modelOverride", "providerOverride"] as const;

/** Sets or clears per-session toggles. */
export async function patchSession(storeFile: string, key: string, patch: Record<string, unknown>, now: number): Promise<Obj> {
  const bad = Object.keys(patch).filter((k) => !(PATCHABLE_SESSION_FIELDS as readonly string[]).includes(k));
  if (bad.length) throw new AppError("USAGE", `cannot patch session field(s) ${bad.join(", ")}`, { hint: `Patchable: ${PATCHABLE_SESSION_FIELDS.join(", ")}.` });
  return updateSessionStore(storeFile, (entries) => {
    const prev = entries[key];
    if (!prev) throw notFound(key);
    const next: Obj = { ...prev, updatedAt: now };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete next[k];
      else next[k] = v;
    }
    return { entries: { ...entries, [key]: next }, result: next };
  });
}

/** The last `limit` messages of a session's transcript (role + text), read-only; problems reported, never thrown. */
export function previewSession(storeFile: string, entry: Obj, limit = 20): { items: Array<{ role: string; text: string; timestamp?: unknown }>; problem?: string } {
  const file = transcriptPathOf(storeFile, entry);
  if (!file) return { items: [] };
  const t = loadTranscript(file, { repair: false });
  const items = t.records
    .filter((r) => r.type === "message" && r.message && typeof r.message === "object")
    .map((r) => {
      const m = r.message as Obj;
      const content = Array.isArray(m.content) ? m.content : typeof m.content === "string" ? [{ type: "text", text: m.content }] : [];
      const text = content.map((b) => (b && typeof b === "object" && (b as Obj).type === "text" ? String((b as Obj).text ?? "") : "")).join("");
      return { role: String(m.role ?? "unknown"), text, ...(m.timestamp !== undefined ? { timestamp: m.timestamp } : {}) };
    });
  const problem = t.problems.unreadable ?? (t.problems.tornTail ? "torn last line" : t.problems.badLines.length ? `${t.problems.badLines.length} unparseable line(s)` : undefined);
  return { items: items.slice(-limit), ...(problem ? { problem } : {}) };
}
