/**
 * The gateway's exec approval broker. A tool that needs an operator's answer calls `request`: the
 * broker publishes `exec.approval.requested` (to clients holding `operator.approvals`) and waits for
 * `exec.approval.resolve`, the request's own timeout, or its abort signal. Every ending publishes
 * `exec.approval.resolved`. Pending requests live in memory only (they die with the gateway, like
 * the turn that waits on them) and are bounded.
 */
import { randomUUID } from "node:crypto";
import type { ApprovalDecision, ApprovalRequest } from "../../../agent/index.js";
import { AppError } from "../../../shared/index.js";
import type { PublishOptions } from "../../events.js";
import type { MethodHandlers } from "../../subsystem.js";

/** A pending request as `exec.approval.list` and `exec.approval.requested` show it. */
export interface ApprovalRecord {
  id: string;
  request: Omit<ApprovalRequest, "timeoutMs">;
  createdAtMs: number;
  expiresAtMs: number;
}

/** Requests beyond this many pending are answered `timeout` at once (memory stays bounded). */
export const MAX_PENDING_APPROVALS = 256;
/** How many answered ids are remembered, so a repeated answer is recognised. */
const RECENT_RESOLVED = 256;

type Publish = (event: string, payload: unknown, options?: PublishOptions) => void;

interface Pending {
  record: ApprovalRecord;
  settle: (decision: ApprovalDecision, by?: string) => void;
}

/** An answered or expired request, kept a while for repeated answers and `approval.get`. */
interface Ended {
  record: ApprovalRecord;
  decision: ApprovalDecision;
  resolvedAtMs: number;
  reason: string;
  by?: string;
}

const DECISIONS = ["allow-once", "allow-always", "deny"] as const;

/** OpenClaw's approval snapshot (`approval.get`, `approval.resolve`) of a pending or ended request. */
function snapshotOf(record: ApprovalRecord, ended?: Ended): Record<string, unknown> {
  const common = {
    id: record.id,
    status: !ended ? "pending" : ended.decision === "deny" ? "denied" : ended.decision === "timeout" ? (ended.reason === "aborted" ? "cancelled" : "expired") : "allowed",
    presentation: { kind: "exec", allowedDecisions: [...DECISIONS], command: record.request.command, cwd: record.request.cwd, agentId: record.request.agentId, sessionKey: record.request.sessionKey },
    urlPath: `/approve/${encodeURIComponent(record.id)}`,
    createdAtMs: record.createdAtMs,
    expiresAtMs: record.expiresAtMs,
  };
  if (!ended) return common;
  return {
    ...common,
    resolvedAtMs: ended.resolvedAtMs,
    reason: ended.reason,
    ...(ended.decision !== "timeout" ? { decision: ended.decision } : {}),
    source: { agentId: record.request.agentId, sessionKey: record.request.sessionKey },
    ...(ended.by ? { resolver: { kind: "runtime", id: ended.by } } : {}),
  };
}

export class ApprovalBroker {
  private readonly pending = new Map<string, Pending>();
  private readonly recent = new Map<string, Ended>();

  constructor(private readonly options: { publish: Publish; now?: () => number }) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private publish(event: string, payload: unknown): void {
    try {
      this.options.publish(event, payload, { scope: "operator.approvals" });
    } catch {
      // A bus failure must not strand the waiting tool; the timeout still answers it.
    }
  }

  /** Asks operators; resolves with their decision, or `timeout` when nobody answers in time or the signal aborts. */
  request(req: ApprovalRequest & { signal?: AbortSignal }): Promise<ApprovalDecision> {
    if (req.signal?.aborted || this.pending.size >= MAX_PENDING_APPROVALS) return Promise.resolve("timeout");
    const id = randomUUID();
    const createdAtMs = this.now();
    // setTimeout fires a delay past 2^31-1 ms at once; clamp so a huge timeout never means "now".
    const timeoutMs = Math.min(Math.max(0, Number.isFinite(req.timeoutMs) ? req.timeoutMs : 0), 2_147_483_647);
    const record: ApprovalRecord = {
      id,
      request: { command: req.command, cwd: req.cwd, agentId: req.agentId, sessionKey: req.sessionKey, reason: req.reason },
      createdAtMs,
      expiresAtMs: createdAtMs + timeoutMs,
    };
    return new Promise((resolve) => {
      const onAbort = () => settle("timeout", undefined, "aborted");
      const timer = setTimeout(() => settle("timeout", undefined, "expired"), timeoutMs);
      const settle = (decision: ApprovalDecision, by?: string, why?: string) => {
        if (!this.pending.delete(id)) return;
        clearTimeout(timer);
        req.signal?.removeEventListener("abort", onAbort);
        this.remember({ record, decision, resolvedAtMs: this.now(), reason: why ?? "resolved", ...(by ? { by } : {}) });
        this.publish("exec.approval.resolved", { id, decision, ts: this.now(), ...(by ? { resolvedBy: by } : {}), ...(why ? { reason: why } : {}) });
        resolve(decision);
      };
      this.pending.set(id, { record, settle: (d, by) => settle(d, by) });
      req.signal?.addEventListener("abort", onAbort, { once: true });
      this.publish("exec.approval.requested", record);
    });
  }

  private remember(ended: Ended): void {
    this.recent.set(ended.record.id, ended);
    if (this.recent.size > RECENT_RESOLVED) this.recent.delete(this.recent.keys().next().value!);
  }

  /**
   * Answers a pending request. Repeating the decision an id was already answered with is a no-op
   * (`alreadyResolved`); an unknown id, or a different answer to an answered one, is NOT_FOUND.
   */
  resolve(id: string, decision: Exclude<ApprovalDecision, "timeout">, options: { by?: string } = {}): { ok: true; id: string; decision: ApprovalDecision; alreadyResolved?: true } {
    const p = this.pending.get(id);
    if (p) {
      p.settle(decision, options.by);
      return { ok: true, id, decision };
    }
    const prior = this.recent.get(id)?.decision;
    if (prior === decision) return { ok: true, id, decision, alreadyResolved: true };
    const shown = id.slice(0, 80);
    throw new AppError("NOT_FOUND", prior ? `exec approval ${shown} is no longer pending (it ended as ${prior})` : `no pending exec approval ${shown}`, {
      hint: "List the open requests with `openclaw approvals pending`.",
    });
  }

  /** OpenClaw's snapshot of a pending or recently ended request (NOT_FOUND otherwise). */
  snapshot(id: string): Record<string, unknown> {
    const p = this.pending.get(id);
    if (p) return snapshotOf(p.record);
    const e = this.recent.get(id);
    if (e) return snapshotOf(e.record, e);
    throw new AppError("NOT_FOUND", "approval not found", { hint: "List the open requests with `openclaw approvals pending`." });
  }

  /** Pending requests, oldest first. */
  list(): ApprovalRecord[] {
    return [...this.pending.values()].map((p) => p.record);
  }

  /** Ends every pending request as `timeout` (gateway stop). */
  cancelAll(): void {
    for (const p of [...this.pending.values()]) p.settle("timeout");
  }
}

/** `exec.approval.list` and `exec.approval.resolve`, served by `broker`. */
export function approvalMethods(broker: ApprovalBroker): MethodHandlers {
  return {
    // A bare array, as OpenClaw answers it (clients backfill from it and reconcile with the events).
    "exec.approval.list": () => broker.list(),
    // OpenClaw's `approvals pending` lists all three kinds at once; only exec approvals exist here.
    "plugin.approval.list": () => [],
    "openclaw.approval.list": () => [],
    "exec.approval.resolve": (p, ctx) => broker.resolve(p.id, p.decision, { by: ctx.caller.client?.id ?? ctx.caller.connId }),
    // OpenClaw's generic approval methods (its `approvals resolve` looks the request up, then answers it).
    "approval.get": (p) => ({ approval: broker.snapshot(p.id) }),
    "approval.resolve": (p, ctx) => {
      const r = broker.resolve(p.id, p.decision, { by: ctx.caller.client?.id ?? ctx.caller.connId });
      return { approval: broker.snapshot(p.id), applied: r.alreadyResolved !== true };
    },
  };
}
