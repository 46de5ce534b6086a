/**
 * The scheduler: keeps the jobs of the store in memory, arms one unref'd timer for the next due
 * job, runs due jobs (at most `maxConcurrentRuns` at once) through the executor it was given, and
 * records each outcome in the job's state, its run log and a `cron` event. Errors back off
 * (recurring: 30 s → 1 m → 5 m → 15 m → 60 m; one-shot: `cron.retry`), a run missed while the
 * gateway was down runs once at start (`cron.catchUp`), `cron.enabled: false` stops scheduling, and
 * hand edits of the store apply without a restart. The clock is injectable (tests drive `runDue`).
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { sha256Hex } from "../infra/index.js";
import { AppError } from "../shared/index.js";
import { createJob, patchJob } from "./jobs.js";
import { appendRunLog, readRunLog, removeRunLog } from "./run-log.js";
import { nextRunAfter, oneShotBackoffMs, recurringBackoffMs } from "./schedule.js";
import { loadCronStore, saveCronStore } from "./store.js";
import { StoreWatcher } from "./store-watch.js";
import type { CronEvent, CronExecution, CronJob, CronRunLogEntry, CronSettings } from "./types.js";

type Obj = Record<string, unknown>;

export interface CronLog {
  info(message: string, fields?: Obj): void;
  warn(message: string, fields?: Obj): void;
  error(message: string, fields?: Obj): void;
}

export interface CronSchedulerOptions {
  settings(): CronSettings;
  /** Runs a job's payload (and its delivery); a throw counts as an error run. */
  execute(job: CronJob, run: { runId: string; attempt: number }): Promise<CronExecution>;
  onEvent?(event: CronEvent): void;
  log: CronLog;
  now?: () => number;
  /** false: no timer and no file watcher; the caller drives `runDue` (tests with a fake clock). */
  autoRun?: boolean;
  watchDebounceMs?: number;
}

/** The most a timer waits before re-checking (clock jumps, sleeping hosts). */
const MAX_TIMER_MS = 60_000;
const LAST_ERRORS_KEEP = 20;

export class CronScheduler {
  private jobs: CronJob[] = [];
  private extra: Obj = { version: 1 };
  private lastHash = "";
  private storeError: AppError | undefined;
  private readonly running = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private watcher: StoreWatcher | undefined;
  private started = false;
  private readonly now: () => number;
  /** Recent failed runs (status and health show them). */
  readonly lastErrors: Array<{ jobId: string; name: string; error: string; atMs: number }> = [];
  /** Runs that did not happen, by reason (missed while down with catch-up off, store unreadable, …). */
  readonly skipped = new Map<string, number>();

  constructor(private readonly options: CronSchedulerOptions) {
    this.now = options.now ?? Date.now;
  }

  private get settings(): CronSettings {
    return this.options.settings();
  }

  /** Loads the store, schedules missed runs once (or skips them), arms the timer and watches the file. */
  start(): void {
    this.started = true;
    this.loadFromDisk("start");
    if (this.options.autoRun !== false) {
      this.watcher = new StoreWatcher(this.settings.storePath, () => this.onFileChange(), this.options.watchDebounceMs, (e) => this.options.log.warn(`cron: cannot watch the job store: ${e.message}`));
      this.watcher.start();
    }
    this.options.log.info("cron: started", { enabled: this.settings.enabled, jobs: this.jobs.length, nextWakeAtMs: this.nextWakeAtMs() ?? null, storePath: this.settings.storePath });
    this.arm();
  }

  /** Stops the timer and watcher; waits for running jobs (the caller bounds the wait). */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.watcher?.stop();
    this.watcher = undefined;
    await Promise.allSettled([...this.running.values()]);
  }

  /** Applies changed `cron.*` settings (enabled, limits): re-arms. A moved store is reloaded. */
  applySettings(previousStorePath: string | undefined): void {
    if (previousStorePath && previousStorePath !== this.settings.storePath) {
      this.watcher?.stop();
      this.loadFromDisk("store moved");
      if (this.options.autoRun !== false) {
        this.watcher = new StoreWatcher(this.settings.storePath, () => this.onFileChange(), this.options.watchDebounceMs);
        this.watcher.start();
      }
    }
    this.arm();
  }

  // ---- store ---------------------------------------------------------------------------------

  private loadFromDisk(reason: "start" | "hand edit" | "store moved"): void {
    const now = this.now();
    let loaded: ReturnType<typeof loadCronStore>;
    try {
      loaded = loadCronStore(this.settings.storePath);
    } catch (error) {
      this.storeError = error as AppError;
      this.options.log.error(this.storeError.message, { hint: this.storeError.hint });
      return;
    }
    this.storeError = undefined;
    const previous = new Map(this.jobs.map((j) => [j.id, j]));
    for (const job of loaded.jobs) {
      if (!job.enabled) continue;
      const before = previous.get(job.id);
      const changed = before !== undefined && (JSON.stringify(before.schedule) !== JSON.stringify(job.schedule) || !before.enabled);
      const next = job.state.nextRunAtMs;
      if (next === undefined || changed) job.state.nextRunAtMs = nextRunAfter(job, now);
      else if (reason === "start" && next <= now && !this.settings.catchUp && job.schedule.kind !== "at") {
        this.count("missed-while-down");
        this.options.log.warn("cron: a run missed while the gateway was down is skipped (cron.catchUp is false)", { jobId: job.id, name: job.name, missedAtMs: next });
        job.state.nextRunAtMs = nextRunAfter(job, now);
      }
      delete job.state.runningAtMs;
    }
    this.jobs = loaded.jobs;
    this.extra = loaded.extra;
    this.lastHash = loaded.hash;
    if (reason !== "start") this.options.log.info(`cron: job store reloaded (${reason})`, { jobs: this.jobs.length });
    if (reason === "hand edit") this.emit({ jobId: "*", action: "updated" });
    this.arm();
  }

  private onFileChange(): void {
    let text: string;
    try {
      text = readFileSync(this.settings.storePath, "utf8");
    } catch {
      text = "";
    }
    if ((text === "" ? "" : sha256Hex(text)) === this.lastHash) return;
    this.loadFromDisk("hand edit");
  }

  private save(): void {
    if (this.storeError) {
      this.count("store-unreadable");
      this.options.log.warn("cron: job state not saved: the job store is unreadable", { storePath: this.settings.storePath });
      return;
    }
    this.lastHash = saveCronStore(this.settings.storePath, this.jobs, this.extra);
  }

  private writable(): void {
    if (this.storeError) throw this.storeError;
  }

  private count(reason: string): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
  }

  // ---- queries -------------------------------------------------------------------------------

  find(id: string): CronJob {
    const job = this.jobs.find((j) => j.id === id);
    if (!job) throw new AppError("NOT_FOUND", `cron job "${id}" not found`, { hint: "openclaw cron list --all shows every job id" });
    return job;
  }

  list(o: { includeDisabled?: boolean } = {}): CronJob[] {
    const jobs = this.jobs.filter((j) => o.includeDisabled || j.enabled);
    return jobs.sort((a, b) => (a.state.nextRunAtMs ?? Number.MAX_SAFE_INTEGER) - (b.state.nextRunAtMs ?? Number.MAX_SAFE_INTEGER) || a.createdAtMs - b.createdAtMs);
  }

  nextWakeAtMs(): number | undefined {
    if (!this.settings.enabled) return undefined;
    let next: number | undefined;
    for (const j of this.jobs) if (j.enabled && j.state.nextRunAtMs !== undefined && !this.running.has(j.id) && (next === undefined || j.state.nextRunAtMs < next)) next = j.state.nextRunAtMs;
    return next;
  }

  status(): Obj {
    const s = this.settings;
    return {
      enabled: s.enabled,
      storePath: s.storePath,
      storage: "json",
      jobs: this.jobs.length,
      enabledJobs: this.jobs.filter((j) => j.enabled).length,
      running: this.running.size,
      nextWakeAtMs: this.nextWakeAtMs() ?? null,
      ...(this.storeError ? { storeError: this.storeError.message } : {}),
      skipped: Object.fromEntries(this.skipped),
      lastErrors: this.lastErrors.slice(-5),
    };
  }

  runs(id: string, o: { limit?: number; offset?: number } = {}): { entries: CronRunLogEntry[]; total: number; offset: number; limit: number; hasMore: boolean; nextOffset: number | null } {
    const all = readRunLog(this.settings.runsDir, id);
    const offset = o.offset ?? 0;
    const limit = o.limit ?? 50;
    const entries = all.slice(offset, offset + limit);
    const hasMore = offset + entries.length < all.length;
    return { entries, total: all.length, offset, limit, hasMore, nextOffset: hasMore ? offset + entries.length : null };
  }

  // ---- mutations -----------------------------------------------------------------------------

  add(params: Obj): CronJob {
    this.writable();
    const now = this.now();
    const job = createJob(params, now);
    if (job.enabled) job.state.nextRunAtMs = nextRunAfter(job, now);
    this.jobs.push(job);
    this.save();
    this.emit({ jobId: job.id, action: "added", job, ...(job.state.nextRunAtMs !== undefined ? { nextRunAtMs: job.state.nextRunAtMs } : {}) });
    this.arm();
    return job;
  }

  update(id: string, patch: Obj): CronJob {
    this.writable();
    const now = this.now();
    const current = this.find(id);
    const next = patchJob(current, patch, now);
    if (next.enabled && next.state.nextRunAtMs === undefined) next.state.nextRunAtMs = nextRunAfter(next, now);
    if (!next.enabled) delete next.state.nextRunAtMs;
    this.jobs = this.jobs.map((j) => (j.id === id ? next : j));
    this.save();
    this.emit({ jobId: id, action: "updated", job: next });
    this.arm();
    return next;
  }

  remove(id: string): { removed: boolean } {
    this.writable();
    const before = this.jobs.length;
    this.jobs = this.jobs.filter((j) => j.id !== id);
    if (this.jobs.length === before) return { removed: false };
    this.save();
    removeRunLog(this.settings.runsDir, id);
    this.emit({ jobId: id, action: "removed" });
    this.arm();
    return { removed: true };
  }

  /** `cron.run`: `force` (default) runs now, `due` only when due, `if-enabled` only when enabled. Returns at once. */
  run(id: string, mode: "force" | "due" | "if-enabled" = "force"): { ok: true; ran: boolean; enqueued: boolean; runId?: string; reason?: string } {
    const job = this.find(id);
    if (this.running.has(id)) return { ok: true, ran: false, enqueued: false, reason: "already-running" };
    if (mode === "if-enabled" && !job.enabled) return { ok: true, ran: false, enqueued: false, reason: "disabled" };
    if (mode === "due" && !(job.enabled && job.state.nextRunAtMs !== undefined && job.state.nextRunAtMs <= this.now())) return { ok: true, ran: false, enqueued: false, reason: "not-due" };
    const runId = randomUUID();
    this.startRun(job, runId);
    return { ok: true, ran: true, enqueued: true, runId };
  }

  // ---- running -------------------------------------------------------------------------------

  /** Starts every due job the concurrency limit allows; resolves when those runs have finished. */
  async runDue(): Promise<void> {
    const started: Promise<void>[] = [];
    if (this.settings.enabled) {
      const now = this.now();
      for (const job of this.list()) {
        if (this.running.size >= this.settings.maxConcurrentRuns) break;
        if (this.running.has(job.id) || job.state.nextRunAtMs === undefined || job.state.nextRunAtMs > now) continue;
        started.push(this.startRun(job, randomUUID()));
      }
    }
    this.arm();
    await Promise.allSettled(started);
  }

  private startRun(job: CronJob, runId: string): Promise<void> {
    const p = this.execute(job, runId).finally(() => {
      this.running.delete(job.id);
      this.arm();
    });
    this.running.set(job.id, p);
    return p;
  }

  private async execute(job: CronJob, runId: string): Promise<void> {
    const runAtMs = this.now();
    const attempt = (job.state.consecutiveErrors ?? 0) + 1;
    job.state.runningAtMs = runAtMs;
    this.emit({ jobId: job.id, action: "started", runId, runAtMs });
    let result: CronExecution;
    try {
      result = await this.options.execute(job, { runId, attempt });
    } catch (error) {
      result = { status: "error", error: error instanceof Error ? error.message : String(error) };
    }
    const now = this.now();
    const durationMs = Math.max(0, now - runAtMs);
    // The job may have been edited or removed while it ran: record on the current record.
    const current = this.jobs.find((j) => j.id === job.id);
    let nextRunAtMs: number | undefined;
    if (current) {
      nextRunAtMs = this.settle(current, result, runAtMs, durationMs, now);
      this.save();
    }
    if (result.status === "error") {
      this.lastErrors.push({ jobId: job.id, name: job.name, error: result.error ?? "error", atMs: now });
      if (this.lastErrors.length > LAST_ERRORS_KEEP) this.lastErrors.shift();
      this.options.log.warn("cron: job run failed", { jobId: job.id, name: job.name, attempt, error: result.error, nextRunAtMs: nextRunAtMs ?? null });
    }
    const entry: CronRunLogEntry = {
      ts: now,
      jobId: job.id,
      action: "finished",
      status: result.status,
      ...(result.error ? { error: result.error } : {}),
      ...(result.summary ? { summary: result.summary } : {}),
      runId,
      runAtMs,
      durationMs,
      ...(nextRunAtMs !== undefined ? { nextRunAtMs } : {}),
      ...(result.sessionKey ? { sessionKey: result.sessionKey } : {}),
      ...(result.sessionId ? { sessionId: result.sessionId } : {}),
      ...(result.delivered !== undefined ? { delivered: result.delivered } : {}),
      ...(result.deliveryStatus ? { deliveryStatus: result.deliveryStatus } : {}),
      ...(result.deliveryError ? { deliveryError: result.deliveryError } : {}),
      attempt,
      jobName: job.name,
    };
    try {
      appendRunLog(this.settings.runsDir, entry, this.settings.runLog);
    } catch (error) {
      this.options.log.error("cron: cannot write the run log", { jobId: job.id, error: (error as Error).message });
    }
    this.emit({ jobId: job.id, action: "finished", runId, status: result.status, runAtMs, durationMs, ...(result.error ? { error: result.error } : {}), ...(result.summary ? { summary: result.summary } : {}), ...(nextRunAtMs !== undefined ? { nextRunAtMs } : {}) });
  }

  /** Writes the outcome into the job's state and decides its next run; returns it. */
  private settle(job: CronJob, r: CronExecution, runAtMs: number, durationMs: number, now: number): number | undefined {
    const s = job.state;
    delete s.runningAtMs;
    s.lastRunAtMs = runAtMs;
    s.lastRunStatus = r.status;
    s.lastStatus = r.status;
    s.lastDurationMs = durationMs;
    if (r.error) s.lastError = r.error;
    else delete s.lastError;
    if (r.delivered !== undefined) s.lastDelivered = r.delivered;
    if (r.deliveryStatus) s.lastDeliveryStatus = r.deliveryStatus;
    if (r.deliveryError) s.lastDeliveryError = r.deliveryError;
    else delete s.lastDeliveryError;
    const oneShot = job.schedule.kind === "at";
    if (r.status === "error") {
      const errors = (s.consecutiveErrors ?? 0) + 1;
      s.consecutiveErrors = errors;
      if (oneShot) {
        if (errors < this.settings.retry.maxAttempts) s.nextRunAtMs = now + oneShotBackoffMs(errors, this.settings.retry.backoffMs);
        else {
          job.enabled = false;
          delete s.nextRunAtMs;
          this.options.log.warn("cron: one-shot job disabled after its last retry", { jobId: job.id, attempts: errors });
        }
      } else {
        s.nextRunAtMs = Math.max(nextRunAfter(job, now) ?? 0, now + recurringBackoffMs(errors));
      }
      return s.nextRunAtMs;
    }
    if (r.status === "ok") s.consecutiveErrors = 0;
    if (oneShot) {
      delete s.nextRunAtMs;
      if (r.status === "ok" && job.deleteAfterRun !== false) {
        this.jobs = this.jobs.filter((j) => j.id !== job.id);
        this.emit({ jobId: job.id, action: "removed" });
      } else job.enabled = false;
      return undefined;
    }
    s.nextRunAtMs = nextRunAfter(job, now);
    return s.nextRunAtMs;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.started || this.options.autoRun === false || !this.settings.enabled) return;
    if (this.running.size >= this.settings.maxConcurrentRuns) return;
    const next = this.nextWakeAtMs();
    if (next === undefined) return;
    const delay = Math.min(Math.max(next - this.now(), 0), MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runDue();
    }, delay);
    this.timer.unref();
  }

  private emit(event: CronEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch (error) {
      this.options.log.warn("cron: event listener failed", { error: (error as Error).message });
    }
  }
}
