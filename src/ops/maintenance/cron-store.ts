/**
 * Where OpenClaw keeps cron jobs (`cron.store`, else `<state>/cron/jobs.json`, shape
 * `{ version: 1, jobs: [...] }`) and how many there are, so backup/migrate can prove none were
 * lost (openclaw/openclaw#97422). Read only; the scheduler owns the file.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { type Env, expandUserPath } from "../../infra/index.js";

export function cronStorePath(input: Record<string, unknown>, stateDir: string, env: Env): string {
  const cron = input.cron && typeof input.cron === "object" ? (input.cron as Record<string, unknown>) : {};
  const store = typeof cron.store === "string" && cron.store.trim() ? cron.store.trim() : undefined;
  return store ? expandUserPath(store, env) : path.join(stateDir, "cron", "jobs.json");
}

/** The number of jobs in a jobs.json (`{ jobs: [] }` or a bare array); null when there is no file, "unreadable" when it does not parse. */
export function countCronJobs(file: string): number | null | "unreadable" {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return null;
  }
  try {
    const doc = JSON.parse(text) as unknown;
    const jobs = Array.isArray(doc) ? doc : doc && typeof doc === "object" ? (doc as { jobs?: unknown }).jobs : undefined;
    return Array.isArray(jobs) ? jobs.length : "unreadable";
  } catch {
    return "unreadable";
  }
}

/** What `migrate import` records about the source (read by `migrate verify`). */
export function importRecordFile(stateDir: string): string {
  return path.join(stateDir, "migrate", "last-import.json");
}

export interface CronCountCheck {
  ok: boolean;
  detail: string;
}

/**
 * `migrate verify`'s row: the target's job count against the source's, from the import record.
 * No record (not imported by us) or no jobs at the source: passes with what is there.
 */
export function checkCronJobsCarried(o: { record: unknown; store: string }): CronCountCheck {
  const here = countCronJobs(o.store);
  const src = o.record && typeof o.record === "object" ? ((o.record as { cronJobs?: { count?: unknown } }).cronJobs ?? undefined) : undefined;
  const expected = typeof src?.count === "number" ? src.count : undefined;
  if (here === "unreadable") return { ok: false, detail: `${o.store} does not parse → restore it from the archive (openclaw backup restore <archive>)` };
  const n = here ?? 0;
  if (expected === undefined) return { ok: true, detail: `${n} job(s) in ${o.store}${o.record ? "" : " (no import record to compare with)"}` };
  if (n !== expected) return { ok: false, detail: `${n} job(s) in ${o.store}, but the source had ${expected} → restore ${o.store} from the archive and check it before starting the scheduler` };
  return { ok: true, detail: `${n} of ${expected} job(s) carried (${o.store})` };
}
