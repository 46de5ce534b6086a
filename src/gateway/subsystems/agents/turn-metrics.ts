/**
 * Prometheus metrics for agent turns (fed by the turn engine's `TurnSummary`): turns by status,
 * tokens in/out, provider errors by provider and kind, failovers, and provider latency (first byte
 * and total, per model call) — named like the core's `openclaw_*` lines. Figures only: no content,
 * no secrets; label values are restricted to a safe character set.
 */
import type { TurnStatus, TurnSummary } from "../../../agent/index.js";
import { redactText } from "../../../shared/index.js";

/** Buckets for provider latency, ms (model calls take seconds, not microseconds). */
const LATENCY_BUCKETS_MS = [50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 120_000];
const STATUSES: readonly TurnStatus[] = ["ok", "error", "aborted", "timeout"];

interface Histogram {
  buckets: number[];
  sum: number;
  count: number;
}

const histogram = (): Histogram => ({ buckets: LATENCY_BUCKETS_MS.map(() => 0), sum: 0, count: 0 });

function observe(h: Histogram, ms: number): void {
  h.sum += ms;
  h.count++;
  for (let i = 0; i < LATENCY_BUCKETS_MS.length; i++) if (ms <= LATENCY_BUCKETS_MS[i]!) h.buckets[i]!++;
}

/** A label value safe to print inside quotes (provider ids and failure classes are short words). */
const label = (v: string | undefined): string => (v ?? "unknown").replace(/[^\w.:/-]/g, "_").slice(0, 64) || "unknown";

/** Turn counters and latency histograms; `record` is called once per finished turn. */
export class TurnMetrics {
  private readonly byStatus = new Map<TurnStatus, number>(STATUSES.map((s) => [s, 0]));
  private inputTokens = 0;
  private outputTokens = 0;
  private modelCalls = 0;
  private toolCalls = 0;
  private failovers = 0;
  private readonly providerErrors = new Map<string, number>();
  private readonly firstByte = new Map<string, Histogram>();
  private readonly total = new Map<string, Histogram>();
  private last: { at: number; status: TurnStatus; model?: string; errorMessage?: string } | undefined;
  private lastError: { at: number; model?: string; message: string } | undefined;

  /** Adds one finished turn. */
  record(s: TurnSummary): void {
    this.byStatus.set(s.status, (this.byStatus.get(s.status) ?? 0) + 1);
    this.inputTokens += Math.max(0, s.inputTokens || 0);
    this.outputTokens += Math.max(0, s.outputTokens || 0);
    this.modelCalls += Math.max(0, s.modelCalls || 0);
    this.toolCalls += Math.max(0, s.toolCalls || 0);
    this.failovers += Math.max(0, s.failovers || 0);
    for (const e of s.providerErrors) {
      const key = `provider="${label(e.provider)}",kind="${label(e.kind)}"`;
      this.providerErrors.set(key, (this.providerErrors.get(key) ?? 0) + 1);
    }
    if (s.modelCalls > 0 && s.provider) {
      // The summary carries sums over the turn's calls; each call is observed at the mean.
      const key = `provider="${label(s.provider)}"`;
      for (let i = 0; i < s.modelCalls; i++) {
        observe(this.firstByte.get(key) ?? this.firstByte.set(key, histogram()).get(key)!, s.providerFirstByteMs / s.modelCalls);
        observe(this.total.get(key) ?? this.total.set(key, histogram()).get(key)!, s.providerTotalMs / s.modelCalls);
      }
    }
    this.last = { at: s.endedAt, status: s.status, ...(s.model ? { model: s.model } : {}) };
    if (s.status === "error" || s.status === "timeout") this.lastError = { at: s.endedAt, ...(s.model ? { model: s.model } : {}), message: redactText(s.errorMessage ?? s.status).slice(0, 300) };
  }

  /** Prometheus text lines (appended to `/metrics`). */
  metrics(): string[] {
    const lines: string[] = [];
    const counter = (name: string, help: string, value: number) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${value}`);
    lines.push("# HELP openclaw_agent_turns_total Agent turns finished, by status.", "# TYPE openclaw_agent_turns_total counter");
    for (const [status, n] of this.byStatus) lines.push(`openclaw_agent_turns_total{status="${status}"} ${n}`);
    lines.push("# HELP openclaw_agent_tokens_total Model tokens, by direction.", "# TYPE openclaw_agent_tokens_total counter");
    lines.push(`openclaw_agent_tokens_total{direction="input"} ${this.inputTokens}`, `openclaw_agent_tokens_total{direction="output"} ${this.outputTokens}`);
    counter("openclaw_agent_model_calls_total", "Model calls made by agent turns (one per tool round).", this.modelCalls);
    counter("openclaw_agent_tool_calls_total", "Tool calls made by agent turns.", this.toolCalls);
    counter("openclaw_agent_failovers_total", "Moves to the next credential or model within a turn.", this.failovers);
    lines.push("# HELP openclaw_provider_errors_total Failed provider attempts, by provider and failure class.", "# TYPE openclaw_provider_errors_total counter");
    for (const [key, n] of this.providerErrors) lines.push(`openclaw_provider_errors_total{${key}} ${n}`);
    this.renderHistogram(lines, "openclaw_provider_first_byte_ms", "Model request sent to first provider byte, ms.", this.firstByte);
    this.renderHistogram(lines, "openclaw_provider_duration_ms", "Model request sent to last provider byte, ms.", this.total);
    return lines;
  }

  private renderHistogram(lines: string[], name: string, help: string, series: Map<string, Histogram>): void {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
    for (const [key, h] of series) {
      LATENCY_BUCKETS_MS.forEach((le, i) => {
        lines.push(`${name}_bucket{${key},le="${le}"} ${h.buckets[i]}`);
      });
      lines.push(`${name}_bucket{${key},le="+Inf"} ${h.count}`, `${name}_sum{${key}} ${h.sum}`, `${name}_count{${key}} ${h.count}`);
    }
  }

  /** The `turns` block of `health`. */
  health(): Record<string, unknown> {
    const total = [...this.byStatus.values()].reduce((a, b) => a + b, 0);
    return {
      total,
      byStatus: Object.fromEntries(this.byStatus),
      tokens: { input: this.inputTokens, output: this.outputTokens },
      failovers: this.failovers,
      providerErrors: [...this.providerErrors.values()].reduce((a, b) => a + b, 0),
      last: this.last ?? null,
      lastError: this.lastError ?? null,
    };
  }
}
