/**
 * One scheduled backup run: the same `createBackup` + `verifyBackup` path as `openclaw backup
 * create` / `backup verify`, then archives in the output dir beyond `keep` are removed — only
 * files named like our backups (`openclaw[-<profile>]-<ISO time>.tar.gz`) that verify; anything
 * else in the dir is never touched. Every run is recorded (ok or error) in `<state>/backup/last-run.json`.
 */
import { readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import type { Env, ResolvedPaths } from "../../infra/index.js";
import { createBackup, defaultBackupPath } from "../backup/create.js";
import { restoreTargetFor, verifyBackup } from "../backup/restore.js";
import { type BackupRunRecord, type BackupSchedule, loadBackupRun, saveBackupRun } from "./schedule-file.js";

/** `openclaw-2026-12-02T12-00-00-000Z.tar.gz`, with an optional `-<profile>` after `openclaw`. */
const BACKUP_NAME = /^openclaw(-[A-Za-z0-9_.-]+)?-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.tar\.gz$/;

export function isBackupArchiveName(name: string): boolean {
  return BACKUP_NAME.test(name) && !name.includes("-migrate-");
}

/** Where a scheduled run writes its archive. */
export function scheduledBackupPath(paths: ResolvedPaths, schedule: BackupSchedule, now: Date): string {
  const def = defaultBackupPath(paths, now);
  return schedule.outputDir ? path.join(schedule.outputDir, path.basename(def)) : def;
}

/**
 * Removes the oldest backups in `dir` so that `keep` verified ones remain (newest by name, which
 * sorts by time). An archive that does not verify is left alone (it may not be ours); returns what went.
 */
export async function pruneBackups(dir: string, keep: number, paths: ResolvedPaths): Promise<string[]> {
  let names: string[];
  try {
    names = readdirSync(dir).filter(isBackupArchiveName);
  } catch {
    return [];
  }
  const files = names
    .map((n) => path.join(dir, n))
    .filter((f) => statSync(f, { throwIfNoEntry: false })?.isFile() === true)
    .sort()
    .reverse();
  const target = restoreTargetFor(paths);
  const removed: string[] = [];
  let kept = 0;
  for (const file of files) {
    const v = await verifyBackup(file, target).catch(() => undefined);
    if (!v?.ok) continue;
    if (kept < keep) {
      kept++;
      continue;
    }
    rmSync(file, { force: true });
    removed.push(file);
  }
  return removed;
}

/** Runs one scheduled backup and records it; never throws (a failure is the record's `error`). */
export async function runScheduledBackup(o: { env: Env; paths: ResolvedPaths; schedule: BackupSchedule; now?: Date; runtimeVersion?: string }): Promise<BackupRunRecord> {
  const started = o.now ?? new Date();
  const t0 = Date.now();
  const previous = loadBackupRun(o.paths.stateDir);
  let record: BackupRunRecord;
  try {
    const output = scheduledBackupPath(o.paths, o.schedule, started);
    const made = await createBackup({ env: o.env, paths: o.paths, output, mode: "full", excludeSessions: false, includeLogs: false, now: started, ...(o.runtimeVersion ? { runtimeVersion: o.runtimeVersion } : {}) });
    const verified = await verifyBackup(made.archive, restoreTargetFor(o.paths));
    if (!verified.ok) throw new Error(`${made.archive} does not verify: ${verified.problems.slice(0, 3).join("; ")}`);
    const pruned = await pruneBackups(path.dirname(made.archive), o.schedule.keep, o.paths);
    const finished = new Date();
    record = { status: "ok", startedAt: started.toISOString(), finishedAt: finished.toISOString(), durationMs: Date.now() - t0, archive: made.archive, bytes: made.bytes, pruned, lastGood: { at: finished.toISOString(), archive: made.archive, bytes: made.bytes } };
  } catch (error) {
    const message = (error as Error).message?.split("\n")[0] ?? String(error);
    record = { status: "error", startedAt: started.toISOString(), finishedAt: new Date().toISOString(), durationMs: Date.now() - t0, error: message, ...(previous?.lastGood ? { lastGood: previous.lastGood } : {}) };
  }
  try {
    saveBackupRun(o.paths.stateDir, record);
  } catch (error) {
    record.error = `${record.error ? `${record.error}; ` : ""}could not record the run: ${(error as Error).message}`;
  }
  return record;
}
