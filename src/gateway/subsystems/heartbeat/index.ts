/**
 * The heartbeat subsystem (spec §2.8, §4.9): owns `agents.*.heartbeat` (hot) and hears every other
 * `agents.*` change (new agents, cadence). Each enrolled agent has a due time; one unref'd timer
 * fires the earliest, and the runner does the turn (runner.ts). Serves `system-event` and `wake`
 * (queue in the presence subsystem, optionally run now), `last-heartbeat` and `set-heartbeats`;
 * broadcasts `heartbeat` per heartbeat; `status.heartbeat` shows each agent's cadence and
 * `heartbeatRunner` (status and health) counts ticks, runs and skips by reason.
 */
import type { AgentRuns } from "../../../agent/index.js";
import { AppError } from "../../../shared/index.js";
import type { ApplyResult, MethodHandlers, Subsystem, SubsystemContext } from "../../subsystem.js";
import { CoreBound } from "../base.js";
import type { SystemEvent, SystemEventInput } from "../presence/index.js";
import { type HeartbeatSettings, resolveHeartbeats } from "./config.js";
import { type HeartbeatEvent, type HeartbeatSource, runHeartbeat } from "./runner.js";

export { DEFAULT_HEARTBEAT_PROMPT, HEARTBEAT_TOKEN } from "./config.js";
export type { HeartbeatEvent } from "./runner.js";

export interface HeartbeatSubsystemOptions {
  runs(): AgentRuns;
  /** The presence subsystem's queue of system events. */
  events: {
    enqueue(input: SystemEventInput): SystemEvent;
    pending(match: (e: SystemEvent) => boolean): SystemEvent[];
    consume(events: readonly SystemEvent[]): void;
  };
  /** Sends an alert through a channel account (the channels subsystem's manager). */
  deliver(channel: string, accountId: string | undefined, to: string, text: string): Promise<{ accountId: string }>;
}

interface Counters {
  ticks: number;
  runs: number;
  byStatus: Record<string, number>;
  skipped: Record<string, number>;
}

export class HeartbeatSubsystem extends CoreBound implements Subsystem {
  readonly name = "heartbeat";
  readonly observes = ["agents"] as const;
  private paused = false;
  private last: HeartbeatEvent | null = null;
  private readonly counters: Counters = { ticks: 0, runs: 0, byStatus: {}, skipped: {} };
  /** agentId → next due time and the cadence it was planned with. */
  private readonly due = new Map<string, { at: number; everyMs: number }>();
  /** Sessions with a heartbeat in progress (never two at once on one session). */
  private readonly inflight = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private log: SubsystemContext["log"] | undefined;
  readonly methods: MethodHandlers;

  constructor(private readonly options: HeartbeatSubsystemOptions) {
    super();
    this.methods = {
      "system-event": (p) => {
        const event = this.enqueue(p.text, p.sessionKey, p.agentId);
        if (p.wake === true) this.wakeNow(p.sessionKey, p.agentId);
        return { ok: true, ts: event.ts };
      },
      wake: (p) => {
        this.enqueue(p.text, p.sessionKey, p.agentId);
        // Like OpenClaw, a wake naming a session runs now whatever the mode.
        if (p.mode === "now" || p.sessionKey) this.wakeNow(p.sessionKey, p.agentId);
        return { ok: true };
      },
      "last-heartbeat": () => this.last,
      "set-heartbeats": (p) => {
        this.paused = !p.enabled;
        this.log?.info(`heartbeats ${p.enabled ? "enabled" : "disabled"} by request`);
        return { ok: true, enabled: p.enabled };
      },
    };
  }

  override start(ctx: SubsystemContext): void {
    super.start(ctx);
    this.log = ctx.log;
    this.reschedule();
    ctx.log.info(`started (${[...this.due.keys()].length} agent(s))`);
  }

  override stop(reason?: string): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.due.clear();
    super.stop(reason);
  }

  applyConfig(): ApplyResult {
    this.reschedule();
    return "applied";
  }

  private settings(): HeartbeatSettings[] {
    return resolveHeartbeats(this.core.runningConfig());
  }

  /** Plans each enrolled agent's next tick (kept when its cadence did not change) and arms the timer. */
  private reschedule(): void {
    const now = Date.now();
    const enrolled = this.settings().filter((s) => s.enabled);
    for (const id of [...this.due.keys()]) if (!enrolled.some((s) => s.agentId === id)) this.due.delete(id);
    for (const s of enrolled) {
      const planned = this.due.get(s.agentId);
      if (!planned || planned.everyMs !== s.everyMs) this.due.set(s.agentId, { at: now + s.everyMs, everyMs: s.everyMs });
    }
    this.arm();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.maybeCore || this.due.size === 0) return;
    const next = Math.min(...[...this.due.values()].map((d) => d.at));
    this.timer = setTimeout(() => this.fire(), Math.max(0, next - Date.now()));
    this.timer.unref();
  }

  private fire(): void {
    const now = Date.now();
    for (const [agentId, d] of this.due) {
      if (d.at > now) continue;
      this.due.set(agentId, { at: now + d.everyMs, everyMs: d.everyMs });
      void this.trigger(agentId, "interval");
    }
    this.arm();
  }

  private enqueue(text: string, sessionKey: string | undefined, agentId: string | undefined): SystemEvent {
    const input: SystemEventInput = { text, source: "rpc" };
    if (sessionKey) {
      const target = this.options.runs().canonicalKey(sessionKey);
      if (agentId && target.agent.id !== agentId.trim().toLowerCase()) {
        throw new AppError("USAGE", `session ${sessionKey} belongs to agent "${target.agent.id}", not "${agentId}"`, { hint: "Pass a single target: the session key, or the agent id." });
      }
      Object.assign(input, { sessionKey: target.sessionKey, agentId: target.agent.id });
    } else if (agentId) {
      Object.assign(input, { agentId: this.options.runs().resolveTarget({ agentId }).agent.id });
    }
    return this.options.events.enqueue(input);
  }

  /** Runs the named session's (or agent's) heartbeat now; without either, every enrolled agent's (the default agent's when none is). */
  private wakeNow(sessionKey: string | undefined, agentId: string | undefined): void {
    if (sessionKey) {
      const target = this.options.runs().canonicalKey(sessionKey);
      void this.trigger(target.agent.id, "wake", target.sessionKey);
      return;
    }
    const all = this.settings();
    const ids = agentId ? [this.options.runs().resolveTarget({ agentId }).agent.id] : all.some((s) => s.enabled) ? all.filter((s) => s.enabled).map((s) => s.agentId) : all.filter((s) => s.isDefault).map((s) => s.agentId);
    for (const id of ids) void this.trigger(id, "wake");
  }

  /** One heartbeat: counted, and recorded as an event unless it was paused or disabled. */
  private async trigger(agentId: string, source: HeartbeatSource, sessionKey?: string): Promise<void> {
    if (!this.maybeCore) return;
    this.counters.ticks++;
    const hb = this.settings().find((s) => s.agentId === agentId);
    if (this.paused || !hb || (!hb.enabled && !sessionKey)) {
      this.count("skipped", "disabled");
      this.log?.debug(`heartbeat skipped for agent ${agentId}: disabled${this.paused ? " (set-heartbeats)" : ""}`);
      return;
    }
    const key = sessionKey ?? this.options.runs().resolveTarget({ agentId }).sessionKey;
    if (this.inflight.has(key)) {
      this.record({ ts: Date.now(), status: "skipped", reason: "requests-in-flight", durationMs: 0, agentId, sessionKey: key });
      return;
    }
    this.inflight.add(key);
    try {
      const core = this.core;
      const event = await runHeartbeat(
        { config: () => core.runningConfig(), layout: core.paths.layout, env: core.env, runs: this.options.runs, events: this.options.events, deliver: this.options.deliver, log: this.log! },
        hb,
        { source, ...(sessionKey ? { sessionKey } : {}) },
      );
      this.record(event);
    } catch (error) {
      this.record({ ts: Date.now(), status: "failed", reason: (error as Error).message, agentId, sessionKey: key });
    } finally {
      this.inflight.delete(key);
    }
  }

  private count(status: string, reason?: string): void {
    this.counters.byStatus[status] = (this.counters.byStatus[status] ?? 0) + 1;
    if (status === "skipped" && reason) this.counters.skipped[reason] = (this.counters.skipped[reason] ?? 0) + 1;
  }

  private record(event: HeartbeatEvent): void {
    this.last = event;
    if (event.status !== "skipped") this.counters.runs++;
    this.count(event.status, event.reason);
    this.maybeCore?.events.publish("heartbeat", event);
    const line = `heartbeat ${event.status}${event.reason ? ` reason=${event.reason}` : ""} agent=${event.agentId ?? "?"}${event.channel ? ` channel=${event.channel}` : ""}${event.durationMs !== undefined ? ` ${event.durationMs} ms` : ""}`;
    if (event.status === "failed") this.log?.warn(line);
    else this.log?.info(line);
  }

  private runner(): Record<string, unknown> {
    return { enabled: !this.paused, ticks: this.counters.ticks, runs: this.counters.runs, byStatus: { ...this.counters.byStatus }, skipped: { ...this.counters.skipped }, lastStatus: this.last?.status ?? null, lastAt: this.last?.ts ?? null };
  }

  health(): Record<string, unknown> {
    return { heartbeatRunner: this.runner() };
  }

  status(): Record<string, unknown> {
    const all = this.settings();
    return {
      heartbeat: { defaultAgentId: all.find((s) => s.isDefault)?.agentId ?? "main", agents: all.map((s) => ({ agentId: s.agentId, enabled: s.enabled, every: s.every, everyMs: s.enabled ? s.everyMs : null })) },
      heartbeatRunner: this.runner(),
    };
  }
}
