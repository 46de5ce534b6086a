/**
 * The turns part of the method table (spec §4.9): agent runs with their two-stage response
 * (`accepted`, then the final result on the same request id), waiting on a run, the chat surface
 * (`chat.send/history/abort/inject`), compaction, and exec approvals. Runs and chat need
 * `operator.write`, history `operator.read`, injecting into a transcript `operator.admin`, and
 * answering an approval `operator.approvals`.
 */
import type { Scope } from "./scopes.js";
import { type Validator, v } from "./validate.js";

const spec = <P>(scope: Scope, description: string, params: Validator<P>, resultKeys: readonly string[]) => ({ scope, description, params, resultKeys });
const sessionKey = v.string({ min: 1, max: 512 });
const idempotencyKey = v.string({ min: 1, max: 256 });
const message = v.string({ max: 4 * 1024 * 1024 });

export const TURN_METHODS = {
  agent: spec(
    "operator.write",
    "Run one agent turn. Answers `{ runId, status: accepted }` at once, streams `agent` and `chat` events, then answers again on the same id with the final `{ runId, status, summary, result }`.",
    v.object(
      {
        message,
        agentId: v.optional(v.string({ min: 1, max: 64 })),
        sessionId: v.optional(v.string({ min: 1, max: 256 })),
        sessionKey: v.optional(sessionKey),
        to: v.optional(v.string({ min: 1, max: 256 })),
        model: v.optional(v.string({ min: 1, max: 200 })),
        thinking: v.optional(v.string({ max: 32 })),
        timeout: v.optional(v.int({ min: 0, max: 86_400 })),
        extraSystemPrompt: v.optional(v.string({ max: 64 * 1024 })),
        label: v.optional(v.string({ max: 512 })),
        idempotencyKey,
      },
      { passthrough: true },
    ),
    ["runId", "status"],
  ),
  "agent.wait": spec(
    "operator.read",
    "Wait for a run's end: `{ status: ok | error | timeout, startedAt, endedAt, error? }`.",
    v.object({ runId: v.string({ min: 1, max: 256 }), timeoutMs: v.optional(v.int({ min: 0, max: 86_400_000 })) }),
    ["runId", "status"],
  ),
  "chat.send": spec(
    "operator.write",
    "Send a message to a session; answers with the run id, progress arrives as `chat` events (delta, final, aborted, error).",
    v.object(
      {
        sessionKey,
        message,
        sessionId: v.optional(v.string({ min: 1, max: 256 })),
        thinking: v.optional(v.string({ max: 32 })),
        timeoutMs: v.optional(v.int({ min: 0, max: 86_400_000 })),
        idempotencyKey,
      },
      { passthrough: true },
    ),
    ["runId", "status"],
  ),
  "chat.history": spec(
    "operator.read",
    "A session's transcript, display-normalised (last `limit` messages, text capped at `maxChars`).",
    v.object({ sessionKey, limit: v.optional(v.int({ min: 1, max: 1000 })), maxChars: v.optional(v.int({ min: 1, max: 500_000 })) }, { passthrough: true }),
    ["sessionKey", "messages"],
  ),
  "chat.abort": spec("operator.write", "Abort a session's running turn (or one run by id).", v.object({ sessionKey, runId: v.optional(v.string({ min: 1, max: 256 })) }), ["ok", "aborted"]),
  "chat.inject": spec(
    "operator.admin",
    "Append an assistant note to a session's transcript without running the model.",
    v.object({ sessionKey, message: v.string({ min: 1, max: 1024 * 1024 }), label: v.optional(v.string({ max: 512 })) }, { passthrough: true }),
    ["ok", "messageId"],
  ),
  "sessions.compact": spec(
    "operator.admin",
    "Summarise a session's older history into a compaction entry (the transcript is appended to, never rewritten).",
    v.object({ key: sessionKey, agentId: v.optional(v.string({ min: 1, max: 64 })), maxLines: v.optional(v.int({ min: 1 })) }, { passthrough: true }),
    ["ok", "key", "compacted"],
  ),
  "exec.approval.list": spec("operator.approvals", "Pending exec approvals: an array of `{ id, request, createdAtMs, expiresAtMs }` (OpenClaw's shape).", v.object({}, { passthrough: true }), []),
  "plugin.approval.list": spec("operator.approvals", "Pending plugin approvals (this gateway runs no plugins: always empty).", v.object({}, { passthrough: true }), []),
  "openclaw.approval.list": spec("operator.approvals", "Pending system-agent approvals (none exist here: always empty).", v.object({}, { passthrough: true }), []),
  "approval.get": spec("operator.approvals", "One approval (pending or recently ended) as OpenClaw's approval snapshot.", v.object({ id: v.string({ min: 1, max: 256 }) }, { passthrough: true }), ["approval"]),
  "approval.resolve": spec(
    "operator.approvals",
    "Answer an approval by id (OpenClaw's generic form); answers the snapshot after and whether this call applied it.",
    v.object({ id: v.string({ min: 1, max: 256 }), decision: v.enum(["allow-once", "allow-always", "deny"]), kind: v.optional(v.string({ max: 32 })) }, { passthrough: true }),
    ["approval", "applied"],
  ),
  "exec.approval.resolve": spec(
    "operator.approvals",
    "Answer a pending exec approval.",
    v.object({ id: v.string({ min: 1, max: 256 }), decision: v.enum(["allow-once", "allow-always", "deny"]) }, { passthrough: true }),
    ["ok", "id", "decision"],
  ),
};

/** Events the runtime adds to the base set. */
export const TURN_EVENTS = ["agent", "chat", "exec.approval.requested", "exec.approval.resolved"] as const;
