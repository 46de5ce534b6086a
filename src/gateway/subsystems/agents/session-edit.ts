/**
 * `sessions.preview|patch|reset|delete` over an agent's `sessions.json` and its JSONL transcripts
 * (spec §8.2, §8.4). Each edit is one read-modify-write of the store, written atomically; the RPC
 * handlers run it under storage's session lock, so it never interleaves with the CLI's or another
 * process's edits. Transcripts are never deleted: a reset
 * or delete renames them to `<file>.reset.<ts>` / `<file>.deleted.<ts>`.
 */
import { randomUUID } from "node:crypto";
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, renameSync } from "node:fs";
import path from "node:path";
import { readWorkspaceText } from "../../../agent/index.js";
import { fsError, writeFileAtomic } from "../../../infra/index.js";
import { AppError } from "../../../shared/index.js";

type Store = Record<string, Record<string, unknown>>;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Largest store this reads (a bigger one is refused rather than loaded whole). */
const MAX_STORE_BYTES = 64 * 1024 * 1024;
/** Bytes of a transcript's tail read for a preview. */
const PREVIEW_TAIL_BYTES = 256 * 1024;

/** Reads the store as an object map; missing → empty; unreadable JSON → an error (never overwritten). */
export function loadStoreForEdit(file: string): Store {
  const read = readWorkspaceText(file, MAX_STORE_BYTES);
  if (!read) return {};
  if (read.cut) throw new AppError("PAYLOAD_TOO_LARGE", `${file} is larger than ${MAX_STORE_BYTES} bytes`, { hint: "Run `openclaw sessions cleanup`." });
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.text);
  } catch (error) {
    throw new AppError("UNAVAILABLE", `${file} is not valid JSON (${(error as Error).message.slice(0, 120)}); it was not changed`, {
      hint: "Restore it from sessions.json.bak or a backup, or move it aside to start a fresh store.",
    });
  }
  if (!isObject(parsed)) throw new AppError("UNAVAILABLE", `${file} is not a JSON object; it was not changed`, { hint: "Move it aside to start a fresh store." });
  return parsed as Store;
}

function saveStore(file: string, store: Store): void {
  writeFileAtomic(file, `${JSON.stringify(store, null, 2)}\n`, { mode: 0o600 });
}

function entryOf(store: Store, key: string, file: string): Record<string, unknown> {
  const entry = store[key];
  if (!isObject(entry)) throw new AppError("NOT_FOUND", `session "${key.slice(0, 200)}" is not in ${file}`, { hint: "List sessions with sessions.list." });
  return entry;
}

/** The transcript file of an entry: `sessionFile` when it stays inside the sessions dir, else `<sessionId>.jsonl`. */
export function transcriptPath(sessionsDir: string, entry: Record<string, unknown>): string | undefined {
  if (typeof entry.sessionFile === "string" && entry.sessionFile) {
    const resolved = path.resolve(sessionsDir, entry.sessionFile);
    if (path.dirname(resolved) === path.resolve(sessionsDir)) return resolved;
  }
  if (typeof entry.sessionId === "string" && /^[\w.-]{1,200}$/.test(entry.sessionId) && !entry.sessionId.startsWith(".")) {
    return path.join(sessionsDir, `${entry.sessionId}.jsonl`);
  }
  return undefined;
}

/** Renames a transcript aside (`<file>.<suffix>.<ts>`); a missing one is fine. Returns the new path. */
function archive(file: string | undefined, suffix: "reset" | "deleted", now: number): string | undefined {
  if (!file) return undefined;
  const target = `${file}.${suffix}.${new Date(now).toISOString().replaceAll(":", "-")}`;
  try {
    renameSync(file, target);
    return target;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw fsError("archive transcript", file, error);
  }
}

/** Fields `sessions.patch` may set (`null` clears). */
export const PATCHABLE_FIELDS = [
  "label",
  "thinkingLevel",
  "verboseLevel",
  "reasoningLevel",
  "responseUsage",
  "elevatedLevel",
  "execHost",
  "execSecurity",
  "execAsk",
  "execNode",
  "model",
  "spawnedBy",
  "sendPolicy",
  "groupActivation",
] as const;

/** Applies a patch to one entry; `null` removes a field. Returns the updated entry. */
export function patchSession(options: { storeFile: string; key: string; patch: Record<string, unknown>; now?: number }): Record<string, unknown> {
  const store = loadStoreForEdit(options.storeFile);
  const entry = { ...entryOf(store, options.key, options.storeFile) };
  for (const [field, value] of Object.entries(options.patch)) {
    if (value === undefined) continue;
    // `model` on the wire is stored as OpenClaw's override fields.
    const target = field === "model" ? "modelOverride" : field;
    if (value === null) delete entry[target];
    else entry[target] = value;
  }
  entry.updatedAt = options.now ?? Date.now();
  store[options.key] = entry;
  saveStore(options.storeFile, store);
  return entry;
}

/** Fields that describe a conversation's route and preferences, kept across a reset. */
const KEPT_ON_RESET = new Set(["chatType", "channel", "provider", "subject", "room", "space", "displayName", "label", "origin", "deliveryContext", "lastChannel", "lastTo", "lastAccountId", ...PATCHABLE_FIELDS, "modelOverride", "providerOverride"]);

/**
 * Starts a new transcript for a session: a fresh `sessionId`, counters cleared, route and
 * preferences kept, the old transcript archived as `.reset.<ts>`. A missing key creates the entry.
 */
export function resetSession(options: { storeFile: string; sessionsDir: string; key: string; now?: number }): { entry: Record<string, unknown>; previousSessionId?: string; archived?: string } {
  const now = options.now ?? Date.now();
  const store = loadStoreForEdit(options.storeFile);
  const old = isObject(store[options.key]) ? store[options.key]! : {};
  const entry: Record<string, unknown> = Object.fromEntries(Object.entries(old).filter(([k]) => KEPT_ON_RESET.has(k)));
  entry.sessionId = randomUUID();
  entry.updatedAt = now;
  entry.sessionStartedAt = now;
  store[options.key] = entry;
  saveStore(options.storeFile, store);
  const archived = archive(transcriptPath(options.sessionsDir, old), "reset", now);
  return { entry, ...(typeof old.sessionId === "string" ? { previousSessionId: old.sessionId } : {}), ...(archived ? { archived } : {}) };
}

/** Removes a session entry; its transcript is archived as `.deleted.<ts>` unless `deleteTranscript` is false. */
export function deleteSession(options: { storeFile: string; sessionsDir: string; key: string; deleteTranscript?: boolean; now?: number }): { deleted: boolean; archived?: string } {
  const store = loadStoreForEdit(options.storeFile);
  const entry = store[options.key];
  if (!isObject(entry)) return { deleted: false };
  delete store[options.key];
  saveStore(options.storeFile, store);
  const archived = options.deleteTranscript === false ? undefined : archive(transcriptPath(options.sessionsDir, entry), "deleted", options.now ?? Date.now());
  return { deleted: true, ...(archived ? { archived } : {}) };
}

/** One preview line: a role and text (capped). */
export interface PreviewItem {
  role: string;
  text: string;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((c) => (isObject(c) && typeof c.text === "string" ? c.text : isObject(c) && c.type === "toolCall" ? `[tool: ${String(c.name ?? "?")}]` : ""))
    .filter(Boolean)
    .join(" ");
}

/**
 * The last `limit` messages of a session's transcript, each capped at `maxChars`. Reads only the
 * transcript's tail; a torn or foreign line is skipped, never fatal.
 */
export function previewSession(options: { store: Store; sessionsDir: string; key: string; limit: number; maxChars: number }): { key: string; status: "ok" | "empty" | "missing"; items: PreviewItem[] } {
  const entry = options.store[options.key];
  if (!isObject(entry)) return { key: options.key, status: "missing", items: [] };
  const file = transcriptPath(options.sessionsDir, entry);
  const read = file ? readTail(file, PREVIEW_TAIL_BYTES) : null;
  if (read === null) return { key: options.key, status: "empty", items: [] };
  const items: PreviewItem[] = [];
  for (const line of read.split("\n")) {
    if (!line.trim()) continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isObject(record) || record.type !== "message" || !isObject(record.message)) continue;
    const role = typeof record.message.role === "string" ? record.message.role : "unknown";
    const text = textOf(record.message.content).replace(/\s+/g, " ").trim();
    if (!text) continue;
    items.push({ role, text: text.length > options.maxChars ? `${text.slice(0, options.maxChars - 1)}…` : text });
  }
  const last = items.slice(-options.limit);
  return { key: options.key, status: last.length > 0 ? "ok" : "empty", items: last };
}

/** The last `maxBytes` of a regular file, from a line boundary; null when it cannot be read. */
function readTail(file: string, maxBytes: number): string | null {
  let fd: number;
  try {
    if (lstatSync(file).isSymbolicLink()) return null;
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return null;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return null;
    const start = Math.max(0, st.size - maxBytes);
    const buf = Buffer.allocUnsafe(st.size - start);
    let len = 0;
    while (len < buf.length) {
      const n = readSync(fd, buf, len, buf.length - len, start + len);
      if (n === 0) break;
      len += n;
    }
    const text = buf.subarray(0, len).toString("utf8");
    if (start === 0) return text;
    const nl = text.indexOf("\n");
    return nl < 0 ? "" : text.slice(nl + 1);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
