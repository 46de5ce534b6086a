/**
 * `openclaw backup schedule [--every <dur> --keep <n> --output-dir <dir>] | --off [--json]`: writes
 * or clears `<state>/backup/schedule.json` (the running gateway re-reads it every second) and shows
 * the schedule with the last run.
 */
import path from "node:path";
import { type BackupSchedule, backupScheduleFile, describeBackupSchedule, loadBackupRun, loadBackupSchedule, resolveBackupSchedule, saveBackupSchedule } from "../../../ops/index.js";
import { AppError } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";

export const run: CommandHandler = async (ctx) => {
  const o = ctx.options;
  const paths = ctx.paths();
  const now = new Date();
  const setting = o.every !== undefined || o.keep !== undefined || o["output-dir"] !== undefined;
  if (o.off === true && setting) throw new AppError("USAGE", "--off cannot be combined with --every/--keep/--output-dir", { hint: "openclaw backup schedule --off, or openclaw backup schedule --every 24h --keep 7" });
  let schedule: BackupSchedule | undefined = loadBackupSchedule(paths.stateDir);
  let changed: "set" | "off" | undefined;
  if (o.off === true) {
    saveBackupSchedule(paths.stateDir, undefined);
    schedule = undefined;
    changed = "off";
  } else if (setting) {
    if (o.every === undefined && !schedule) throw new AppError("USAGE", "--every is required to set a schedule", { hint: "e.g. openclaw backup schedule --every 24h --keep 7" });
    const outputDir = typeof o["output-dir"] === "string" ? o["output-dir"] : schedule?.outputDir;
    if (outputDir !== undefined && !path.relative(paths.stateDir, path.resolve(outputDir)).startsWith("..")) throw new AppError("USAGE", `--output-dir ${outputDir} is inside the state dir`, { hint: "Archives of the state dir go outside it, e.g. --output-dir ~/openclaw-backups" });
    schedule = resolveBackupSchedule({ every: o.every ?? schedule?.every, keep: o.keep ?? schedule?.keep, ...(outputDir ? { outputDir } : {}), now });
    saveBackupSchedule(paths.stateDir, schedule);
    changed = "set";
  }
  const lastRun = loadBackupRun(paths.stateDir) ?? null;
  const line = describeBackupSchedule(schedule, lastRun ?? undefined, now.getTime()) ?? "no backup schedule (openclaw backup schedule --every 24h --keep 7)";
  const human = [
    changed === "off" ? "scheduled backups are off (existing archives stay)" : changed === "set" ? `scheduled: ${line}` : line,
    ...(changed ? [`saved in ${backupScheduleFile(paths.stateDir)}; a running gateway applies it within a second (no restart)`] : []),
    ...(changed === "set" ? ["runs inside the gateway: keep it running (openclaw gateway status)"] : []),
  ];
  return { data: { schedule: schedule ?? null, file: backupScheduleFile(paths.stateDir), lastRun, ...(changed ? { changed } : {}) }, human };
};
