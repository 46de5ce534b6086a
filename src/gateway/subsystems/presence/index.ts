/**
 * Presence and system events: `system-presence` (this gateway, its authenticated clients and the recent system events);
 * the queue of system events waiting for their session's next heartbeat turn (the heartbeat subsystem serves
 * `system-event`/`wake` and drains it); a `presence` event with a rising stateVersion whenever a client connects or leaves.
 */
import type { MethodHandlers, Subsystem } from "../../subsystem.js";
import { CoreBound } from "../base.js";

export interface SystemEvent {
  text: string;
  ts: number;
  /** Where it came from ("rpc", "cron:<jobId>", "hook:<name>", …). */
  source?: string;
  agentId?: string;
  sessionKey?: string;
}

/** What other subsystems (scheduler, webhooks) hand to `enqueue`. */
export type SystemEventInput = Omit<SystemEvent, "ts">;

const MAX_EVENTS = 200;
/** How many recent system events `system-presence` lists after the gateway and its clients. */
const PRESENCE_EVENTS = 20;

export class PresenceSubsystem extends CoreBound implements Subsystem {
  readonly name = "presence";
  /** Recent events (presence lines), kept after they are consumed. */
  private readonly events: SystemEvent[] = [];
  /** Events not yet seen by a heartbeat turn (ephemeral, like OpenClaw's). */
  private readonly queue: SystemEvent[] = [];

  readonly methods: MethodHandlers = {
    "system-presence": () => this.presence(),
  };

  override stop(): void {
    this.events.length = 0;
    this.queue.length = 0;
    super.stop();
  }

  /** Queues a system event for the main session (or `sessionKey`) and broadcasts it (`system-event`). */
  enqueue(input: SystemEventInput): SystemEvent {
    const event: SystemEvent = { ...input, ts: Date.now() };
    this.events.push(event);
    if (this.events.length > MAX_EVENTS) this.events.shift();
    this.queue.push(event);
    if (this.queue.length > MAX_EVENTS) this.queue.shift();
    this.maybeCore?.events.publish("system-event", event);
    return event;
  }

  /** Queued events that `match` (oldest first); they stay queued until `consume`. */
  pending(match: (event: SystemEvent) => boolean): SystemEvent[] {
    return this.queue.filter(match);
  }

  /** Removes events a turn has seen. */
  consume(events: readonly SystemEvent[]): void {
    for (const event of events) {
      const i = this.queue.indexOf(event);
      if (i >= 0) this.queue.splice(i, 1);
    }
  }

  /** The gateway itself, then every authenticated client. */
  presence(): Array<Record<string, unknown>> {
    const core = this.maybeCore;
    if (!core) return [];
    const self = { host: process.env.HOSTNAME ?? "gateway", mode: "gateway", version: core.version, platform: process.platform, ts: core.startedAt, reason: "self" };
    const clients = core.clients().map((c) => ({
      ip: c.ip,
      mode: c.client?.mode,
      version: c.client?.version,
      platform: c.client?.platform,
      instanceId: c.client?.instanceId,
      roles: ["operator"],
      scopes: c.scopes,
      ts: c.connectedAt,
    }));
    // Like OpenClaw, a system event is a presence line too (`openclaw system presence` shows recent ones).
    const events = this.recent(PRESENCE_EVENTS).map((e) => ({ text: e.text, ts: e.ts, reason: "system-event", ...(e.source ? { source: e.source } : {}) }));
    return [self, ...clients, ...events];
  }

  /** Called by the core when a client authenticates or leaves. */
  changed(): void {
    this.maybeCore?.events.publish("presence", { presence: this.presence() }, { state: "presence" });
  }

  /** The most recent queued system events (status shows them). */
  recent(limit: number): SystemEvent[] {
    return this.events.slice(-limit);
  }

  status(): Record<string, unknown> {
    return { queuedSystemEvents: this.queue.slice(-20).map((e) => e.text) };
  }
}
