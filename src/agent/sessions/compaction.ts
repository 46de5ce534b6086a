/**
 * Session compaction (spec §8.4): older history is summarised into one appended
 * `{type:"compaction", summary, firstKeptEntryId, tokensBefore}` record; the transcript is never
 * rewritten. What a model sees afterwards is the latest summary, then the records from
 * `firstKeptEntryId` on. The summariser is the caller's (a model call in the gateway, a stub in
 * tests), so this module does no network I/O.
 */
import { randomUUID } from "node:crypto";
import { AppError } from "../../shared/index.js";
import { appendTranscriptRecord, loadTranscript, type TranscriptRecord, withSessionLock } from "../../storage/index.js";

/** Pi's default recent tail kept verbatim after a compaction, in tokens. */
export const DEFAULT_KEEP_RECENT_TOKENS = 20_000;
/** Largest summariser input, in characters (older text beyond it is cut from the front). */
const MAX_SUMMARY_INPUT_CHARS = 400_000;

/** Rough token estimate (chars / 4), the same heuristic Pi uses before a provider reports usage. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Records that carry conversation into the model's context. */
const isContextRecord = (r: TranscriptRecord): boolean => r.type === "message" || r.type === "custom_message";

/** One message record as plain text: `Role: text`, tool calls as `[tool call name(args)]`. */
export function recordText(r: TranscriptRecord): string {
  if (r.type === "compaction") return `Summary of earlier conversation:\n${String(r.summary ?? "")}`;
  const message = obj(r.message);
  const role = typeof message.role === "string" ? message.role : String(r.type ?? "entry");
  const content = message.content;
  const parts: string[] = [];
  if (typeof content === "string") parts.push(content);
  else if (Array.isArray(content)) {
    for (const block of content.map(obj)) {
      if (block.type === "text" && typeof block.text === "string") parts.push(block.text);
      else if (block.type === "toolCall") parts.push(`[tool call ${String(block.name ?? "?")}(${JSON.stringify(block.arguments ?? {})})]`);
      else if (block.type === "thinking") continue;
      else if (block.type === "image") parts.push("[image data omitted from summary input]");
    }
  }
  const label = role === "user" ? "User" : role === "assistant" ? "Assistant" : role === "toolResult" ? `Tool result${message.toolName ? ` (${String(message.toolName)})` : ""}` : role;
  return `${label}: ${parts.join("\n")}`;
}

/**
 * The records a model sees: with no compaction, every message record; after one, the latest
 * compaction record first, then the message records from its `firstKeptEntryId` on.
 */
export function contextMessages(records: readonly TranscriptRecord[]): TranscriptRecord[] {
  let last = -1;
  for (let i = records.length - 1; i >= 0; i--) {
    if (records[i]!.type === "compaction") {
      last = i;
      break;
    }
  }
  if (last < 0) return records.filter(isContextRecord);
  const compaction = records[last]!;
  const keptAt = typeof compaction.firstKeptEntryId === "string" ? records.findIndex((r) => r.id === compaction.firstKeptEntryId) : -1;
  // Kept records sit before the compaction record; anything appended after it is newer history.
  const tail = keptAt >= 0 ? records.slice(keptAt).filter((_r, i) => keptAt + i !== last) : records.slice(last + 1);
  return [compaction, ...tail.filter(isContextRecord)];
}

/** Estimated tokens of what the model sees. */
export function estimateContextTokens(records: readonly TranscriptRecord[]): number {
  return contextMessages(records).reduce((sum, r) => sum + estimateTokens(recordText(r)), 0);
}

export interface CompactSessionOptions {
  transcriptFile: string;
  /** Summarises the older conversation (plain text in, summary out). */
  summarize: (messagesText: string) => Promise<string>;
  /** Tokens of recent history kept verbatim (default 20 000). */
  keepRecentTokens?: number;
  /** At most this many recent message records are kept verbatim. */
  keepRecentMessages?: number;
  now?: () => number;
  /** The caller already holds the transcript's session lock (the turn engine). */
  locked?: boolean;
  /** How long to wait for the session lock (default: storage's 60 s). */
  lockTimeoutMs?: number;
}

export interface CompactionResult {
  compacted: boolean;
  /** Why nothing was compacted. */
  reason?: "empty" | "nothing-to-compact";
  record?: TranscriptRecord;
  tokensBefore: number;
  tokensAfter: number;
  /** Message records folded into the summary. */
  summarizedMessages: number;
}

/** Index (into `msgs`) of the first record kept verbatim; a tool result stays with its call. */
function cutPoint(msgs: readonly TranscriptRecord[], keepTokens: number, keepMessages: number): number {
  let tokens = 0;
  let cut = msgs.length;
  for (let i = msgs.length - 1; i >= 0; i--) {
    const t = estimateTokens(recordText(msgs[i]!));
    if (tokens + t > keepTokens || msgs.length - i > keepMessages) break;
    tokens += t;
    cut = i;
  }
  // Never start the kept tail on a tool result: its assistant tool call goes with it.
  while (cut > 0 && cut < msgs.length && obj(msgs[cut]!.message).role === "toolResult") cut--;
  return cut;
}

async function compactLocked(o: CompactSessionOptions): Promise<CompactionResult> {
  const now = o.now ?? Date.now;
  const loaded = loadTranscript(o.transcriptFile);
  if (loaded.problems.unreadable) {
    throw new AppError("FS", `cannot read transcript ${o.transcriptFile}: ${loaded.problems.unreadable}`, { hint: "Run `openclaw sessions check --fix` to quarantine it." });
  }
  const context = contextMessages(loaded.records);
  const tokensBefore = context.reduce((sum, r) => sum + estimateTokens(recordText(r)), 0);
  const previous = context[0]?.type === "compaction" ? context[0] : undefined;
  const msgs = previous ? context.slice(1) : context;
  if (msgs.length === 0) return { compacted: false, reason: "empty", tokensBefore, tokensAfter: tokensBefore, summarizedMessages: 0 };
  const cut = cutPoint(msgs, o.keepRecentTokens ?? DEFAULT_KEEP_RECENT_TOKENS, o.keepRecentMessages ?? Number.POSITIVE_INFINITY);
  if (cut === 0) return { compacted: false, reason: "nothing-to-compact", tokensBefore, tokensAfter: tokensBefore, summarizedMessages: 0 };
  const older = [...(previous ? [previous] : []), ...msgs.slice(0, cut)];
  let input = older.map(recordText).join("\n\n");
  if (input.length > MAX_SUMMARY_INPUT_CHARS) input = input.slice(input.length - MAX_SUMMARY_INPUT_CHARS);
  const summary = (await o.summarize(input)).trim();
  if (!summary) throw new AppError("PROVIDER_ERROR", "the model returned an empty summary; the session was not compacted", { hint: "Retry, or pick another model with agents.defaults.compaction.model." });
  const lastId = [...loaded.records].reverse().find((r) => typeof r.id === "string")?.id;
  const kept = msgs.slice(cut);
  const record: TranscriptRecord = {
    type: "compaction",
    id: randomUUID().slice(0, 8),
    parentId: typeof lastId === "string" ? lastId : null,
    timestamp: new Date(now()).toISOString(),
    summary,
    ...(typeof kept[0]?.id === "string" ? { firstKeptEntryId: kept[0].id } : {}),
    tokensBefore,
  };
  appendTranscriptRecord(o.transcriptFile, record);
  const tokensAfter = estimateTokens(recordText(record)) + kept.reduce((sum, r) => sum + estimateTokens(recordText(r)), 0);
  return { compacted: true, record, tokensBefore, tokensAfter, summarizedMessages: cut };
}

/**
 * Compacts a transcript: summarises everything before the recent tail and appends one compaction
 * record, under the transcript's session lock (unless the caller holds it). Nothing to compact is
 * not an error (`compacted: false`).
 */
export async function compactSession(o: CompactSessionOptions): Promise<CompactionResult> {
  return o.locked ? compactLocked(o) : withSessionLock(o.transcriptFile, () => compactLocked(o), o.lockTimeoutMs ? { timeoutMs: o.lockTimeoutMs } : {});
}
