/**
 * The contract every channel implements (issue 14): what an inbound message looks like, the status
 * snapshot of one account (spec §4.9 `ChannelAccountSnapshot`), and the adapter the gateway's channel
 * subsystem drives. Types only.
 */

/** Direct message, group chat, or a broadcast channel/space. */
export type ChatType = "direct" | "group" | "channel";

/** One message received by a channel account, normalised for the router and the access policy. */
export interface InboundMessage {
  /** Channel id (`telegram`, `googlechat`, `webchat`, …). */
  channel: string;
  /** The account that received it (`default` unless multi-account). */
  accountId: string;
  chatType: ChatType;
  /** The sender's id as the channel's allowlists spell it (`123456789` for Telegram, E.164 for WhatsApp). */
  senderId: string;
  senderName?: string;
  /** The group/space/channel id when `chatType` is not `direct`. */
  groupId?: string;
  /** Topic/thread id inside the group, when the channel has threads. */
  threadId?: string;
  text: string;
  /** The channel's own message id (used to drop redeliveries). */
  messageId: string;
  /** The bot was mentioned (or replied to) in a group message. */
  mentioned: boolean;
  /** When the channel says it was sent (epoch ms). */
  ts: number;
}

/**
 * One account's status in `channels.status` (spec §4.9): an open object; `accountId` is required,
 * timestamps are epoch ms.
 */
export interface ChannelAccountSnapshot {
  accountId: string;
  name?: string;
  enabled?: boolean;
  configured?: boolean;
  linked?: boolean;
  running?: boolean;
  connected?: boolean;
  reconnectAttempts?: number;
  lastConnectedAt?: number | null;
  lastError?: string | null;
  lastStartAt?: number | null;
  lastStopAt?: number | null;
  lastInboundAt?: number | null;
  lastOutboundAt?: number | null;
  lastProbeAt?: number | null;
  mode?: string;
  dmPolicy?: string;
  allowFrom?: string[];
  tokenSource?: string;
  botTokenSource?: string;
  appTokenSource?: string;
  baseUrl?: string;
  allowUnmentionedGroups?: boolean;
  cliPath?: string | null;
  dbPath?: string | null;
  port?: number | null;
  probe?: unknown;
  audit?: unknown;
  application?: unknown;
  [field: string]: unknown;
}

/** A minimal logger the adapter writes to (the gateway passes a child of its own). */
export interface ChannelLog {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** What `start` gets besides the account: where to hand inbound messages, a logger, and a stop signal. */
export interface ChannelStartContext {
  /** Hand one inbound message to the router (policy, bindings, agent queue). */
  onInbound(msg: InboundMessage): void | Promise<void>;
  log: ChannelLog;
  /** Aborted when the account is stopped or the gateway shuts down. */
  signal: AbortSignal;
}

/** A resolved account: its id plus the merged channel + account settings (credentials resolved). */
export interface ChannelAccount {
  accountId: string;
  config: Record<string, unknown>;
}

/** Result of a probe: reachable within the deadline or not, with the reason. */
export interface ChannelProbeResult {
  ok: boolean;
  error?: string;
  elapsedMs?: number;
  [field: string]: unknown;
}

/** Result of a send: the channel's message id(s) for the chunks it delivered. */
export interface ChannelSendResult {
  messageIds: string[];
}

/** What one channel implements; the gateway runs one adapter per channel and one `start` per account. */
export interface ChannelAdapter {
  /** Channel id, as in `channels.<id>`. */
  readonly id: string;
  /** Connect one account and keep receiving until `stop` or `ctx.signal`; resolves once it is running. */
  start(account: ChannelAccount, ctx: ChannelStartContext): Promise<void>;
  /** Disconnect one account; idempotent. */
  stop(accountId: string): Promise<void>;
  /** Check the account's credentials/connection, answering within `timeoutMs` even when the server hangs. */
  probe(accountId: string, timeoutMs: number): Promise<ChannelProbeResult>;
  /** Send text to a target (chat id, phone, space), chunked to the channel's limit. */
  send(accountId: string, target: string, text: string): Promise<ChannelSendResult>;
  /** The account's status for `channels.status`. */
  snapshot(accountId: string): ChannelAccountSnapshot;
}
