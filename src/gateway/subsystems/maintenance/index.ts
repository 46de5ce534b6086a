/**
 * The maintenance subsystem: the host tasks seed 004 kept in crontab, run inside the gateway on
 * unref'd timers. `session.maintenance` (OpenClaw's defaults: enforce, 30d, 5000 entries; "enforce"
 * prunes/caps with transcripts archived as `….deleted.<ts>`, "warn" only logs) runs every 30 minutes,
 * first one interval after start (as OpenClaw, never while starting); temp cleanup (`<state>/tmp`,
 * `<state>/media`) at start and then daily; the backup schedule (`openclaw backup schedule`, in
 * `<state>/backup/schedule.json`) is re-read on every tick, so a change applies without a restart,
 * and each run is `backup create` + verify + prune, recorded in `<state>/backup/last-run.json`.
 * A task that fails is logged with its reason and counted in `health.maintenance`.
 * `OPENCLAW_MAINTENANCE_EVERY_MS` shortens the session/temp interval (tests).
 */

import { statSync } from "node:fs";
import { listAgents, mainSessionKey, planSessionMaintenance, resolveMaintenanceSettings, runSessionMaintenance } from "../../../agent/index.js";
import type { Logger } from "../../../logging/index.js";
import { type BackupRunRecord, type BackupSchedule, backupScheduleFile, loadBackupRun, loadBackupSchedule, runScheduledBackup, runTempCleanup } from "../../../ops/index.js";
import { loadSessionStore } from "../../../storage/index.js";
import type { Subsystem, SubsystemContext } from "../../subsystem.js";
import { CoreBound } from "../base.js";

/** How often the schedule is looked at (a stat-sized read). */
const TICK_MS = 1000;
/** OpenClaw rechecks session retention every 30 minutes and never prunes at start-up. */
const SESSION_EVERY_MS = 30 * 60_000;
const TEMP_EVERY_MS = 86_400_000;

interface TaskState {
  runs: number;
  failures: number;
  lastRunAt: number | null;
  lastError: string | null;
  lastSummary: string | null;
}

const fresh = (): TaskState => ({ runs: 0, failures: 0, lastRunAt: null, lastError: null, lastSummary: null });

export class MaintenanceSubsystem extends CoreBound implements Subsystem {
  readonly name = "maintenance";
  private timer: ReturnType<typeof setInterval> | undefined;
  private log: Logger | undefined;
  private running: Promise<void> | undefined;
  private readonly tasks = { sessions: fresh(), temp: fresh(), backup: fresh() };
  private lastBackup: BackupRunRecord | undefined;
  /** The schedule as last read, keyed by the file's mtime and size: each tick stats the file, and reads it only when it changed. */
  private schedule: { key: string; value: BackupSchedule | undefined } | undefined;

  override start(ctx: SubsystemContext): void {
    super.start(ctx);
    this.log = ctx.log;
    // Session maintenance waits one interval (a gateway never prunes while starting); temp cleanup runs at once.
    this.tasks.sessions = { ...fresh(), lastRunAt: Date.now() };
    this.tasks.temp = fresh();
    this.tasks.backup = fresh();
    this.lastBackup = loadBackupRun(ctx.core.paths.stateDir);
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
    // The first temp pass (and a backup missed while the gateway was down) runs right after start.
    setImmediate(() => this.tick());
  }

  override async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => {});
    super.stop();
  }

  /** One pass: whatever is due runs, one task at a time (a slow backup never overlaps the next tick). */
  private tick(): void {
    if (this.running || !this.maybeCore) return;
    this.running = this.runDue()
      .catch((error: unknown) => this.log?.error(`maintenance: ${(error as Error).message}`))
      .finally(() => {
        this.running = undefined;
      });
  }

  private async runDue(): Promise<void> {
    const now = Date.now();
    const due = (t: TaskState, every: number) => t.lastRunAt === null || now - t.lastRunAt >= (this.everyOverride() ?? every);
    if (due(this.tasks.sessions, SESSION_EVERY_MS)) await this.guard(this.tasks.sessions, "session maintenance", () => this.runSessions(now));
    if (due(this.tasks.temp, TEMP_EVERY_MS)) await this.guard(this.tasks.temp, "temp cleanup", () => this.runTemp(now));
    const core = this.maybeCore;
    if (!core) return;
    const schedule = this.backupSchedule(core.paths.stateDir);
    if (!schedule) return;
    const last = this.lastBackup ? Date.parse(this.lastBackup.startedAt) : Number.NEGATIVE_INFINITY;
    const since = Math.max(Number.isFinite(last) ? last : Number.NEGATIVE_INFINITY, Date.parse(schedule.updatedAt) || 0);
    if (now - since < schedule.everyMs) return;
    await this.guard(this.tasks.backup, "scheduled backup", async () => {
      const r = await runScheduledBackup({ env: core.env, paths: core.paths, schedule, runtimeVersion: core.version });
      this.lastBackup = r;
      if (r.status === "error") throw new Error(`${r.error} (recorded; openclaw doctor shows it)`);
      return `wrote ${r.archive} (${r.bytes} bytes, verified, ${r.durationMs} ms)${r.pruned?.length ? `; removed ${r.pruned.length} older archive(s) beyond keep ${schedule.keep}` : ""}`;
    });
  }

  private backupSchedule(stateDir: string): BackupSchedule | undefined {
    let key = "absent";
    try {
      const st = statSync(backupScheduleFile(stateDir));
      key = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      // No schedule file.
    }
    if (this.schedule?.key !== key) this.schedule = { key, value: key === "absent" ? undefined : loadBackupSchedule(stateDir) };
    return this.schedule.value;
  }

  /** `OPENCLAW_MAINTENANCE_EVERY_MS`: one interval for session maintenance and temp cleanup (tests; at least 1000). */
  private everyOverride(): number | undefined {
    const v = Number(this.maybeCore?.env.OPENCLAW_MAINTENANCE_EVERY_MS);
    return Number.isFinite(v) && v >= 1000 ? v : undefined;
  }

  private async guard(t: TaskState, what: string, fn: () => Promise<string | undefined> | string | undefined): Promise<void> {
    t.runs++;
    t.lastRunAt = Date.now();
    try {
      const summary = await fn();
      t.lastError = null;
      t.lastSummary = summary ?? null;
      if (summary) this.log?.info(`maintenance: ${what}: ${summary}`);
    } catch (error) {
      t.failures++;
      t.lastError = (error as Error).message;
      this.log?.warn(`maintenance: ${what} failed: ${t.lastError}`);
    }
  }

  private async runSessions(now: number): Promise<string | undefined> {
    const core = this.core;
    const config = core.runningConfig();
    const session = (config as { session?: unknown }).session;
    const { settings, problems } = resolveMaintenanceSettings(session);
    for (const p of problems) this.log?.warn(`maintenance: ${p}; using the default`);
    const mainKey = typeof (session as { mainKey?: unknown } | undefined)?.mainKey === "string" ? (session as { mainKey: string }).mainKey : "main";
    const parts: string[] = [];
    for (const agent of listAgents(config)) {
      const store = core.paths.layout.sessionStoreFile(agent.id);
      const opts = { settings, now, mainKeys: [mainSessionKey(agent.id, mainKey)] };
      const loaded = loadSessionStore(store);
      if (!Object.keys(loaded.entries).length) {
        if (loaded.problem) throw new Error(`${store} is ${loaded.problem}; skipped (openclaw sessions cleanup shows it)`);
        continue;
      }
      if (settings.mode === "warn") {
        const plan = planSessionMaintenance(loaded.entries, opts);
        const n = plan.pruned.length + plan.capped.length;
        if (n) this.log?.warn(`maintenance: session.maintenance.mode is "warn": ${n} session(s) of agent ${agent.id} are past pruneAfter/maxEntries (set mode "enforce" or run openclaw sessions cleanup --enforce)`);
        continue;
      }
      const r = await runSessionMaintenance(store, opts);
      if (r.pruned.length + r.capped.length) parts.push(`agent ${agent.id}: ${r.beforeCount} → ${r.afterCount} entries, ${r.archived.length} transcript(s) archived${r.busy.length ? `, ${r.busy.length} busy` : ""}`);
    }
    return parts.length ? parts.join("; ") : undefined;
  }

  private runTemp(now: number): string | undefined {
    const r = runTempCleanup({ stateDir: this.core.paths.stateDir, now });
    for (const s of r.skipped) this.log?.warn(`maintenance: temp cleanup skipped ${s.path}: ${s.reason}`);
    return r.removed.length ? `removed ${r.removed.length} file(s) older than 7 days under tmp/ and media/` : undefined;
  }

  health(): Record<string, unknown> {
    const b = this.lastBackup;
    return {
      maintenance: {
        sessions: this.tasks.sessions,
        temp: this.tasks.temp,
        backup: { ...this.tasks.backup, last: b ? { status: b.status, finishedAt: b.finishedAt, archive: b.archive ?? null, error: b.error ?? null, lastGoodAt: b.lastGood?.at ?? null } : null },
      },
    };
  }
}
