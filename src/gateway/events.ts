/**
 * The gateway's one event bus. Every event leaves through here: each subscriber (a WebSocket
 * connection) gets its own `seq`, events are filtered by the subscriber's scopes, presence and health
 * events carry `stateVersion`, and each connection's outbound queue is bounded by
 * `hello-ok.policy.maxBufferedBytes`: a consumer that stops reading is closed with 1008 and counted,
 * never buffered without bound.
 */
import { hasScope, type Scope } from "../protocol/index.js";

/** What the bus needs of a connection. */
export interface EventSubscriber {
  readonly id: string;
  /** Scopes granted at connect. */
  readonly scopes: readonly string[];
  /** False while the peer may not receive broadcasts yet (before it authenticates). Default true. */
  receivesBroadcasts?(): boolean;
  /** Bytes already queued for this peer and not yet written to the socket. */
  bufferedBytes(): number;
  /**
   * Queues one serialized frame (never throws). False when the subscriber refused it for being a
   * slow consumer (it has closed itself).
   */
  write(text: string): boolean;
  /** Closes the connection with a code and a reason. */
  close(code: number, reason: string): void;
}

export interface EventBusStats {
  /** Frames handed to subscribers. */
  sent: number;
  /** Frames not delivered because the subscriber was too slow (it is closed). */
  dropped: number;
  /** Subscribers closed for being slow consumers. */
  slowConsumerCloses: number;
}

export interface PublishOptions {
  /** Only subscribers holding this scope receive the event (e.g. admin-only or secret-bearing payloads). */
  scope?: Scope;
  /** Bumps and attaches this state version (presence and health events). */
  state?: "presence" | "health";
}

/** Close code and reason for a consumer that cannot keep up. */
export const SLOW_CONSUMER_CLOSE = { code: 1008, reason: "slow consumer: outbound queue over maxBufferedBytes" } as const;

/** Prometheus lines for the bus's counters. */
export function renderEventMetrics(stats: EventBusStats): string[] {
  const counter = (name: string, help: string, value: number) => [`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${value}`];
  return [
    ...counter("openclaw_events_sent_total", "Event frames sent to clients.", stats.sent),
    ...counter("openclaw_events_dropped_total", "Event frames not delivered because the client was too slow.", stats.dropped),
    ...counter("openclaw_slow_consumer_closes_total", "Connections closed because their outbound queue passed maxBufferedBytes.", stats.slowConsumerCloses),
  ];
}

export class EventBus {
  private readonly subscribers = new Map<string, { sub: EventSubscriber; seq: number; closed: boolean }>();
  private readonly versions = { presence: 0, health: 0 };
  readonly stats: EventBusStats = { sent: 0, dropped: 0, slowConsumerCloses: 0 };

  constructor(readonly maxBufferedBytes: number) {}

  /** Adds a subscriber; the returned function removes it. */
  subscribe(sub: EventSubscriber): () => void {
    this.subscribers.set(sub.id, { sub, seq: 0, closed: false });
    return () => this.subscribers.delete(sub.id);
  }

  /** How many subscribers are connected (broadcast work that nobody would receive can be skipped). */
  size(): number {
    return this.subscribers.size;
  }

  /** Current state versions (for hello-ok and health). */
  stateVersion(): { presence: number; health: number } {
    return { ...this.versions };
  }

  /** Bumps a state version without publishing (e.g. a presence change seen in hello-ok only). */
  bump(state: "presence" | "health"): void {
    this.versions[state]++;
  }

  /** Sends one event to every subscriber allowed to see it. The payload is serialized once per subscriber's seq. */
  publish(event: string, payload: unknown, options: PublishOptions = {}): void {
    if (options.state) this.versions[options.state]++;
    const stateVersion = options.state ? this.stateVersion() : undefined;
    const body = JSON.stringify(payload ?? null);
    for (const entry of this.subscribers.values()) {
      if (entry.closed || entry.sub.receivesBroadcasts?.() === false) continue;
      if (options.scope && !hasScope(entry.sub.scopes, options.scope)) continue;
      this.deliver(entry, event, body, stateVersion);
    }
  }

  /** Sends one event to one subscriber (connect.challenge, replies that are events). */
  sendTo(id: string, event: string, payload: unknown): void {
    const entry = this.subscribers.get(id);
    if (entry && !entry.closed) this.deliver(entry, event, JSON.stringify(payload ?? null), undefined);
  }

  /** The seq the next event to this subscriber will carry. */
  nextSeq(id: string): number {
    return this.subscribers.get(id)?.seq ?? 0;
  }

  private deliver(entry: { sub: EventSubscriber; seq: number; closed: boolean }, event: string, body: string, stateVersion: { presence: number; health: number } | undefined): void {
    const frame = `{"type":"event","event":${JSON.stringify(event)},"payload":${body},"seq":${entry.seq}${stateVersion ? `,"stateVersion":${JSON.stringify(stateVersion)}` : ""}}`;
    if (!entry.sub.write(frame)) {
      entry.closed = true;
      this.stats.dropped++;
      return;
    }
    entry.seq++;
    this.stats.sent++;
  }
}
