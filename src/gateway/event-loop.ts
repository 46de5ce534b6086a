/**
 * Event-loop health for `health`, `status` and `channels.status` (OpenClaw's CLI prints
 * "Gateway event loop: ok max=…ms p99=…ms util=… cpu=…" from it): delay percentiles from
 * `monitorEventLoopDelay`, utilisation and CPU share over the interval since the previous sample.
 */
import { type IntervalHistogram, monitorEventLoopDelay, performance } from "node:perf_hooks";

/** The `eventLoop` block of `health`/`status`, in OpenClaw's shape. */
export interface EventLoopHealth {
  degraded: boolean;
  degradedSinceMs: number | null;
  reasons: string[];
  intervalMs: number;
  delayP99Ms: number;
  delayMaxMs: number;
  utilization: number;
  cpuCoreRatio: number;
}

/** p99 delay past which the loop counts as degraded. */
const DEGRADED_P99_MS = 500;
/** Utilisation past which the loop counts as degraded. */
const DEGRADED_UTILIZATION = 0.95;

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Samples the event loop; each sample covers the time since the previous one. */
export class EventLoopMonitor {
  private readonly histogram: IntervalHistogram;
  private lastAt = performance.now();
  private lastElu = performance.eventLoopUtilization();
  private lastCpu = process.cpuUsage();
  private degradedSince: number | null = null;
  private last: EventLoopHealth | undefined;

  constructor() {
    this.histogram = monitorEventLoopDelay({ resolution: 20 });
    this.histogram.enable();
  }

  /** A fresh sample (a sample taken less than 250 ms ago is reused, so bursts of calls agree). */
  sample(): EventLoopHealth {
    const now = performance.now();
    const intervalMs = now - this.lastAt;
    if (this.last && intervalMs < 250) return this.last;
    const elu = performance.eventLoopUtilization(this.lastElu);
    const cpu = process.cpuUsage(this.lastCpu);
    const toMs = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);
    const delayP99Ms = round(toMs(this.histogram.percentile(99)), 1);
    const delayMaxMs = round(toMs(this.histogram.max), 1);
    const utilization = round(elu.utilization, 3);
    const cpuCoreRatio = intervalMs > 0 ? round((cpu.user + cpu.system) / 1000 / intervalMs, 3) : 0;
    const reasons: string[] = [];
    if (delayP99Ms > DEGRADED_P99_MS) reasons.push("event_loop_delay");
    if (utilization > DEGRADED_UTILIZATION) reasons.push("event_loop_utilization");
    const degraded = reasons.length > 0;
    if (degraded && this.degradedSince === null) this.degradedSince = Date.now();
    if (!degraded) this.degradedSince = null;
    this.histogram.reset();
    this.lastAt = now;
    this.lastElu = performance.eventLoopUtilization();
    this.lastCpu = process.cpuUsage();
    this.last = {
      degraded,
      degradedSinceMs: this.degradedSince === null ? null : Date.now() - this.degradedSince,
      reasons,
      intervalMs: round(intervalMs, 1),
      delayP99Ms,
      delayMaxMs,
      utilization,
      cpuCoreRatio,
    };
    return this.last;
  }

  stop(): void {
    this.histogram.disable();
  }
}
