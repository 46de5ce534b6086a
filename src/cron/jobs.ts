/**
 * Building and patching job records from `cron.add` / `cron.update` params: every field is checked
 * with a one-line error naming it; a patch merges into the stored record, so fields this build does
 * not know (newer OpenClaw's `owner`, `failureAlert`, …) survive.
 */
import { randomUUID } from "node:crypto";
import { AppError } from "../shared/index.js";
import { checkSchedule } from "./schedule.js";
import type { CronDelivery, CronJob, CronPayload, CronSchedule } from "./types.js";

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => Boolean(v) && typeof v === "object" && !Array.isArray(v);
const usage = (message: string, hint: string) => new AppError("USAGE", message, { hint });

function parseSchedule(v: unknown): CronSchedule {
  if (!isObj(v)) throw usage("schedule must be an object with kind at|every|cron", 'e.g. { "kind": "every", "everyMs": 60000 }');
  let s: CronSchedule;
  if (v.kind === "at" && typeof v.at === "string") s = { kind: "at", at: v.at };
  else if (v.kind === "every" && typeof v.everyMs === "number") s = { kind: "every", everyMs: v.everyMs, ...(typeof v.anchorMs === "number" ? { anchorMs: v.anchorMs } : {}) };
  else if (v.kind === "cron" && typeof v.expr === "string")
    s = { kind: "cron", expr: v.expr, ...(typeof v.tz === "string" && v.tz ? { tz: v.tz } : {}), ...(typeof v.staggerMs === "number" ? { staggerMs: v.staggerMs } : {}) };
  else throw usage(`schedule: kind "${String(v.kind)}" needs ${v.kind === "at" ? "at" : v.kind === "every" ? "everyMs" : v.kind === "cron" ? "expr" : "one of at|every|cron"}`, 'e.g. { "kind": "cron", "expr": "0 7 * * *", "tz": "UTC" }');
  checkSchedule(s);
  return s;
}

function parsePayload(v: unknown, base?: CronPayload): CronPayload {
  if (!isObj(v)) throw usage("payload must be an object with kind systemEvent|agentTurn", 'e.g. { "kind": "systemEvent", "text": "check the inbox" }');
  const merged: Obj = base && base.kind === v.kind ? { ...base, ...v } : { ...v };
  for (const [k, val] of Object.entries(merged)) if (val === null) delete merged[k];
  if (merged.kind === "systemEvent") {
    if (typeof merged.text !== "string" || !merged.text.trim()) throw usage("payload.text is required for a systemEvent job", "pass --system-event <text>");
  } else if (merged.kind === "agentTurn") {
    if (typeof merged.message !== "string" || !merged.message.trim()) throw usage("payload.message is required for an agentTurn job", "pass --message <text>");
    if (merged.timeoutSeconds !== undefined && (typeof merged.timeoutSeconds !== "number" || merged.timeoutSeconds < 0)) throw usage("payload.timeoutSeconds must be a number >= 0", "e.g. 300");
  } else {
    throw usage(`payload.kind "${String(merged.kind)}" is not supported by this gateway`, "use systemEvent or agentTurn");
  }
  return merged as CronPayload;
}

function parseDelivery(v: unknown, base?: CronDelivery): CronDelivery | undefined {
  if (v === undefined) return base;
  if (v === null) return undefined;
  if (!isObj(v)) throw usage("delivery must be an object with mode none|announce|webhook", 'e.g. { "mode": "announce", "channel": "telegram", "to": "123" }');
  const merged: Obj = { ...(base ?? {}), ...v };
  for (const [k, val] of Object.entries(merged)) if (val === null) delete merged[k];
  if (!["none", "announce", "webhook"].includes(String(merged.mode))) throw usage(`delivery.mode "${String(merged.mode)}" is not one of none|announce|webhook`, "use --announce or --no-deliver");
  for (const k of ["channel", "to", "accountId"]) if (merged[k] !== undefined && typeof merged[k] !== "string") throw usage(`delivery.${k} must be a string`, `e.g. "${k === "channel" ? "telegram" : k === "to" ? "123456" : "default"}"`);
  return merged as CronDelivery;
}

function parseSessionTarget(v: unknown): string {
  if (typeof v === "string" && (v === "main" || v === "isolated" || v === "current" || /^session:.+/.test(v))) return v;
  throw usage(`sessionTarget "${String(v)}" is not main|isolated|session:<key>`, "pass --session main or --session isolated");
}

function parseWakeMode(v: unknown): "now" | "next-heartbeat" {
  if (v === "now" || v === "next-heartbeat") return v;
  throw usage(`wakeMode "${String(v)}" is not now|next-heartbeat`, "pass --wake now or --wake next-heartbeat");
}

/** A new job from `cron.add` params (already shape-checked by the protocol table). */
export function createJob(params: Obj, nowMs: number, id: string = randomUUID()): CronJob {
  if (typeof params.name !== "string" || !params.name.trim()) throw usage("name is required", "pass --name <text>");
  const schedule = parseSchedule(params.schedule);
  const payload = parsePayload(params.payload);
  const delivery = parseDelivery(params.delivery);
  const job: CronJob = {
    id,
    ...(typeof params.agentId === "string" ? { agentId: params.agentId } : {}),
    ...(typeof params.sessionKey === "string" ? { sessionKey: params.sessionKey } : {}),
    name: params.name.trim(),
    ...(typeof params.description === "string" ? { description: params.description } : {}),
    enabled: params.enabled !== false,
    ...(typeof params.deleteAfterRun === "boolean" ? { deleteAfterRun: params.deleteAfterRun } : schedule.kind === "at" ? { deleteAfterRun: true } : {}),
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
    schedule,
    sessionTarget: parseSessionTarget(params.sessionTarget ?? (payload.kind === "systemEvent" ? "main" : "isolated")),
    wakeMode: parseWakeMode(params.wakeMode ?? "now"),
    payload,
    ...(delivery ? { delivery } : {}),
    state: {},
  };
  return job;
}

/** `cron.update`'s patch applied to a stored job (null clears optional fields). */
export function patchJob(job: CronJob, patch: Obj, nowMs: number): CronJob {
  const next: CronJob = { ...job, state: { ...job.state } };
  for (const [k, v] of Object.entries(patch)) {
    if (k === "schedule") next.schedule = parseSchedule(v);
    else if (k === "payload") next.payload = parsePayload(v, job.payload);
    else if (k === "delivery") {
      const d = parseDelivery(v, job.delivery);
      if (d) next.delivery = d;
      else delete next.delivery;
    } else if (k === "sessionTarget") next.sessionTarget = parseSessionTarget(v);
    else if (k === "wakeMode") next.wakeMode = parseWakeMode(v);
    else if (k === "state") Object.assign(next.state, isObj(v) ? v : {});
    else if (k === "name") {
      if (typeof v !== "string" || !v.trim()) throw usage("name must not be empty", "pass --name <text>");
      next.name = v.trim();
    } else if (k === "enabled") next.enabled = v !== false;
    else if (v === null) delete next[k];
    else next[k] = v;
  }
  if (patch.schedule !== undefined || patch.enabled === true) {
    // A new schedule (or re-enabling) starts from a clean slate.
    delete next.state.nextRunAtMs;
    next.state.consecutiveErrors = 0;
  }
  next.updatedAtMs = nowMs;
  return next;
}
