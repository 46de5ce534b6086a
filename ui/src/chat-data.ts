/**
 * WebChat's data helpers: transcript entries from `chat.history`, the text of a `chat` event, and
 * the session keys an agent can pick. Pure (unit-tested without a browser).
 */

type Obj = Record<string, unknown>;

/** One message as the chat page shows it. */
export interface ChatEntry {
  role: "user" | "assistant";
  text: string;
  /** The run that produced it (streamed assistant messages). */
  runId?: string | undefined;
  state?: "streaming" | "final" | "aborted" | "error" | undefined;
}

/** The text of a message's content (a string, or text blocks). */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((b) => (b && typeof b === "object" && (b as Obj).type === "text" && typeof (b as Obj).text === "string" ? ((b as Obj).text as string) : ""))
    .join("");
}

/** The user and assistant messages of a `chat.history` answer, in order (tool traffic left out). */
export function entriesFromHistory(result: unknown): ChatEntry[] {
  const messages = (result as { messages?: unknown } | undefined)?.messages;
  if (!Array.isArray(messages)) return [];
  const out: ChatEntry[] = [];
  for (const m of messages) {
    const role = (m as Obj | undefined)?.role;
    if (role !== "user" && role !== "assistant") continue;
    const text = textOf((m as Obj).content);
    if (text) out.push({ role, text, state: "final" });
  }
  return out;
}

/** A `chat` event's payload, narrowed. */
export interface ChatEvent {
  runId: string;
  sessionKey: string;
  state: "delta" | "final" | "aborted" | "error";
  text: string | undefined;
  errorMessage: string | undefined;
}

/** Reads a `chat` event payload; undefined when it is not one. */
export function parseChatEvent(payload: unknown): ChatEvent | undefined {
  const p = payload as Obj | undefined;
  if (!p || typeof p.runId !== "string" || typeof p.sessionKey !== "string") return undefined;
  if (p.state !== "delta" && p.state !== "final" && p.state !== "aborted" && p.state !== "error") return undefined;
  const message = p.message as Obj | undefined;
  return {
    runId: p.runId,
    sessionKey: p.sessionKey,
    state: p.state,
    text: message ? textOf(message.content) : undefined,
    errorMessage: typeof p.errorMessage === "string" ? p.errorMessage : undefined,
  };
}

/** Applies a `chat` event to the transcript: the run's assistant entry is created or replaced (delta text is cumulative). */
export function applyChatEvent(entries: readonly ChatEntry[], event: ChatEvent): ChatEntry[] {
  const state = event.state === "delta" ? "streaming" : event.state;
  const index = entries.findIndex((e) => e.role === "assistant" && e.runId === event.runId);
  const previous = index >= 0 ? entries[index]! : undefined;
  const text = event.text ?? previous?.text ?? "";
  const entry: ChatEntry = { role: "assistant", runId: event.runId, state, text: text || (event.state === "error" ? `(error: ${event.errorMessage ?? "unknown"})` : event.state === "aborted" ? "(aborted)" : "") };
  if (index < 0) return [...entries, entry];
  const next = [...entries];
  next[index] = entry;
  return next;
}

/** The main session key of an agent (OpenClaw's `agent:<id>:main`). */
export function mainSessionKey(agentId: string): string {
  return `agent:${agentId}:main`;
}

/** The session keys `sessions.list` knows for one agent, its main session first. */
export function sessionKeysFor(agentId: string, result: unknown): string[] {
  const main = mainSessionKey(agentId);
  const sessions = (result as { sessions?: unknown } | undefined)?.sessions;
  const keys = Array.isArray(sessions) ? sessions.map((s) => (s as Obj | undefined)?.key).filter((k): k is string => typeof k === "string" && k.startsWith(`agent:${agentId}:`)) : [];
  return [main, ...keys.filter((k) => k !== main).sort()];
}
