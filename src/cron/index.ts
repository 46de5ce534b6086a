/** The scheduler domain (no gateway imports): job records, store, schedule math, run log, scheduler. */
export { createJob, patchJob } from "./jobs.js";
export { appendRunLog, readRunLog, runLogFile } from "./run-log.js";
export { checkSchedule, nextRunAfter, oneShotBackoffMs, parseAtMs, parseDurationMs, RECURRING_BACKOFF_MS, recurringBackoffMs, renderDuration, renderSchedule } from "./schedule.js";
export { type CronLog, CronScheduler, type CronSchedulerOptions } from "./scheduler.js";
export { parseBytes, resolveCronSettings } from "./settings.js";
export { loadCronStore, saveCronStore } from "./store.js";
export type { CronDelivery, CronEvent, CronExecution, CronJob, CronJobState, CronPayload, CronRunLogEntry, CronRunStatus, CronSchedule, CronSettings } from "./types.js";
