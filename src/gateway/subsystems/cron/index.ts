/**
 * The cron subsystem: owns `cron.*`. It runs the scheduler over `<state>/cron/jobs.json` (or
 * `cron.store`), serves the `cron.*` methods, publishes `cron` events, executes payloads through the
 * ports it is given (presence queue, agent runs, channel send), and contributes the scheduler's
 * state to `status` and `health`. `cron.*` edits apply hot; `OPENCLAW_SKIP_CRON=1` or
 * `cron.enabled: false` stops scheduling (the methods keep working on the store).
 */
import { type CronEvent, type CronJob, CronScheduler, type CronSettings, resolveCronSettings } from "../../../cron/index.js";
import { sha256Hex } from "../../../infra/index.js";
import { createLogger } from "../../../logging/index.js";
import { AppError } from "../../../shared/index.js";
import type { ApplyResult, MethodHandlers, Subsystem, SubsystemContext } from "../../subsystem.js";
import { CoreBound } from "../base.js";
import { type CronPorts, executeCronJob } from "./execute.js";

export { type CronPorts, cronSessionKey } from "./execute.js";

type Obj = Record<string, unknown>;

const jobIdOf = (p: { id?: string | undefined; jobId?: string | undefined }): string => {
  const id = p.id ?? p.jobId;
  if (!id) throw new AppError("USAGE", "a job id is required", { hint: "pass id (openclaw cron list shows ids)" });
  return id;
};

export class CronSubsystem extends CoreBound implements Subsystem {
  readonly name = "cron";
  private scheduler_: CronScheduler | undefined;
  private settings_: CronSettings | undefined;
  private readonly log = createLogger("cron");
  readonly methods: MethodHandlers;

  constructor(private readonly ports: CronPorts) {
    super();
    this.methods = this.createMethods();
  }

  /** The running scheduler (UNAVAILABLE before start and after stop). */
  get scheduler(): CronScheduler {
    if (!this.scheduler_) throw new AppError("UNAVAILABLE", "the scheduler is not running", { hint: "the gateway is starting or stopping; retry in a moment" });
    return this.scheduler_;
  }

  override start(ctx: SubsystemContext): void {
    super.start(ctx);
    const core = ctx.core;
    const settings = () => this.settings_!;
    this.settings_ = this.resolve();
    const scheduler = new CronScheduler({
      settings,
      execute: (job, run) => executeCronJob(job, this.ports, run.runId),
      onEvent: (event) => this.publish(event),
      log: this.log,
    });
    this.scheduler_ = scheduler;
    try {
      scheduler.start();
    } catch (error) {
      // The gateway starts without its scheduler rather than not at all; status shows why.
      this.log.error(`cron: the scheduler did not start: ${(error as Error).message}`);
    }
    if (!settings().enabled) this.log.warn("cron: scheduler disabled; jobs will not run automatically", { reason: core.env.OPENCLAW_SKIP_CRON === "1" ? "OPENCLAW_SKIP_CRON=1" : "cron.enabled is false" });
  }

  override async stop(reason?: string): Promise<void> {
    const s = this.scheduler_;
    this.scheduler_ = undefined;
    await s?.stop();
    super.stop(reason);
  }

  applyConfig(): ApplyResult {
    const previous = this.settings_;
    this.settings_ = this.resolve();
    this.scheduler_?.applySettings(previous?.storePath);
    if (previous?.enabled !== this.settings_.enabled) this.log.info(`cron: scheduler ${this.settings_.enabled ? "enabled" : "disabled"}`);
    return "applied";
  }

  private resolve(): CronSettings {
    const core = this.core;
    return resolveCronSettings(core.runningConfig() as unknown as Obj, core.paths.layout.cronDir, core.env);
  }

  private publish(event: CronEvent): void {
    this.maybeCore?.events.publish("cron", event.job ? { ...event, job: event.job } : event);
  }

  private createMethods(): MethodHandlers {
    return {
      "cron.status": () => this.scheduler.status(),
      "cron.list": (p) => {
        let jobs: CronJob[] = this.scheduler.list({ includeDisabled: p.includeDisabled === true });
        const q = p.query?.trim().toLowerCase();
        if (q) jobs = jobs.filter((j) => j.name.toLowerCase().includes(q) || j.id.toLowerCase().includes(q) || (j.description ?? "").toLowerCase().includes(q));
        if (p.agentId) jobs = jobs.filter((j) => (j.agentId ?? "main") === p.agentId);
        const offset = p.offset ?? 0;
        const limit = p.limit ?? 200;
        const page = jobs.slice(offset, offset + limit);
        const hasMore = offset + page.length < jobs.length;
        // OpenClaw's CLI pages through one inventory revision and restarts when it changes.
        const snapshotRevision = sha256Hex(jobs.map((j) => `${j.id}:${j.updatedAtMs}`).join("\n")).slice(0, 16);
        return { jobs: page, total: jobs.length, offset, limit, hasMore, nextOffset: hasMore ? offset + page.length : null, snapshotRevision };
      },
      "cron.get": (p) => this.scheduler.find(jobIdOf(p)),
      "cron.add": (p) => this.scheduler.add(p as unknown as Obj),
      "cron.update": (p) => this.scheduler.update(jobIdOf(p), p.patch as Obj),
      "cron.remove": (p) => {
        const id = jobIdOf(p);
        this.scheduler.find(id);
        return { ok: true, ...this.scheduler.remove(id) };
      },
      "cron.run": (p) => this.scheduler.run(jobIdOf(p), p.mode ?? "force"),
      "cron.runs": (p) => {
        const id = p.id ?? p.jobId;
        if (id && p.scope !== "all") return this.scheduler.runs(id, { ...(p.limit ? { limit: p.limit } : {}), ...(p.offset ? { offset: p.offset } : {}) });
        // Every job's history, newest first.
        const all = this.scheduler.list({ includeDisabled: true }).flatMap((j) => this.scheduler.runs(j.id, { limit: 10_000 }).entries);
        all.sort((a, b) => b.ts - a.ts);
        const offset = p.offset ?? 0;
        const limit = p.limit ?? 50;
        const entries = all.slice(offset, offset + limit);
        const hasMore = offset + entries.length < all.length;
        return { entries, total: all.length, offset, limit, hasMore, nextOffset: hasMore ? offset + entries.length : null };
      },
    };
  }

  private summary(): Obj {
    const s = this.scheduler_;
    if (!s) return { enabled: false, jobs: 0, nextWakeAtMs: null };
    const st = s.status();
    return { enabled: st.enabled, jobs: st.jobs, nextWakeAtMs: st.nextWakeAtMs, running: st.running, lastErrors: st.lastErrors, ...(st.storeError ? { storeError: st.storeError } : {}) };
  }

  health(): Record<string, unknown> {
    return { cron: this.summary() };
  }

  status(): Record<string, unknown> {
    return { cron: this.summary() };
  }

  metrics(): string[] {
    const s = this.scheduler_?.status();
    if (!s) return [];
    return [
      "# HELP openclaw_cron_jobs Scheduled jobs in the store.",
      "# TYPE openclaw_cron_jobs gauge",
      `openclaw_cron_jobs ${Number(s.jobs)}`,
      "# HELP openclaw_cron_running_jobs Jobs running now.",
      "# TYPE openclaw_cron_running_jobs gauge",
      `openclaw_cron_running_jobs ${Number(s.running)}`,
    ];
  }
}
