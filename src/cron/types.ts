/**
 * The scheduler's records: a cron job as stored in `<state>/cron/jobs.json` (OpenClaw's shape,
 * spec §2.13; fields we do not know are kept when a job is rewritten), one run-log entry, and the
 * resolved `cron.*` settings.
 */

export type CronSchedule =
  | { kind: "at"; at: string }
  | { kind: "every"; everyMs: number; anchorMs?: number }
  | { kind: "cron"; expr: string; tz?: string; staggerMs?: number };

export type CronPayload =
  | { kind: "systemEvent"; text: string; [k: string]: unknown }
  | { kind: "agentTurn"; message: string; model?: string; thinking?: string; timeoutSeconds?: number; [k: string]: unknown };

export interface CronDelivery {
  mode: "none" | "announce" | "webhook";
  channel?: string;
  to?: string;
  accountId?: string;
  bestEffort?: boolean;
  [k: string]: unknown;
}

export type CronRunStatus = "ok" | "error" | "skipped";

/** Scheduler-maintained state (OpenClaw's `state` object). */
export interface CronJobState {
  nextRunAtMs?: number;
  runningAtMs?: number;
  lastRunAtMs?: number;
  lastRunStatus?: CronRunStatus;
  /** Deprecated alias OpenClaw still writes. */
  lastStatus?: CronRunStatus;
  lastError?: string;
  lastDurationMs?: number;
  consecutiveErrors?: number;
  lastDelivered?: boolean;
  lastDeliveryStatus?: string;
  lastDeliveryError?: string;
  [k: string]: unknown;
}

export interface CronJob {
  id: string;
  agentId?: string;
  sessionKey?: string;
  name: string;
  description?: string;
  enabled: boolean;
  deleteAfterRun?: boolean;
  createdAtMs: number;
  updatedAtMs: number;
  schedule: CronSchedule;
  sessionTarget: string;
  wakeMode: "now" | "next-heartbeat";
  payload: CronPayload;
  delivery?: CronDelivery;
  state: CronJobState;
  [k: string]: unknown;
}

/** One line of `<state>/cron/runs/<jobId>.jsonl`. */
export interface CronRunLogEntry {
  ts: number;
  jobId: string;
  action: "finished";
  status: CronRunStatus;
  error?: string;
  summary?: string;
  runId?: string;
  runAtMs?: number;
  durationMs?: number;
  nextRunAtMs?: number;
  sessionKey?: string;
  sessionId?: string;
  delivered?: boolean;
  deliveryStatus?: string;
  deliveryError?: string;
  /** 1 for a first attempt; retries of a one-shot job count up. */
  attempt?: number;
  jobName?: string;
}

/** What running a job's payload produced (the gateway's executor returns it). */
export interface CronExecution {
  status: CronRunStatus;
  error?: string;
  summary?: string;
  sessionKey?: string;
  sessionId?: string;
  delivered?: boolean;
  deliveryStatus?: "delivered" | "not-delivered" | "not-requested";
  deliveryError?: string;
}

/** `cron.*` with defaults applied. */
export interface CronSettings {
  enabled: boolean;
  storePath: string;
  runsDir: string;
  maxConcurrentRuns: number;
  runLog: { maxBytes: number; keepLines: number };
  retry: { maxAttempts: number; backoffMs: number[] };
  /** A run missed while the gateway was down runs once at start (`cron.catchUp`, default true). */
  catchUp: boolean;
}

/** What the `cron` event carries. */
export interface CronEvent {
  jobId: string;
  action: "added" | "updated" | "removed" | "started" | "finished";
  job?: CronJob;
  runId?: string;
  status?: CronRunStatus;
  error?: string;
  summary?: string;
  runAtMs?: number;
  durationMs?: number;
  nextRunAtMs?: number;
}
