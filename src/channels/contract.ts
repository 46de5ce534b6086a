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
  /** Other spellings allowlists may use for the same sender (Signal: `uuid:<ACI>` beside the number). */
  senderAliases?: string[];
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
  /**
   * Set by adapters whose group allowlist has a shape the router's `groups` map cannot express
   * (Discord's `guilds.<id>.channels.<id>` with `users`/`roles`): the adapter resolved it, and the
   * policy uses this in place of `groups`/`groupAllowFrom` (group policy `disabled` still wins).
   */
  groupAccess?: GroupAccess;
}

/** An adapter's verdict on a group message against its channel's own allowlist shape. */
export interface GroupAccess {
  /** Why the group (or the sender in it) is refused; absent when admitted. */
  denied?: "group-not-allowed" | "not-allowlisted";
  /** Whether the bot must be mentioned (or replied to) to answer here. */
  requireMention: boolean;
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

/** Result of a probe: reachable within the deadline or not, with the reason. */
export interface ChannelProbeResult {
  ok: boolean;
  error?: string;
  elapsedMs?: number;
  [field: string]: unknown;
}

/** How a send is formatted. */
export interface ChannelSendOptions {
  /** The text is Markdown (an agent's reply): converted to the channel's own markup where it has one. */
  markdown?: boolean;
}

/** Result of a send: the channel's message id(s) for the chunks it delivered. */
export interface ChannelSendResult {
  messageIds: string[];
}

/** An HTTP request handed to a channel's webhook (body read within the route's limit). */
export interface ChannelWebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A channel webhook's answer: status and an optional JSON body. */
export interface ChannelWebhookResponse {
  status: number;
  body?: unknown;
}

/** A webhook an account receives on: the gateway serves `path` (no gateway token; the channel verifies). */
export interface ChannelWebhook {
  path: string;
  handle(request: ChannelWebhookRequest): Promise<ChannelWebhookResponse>;
}

/**
 * One running (or startable) account of a channel. The gateway's channel manager starts it, feeds
 * its inbound messages to the router, restarts it under the health monitor's budget, and answers
 * `channels.status` from `snapshot()`. Implementations never put credentials in errors, logs or
 * snapshots.
 */
export interface ChannelAccountRuntime {
  readonly accountId: string;
  /** Connects and keeps receiving until `stop`/`ctx.signal`; resolves once running (throws AppError on bad config). */
  start(ctx: ChannelStartContext): Promise<void>;
  /** Disconnects within `timeoutMs`; idempotent. */
  stop(timeoutMs?: number): Promise<void>;
  /** A live credential/connection check that answers within `timeoutMs` even when the server hangs. */
  probe(timeoutMs: number): Promise<ChannelProbeResult>;
  /** Sends text to a target in the channel's own id syntax, chunked to its limit. */
  send(target: string, text: string, options?: ChannelSendOptions): Promise<ChannelSendResult>;
  /** Shows a typing indicator where the channel has one (best effort). */
  typing?(target: string): Promise<void>;
  /** The webhook this account receives on, when it receives over HTTP. */
  webhook?(): ChannelWebhook | undefined;
  /** Forgets the account's session/credentials where the channel has a login (WhatsApp); false when nothing to clear. */
  logout?(): Promise<boolean>;
  /** Status in the `ChannelAccountSnapshot` shape. */
  snapshot(): ChannelAccountSnapshot;
}

/** Where a channel keeps files and which environment it reads (tokens for the default account). */
export interface ChannelEnvironment {
  env: NodeJS.ProcessEnv;
  stateDir: string;
  credentialsDir: string;
}

/**
 * One channel kind (`telegram`, `googlechat`, …): how its config section lists accounts, how one
 * account resolves (credentials included — the manager compares the resolved form to decide whether a
 * config edit must restart the account), and how a runtime is created from it.
 */
export interface ChannelPlugin<Resolved = unknown> {
  readonly id: string;
  readonly label: string;
  /** Largest text message the channel accepts (replies are chunked to it unless `textChunkLimit` is set). */
  readonly textChunkLimit: number;
  /** Account ids under `channels.<id>` (`["default"]` when none are named). */
  accountIds(section: Record<string, unknown>): string[];
  defaultAccountId(section: Record<string, unknown>): string;
  /** The account's connection settings (credentials resolved); a change restarts only that account. */
  resolve(section: Record<string, unknown>, accountId: string, environment: ChannelEnvironment): Resolved;
  /** Whether the resolved account should run (enabled and has credentials). */
  shouldStart(resolved: Resolved): boolean;
  create(resolved: Resolved, environment: ChannelEnvironment): ChannelAccountRuntime;
  /** Where a reply to `msg` goes, in `send`'s target syntax. */
  replyTarget(msg: InboundMessage): string;
  /** Links the account interactively (WhatsApp's QR); resolves once linked. Absent for token channels. */
  login?(resolved: Resolved, options: ChannelLoginOptions): Promise<ChannelLoginResult>;
}

/** What a QR login needs. */
export interface ChannelLoginOptions {
  /** Each QR string to show (they rotate). */
  onQr(qr: string): void;
  /** Move the existing session aside (kept in a backup) and link anew. */
  force?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** How a login ended. */
export interface ChannelLoginResult {
  linked: true;
  /** The linked number, when the channel has one. */
  selfE164?: string;
  alreadyLinked: boolean;
  /** Where the previous session was moved. */
  backupDir?: string;
}
