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
