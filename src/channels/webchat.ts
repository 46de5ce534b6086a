/**
 * WebChat: the gateway's own `chat.*` clients (the Control UI, the macOS/iOS apps, `openclaw tui`) as
 * a channel. Its messages arrive over the WebSocket, so it has no transport to run; it counts what
 * it carries and reports like any other channel in `channels status`, `status` and `/metrics`.
 */
import type { ChannelAccountSnapshot } from "./contract.js";

export class WebChatChannel {
  private inbound = 0;
  private outbound = 0;
  private failed = 0;
  private lastInboundAt: number | null = null;
  private lastOutboundAt: number | null = null;
  private lastError: string | null = null;
  private readonly startedAt = Date.now();

  /** A `chat.send` reached the agent runtime. */
  recordInbound(): void {
    this.inbound++;
    this.lastInboundAt = Date.now();
  }

  /** The turn's reply went back to the chat client (`status` other than ok counts as failed). */
  recordReply(status: string, error?: string): void {
    if (status === "ok") {
      this.outbound++;
      this.lastOutboundAt = Date.now();
      return;
    }
    this.failed++;
    this.lastError = error ? `last turn ${status}: ${error}` : `last turn ${status}`;
  }

  /** The account snapshot (`clients`: chat-capable WebSocket clients connected now). */
  snapshot(clients: number): ChannelAccountSnapshot {
    return {
      accountId: "default",
      enabled: true,
      configured: true,
      running: true,
      connected: clients > 0,
      mode: "websocket",
      clients,
      lastStartAt: this.startedAt,
      lastInboundAt: this.lastInboundAt,
      lastOutboundAt: this.lastOutboundAt,
      lastError: this.lastError,
      messagesIn: this.inbound,
      messagesOut: this.outbound,
      turnsFailed: this.failed,
    };
  }
}
