/**
 * Agent turns over the wire: the `agent` method (two-stage answer), `agent.wait`, and the chat
 * surface (`chat.send/history/abort/inject`). The runs themselves live in the agent runtime
 * (`AgentRuns`); this module maps their events to `agent` events (`lifecycle`, `assistant`,
 * `tool` streams) and `chat` events (`delta`, `final`, `aborted`, `error`), both for
 * `operator.read` subscribers.
 */
import { type AgentRuns, assistantMessage, messageRecord, type RunEvent, type TurnResult, transcriptPathOf } from "../../../agent/index.js";
import { AppError } from "../../../shared/index.js";
import { appendTranscriptRecord, loadTranscript, readSessionStore, withSessionLock } from "../../../storage/index.js";
import { type GatewayCore, type MethodHandlers, TwoStageResult } from "../../subsystem.js";

const DEFAULT_HISTORY_LIMIT = 200;
/** `chat.history` answers stay well under the 6 MB frame budget OpenClaw clients expect. */
const HISTORY_BYTES_BUDGET = 4 * 1024 * 1024;

type Obj = Record<string, unknown>;


/** The second answer of `agent` (OpenClaw's shape: `{ runId, status, summary, result: { payloads, meta } }`). */
export function agentFinalPayload(runId: string, r: TurnResult, startedAt: number): Obj {
  return {
    runId,
    status: r.status,
    summary: r.status === "ok" ? "completed" : (r.errorMessage ?? r.status),
    result: {
      payloads: r.text ? [{ text: r.text, mediaUrl: null }] : [],
      meta: {
        durationMs: r.summary.endedAt - startedAt,
        ...(r.stopReason ? { stopReason: r.stopReason } : {}),
        ...(r.status === "aborted" ? { aborted: true } : {}),
        ...(r.errorMessage ? { error: { message: r.errorMessage, kind: r.errorKind ?? "unknown" } } : {}),
        agentMeta: {
          sessionId: r.sessionId,
          sessionKey: r.sessionKey,
          agentId: r.summary.agentId,
          ...(r.summary.provider ? { provider: r.summary.provider } : {}),
          ...(r.summary.model ? { model: r.summary.model.slice(r.summary.model.indexOf("/") + 1) } : {}),
          usage: { input: r.summary.inputTokens, output: r.summary.outputTokens, total: r.summary.inputTokens + r.summary.outputTokens },
        },
      },
    },
  };
}

const textMessage = (text: string, ts: number) => ({ role: "assistant", content: [{ type: "text", text }], timestamp: ts });

/** Publishes a run's events as `agent` and `chat` events. */
export function publishRunEvent(core: GatewayCore, ev: RunEvent): void {
  const base = { runId: ev.runId, seq: ev.seq, ts: ev.ts, sessionKey: ev.sessionKey };
  const publish = (event: "agent" | "chat", payload: Obj) => core.events.publish(event, payload, { scope: "operator.read" });
  switch (ev.kind) {
    case "lifecycle":
      publish("agent", { ...base, stream: "lifecycle", data: { phase: "start", startedAt: ev.ts, sessionId: ev.sessionId, agentId: ev.agentId } });
      return;
    case "session":
      publish("agent", { ...base, stream: "lifecycle", data: { phase: "session", started: ev.started } });
      return;
    case "assistant":
      publish("agent", { ...base, stream: "assistant", data: { text: ev.text, delta: ev.delta } });
      publish("chat", { ...base, state: "delta", message: textMessage(ev.text, ev.ts), deltaText: ev.delta });
      return;
    case "tool":
      publish("agent", { ...base, stream: "tool", data: ev.phase === "start" ? { phase: "start", name: ev.name, toolCallId: ev.toolCallId } : { phase: "result", name: ev.name, toolCallId: ev.toolCallId, isError: ev.isError } });
      return;
    case "failover":
      publish("agent", { ...base, stream: "lifecycle", data: { phase: "failover", from: ev.from, to: ev.to, reason: ev.reason } });
      return;
    case "end": {
      const r = ev.result;
      const usage = { input: r.summary.inputTokens, output: r.summary.outputTokens, total: r.summary.inputTokens + r.summary.outputTokens };
      publish("agent", { ...base, stream: "lifecycle", data: { phase: r.status === "ok" ? "end" : "error", status: r.status, endedAt: ev.ts, ...(r.errorMessage ? { error: r.errorMessage } : {}) } });
      if (r.status === "ok") publish("chat", { ...base, state: "final", message: textMessage(r.text, ev.ts), usage, ...(r.stopReason ? { stopReason: r.stopReason } : {}) });
      else if (r.status === "aborted") publish("chat", { ...base, state: "aborted", ...(r.text ? { message: textMessage(r.text, ev.ts) } : {}), stopReason: "aborted" });
      else publish("chat", { ...base, state: "error", ...(r.text ? { message: textMessage(r.text, ev.ts) } : {}), errorMessage: r.errorMessage ?? r.status, errorKind: r.errorKind ?? (r.status === "timeout" ? "timeout" : "unknown"), usage });
      return;
    }
  }
}

/** The display form of a transcript's messages: the last `limit`, long texts cut at `maxChars`. */
function historyMessages(records: readonly Obj[], limit: number, maxChars: number | undefined): Obj[] {
  const messages = records.filter((r) => r.type === "message" && r.message && typeof r.message === "object").map((r) => ({ ...(r.message as Obj), id: r.id }));
  const cut = (m: Obj): Obj => {
    if (!maxChars || !Array.isArray(m.content)) return m;
    return { ...m, content: m.content.map((b: Obj) => (b?.type === "text" && typeof b.text === "string" && b.text.length > maxChars ? { ...b, text: `${b.text.slice(0, maxChars)}…`, truncated: true } : b)) };
  };
  const out: Obj[] = [];
  let bytes = 0;
  for (let i = messages.length - 1; i >= 0 && out.length < limit; i--) {
    const m = cut(messages[i]!);
    bytes += JSON.stringify(m).length;
    if (bytes > HISTORY_BYTES_BUDGET && out.length > 0) break;
    out.push(m);
  }
  return out.reverse();
}

/** Handlers for `agent`, `agent.wait` and `chat.*` over the runtime's runs. */
export function turnMethods(runs: () => AgentRuns, webchat: () => { recordInbound(): void; recordReply(status: string, error?: string): void } | undefined = () => undefined): MethodHandlers {
  return {
    agent: (p) => {
      const handle = runs().start({
        message: p.message,
        ...(p.agentId ? { agentId: p.agentId } : {}),
        ...(p.sessionKey ? { sessionKey: p.sessionKey } : {}),
        ...(p.sessionId ? { sessionId: p.sessionId } : {}),
        ...(p.to ? { to: p.to } : {}),
        ...(typeof (p as Obj).channel === "string" ? { channel: (p as Obj).channel as string } : {}),
        ...(p.model ? { model: p.model } : {}),
        ...(p.thinking ? { thinking: p.thinking } : {}),
        ...(p.timeout !== undefined ? { timeoutSeconds: p.timeout } : {}),
        ...(p.extraSystemPrompt ? { extraSystemPrompt: p.extraSystemPrompt } : {}),
        idempotencyKey: p.idempotencyKey,
      });
      const accepted = { runId: handle.runId, status: "accepted", acceptedAt: handle.acceptedAt, sessionKey: handle.sessionKey, agentId: handle.agentId };
      return new TwoStageResult(
        accepted,
        handle.done.then((r) => agentFinalPayload(handle.runId, r, handle.acceptedAt)),
      );
    },
    "agent.wait": (p) => runs().wait(p.runId, p.timeoutMs ?? 30_000),
    "chat.send": (p) => {
      const handle = runs().start({
        message: p.message,
        sessionKey: p.sessionKey,
        ...(p.thinking ? { thinking: p.thinking } : {}),
        ...(p.timeoutMs !== undefined ? { timeoutSeconds: Math.ceil(p.timeoutMs / 1000) } : {}),
        idempotencyKey: p.idempotencyKey,
        channel: "webchat",
      });
      // WebChat is a channel: its traffic is counted and shows in channels status.
      const counter = webchat();
      if (counter && !handle.deduped) {
        counter.recordInbound();
        handle.done.then((r) => counter.recordReply(r.status, r.errorMessage)).catch(() => undefined);
      }
      return { runId: handle.runId, status: handle.deduped ? "in_flight" : "started", sessionKey: handle.sessionKey };
    },
    "chat.abort": (p) => {
      const { sessionKey } = runs().canonicalKey(p.sessionKey);
      const ids = runs().abort(p.runId ? { runId: p.runId } : { sessionKey });
      return { ok: true, aborted: ids.length > 0, runIds: ids };
    },
    "chat.history": (p) => {
      const r = runs();
      const { agent, sessionKey } = r.canonicalKey(p.sessionKey);
      const entry = readSessionStore(r.storeFile(agent)).find((e) => e.key === sessionKey);
      if (!entry) return { sessionKey, messages: [] };
      const file = transcriptPathOf(r.storeFile(agent), entry);
      const loaded = file ? loadTranscript(file, { repair: false }) : undefined;
      return {
        sessionKey,
        sessionId: entry.sessionId,
        messages: loaded ? historyMessages(loaded.records, p.limit ?? DEFAULT_HISTORY_LIMIT, p.maxChars) : [],
        ...(typeof entry.thinkingLevel === "string" ? { thinkingLevel: entry.thinkingLevel } : {}),
        ...(loaded && !loaded.clean ? { problems: loaded.problems } : {}),
      };
    },
    "chat.inject": async (p) => {
      const r = runs();
      const { agent, sessionKey } = r.canonicalKey(p.sessionKey);
      const entry = readSessionStore(r.storeFile(agent)).find((e) => e.key === sessionKey);
      const file = entry ? transcriptPathOf(r.storeFile(agent), entry) : undefined;
      if (!entry || !file) throw new AppError("NOT_FOUND", `session "${sessionKey}" not found`, { hint: "Send it a message first (chat.send), or pick a key from openclaw sessions --json." });
      const now = Date.now();
      const record = await withSessionLock(file, () => {
        const loaded = loadTranscript(file);
        const last = [...loaded.records].reverse().find((x) => x.type !== "session" && typeof x.id === "string");
        const rec = messageRecord((last?.id as string | undefined) ?? null, { ...assistantMessage({ text: p.message, stopReason: "stop" }), ...(p.label ? { label: p.label } : {}), injected: true }, now);
        appendTranscriptRecord(file, rec);
        return rec;
      });
      return { ok: true, messageId: record.id, sessionKey };
    },
  };
}
