/**
 * No silent drops (issue 14 item 3): every inbound message that does not reach an agent is counted by
 * channel, account and reason, and logged with the sender masked.
 */
import type { InboundMessage } from "./contract.js";
import type { DropReason } from "./policy.js";

/** One counter row. */
export interface DropCount {
  channel: string;
  accountId: string;
  reason: DropReason;
  count: number;
}

/** Counters for dropped inbound messages; cheap to bump, snapshot for status and Prometheus. */
export class DropCounters {
  private readonly counts = new Map<string, DropCount>();

  /** Count one drop. */
  count(channel: string, accountId: string, reason: DropReason): void {
    const key = `${channel}\0${accountId}\0${reason}`;
    const row = this.counts.get(key);
    if (row) row.count += 1;
    else this.counts.set(key, { channel, accountId, reason, count: 1 });
  }

  /** Every non-zero counter, sorted by channel, account, reason. */
  snapshot(): DropCount[] {
    return [...this.counts.values()].map((r) => ({ ...r })).sort((a, b) => a.channel.localeCompare(b.channel) || a.accountId.localeCompare(b.accountId) || a.reason.localeCompare(b.reason));
  }

  /** Totals by reason for one channel account (the shape `channels status` shows). */
  forAccount(channel: string, accountId: string): Partial<Record<DropReason, number>> {
    const out: Partial<Record<DropReason, number>> = {};
    for (const r of this.counts.values()) if (r.channel === channel && r.accountId === accountId) out[r.reason] = r.count;
    return out;
  }

  /** Prometheus text lines (`# HELP`, `# TYPE`, one sample per counter). */
  prometheus(): string[] {
    const lines = ["# HELP openclaw_channel_inbound_dropped_total Inbound messages that did not reach an agent, by channel, account and reason.", "# TYPE openclaw_channel_inbound_dropped_total counter"];
    for (const r of this.snapshot()) lines.push(`openclaw_channel_inbound_dropped_total{channel="${promLabel(r.channel)}",account="${promLabel(r.accountId)}",reason="${r.reason}"} ${r.count}`);
    return lines;
  }
}

function promLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/**
 * A sender id with its middle hidden: `+46701234589` → `+46…89`, `tg:12345634` → `tg:12…34`,
 * `user@example.com` → `us…om`. Short ids (4 characters or fewer) become `…`.
 */
export function maskSender(senderId: string): string {
  const s = senderId.trim();
  const m = /^([a-z][a-z0-9]*:|\+)?(.*)$/i.exec(s)!;
  const prefix = m[1] ?? "";
  const rest = m[2] ?? "";
  if (rest.length <= 4) return `${prefix}…`;
  return `${prefix}${rest.slice(0, 2)}…${rest.slice(-2)}`;
}

/** The info log line for one drop: channel, account, reason, chat type and the masked sender; never the text. */
export function formatDropLine(msg: Pick<InboundMessage, "channel" | "accountId" | "chatType" | "senderId" | "groupId">, reason: DropReason): string {
  const where = msg.chatType === "direct" ? "dm" : `${msg.chatType} ${msg.groupId ? maskSender(msg.groupId) : "?"}`;
  return `inbound dropped: ${msg.channel}/${msg.accountId} ${where} from ${maskSender(msg.senderId)} (${reason})`;
}
