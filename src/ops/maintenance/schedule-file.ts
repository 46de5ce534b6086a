/**
 * The backup schedule and its last run, as small JSON files in the state dir (never in
 * openclaw.json: OpenClaw rejects unknown root keys). `<state>/backup/schedule.json` is what
 * `openclaw backup schedule` writes and the gateway's maintenance subsystem re-reads on every tick;
 * `<state>/backup/last-run.json` records each scheduled run (ok or error). Reading them loads no
 * tar or SQLite code, so `status` stays fast. The doctor check here is pure.
 */
import path from "node:path";
import { parseDurationMs } from "../../agent/index.js";
import { readSmallRegularFile, writeFileAtomic } from "../../infra/index.js";
import { AppError } from "../../shared/index.js";
import type { DoctorFinding } from "../doctor/finding.js";

export interface BackupSchedule {
  /** As the user wrote it (`24h`). */
  every: string;
  everyMs: number;
  keep: number;
  /** Absolute; absent: the default `~/openclaw-backups`. */
  outputDir?: string;
  updatedAt: string;
}

export interface BackupRunRecord {
  status: "ok" | "error";
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  archive?: string;
  bytes?: number;
  /** Archives removed beyond `keep`. */
  pruned?: string[];
  error?: string;
  /** The newest run that succeeded (kept across failed runs). */
  lastGood?: { at: string; archive: string; bytes: number };
}

/** The shortest interval accepted (tests use `--every 2s`). */
export const MIN_BACKUP_EVERY_MS = 1000;

export function backupScheduleFile(stateDir: string): string {
  return path.join(stateDir, "backup", "schedule.json");
}

export function backupRunFile(stateDir: string): string {
  return path.join(stateDir, "backup", "last-run.json");
}

function readJson(file: string): Record<string, unknown> | undefined {
  const text = readSmallRegularFile(file, 64 * 1024);
  if (text === null) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The schedule, or undefined when none is set (or the file is unreadable). */
export function loadBackupSchedule(stateDir: string): BackupSchedule | undefined {
  const v = readJson(backupScheduleFile(stateDir));
  if (!v || typeof v.everyMs !== "number" || v.everyMs < MIN_BACKUP_EVERY_MS || typeof v.keep !== "number" || v.keep < 1) return undefined;
  return { every: typeof v.every === "string" ? v.every : `${v.everyMs}ms`, everyMs: v.everyMs, keep: Math.floor(v.keep), ...(typeof v.outputDir === "string" ? { outputDir: v.outputDir } : {}), updatedAt: typeof v.updatedAt === "string" ? v.updatedAt : "" };
}

/** Validates `--every` / `--keep` into a schedule (USAGE errors name the flag and the fix). */
export function resolveBackupSchedule(o: { every: unknown; keep: unknown; outputDir?: string; now: Date }): BackupSchedule {
  const everyMs = parseDurationMs(o.every);
  if (typeof o.every !== "string" || everyMs === undefined || everyMs < MIN_BACKUP_EVERY_MS) throw new AppError("USAGE", `--every ${JSON.stringify(o.every ?? "")} is not an interval of at least 1s`, { hint: "e.g. --every 24h (units: s, m, h, d, w)" });
  const keep = o.keep === undefined ? 7 : Number(o.keep);
  if (!Number.isInteger(keep) || keep < 1) throw new AppError("USAGE", `--keep ${JSON.stringify(o.keep)} must be a whole number of archives, at least 1`, { hint: "e.g. --keep 7" });
  return { every: o.every, everyMs, keep, ...(o.outputDir ? { outputDir: path.resolve(o.outputDir) } : {}), updatedAt: o.now.toISOString() };
}

export function saveBackupSchedule(stateDir: string, schedule: BackupSchedule | undefined): void {
  writeFileAtomic(backupScheduleFile(stateDir), schedule ? `${JSON.stringify(schedule, null, 2)}\n` : "{}\n");
}

export function loadBackupRun(stateDir: string): BackupRunRecord | undefined {
  const v = readJson(backupRunFile(stateDir));
  if (!v || (v.status !== "ok" && v.status !== "error") || typeof v.startedAt !== "string") return undefined;
  return v as unknown as BackupRunRecord;
}

export function saveBackupRun(stateDir: string, record: BackupRunRecord): void {
  writeFileAtomic(backupRunFile(stateDir), `${JSON.stringify(record, null, 2)}\n`);
}

/** `24h`, `90m`, `3d` for a number of ms (the largest whole unit). */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}

/** What `status` shows: the schedule and the last good backup, in one line (undefined: nothing scheduled, nothing run). */
export function describeBackupSchedule(schedule: BackupSchedule | undefined, run: BackupRunRecord | undefined, now: number): string | undefined {
  if (!schedule && !run) return undefined;
  const plan = schedule ? `every ${schedule.every}, keep ${schedule.keep}${schedule.outputDir ? ` in ${schedule.outputDir}` : ""}` : "not scheduled";
  const good = run?.lastGood ? `last good backup: ${run.lastGood.at} (${formatAge(now - Date.parse(run.lastGood.at))} ago) ${run.lastGood.archive}` : "no good scheduled backup yet";
  const failed = run?.status === "error" ? `; last run FAILED at ${run.finishedAt}: ${run.error}` : "";
  return `${plan}; ${good}${failed}`;
}

/** Doctor: the last good scheduled backup, and a warning when the last run failed or it is older than 2× the interval. Pure. */
export function checkBackupSchedule(o: { schedule: BackupSchedule | undefined; run: BackupRunRecord | undefined; now: number }): DoctorFinding[] {
  const { schedule, run, now } = o;
  if (!schedule) return [];
  const out: DoctorFinding[] = [];
  const fix = "openclaw logs (maintenance lines), then openclaw backup create to see the error; check the output dir is writable";
  if (run?.status === "error") out.push({ checkId: "backup.schedule_failed", step: "backup", severity: "warn", title: `the last scheduled backup failed at ${run.finishedAt}: ${run.error}`, fix });
  const goodAt = run?.lastGood ? Date.parse(run.lastGood.at) : Number.NaN;
  const since = Number.isFinite(goodAt) ? goodAt : Date.parse(schedule.updatedAt);
  if (Number.isFinite(since) && now - since > 2 * schedule.everyMs) {
    out.push({ checkId: "backup.schedule_stale", step: "backup", severity: "warn", title: run?.lastGood ? `the last good scheduled backup is ${formatAge(now - goodAt)} old (scheduled every ${schedule.every})` : `no scheduled backup has succeeded since the schedule was set ${formatAge(now - since)} ago (every ${schedule.every})`, fix: "Is the gateway running? openclaw gateway status; the schedule runs inside it" });
  }
  if (run?.lastGood) out.push({ checkId: "backup.last_good", step: "backup", severity: "info", title: `last good backup: ${run.lastGood.at} ${run.lastGood.archive}` });
  return out;
}
