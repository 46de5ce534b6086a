/** Host maintenance the gateway runs on a schedule: backups, temp cleanup, and the jobs/crontab facts migrate carries. */
export { type CronCountCheck, checkCronJobsCarried, countCronJobs, cronStorePath, importRecordFile } from "./cron-store.js";
export { mapCrontab, mapCrontabLine, renderScheduledTask, type ScheduledTask } from "./crontab-map.js";
export {
  type BackupRunRecord,
  type BackupSchedule,
  backupRunFile,
  backupScheduleFile,
  checkBackupSchedule,
  describeBackupSchedule,
  formatAge,
  loadBackupRun,
  loadBackupSchedule,
  MIN_BACKUP_EVERY_MS,
  resolveBackupSchedule,
  saveBackupRun,
  saveBackupSchedule,
} from "./schedule-file.js";
export { isBackupArchiveName, pruneBackups, runScheduledBackup, scheduledBackupPath } from "./scheduled-backup.js";
export { DEFAULT_TEMP_MAX_AGE_MS, runTempCleanup, TEMP_DIRS, type TempCleanupResult } from "./temp-cleanup.js";
