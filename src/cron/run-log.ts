/**
 * Per-job run history: `<state>/cron/runs/<jobId>.jsonl`, one `CronRunLogEntry` per line (OpenClaw's
 * path and format). After an append the file is trimmed to the newest `keepLines` lines once it
 * grows past `maxBytes` (rewritten atomically).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../infra/index.js";
import type { CronRunLogEntry } from "./types.js";

const SAFE_ID = /^[^/\\]+$/;

export function runLogFile(runsDir: string, jobId: string): string {
  if (!SAFE_ID.test(jobId) || jobId === "." || jobId === "..") throw new Error(`invalid cron job id for a run log: ${jobId}`);
  return path.join(runsDir, `${jobId}.jsonl`);
}

export function appendRunLog(runsDir: string, entry: CronRunLogEntry, caps: { maxBytes: number; keepLines: number }): void {
  const file = runLogFile(runsDir, entry.jobId);
  mkdirSync(runsDir, { recursive: true, mode: 0o700 });
  appendFileSync(file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
  if (statSync(file).size <= caps.maxBytes) return;
  let lines = readFileSync(file, "utf8").split("\n").filter(Boolean).slice(-caps.keepLines);
  // Still too big (huge summaries): halve until it fits, keeping the newest.
  while (lines.length > 1 && Buffer.byteLength(lines.join("\n")) > caps.maxBytes) lines = lines.slice(Math.ceil(lines.length / 2));
  writeFileAtomic(file, `${lines.join("\n")}\n`);
}

/** Entries of one job, newest first (malformed lines skipped). */
export function readRunLog(runsDir: string, jobId: string): CronRunLogEntry[] {
  const file = runLogFile(runsDir, jobId);
  if (!existsSync(file)) return [];
  const out: CronRunLogEntry[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as CronRunLogEntry);
    } catch {
      // A torn last line after a crash: skip it.
    }
  }
  return out.reverse();
}

export function removeRunLog(runsDir: string, jobId: string): void {
  rmSync(runLogFile(runsDir, jobId), { force: true });
}
