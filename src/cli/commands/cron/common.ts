/**
 * What the `cron` commands share: flags → `cron.add` params or a `cron.update` patch (each bad flag is
 * a one-line usage error naming it), the gateway call, and the human lines for jobs and runs.
 */
import { type CronJob, type CronRunLogEntry, checkSchedule, parseAtMs, parseDurationMs, renderSchedule } from "../../../cron/index.js";
import type { MethodName } from "../../../protocol/index.js";
import { AppError } from "../../../shared/index.js";
import { timeoutFor, withGateway } from "../../rpc.js";
import type { CommandContext } from "../../types.js";

type Obj = Record<string, unknown>;

const usage = (message: string, hint: string) => new AppError("USAGE", message, { hint });

function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.options[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !v.trim()) throw usage(`--${name} must not be blank`, `pass --${name} <value>`);
  return v.trim();
}

/** Milliseconds of `tz`'s offset from UTC at `utcMs`. */
function tzOffsetMs(utcMs: number, tz: string): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }).formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)) - Math.floor(utcMs / 1000) * 1000;
}

function checkTz(tz: string): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
  } catch {
    throw usage(`--tz "${tz}" is not an IANA time zone`, "use e.g. --tz Europe/Berlin or --tz UTC");
  }
}

/** `--at`: a duration from now, or an ISO time (no offset: UTC, or `--tz`). */
function atSchedule(at: string, tz: string | undefined, nowMs: number): Obj {
  const rel = parseDurationMs(at);
  if (rel !== undefined) return { kind: "at", at: new Date(nowMs + rel).toISOString() };
  const utc = parseAtMs(at);
  if (utc === undefined) throw usage(`--at "${at}" is not an ISO time or a duration`, "use e.g. --at 2026-12-24T18:00:00Z or --at 20m");
  const hasZone = /(z|[+-]\d\d:?\d\d)$/i.test(at);
  return { kind: "at", at: new Date(tz && !hasZone ? utc - tzOffsetMs(utc, tz) : utc).toISOString() };
}

/** The schedule from --at/--every/--cron (at most one), or undefined when none is given. */
export function scheduleFromFlags(ctx: CommandContext, nowMs = Date.now()): Obj | undefined {
  const at = str(ctx, "at");
  const every = str(ctx, "every");
  const cron = str(ctx, "cron");
  const tz = str(ctx, "tz");
  if (tz) checkTz(tz);
  const given = [at && "--at", every && "--every", cron && "--cron"].filter(Boolean);
  if (given.length > 1) throw usage(`pass only one schedule (got ${given.join(" and ")})`, "use --at <when>, --every <duration> or --cron <expr>");
  if (at) return atSchedule(at, tz, nowMs);
  if (every) {
    const ms = parseDurationMs(every);
    if (ms === undefined) throw usage(`--every "${every}" is not a duration`, "use e.g. --every 10s, 5m, 1h or 24h");
    return { kind: "every", everyMs: ms };
  }
  if (cron) {
    const stagger = str(ctx, "stagger");
    const staggerMs = stagger === undefined ? undefined : parseDurationMs(stagger);
    if (stagger !== undefined && staggerMs === undefined) throw usage(`--stagger "${stagger}" is not a duration`, "use e.g. --stagger 30s");
    const schedule = { kind: "cron" as const, expr: cron, ...(tz ? { tz } : {}), ...(staggerMs ? { staggerMs } : {}) };
    try {
      checkSchedule(schedule);
    } catch {
      throw usage(`--cron "${cron}" is not a valid cron expression`, 'use five fields (or six with seconds), e.g. --cron "0 7 * * *"');
    }
    return schedule;
  }
  return undefined;
}

/** Agent-turn extras (--model, --thinking, --timeout-seconds). */
function turnExtras(ctx: CommandContext): Obj {
  const out: Obj = {};
  const model = str(ctx, "model");
  const thinking = str(ctx, "thinking");
  const t = ctx.options["timeout-seconds"];
  if (model) out.model = model;
  if (thinking) out.thinking = thinking;
  if (t !== undefined) {
    if (typeof t !== "number" || !Number.isInteger(t) || t < 0) throw usage("--timeout-seconds must be a whole number >= 0", "e.g. --timeout-seconds 300 (0 = no timeout)");
    out.timeoutSeconds = t;
  }
  return out;
}

/** The payload from --system-event / --message (+ extras), or undefined when none is given. */
export function payloadFromFlags(ctx: CommandContext): Obj | undefined {
  const text = str(ctx, "system-event");
  const message = str(ctx, "message");
  if (text && message) throw usage("pass only one payload (--system-event or --message)", "--system-event queues text for the main session; --message runs an agent turn");
  const extras = turnExtras(ctx);
  if (text) {
    if (Object.keys(extras).length > 0) throw usage("--model, --thinking and --timeout-seconds need --message (an agent turn)", "drop them or use --message <text>");
    return { kind: "systemEvent", text };
  }
  if (message) return { kind: "agentTurn", message, ...extras };
  if (Object.keys(extras).length > 0) return { kind: "agentTurn", ...extras };
  return undefined;
}

/** Delivery from --announce/--deliver/--no-deliver/--channel/--to/--account, or undefined when untouched. */
export function deliveryFromFlags(ctx: CommandContext): Obj | undefined {
  const announce = ctx.options.announce === true || ctx.options.deliver === true;
  const off = ctx.options.deliver === false || ctx.options.announce === false;
  const channel = str(ctx, "channel");
  const to = str(ctx, "to");
  const accountId = str(ctx, "account");
  const bestEffort = ctx.options["best-effort-deliver"] === true;
  if (off && (announce || channel || to)) throw usage("--no-deliver cannot be combined with --announce, --channel or --to", "pick one");
  if (off) return { mode: "none" };
  if (!announce && !channel && !to && !accountId) return undefined;
  return { mode: "announce", ...(channel ? { channel } : {}), ...(to ? { to } : {}), ...(accountId ? { accountId } : {}), ...(bestEffort ? { bestEffort: true } : {}) };
}

export function sessionFromFlags(ctx: CommandContext): string | undefined {
  const s = str(ctx, "session");
  if (s === undefined) return undefined;
  if (s === "main" || s === "isolated" || s === "current" || /^session:.+/.test(s)) return s;
  throw usage(`--session "${s}" is not main|isolated|session:<key>`, "use --session main (system events) or --session isolated (agent turns)");
}

export function wakeFromFlags(ctx: CommandContext): string | undefined {
  const w = str(ctx, "wake");
  if (w === undefined || w === "now" || w === "next-heartbeat") return w;
  throw usage(`--wake "${w}" is not now|next-heartbeat`, "use --wake now or --wake next-heartbeat");
}

export function deleteAfterRunFromFlags(ctx: CommandContext): boolean | undefined {
  if (ctx.options["delete-after-run"] === true && ctx.options["keep-after-run"] === true) throw usage("--delete-after-run and --keep-after-run contradict each other", "pass one of them");
  if (ctx.options["delete-after-run"] === true) return true;
  if (ctx.options["keep-after-run"] === true) return false;
  return undefined;
}

/** Calls a `cron.*` method with the command's timeout. */
export async function callCron(ctx: CommandContext, method: MethodName, params: Obj): Promise<unknown> {
  const timeoutMs = timeoutFor(ctx);
  return withGateway(ctx, (client) => client.call(method as "cron.status", params as never, { timeoutMs }), { timeoutMs });
}

export function jobId(ctx: CommandContext): string {
  const id = ctx.args[0];
  if (!id?.trim()) throw usage("a job id is required", "openclaw cron list --all shows job ids");
  return id.trim();
}

const when = (ms: number | undefined | null): string => (typeof ms === "number" ? new Date(ms).toISOString().replace(".000Z", "Z") : "-");

/** One line per job: id, name, schedule, next run, last status. */
export function renderJobs(jobs: CronJob[]): string[] {
  if (jobs.length === 0) return ["No jobs. Add one with openclaw cron add --name <name> --every 1h --system-event <text>."];
  const rows = jobs.map((j) => [j.id, j.name, renderSchedule(j.schedule), j.enabled ? when(j.state.nextRunAtMs) : "disabled", j.state.lastRunStatus ?? "-", j.payload.kind === "agentTurn" ? `agent turn (${j.sessionTarget})` : "system event"]);
  const head = ["ID", "NAME", "SCHEDULE", "NEXT", "LAST", "PAYLOAD"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd());
}

export function renderJob(job: CronJob, verb: string): string[] {
  return [`${verb} job ${job.id} (${job.name}): ${renderSchedule(job.schedule)}${job.enabled ? `, next run ${when(job.state.nextRunAtMs)}` : ", disabled"}.`];
}

export function renderRuns(entries: CronRunLogEntry[]): string[] {
  if (entries.length === 0) return ["No runs yet."];
  return entries.map((e) => `${when(e.runAtMs ?? e.ts)}  ${e.status.padEnd(7)}  ${String(e.durationMs ?? 0).padStart(6)} ms${e.attempt && e.attempt > 1 ? `  attempt ${e.attempt}` : ""}${e.error ? `  ${e.error}` : e.summary ? `  ${e.summary.split("\n")[0]!.slice(0, 80)}` : ""}${e.nextRunAtMs ? `  next ${when(e.nextRunAtMs)}` : ""}`);
}
