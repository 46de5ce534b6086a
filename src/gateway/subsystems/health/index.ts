/**
 * The health subsystem: `health` and `status` (what OpenClaw's CLI reads: spec §4.11, interop notes)
 * built from the core's state plus every subsystem's contribution, and the HTTP probes: `/health`,
 * `/healthz` (liveness: open, reveals nothing), `/readyz` (503 while starting or draining) and
 * Prometheus `/metrics` (behind auth). Like OpenClaw it broadcasts the snapshot as a `health` event
 * (with `stateVersion`): within a second of a change (a channel connects, a drop is counted, a reload
 * fails) and every minute regardless, so dashboards stay live without polling.
 */

import { renderEventMetrics } from "../../events.js";
import { send } from "../../http.js";
import type { Route } from "../../routes.js";
import type { MethodHandlers, Subsystem } from "../../subsystem.js";
import { CoreBound } from "../base.js";

const HEALTH_CACHE_MS = 1000;
/** How often the snapshot is compared with the last one broadcast. */
const HEALTH_CHECK_MS = 1000;
/** A `health` event at least this often while clients are connected (OpenClaw refreshes every 60 s). */
const HEALTH_BROADCAST_MS = 60_000;
/** Fields that change on every snapshot and say nothing about health changing. */
const VOLATILE = new Set(["ts", "durationMs", "eventLoop", "process"]);

/** What a snapshot says, without its timing fields: equal keys mean nothing worth broadcasting changed. */
export function healthChangeKey(snapshot: Record<string, unknown>): string {
  return JSON.stringify(snapshot, (key, value) => (VOLATILE.has(key) ? undefined : value));
}

export class HealthSubsystem extends CoreBound implements Subsystem {
  readonly name = "health";
  private cache: { at: number; config: unknown; value: Record<string, unknown> } | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private broadcast = { key: "", at: 0 };

  readonly methods: MethodHandlers = {
    health: (p) => this.snapshot(p.probe === true),
    status: (_p, ctx) => this.summary(ctx.caller.scopes.includes("operator.admin")),
    "diagnostics.stability": (p) => this.core.diagnostics.snapshot({ limit: p.limit, type: p.type }),
  };

  readonly routes: readonly Route[] = [
    ...["/health", "/healthz"].map((path): Route => ({ method: "GET", path, auth: "none", owner: "health", handle: (_r, res) => send(res, 200, { ok: true, status: "live" }) })),
    {
      method: "GET",
      path: "/readyz",
      auth: "none",
      owner: "health",
      handle: (_r, res) => {
        const ready = this.core.readiness();
        // The pid lets a supervisor's client tell its own gateway from another process holding the port.
        send(res, ready.ok ? 200 : 503, ready.ok ? { ok: true, status: "ready", pid: process.pid } : { ok: false, status: ready.status, reasons: ready.reasons, pid: process.pid });
      },
    },
    { method: "GET", path: "/metrics", auth: "bearer", owner: "health", handle: (_r, res) => send(res, 200, this.prometheus()) },
  ];

  override start(ctx: Parameters<CoreBound["start"]>[0]): void {
    super.start(ctx);
    this.broadcast = { key: "", at: 0 };
    this.timer = setInterval(() => this.broadcastIfChanged(), HEALTH_CHECK_MS);
    this.timer.unref();
  }

  override stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.cache = undefined;
    super.stop();
  }

  /** Publishes `health` when the snapshot changed since the last broadcast, or a minute has passed; nothing while no client listens. */
  private broadcastIfChanged(): void {
    const core = this.maybeCore;
    if (!core || core.events.size() === 0) return;
    let snapshot: Record<string, unknown>;
    try {
      snapshot = this.snapshot(false);
    } catch (error) {
      core.diagnostics.record("health.snapshot.failed", { error: (error as Error).message });
      return;
    }
    const key = healthChangeKey(snapshot);
    const now = Date.now();
    if (key === this.broadcast.key && now - this.broadcast.at < HEALTH_BROADCAST_MS) return;
    this.broadcast = { key, at: now };
    core.events.publish("health", snapshot, { state: "health" });
  }

  /** Health, cached for a second (and recomputed when the config changes); `probe` bypasses the cache. */
  snapshot(probe: boolean): Record<string, unknown> {
    const core = this.core;
    const now = Date.now();
    const config = core.runningConfig();
    if (!probe && this.cache && this.cache.config === config && now - this.cache.at < HEALTH_CACHE_MS) return { ...this.cache.value, ts: now };
    const started = performance.now();
    const contributions = Object.assign({}, ...core.subsystems().map((s) => s.health?.() ?? {}));
    const reload = core.reloadStatus();
    const mem = process.memoryUsage();
    const value = {
      ok: true as const,
      ts: now,
      ...contributions,
      plugins: { loaded: [], errors: [], unavailable: [] },
      configReload: { hotReloadStatus: reload.mode === "off" ? "disabled" : "active", mode: reload.mode, hash: reload.hash, lastReloadAt: reload.lastReloadAt, lastError: reload.lastError, lastChangedPaths: reload.lastChangedPaths },
      eventLoop: core.eventLoop.sample(),
      process: { pid: process.pid, rssBytes: mem.rss, heapUsedBytes: mem.heapUsed },
      durationMs: Math.round(performance.now() - started),
    };
    this.cache = { at: now, config, value };
    return value;
  }

  summary(admin: boolean): Record<string, unknown> {
    const core = this.core;
    const mem = process.memoryUsage();
    const contributions = Object.assign({}, ...core.subsystems().map((s) => s.status?.({ admin }) ?? {}));
    const auth = core.runningAuth();
    return {
      runtimeVersion: core.version,
      pid: process.pid,
      uptimeMs: Date.now() - core.startedAt,
      ...contributions,
      eventLoop: core.eventLoop.sample(),
      processMemory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, heapTotalBytes: mem.heapTotal, externalBytes: mem.external, arrayBuffersBytes: mem.arrayBuffers },
      gateway: {
        port: core.boundPort(),
        urls: core.urls(),
        authMode: auth.mode,
        connections: core.metrics.connectionsOpen,
        ...(admin ? { configPath: core.paths.configPath, stateDir: core.paths.stateDir } : {}),
      },
    };
  }

  /** Prometheus text: the core's counters, the event bus, then each subsystem's lines. */
  prometheus(): string {
    const core = this.core;
    const extra = [...renderEventMetrics(core.events.stats), ...core.subsystems().flatMap((s) => s.metrics?.() ?? [])];
    return core.metrics.render(extra);
  }
}
