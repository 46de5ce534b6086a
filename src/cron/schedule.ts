/**
 * Schedule math: when a job runs next (`at` once, `every` on an anchor grid, `cron` expressions in a
 * time zone through croner, with a per-job stagger), the backoff after consecutive errors of a
 * recurring job (30 s → 1 m → 5 m → 15 m → 60 m) and of a one-shot retry (`cron.retry.backoffMs`),
 * and duration strings (`10s`, `5m`, `1h`, `24h`, `2d`).
 */
import { createHash } from "node:crypto";
import { Cron } from "croner";
import { AppError } from "../shared/index.js";
import type { CronJob, CronSchedule } from "./types.js";

/** Backoff of a recurring job after 1, 2, 3, 4, 5+ consecutive errors. */
export const RECURRING_BACKOFF_MS = [30_000, 60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000] as const;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `10s`, `5m`, `1h30m`, `24h`, `2d`, `500ms` → milliseconds; undefined when it is not a duration. */
export function parseDurationMs(text: string): number | undefined {
  const s = text.trim().toLowerCase();
  if (!/^(\d+(?:\.\d+)?(ms|s|m|h|d))+$/.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return total > 0 ? Math.round(total) : undefined;
}

/** An `at` time: ISO with or without offset (no offset = UTC), or epoch milliseconds. */
export function parseAtMs(at: string): number | undefined {
  const s = at.trim();
  if (/^\d{10,}$/.test(s)) return Number(s);
  const hasZone = /(z|[+-]\d\d:?\d\d)$/i.test(s);
  const isoLike = /^\d{4}-\d\d-\d\d(t\d\d:\d\d(:\d\d(\.\d+)?)?)?/i.test(s);
  if (!isoLike) return undefined;
  const ms = Date.parse(hasZone || !s.includes("T") ? (s.includes("T") ? s : `${s}T00:00:00Z`) : `${s}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A deterministic offset in [0, staggerMs) per job, so jobs sharing an expression do not fire together. */
function staggerFor(jobId: string, staggerMs: number | undefined): number {
  if (!staggerMs || staggerMs <= 0) return 0;
  return createHash("sha256").update(jobId).digest().readUInt32BE(0) % staggerMs;
}

/** Checks a schedule; a bad one is a USAGE error naming the field and the fix. */
export function checkSchedule(schedule: CronSchedule): void {
  if (schedule.kind === "at") {
    if (parseAtMs(schedule.at) === undefined) throw new AppError("USAGE", `schedule.at: "${schedule.at}" is not an ISO time`, { hint: "use e.g. 2026-12-24T18:00:00Z (no offset means UTC)" });
  } else if (schedule.kind === "every") {
    if (!Number.isInteger(schedule.everyMs) || schedule.everyMs < 1) throw new AppError("USAGE", "schedule.everyMs must be a positive integer (milliseconds)", { hint: "use e.g. --every 10m" });
  } else if (schedule.kind === "cron") {
    try {
      new Cron(schedule.expr, { timezone: schedule.tz, paused: true }).nextRun();
    } catch (error) {
      throw new AppError("USAGE", `schedule.expr: "${schedule.expr}"${schedule.tz ? ` (tz ${schedule.tz})` : ""} is not a valid cron expression: ${(error as Error).message}`, { hint: 'use five or six fields, e.g. --cron "0 7 * * *" --tz Europe/Berlin' });
    }
  } else {
    throw new AppError("USAGE", `schedule.kind "${(schedule as { kind: string }).kind}" is not supported`, { hint: "use at, every or cron" });
  }
}

/** The next regular run strictly after `nowMs` (for `at`: the time itself while it has not run), or undefined when none. */
export function nextRunAfter(job: Pick<CronJob, "id" | "schedule" | "createdAtMs" | "state">, nowMs: number): number | undefined {
  const s = job.schedule;
  if (s.kind === "at") {
    const at = parseAtMs(s.at);
    if (at === undefined) return undefined;
    // A one-shot job that already ran to success has no next run.
    return job.state.lastRunStatus === "ok" && (job.state.lastRunAtMs ?? 0) >= at ? undefined : at;
  }
  if (s.kind === "every") {
    const anchor = s.anchorMs ?? job.createdAtMs;
    if (nowMs < anchor) return anchor;
    return anchor + (Math.floor((nowMs - anchor) / s.everyMs) + 1) * s.everyMs;
  }
  if (s.kind === "cron") {
    try {
      const next = new Cron(s.expr, { timezone: s.tz, paused: true }).nextRun(new Date(nowMs));
      return next ? next.getTime() + staggerFor(job.id, s.staggerMs) : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The backoff after `consecutiveErrors` (≥ 1) errors of a recurring job. */
export function recurringBackoffMs(consecutiveErrors: number): number {
  const i = Math.min(Math.max(consecutiveErrors, 1), RECURRING_BACKOFF_MS.length) - 1;
  return RECURRING_BACKOFF_MS[i]!;
}

/** The delay before retry `attempt` (≥ 1) of a one-shot job, from `cron.retry.backoffMs` (last entry repeats). */
export function oneShotBackoffMs(attempt: number, backoffMs: readonly number[]): number {
  if (backoffMs.length === 0) return RECURRING_BACKOFF_MS[0];
  return backoffMs[Math.min(Math.max(attempt, 1), backoffMs.length) - 1]!;
}

/** Human text for a schedule (`every 10m`, `cron 0 7 * * * @ Europe/Berlin`, `at 2026-…`). */
export function renderSchedule(s: CronSchedule): string {
  if (s.kind === "at") return `at ${s.at}`;
  if (s.kind === "every") return `every ${renderDuration(s.everyMs)}`;
  return `cron ${s.expr}${s.tz ? ` @ ${s.tz}` : ""}`;
}

export function renderDuration(ms: number): string {
  for (const [unit, size] of [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1000]] as const) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}
