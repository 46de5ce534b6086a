/**
 * One agent turn in one session (the caller's lane guarantees one at a time per session): the
 * message opens (or rotates) the session, is appended to its transcript, and the model is called
 * with the workspace system prompt, the history and the agent's tools — failing over across
 * credentials and models — until it answers without asking for a tool. Every record is appended
 * as it happens (a kill -9 loses nothing complete); token counts and the model land in
 * `sessions.json`. Errors end the turn with `status: "error"`, never an exception, so the gateway
 * always has a final answer to send.
 */
import path from "node:path";
import type { OpenClawConfig } from "../../config/index.js";
import type { Env } from "../../infra/index.js";
import { AppError, redactText } from "../../shared/index.js";
import { acquireSessionLock, loadTranscript, openTranscriptAppender, type TranscriptRecord, updateSessionStore } from "../../storage/index.js";
import { buildSystemPrompt } from "../agents/prompt.js";
import type { ResolvedAgent } from "../agents/resolve.js";
import { classifyProviderError } from "../providers/classify.js";
import { streamWithFailover } from "../providers/failover.js";
import { formatModelRef, type ModelRef, parseModelRef } from "../providers/model-ref.js";
import type { ChatMessage, ThinkingBlock, ThinkingLevel, ToolCall } from "../providers/types.js";
import { contextMessages } from "../sessions/compaction.js";
import { resolveResetPolicy } from "../sessions/reset.js";
import { openSessionForMessage } from "../sessions/store-ops.js";
import type { AgentTool, ToolContext } from "../tools/types.js";
import type { HistoryCache } from "./history-cache.js";
import { assistantMessage, lastEntryId, messageRecord, recordsToMessages, toolResultMessage, userMessage } from "./messages.js";
import type { ProviderErrorRecord, TurnStatus, TurnSummary } from "./types.js";

/** Model rounds per turn before the run is stopped (a model stuck calling tools). */
export const MAX_TOOL_ROUNDS = 40;
/** Tool output kept in the transcript and sent to the model (the tool caps first; this is the backstop). */
export const MAX_TOOL_RESULT_CHARS = 100_000;

/** What a turn reports while it runs (the gateway maps these to `agent` and `chat` events). */
export type TurnEvent =
  | { kind: "lifecycle"; phase: "start"; sessionKey: string; sessionId: string }
  | { kind: "assistant"; delta: string; text: string }
  | { kind: "tool"; phase: "start"; name: string; toolCallId: string; input: unknown }
  | { kind: "tool"; phase: "result"; name: string; toolCallId: string; isError: boolean; preview: string }
  | { kind: "failover"; from: string; to: string; reason: string }
  | { kind: "session"; started: string; archived?: string };

/** The channel a message arrived on. */
export interface MessageOrigin {
  channel: string;
  accountId?: string;
  /** Where replies go, in the channel's target syntax. */
  to?: string;
  chatType?: string;
}

export interface TurnInput {
  runId: string;
  agent: ResolvedAgent;
  sessionKey: string;
  message: string;
  config: OpenClawConfig;
  env: Env;
  /** `<state>/agents/<id>/sessions/sessions.json`. */
  storeFile: string;
  /** A `provider/model` (or alias) for this run only; disables configured fallbacks. */
  model?: string;
  /** Thinking level for this run (else the session's `thinkingLevel`). */
  thinking?: string;
  extraSystemPrompt?: string;
  /** Where the message came from (stamped on the session as `lastChannel`, `lastTo`, `lastAccountId`). */
  origin?: MessageOrigin;
  tools: AgentTool[];
  /** The tool context minus what the turn fills in. */
  toolContext: Omit<ToolContext, "signal" | "agentId" | "sessionKey" | "workspace">;
  signal: AbortSignal;
  /** Per provider request: time to first byte and between chunks. */
  providerTimeoutMs?: number;
  emit(event: TurnEvent): void;
  /**
   * The reply is complete (everything is in the transcript): called before the session's counters
   * are written to sessions.json, so the final event does not wait for that write.
   */
  onReply?(result: TurnResult): void;
  /** Parsed transcripts kept between turns (optional). */
  historyCache?: HistoryCache;
  /** Problems that do not fail the turn. */
  warn?: (message: string) => void;
  now?: () => number;
}

export interface TurnResult {
  status: TurnStatus;
  /** The assistant's final text (all rounds' text joined). */
  text: string;
  sessionId: string;
  sessionKey: string;
  stopReason?: string;
  errorMessage?: string;
  /** `timeout`, `rate_limit`, `refusal`, `context_length` or `unknown` for errors. */
  errorKind?: string;
  /** Tokens of the context after the last model call (input + output), when reported. */
  contextTokens?: number;
  /** The transcript the turn wrote. */
  transcriptFile?: string;
  summary: TurnSummary;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/** The model for this run: the request's, else the session's override, else the configured chain. */
function chainFor(input: TurnInput, entry: Record<string, unknown>): ModelRef[] | undefined {
  const wanted = input.model ?? (str(entry.modelOverride) ? (str(entry.providerOverride) ? `${entry.providerOverride}/${entry.modelOverride}` : String(entry.modelOverride)) : undefined);
  return wanted ? [parseModelRef(wanted, input.config as never)] : undefined;
}

const THINKING_LEVELS: readonly ThinkingLevel[] = ["off", "minimal", "low", "medium", "high", "xhigh", "adaptive", "max"];
const THINKING_ALIASES: Record<string, ThinkingLevel> = { "x-high": "xhigh", x_high: "xhigh", "extra-high": "xhigh", "extra high": "xhigh", extra_high: "xhigh", highest: "high", on: "medium", ultra: "max" };

/** A thinking level from a request or a session (`off`/unknown → none). */
export function thinkingLevelOf(v: unknown): ThinkingLevel | undefined {
  if (typeof v !== "string") return undefined;
  const s = v.trim().toLowerCase();
  const level = (THINKING_LEVELS as readonly string[]).includes(s) ? (s as ThinkingLevel) : THINKING_ALIASES[s];
  return level && level !== "off" ? level : undefined;
}

function errorKindOf(error: unknown, status: TurnStatus): string {
  if (status === "timeout") return "timeout";
  const cls = classifyProviderError(error, false);
  if (cls === "rate_limit") return "rate_limit";
  if (/context|too long|maximum context/i.test(String((error as Error)?.message ?? ""))) return "context_length";
  return "unknown";
}

function capToolText(text: string): string {
  if (text.length <= MAX_TOOL_RESULT_CHARS) return text;
  return `${text.slice(0, MAX_TOOL_RESULT_CHARS)}\n[… tool output truncated: ${text.length - MAX_TOOL_RESULT_CHARS} more characters …]`;
}

type Directive = { kind: "think"; level: string } | { kind: "model"; ref: string };

/** `/think <level>`, `/think:<level>`, `/t <level>` or `/model <ref>` alone in a message (`off`/`default` clear). */
export function parseDirective(text: string): Directive | undefined {
  const m = /^\/(think|thinking|t|model)(?::|\s+)(\S+)\s*$/i.exec(text);
  if (!m) return undefined;
  const word = m[1]!.toLowerCase();
  return word === "model" ? { kind: "model", ref: m[2]! } : { kind: "think", level: m[2]!.toLowerCase() };
}

/** Stores a directive on the session entry and says what changed (or why not). */
async function applyDirective(d: Directive, input: TurnInput): Promise<string> {
  let patch: Record<string, unknown>;
  let said: string;
  if (d.kind === "think") {
    const level = thinkingLevelOf(d.level);
    if (!level && d.level !== "off") return `Unknown thinking level "${d.level}". Use off, minimal, low, medium, high, xhigh, adaptive or max.`;
    patch = { thinkingLevel: level ?? null };
    said = level ? `Thinking level set to ${level}.` : "Thinking disabled.";
  } else if (d.ref === "default" || d.ref === "reset") {
    patch = { modelOverride: null, providerOverride: null };
    said = "Model reset to the agent's default.";
  } else {
    let ref: ModelRef;
    try {
      ref = parseModelRef(d.ref, input.config as never);
    } catch (error) {
      return (error as Error).message;
    }
    patch = { modelOverride: ref.model, providerOverride: ref.provider };
    said = `Model set to ${formatModelRef(ref)} for this session.`;
  }
  await updateSessionStore(input.storeFile, (entries) => {
    const e = entries[input.sessionKey];
    if (!e) return { result: undefined };
    const next: Record<string, unknown> = { ...e };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete next[k];
      else next[k] = v;
    }
    return { entries: { ...entries, [input.sessionKey]: next }, result: undefined };
  });
  return said;
}

/** Runs one turn; resolves (never rejects) with the outcome. */
export async function runTurn(input: TurnInput): Promise<TurnResult> {
  const now = input.now ?? Date.now;
  const startedAt = now();
  const summary: TurnSummary = {
    runId: input.runId,
    agentId: input.agent.id,
    sessionKey: input.sessionKey,
    status: "ok",
    startedAt,
    endedAt: startedAt,
    inputTokens: 0,
    outputTokens: 0,
    modelCalls: 0,
    toolCalls: 0,
    failovers: 0,
    providerErrors: [],
    providerFirstByteMs: 0,
    providerTotalMs: 0,
  };
  let sessionId = "";
  let finalText = "";
  let stopReason: string | undefined;
  let lastContextTokens = 0;
  let release: (() => void) | undefined;
  let appender: ReturnType<typeof openTranscriptAppender> | undefined;
  let parentId: string | null = null;
  let records: TranscriptRecord[] | undefined;
  let transcriptFile: string | undefined;
  const append = (message: Record<string, unknown>) => {
    const rec = messageRecord(parentId, message, now());
    appender?.append(rec);
    records?.push(rec);
    parentId = rec.id;
  };
  try {
    const policy = resolveResetPolicy(input.config.session);
    const opened = await openSessionForMessage(input.storeFile, { key: input.sessionKey, now: startedAt, text: input.message, policy, cwd: input.agent.workspace, touch: false });
    sessionId = opened.sessionId;
    if (opened.started && opened.started !== "new") input.emit({ kind: "session", started: opened.started, ...(opened.archived ? { archived: opened.archived } : {}) });
    input.emit({ kind: "lifecycle", phase: "start", sessionKey: input.sessionKey, sessionId });
    const lock = await acquireSessionLock(opened.transcript, { timeoutMs: 30_000 });
    release = () => lock.release();
    records = input.historyCache?.take(opened.transcript) ?? loadTranscript(opened.transcript).records;
    transcriptFile = opened.transcript;
    // After a compaction the model sees its summary and the kept tail, not the whole file.
    const history: ChatMessage[] = recordsToMessages(contextMessages(records));
    parentId = lastEntryId(records);
    appender = openTranscriptAppender(opened.transcript);
    const text = opened.text.trim();
    if (!text && opened.started === "trigger") {
      // `/new` or `/reset` alone: the session is fresh; nothing to ask the model.
      finalText = "New session started.";
      append(assistantMessage({ text: finalText, stopReason: "stop" }));
      return finish("ok");
    }
    const directive = parseDirective(text);
    if (directive) {
      // A message that is only `/think <level>` or `/model <ref>` changes the session, not the conversation.
      append(userMessage(opened.text));
      finalText = await applyDirective(directive, input);
      append(assistantMessage({ text: finalText, stopReason: "stop" }));
      return finish("ok");
    }
    append(userMessage(opened.text));
    history.push({ role: "user", content: opened.text });
    const prompt = buildSystemPrompt(input.agent).text;
    const system = input.extraSystemPrompt ? `${prompt}\n\n${input.extraSystemPrompt}` : prompt;
    const chain = chainFor(input, opened.entry);
    const thinking = thinkingLevelOf(input.thinking ?? opened.entry.thinkingLevel);
    const toolsByName = new Map(input.tools.map((t) => [t.name, t]));
    const specs = input.tools.map(({ name, description, inputSchema }) => ({ name, description, inputSchema }));
    const toolCtx: ToolContext = { ...input.toolContext, agentId: input.agent.id, sessionKey: input.sessionKey, workspace: input.agent.workspace, signal: input.signal };
    for (let round = 0; round < MAX_TOOL_ROUNDS; round++) {
      let text = "";
      const calls: ToolCall[] = [];
      const thoughts: ThinkingBlock[] = [];
      let usage = { input: 0, output: 0 };
      let answering: { provider: string; model: string } | undefined;
      summary.modelCalls++;
      const callStart = performance.now();
      let firstByte: number | undefined;
      stopReason = undefined;
      try {
        for await (const ev of streamWithFailover({
          config: input.config as never,
          env: input.env,
          authStoreFile: path.join(input.agent.agentDir, "auth-profiles.json"),
          agentId: input.agent.id,
          ...(chain ? { chain } : {}),
          system,
          messages: history,
          ...(specs.length ? { tools: specs } : {}),
          ...(thinking ? { thinking } : {}),
          signal: input.signal,
          ...(input.providerTimeoutMs ? { timeoutMs: input.providerTimeoutMs } : {}),
        })) {
          if (ev.type === "attempt") {
            answering = { provider: ev.provider, model: ev.model };
            continue;
          }
          if (firstByte === undefined && ev.type !== "failover") firstByte = performance.now();
          if (ev.type === "text") {
            text += ev.text;
            finalText += ev.text;
            input.emit({ kind: "assistant", delta: ev.text, text: finalText });
          } else if (ev.type === "tool_call") calls.push(ev.call);
          else if (ev.type === "thinking") thoughts.push(ev.block);
          else if (ev.type === "usage") usage = { input: ev.inputTokens, output: ev.outputTokens };
          else if (ev.type === "stop") stopReason = ev.reason;
          else if (ev.type === "failover") {
            summary.failovers++;
            const model = ev.from.split(" ")[0] ?? "";
            summary.providerErrors.push({ provider: model.split("/")[0] ?? "", model, kind: ev.reason } satisfies ProviderErrorRecord);
            input.emit({ kind: "failover", from: ev.from, to: ev.to, reason: ev.reason });
          }
        }
      } finally {
        const end = performance.now();
        summary.providerFirstByteMs += (firstByte ?? end) - callStart;
        summary.providerTotalMs += end - callStart;
      }
      summary.inputTokens += usage.input;
      summary.outputTokens += usage.output;
      lastContextTokens = usage.input + usage.output;
      if (answering) {
        summary.provider = answering.provider;
        summary.model = formatModelRef(answering);
      }
      append(assistantMessage({ text, toolCalls: calls, thinking: thoughts, ...(answering ?? {}), usage, ...(stopReason ? { stopReason: stopReason === "end_turn" ? "stop" : stopReason === "tool_use" ? "toolUse" : stopReason } : {}) }));
      history.push({ role: "assistant", content: text, ...(calls.length ? { toolCalls: calls } : {}), ...(thoughts.length ? { thinking: thoughts } : {}) });
      if (calls.length === 0) return finish("ok");
      for (const call of calls) {
        summary.toolCalls++;
        input.emit({ kind: "tool", phase: "start", name: call.name, toolCallId: call.id, input: call.input });
        const tool = toolsByName.get(call.name);
        let result: { content: string; isError?: boolean };
        if (!tool) result = { content: `Tool "${call.name}" is not available to this agent.`, isError: true };
        else {
          try {
            result = await tool.run(call.input, toolCtx);
          } catch (error) {
            if (input.signal.aborted) throw error;
            result = { content: `Tool ${call.name} failed: ${redactText((error as Error).message ?? String(error))}`, isError: true };
          }
        }
        const content = capToolText(redactText(result.content));
        append(toolResultMessage({ toolCallId: call.id, toolName: call.name, text: content, isError: result.isError }));
        history.push({ role: "tool", toolCallId: call.id, content, ...(result.isError ? { isError: true } : {}) });
        input.emit({ kind: "tool", phase: "result", name: call.name, toolCallId: call.id, isError: result.isError === true, preview: content.slice(0, 200) });
        if (input.signal.aborted) throw new AppError("INTERRUPTED", "aborted");
      }
    }
    throw new AppError("INTERNAL", `the model asked for tools ${MAX_TOOL_ROUNDS} times in a row; the turn was stopped`, { hint: "Ask again with a narrower request, or /new to start over." });
  } catch (error) {
    const status: TurnStatus = input.signal.aborted ? ((input.signal.reason as { name?: string } | undefined)?.name === "TimeoutError" ? "timeout" : "aborted") : "error";
    const message = status === "timeout" ? "the agent run timed out" : status === "aborted" ? "the agent run was aborted" : redactText((error as Error)?.message ?? String(error));
    if (appender && status === "error") {
      try {
        append(assistantMessage({ text: "", stopReason: "error", errorMessage: message }));
      } catch {
        // The transcript is unwritable: the turn still reports its error.
      }
    }
    return finish(status, message, errorKindOf(error, status));
  } finally {
    appender?.close();
    release?.();
  }

  async function finish(status: TurnStatus, errorMessage?: string, errorKind?: string): Promise<TurnResult> {
    summary.status = status;
    summary.endedAt = now();
    if (errorMessage) summary.errorMessage = errorMessage;
    const result: TurnResult = {
      status,
      text: finalText,
      sessionId,
      sessionKey: input.sessionKey,
      ...(lastContextTokens ? { contextTokens: lastContextTokens } : {}),
      ...(transcriptFile ? { transcriptFile } : {}),
      ...(stopReason ? { stopReason } : {}), ...(errorMessage ? { errorMessage } : {}), ...(errorKind ? { errorKind } : {}), summary };
    if (appender && records && transcriptFile) input.historyCache?.put(transcriptFile, records);
    appender?.close();
    appender = undefined;
    release?.();
    release = undefined;
    input.onReply?.(result);
    if (sessionId) {
      try {
        await updateSessionStore(input.storeFile, (entries) => {
          const e = entries[input.sessionKey];
          if (!e || e.sessionId !== sessionId) return { result: undefined };
          const inputTokens = (typeof e.inputTokens === "number" ? e.inputTokens : 0) + summary.inputTokens;
          const outputTokens = (typeof e.outputTokens === "number" ? e.outputTokens : 0) + summary.outputTokens;
          const next = { ...e, updatedAt: summary.endedAt, lastInteractionAt: Math.max(startedAt, typeof e.lastInteractionAt === "number" ? e.lastInteractionAt : 0), inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, ...(lastContextTokens ? { contextTokens: lastContextTokens } : {}) };
          if (summary.model) Object.assign(next, { model: summary.model.slice(summary.model.indexOf("/") + 1), modelProvider: summary.provider });
          const origin = input.origin;
          if (origin) Object.assign(next, { lastChannel: origin.channel, ...(e.channel === undefined ? { channel: origin.channel } : {}), ...(origin.accountId ? { lastAccountId: origin.accountId } : {}), ...(origin.to ? { lastTo: origin.to } : {}), ...(origin.chatType && e.chatType === undefined ? { chatType: origin.chatType } : {}) });
          return { entries: { ...entries, [input.sessionKey]: next }, result: undefined };
        });
      } catch (error) {
        // The reply stands; only the counters are lost. Said, not swallowed.
        input.warn?.(`session ${input.sessionKey}: cannot update sessions.json after the turn: ${(error as Error).message}`);
      }
    }
    return result;
  }
}
