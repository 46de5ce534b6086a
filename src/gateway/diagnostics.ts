/**
 * The gateway's stability recorder behind `diagnostics.stability`: a bounded ring of diagnostic
 * events (lifecycle phases, config reloads, warnings and errors from the log), numbered so a
 * reader can tell how many were dropped. OpenClaw's `status --all` reads it.
 */

/** One recorded event: a sequence number, a time, a dotted type and flat details. */
export interface DiagnosticEvent {
  seq: number;
  ts: number;
  type: string;
  [detail: string]: unknown;
}

/** What `diagnostics.stability` returns (OpenClaw's shape). */
export interface StabilitySnapshot {
  generatedAt: string;
  capacity: number;
  count: number;
  dropped: number;
  firstSeq: number | null;
  lastSeq: number | null;
  events: DiagnosticEvent[];
  summary: { byType: Record<string, number> };
}

export const DIAGNOSTICS_CAPACITY = 1000;

/** A ring buffer of the most recent diagnostic events. */
export class DiagnosticsRecorder {
  private readonly events: DiagnosticEvent[] = [];
  private seq = 0;
  private dropped = 0;

  constructor(readonly capacity = DIAGNOSTICS_CAPACITY) {}

  record(type: string, details: Record<string, unknown> = {}, now = Date.now()): void {
    this.seq++;
    this.events.push({ ...details, seq: this.seq, ts: now, type });
    if (this.events.length > this.capacity) {
      this.events.shift();
      this.dropped++;
    }
  }

  /** The newest `limit` events, optionally only those of one `type` (or type prefix ending in `.`). */
  snapshot(options: { limit?: number | undefined; type?: string | undefined } = {}): StabilitySnapshot {
    const type = options.type;
    const matching = type ? this.events.filter((e) => e.type === type || (type.endsWith(".") && e.type.startsWith(type))) : this.events;
    const events = matching.slice(-Math.max(1, options.limit ?? this.capacity));
    const byType: Record<string, number> = {};
    for (const e of events) byType[e.type] = (byType[e.type] ?? 0) + 1;
    return {
      generatedAt: new Date().toISOString(),
      capacity: this.capacity,
      count: events.length,
      dropped: this.dropped,
      firstSeq: events[0]?.seq ?? null,
      lastSeq: events.at(-1)?.seq ?? null,
      events,
      summary: { byType },
    };
  }
}
