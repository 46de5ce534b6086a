/**
 * The job store: `<state>/cron/jobs.json` (or `cron.store`) in OpenClaw's shape `{ version: 1, jobs }`.
 * Writes are atomic; the hash of what we last wrote lets the file watcher tell our own writes from
 * hand edits. A file that does not parse is never overwritten: loading fails with an error that
 * names the file and the fix, and every mutation is refused until it is repaired.
 */
import { existsSync, readFileSync } from "node:fs";
import { sha256Hex, writeFileAtomic } from "../infra/index.js";
import { AppError } from "../shared/index.js";
import type { CronJob } from "./types.js";

export interface LoadedStore {
  jobs: CronJob[];
  /** sha256 of the file's bytes ("" when it does not exist). */
  hash: string;
  /** Top-level keys other than `jobs` (kept on rewrite). */
  extra: Record<string, unknown>;
}

function corrupt(file: string, why: string): AppError {
  return new AppError("FS", `cron job store ${file} is unreadable: ${why}`, {
    hint: `fix the JSON by hand (or move the file aside to start with no jobs); the gateway will not overwrite it until it parses`,
  });
}

/** Reads the store; a missing file is an empty store; a broken one throws (see module doc). */
export function loadCronStore(file: string): LoadedStore {
  if (!existsSync(file)) return { jobs: [], hash: "", extra: { version: 1 } };
  const text = readFileSync(file, "utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw corrupt(file, (error as Error).message);
  }
  // OpenClaw's oldest builds wrote a bare array.
  const root = Array.isArray(parsed) ? { version: 1, jobs: parsed } : parsed;
  if (!root || typeof root !== "object" || !Array.isArray((root as { jobs?: unknown }).jobs)) throw corrupt(file, 'expected { "version": 1, "jobs": [...] }');
  const { jobs, ...extra } = root as { jobs: unknown[] } & Record<string, unknown>;
  const valid: CronJob[] = [];
  for (const [i, j] of jobs.entries()) {
    const job = normalizeStoredJob(j);
    if (!job) throw corrupt(file, `jobs[${i}] is not a job (needs id, schedule and payload)`);
    valid.push(job);
  }
  return { jobs: valid, hash: sha256Hex(text), extra };
}

/** Legacy shapes (`jobId`, `schedule.cron`) → the current one; undefined for something that is not a job. */
function normalizeStoredJob(raw: unknown): CronJob | undefined {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const j = { ...(raw as Record<string, unknown>) };
  if (typeof j.id !== "string" && typeof j.jobId === "string") {
    j.id = j.jobId;
    delete j.jobId;
  }
  const schedule = j.schedule as Record<string, unknown> | undefined;
  if (typeof j.id !== "string" || !schedule || typeof schedule !== "object" || !j.payload || typeof j.payload !== "object") return undefined;
  if (schedule.kind === "cron" && typeof schedule.expr !== "string" && typeof schedule.cron === "string") {
    const { cron, ...rest } = schedule;
    j.schedule = { ...rest, expr: cron };
  }
  j.name = typeof j.name === "string" && j.name ? j.name : j.id;
  j.enabled = j.enabled !== false;
  j.state = j.state && typeof j.state === "object" ? j.state : {};
  j.sessionTarget = typeof j.sessionTarget === "string" ? j.sessionTarget : "main";
  j.wakeMode = j.wakeMode === "next-heartbeat" ? "next-heartbeat" : "now";
  j.createdAtMs = typeof j.createdAtMs === "number" ? j.createdAtMs : 0;
  j.updatedAtMs = typeof j.updatedAtMs === "number" ? j.updatedAtMs : j.createdAtMs;
  return j as CronJob;
}

/** Writes the store atomically and returns the hash of what was written. */
export function saveCronStore(file: string, jobs: readonly CronJob[], extra: Record<string, unknown> = {}): string {
  const text = `${JSON.stringify({ ...extra, version: 1, jobs }, null, 2)}\n`;
  writeFileAtomic(file, text);
  return sha256Hex(text);
}
