/**
 * Transcript records (Pi's format, spec §8.4) ↔ the provider-neutral `ChatMessage` history.
 * Message records are `{ type: "message", id, parentId, timestamp, message: { role, content[] } }`
 * with content blocks `text` and `toolCall`; tool results are `role: "toolResult"` messages.
 * Records that are not messages (header, custom, compaction bookkeeping) do not enter the history.
 */
import { randomUUID } from "node:crypto";
import type { TranscriptRecord } from "../../storage/index.js";
import type { ChatMessage, ToolCall } from "../providers/types.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** A short transcript entry id (Pi uses 8 hex characters). */
export function newEntryId(): string {
  return randomUUID().replace(/-/g, "").slice(0, 8);
}

/** The text of a message's content (a string, or the `text` blocks joined). */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((b) => (isObj(b) && b.type === "text" && typeof b.text === "string" ? b.text : "")).join("");
}

/** The conversation a model sees from a transcript's records, oldest first. */
export function recordsToMessages(records: readonly TranscriptRecord[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const r of records) {
    if (r.type === "compaction" && typeof r.summary === "string") {
      out.push({ role: "user", content: `[Summary of the earlier conversation]\n${r.summary}` });
      continue;
    }
    if ((r.type !== "message" && r.type !== "custom_message") || !isObj(r.message)) continue;
    const m = r.message;
    if (m.role === "user") out.push({ role: "user", content: contentText(m.content) });
    else if (m.role === "assistant") {
      const blocks = Array.isArray(m.content) ? m.content : [];
      const toolCalls: ToolCall[] = blocks
        .filter((b): b is Obj => isObj(b) && b.type === "toolCall" && typeof b.id === "string" && typeof b.name === "string")
        .map((b) => ({ id: b.id as string, name: b.name as string, input: b.arguments ?? {} }));
      out.push({ role: "assistant", content: contentText(m.content), ...(toolCalls.length ? { toolCalls } : {}) });
    } else if (m.role === "toolResult" && typeof m.toolCallId === "string") {
      out.push({ role: "tool", toolCallId: m.toolCallId, content: contentText(m.content), ...(m.isError === true ? { isError: true } : {}) });
    }
  }
  return dropDanglingToolCalls(out);
}

/**
 * A tool call without its result (a run killed mid-tool) would make every later request fail at the
 * provider; such calls get a synthetic error result so the history stays well-formed.
 */
function dropDanglingToolCalls(messages: ChatMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    out.push(m);
    if (m.role !== "assistant" || !m.toolCalls?.length) continue;
    const answered = new Set<string>();
    for (let j = i + 1; j < messages.length && messages[j]!.role === "tool"; j++) answered.add((messages[j] as { toolCallId: string }).toolCallId);
    let j = i + 1;
    while (j < messages.length && messages[j]!.role === "tool") out.push(messages[j++]!);
    for (const c of m.toolCalls) if (!answered.has(c.id)) out.push({ role: "tool", toolCallId: c.id, content: "The tool run was interrupted before it finished.", isError: true });
    i = j - 1;
  }
  return out;
}

/** Builds the message record appended to a transcript. */
export function messageRecord(parentId: string | null, message: Obj, now: number): TranscriptRecord & { id: string } {
  return { type: "message", id: newEntryId(), parentId, timestamp: new Date(now).toISOString(), message: { ...message, timestamp: now } };
}

export function userMessage(text: string): Obj {
  return { role: "user", content: [{ type: "text", text }] };
}

export function assistantMessage(o: { text: string; toolCalls?: ToolCall[]; model?: string; provider?: string; usage?: { input: number; output: number }; stopReason?: string; errorMessage?: string }): Obj {
  const content: Obj[] = [];
  if (o.text) content.push({ type: "text", text: o.text });
  for (const c of o.toolCalls ?? []) content.push({ type: "toolCall", id: c.id, name: c.name, arguments: c.input ?? {} });
  return {
    role: "assistant",
    content,
    ...(o.provider ? { provider: o.provider } : {}),
    ...(o.model ? { model: o.model } : {}),
    ...(o.usage ? { usage: { input: o.usage.input, output: o.usage.output, totalTokens: o.usage.input + o.usage.output } } : {}),
    ...(o.stopReason ? { stopReason: o.stopReason } : {}),
    ...(o.errorMessage ? { errorMessage: o.errorMessage } : {}),
  };
}

export function toolResultMessage(o: { toolCallId: string; toolName: string; text: string; isError?: boolean }): Obj {
  return { role: "toolResult", toolCallId: o.toolCallId, toolName: o.toolName, content: [{ type: "text", text: o.text }], isError: o.isError === true };
}

/** The id of the last entry with an id (the parent of the next append). */
export function lastEntryId(records: readonly TranscriptRecord[]): string | null {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (r.type !== "session" && typeof r.id === "string") return r.id;
  }
  return null;
}
