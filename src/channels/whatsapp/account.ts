/**
 * One WhatsApp account on Baileys (loaded lazily): a socket on the account's multi-file auth state,
 * reconnects by disconnect reason (backoff for transient closes, at once for 515 restart-required),
 * and a deliberate, visible stop when WhatsApp ends the session (401 logged out, 440 replaced): status
 * `linked:false` with the login hint, no reconnect, and no restart by a fresh runtime until the
 * credentials change (a new login). Linked state comes from the live connection, never from
 * `creds.registered`.
 */

import { AppError } from "../../shared/index.js";
import { channelBackoffMs } from "../backoff.js";
import { chunkText } from "../chunk.js";
import type { ChannelAccountRuntime, ChannelAccountSnapshot, ChannelLog, ChannelProbeResult, ChannelSendResult, ChannelStartContext } from "../contract.js";
import { maskSender } from "../drops.js";
import { backupWhatsAppAuth, jidToE164, readWhatsAppSession } from "./auth.js";
import type { ResolvedWhatsAppAccount } from "./config.js";
import { mapWhatsAppMessage, parseWhatsAppTarget, type WhatsAppMessageLike, type WhatsAppSelf } from "./inbound.js";
import { disconnectCode, openWhatsAppSocket, WHATSAPP_NEEDS_LOGIN_CODES, WHATSAPP_RESTART_REQUIRED, type WhatsAppSocket, type WhatsAppSocketFactory, type WhatsAppSocketOptions } from "./socket.js";

/** WhatsApp's text limit as OpenClaw chunks it. */
export const WHATSAPP_TEXT_LIMIT = 4000;

/** The status line users (and the migration guide) look for once the socket is open. */
export const WHATSAPP_LISTENING_LINE = "Listening for personal WhatsApp inbound messages";

/** The login hint in `lastError` whenever the account has no usable session. */
export const WHATSAPP_NOT_LINKED = "not linked — run openclaw channels login --channel whatsapp";

/**
 * Sessions WhatsApp ended, by auth directory: when it happened. A runtime created later (the health
 * monitor's restart) does not connect on those credentials unless `creds.json` was written after
 * that (a new login) — so a logged-out or replaced session never becomes a reconnect loop.
 */
export type WhatsAppEndedSessions = Map<string, { at: number; code: number }>;

export interface WhatsAppAccountOptions {
  /** Builds the socket (default Baileys' `makeWASocket`). */
  socketFactory?: WhatsAppSocketFactory;
  /** Extra Baileys socket config (`waWebSocketUrl`, `connectTimeoutMs`, …). */
  socketOptions?: WhatsAppSocketOptions;
  /** Reconnect backoff (default 2 s doubling to 60 s, ±20 % jitter). */
  backoff?: { initialMs: number; maxMs: number };
  /** Shared by the runtimes of one plugin (see `WhatsAppEndedSessions`). */
  endedSessions?: WhatsAppEndedSessions;
}

/** Writes by the closing socket land within this window after WhatsApp ended the session. */
const ENDED_SESSION_GRACE_MS = 5000;
const RECENT_SENT = 500;

function describeCode(code: number | undefined): string {
  if (code === 401) return "logged out (401)";
  if (code === 440) return "replaced by another WhatsApp Web session (440)";
  return code === undefined ? "connection closed" : `connection closed (${code})`;
}

/** A running (or startable) WhatsApp account. */
export class WhatsAppAccount implements ChannelAccountRuntime {
  private sock: WhatsAppSocket | undefined;
  private ctx: ChannelStartContext | undefined;
  private generation = 0;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private self: WhatsAppSelf = {};
  private readonly sentIds = new Set<string>();
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly ended: WhatsAppEndedSessions;
  private readonly state = {
    running: false,
    connected: false,
    linked: false,
    needsLogin: false,
    lastError: null as string | null,
    lastDisconnectCode: null as number | null,
    lastStartAt: null as number | null,
    lastStopAt: null as number | null,
    lastConnectedAt: null as number | null,
    lastDisconnectAt: null as number | null,
    lastInboundAt: null as number | null,
    lastOutboundAt: null as number | null,
    lastProbeAt: null as number | null,
    reconnectAttempts: 0,
  };

  constructor(
    readonly config: ResolvedWhatsAppAccount,
    private readonly options: WhatsAppAccountOptions = {},
  ) {
    this.backoff = options.backoff ?? { initialMs: 2000, maxMs: 60_000 };
    this.ended = options.endedSessions ?? new Map();
  }

  get accountId(): string {
    return this.config.accountId;
  }

  private get log(): ChannelLog | undefined {
    return this.ctx?.log;
  }

  /** Not linked: no socket, status says so with the login hint; nothing will reconnect it. */
  private markNeedsLogin(reason: string | undefined): void {
    this.state.needsLogin = true;
    this.state.linked = false;
    this.state.connected = false;
    this.state.lastError = reason ? `${WHATSAPP_NOT_LINKED} (${reason})` : WHATSAPP_NOT_LINKED;
  }

  /** Opens the socket when the account has a session; without one it stays stopped as "not linked" (no error). */
  async start(ctx: ChannelStartContext): Promise<void> {
    if (this.state.running) return;
    this.ctx = ctx;
    if (!this.config.enabled) {
      ctx.log.info("whatsapp account disabled", { accountId: this.accountId });
      return;
    }
    if (this.config.configError) {
      this.state.lastError = this.config.configError;
      throw new AppError("CONFIG_INVALID", this.config.configError, { hint: "fix channels.whatsapp in openclaw.json" });
    }
    const session = readWhatsAppSession(this.config.authDir);
    const ended = this.ended.get(this.config.authDir);
    if (!session.paired || (ended && (session.credsMtimeMs ?? 0) <= ended.at + ENDED_SESSION_GRACE_MS)) {
      this.markNeedsLogin(ended ? describeCode(ended.code) : undefined);
      ctx.log.warn(`whatsapp account "${this.accountId}": ${this.state.lastError}`, { accountId: this.accountId });
      return;
    }
    this.ended.delete(this.config.authDir);
    this.state.running = true;
    this.state.needsLogin = false;
    this.state.lastStartAt = Date.now();
    this.state.lastError = null;
    ctx.signal.addEventListener("abort", () => void this.stop(), { once: true });
    try {
      await this.connect();
    } catch (error) {
      this.state.running = false;
      this.state.lastError = error instanceof Error ? error.message : String(error);
      throw new AppError("UNAVAILABLE", `whatsapp account "${this.accountId}" could not open its socket: ${this.state.lastError}`, { hint: "check the credentials directory and the Baileys install" });
    }
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    const { sock } = await openWhatsAppSocket({
      authDir: this.config.authDir,
      ...(this.options.socketFactory ? { socketFactory: this.options.socketFactory } : {}),
      ...(this.options.socketOptions ? { socketOptions: this.options.socketOptions } : {}),
      ...(this.log ? { log: this.log } : {}),
    });
    if (generation !== this.generation || !this.state.running) {
      await Promise.resolve(sock.end(undefined)).catch(() => undefined);
      return;
    }
    this.sock = sock;
    sock.ev.on("connection.update", (update: { connection?: string; lastDisconnect?: { error?: unknown } }) => this.onConnection(generation, sock, update));
    sock.ev.on("messages.upsert", (upsert: { messages?: WhatsAppMessageLike[]; type?: string }) => void this.onUpsert(generation, sock, upsert));
  }

  private onConnection(generation: number, sock: WhatsAppSocket, update: { connection?: string; lastDisconnect?: { error?: unknown } }): void {
    if (generation !== this.generation || !this.state.running) return;
    if (update.connection === "open") {
      this.failures = 0;
      this.state.connected = true;
      this.state.linked = true;
      this.state.needsLogin = false;
      this.state.lastConnectedAt = Date.now();
      this.state.lastError = null;
      this.self = { jid: sock.user?.id, lid: sock.user?.lid };
      const self = jidToE164(sock.user?.id);
      this.log?.info(WHATSAPP_LISTENING_LINE, { accountId: this.accountId, ...(self ? { self: maskSender(self) } : {}) });
      return;
    }
    if (update.connection !== "close") return;
    const code = disconnectCode(update);
    this.sock = undefined;
    this.generation++;
    void Promise.resolve(sock.end(undefined)).catch(() => undefined);
    if (this.state.connected) this.state.lastDisconnectAt = Date.now();
    this.state.connected = false;
    this.state.lastDisconnectCode = code ?? null;
    if (code !== undefined && WHATSAPP_NEEDS_LOGIN_CODES.has(code)) {
      // A deliberate stop: reconnecting on these credentials would loop (401) or fight the other session (440).
      this.ended.set(this.config.authDir, { at: Date.now(), code });
      this.state.running = false;
      this.state.lastStopAt = Date.now();
      this.markNeedsLogin(describeCode(code));
      this.log?.warn(`whatsapp account "${this.accountId}" ${describeCode(code)}; not reconnecting — run openclaw channels login --channel whatsapp`, { accountId: this.accountId, code });
      return;
    }
    this.state.reconnectAttempts++;
    if (code === WHATSAPP_RESTART_REQUIRED) {
      this.log?.info("whatsapp asked for a restart (515); reconnecting now", { accountId: this.accountId });
      this.scheduleReconnect(0);
      return;
    }
    this.failures++;
    this.state.lastError = describeCode(code);
    const delay = channelBackoffMs(this.failures, this.backoff);
    this.log?.warn("whatsapp connection closed; reconnecting", { accountId: this.accountId, code, attempt: this.failures, retryInMs: delay });
    this.scheduleReconnect(delay);
  }

  private scheduleReconnect(delayMs: number): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.state.running) return;
      this.connect().catch((error: unknown) => {
        this.failures++;
        this.state.lastError = error instanceof Error ? error.message : String(error);
        this.scheduleReconnect(channelBackoffMs(this.failures, this.backoff));
      });
    }, delayMs);
    this.retryTimer.unref?.();
  }

  private async onUpsert(generation: number, sock: WhatsAppSocket, upsert: { messages?: WhatsAppMessageLike[]; type?: string }): Promise<void> {
    if (generation !== this.generation || upsert.type !== "notify" || !this.ctx) return;
    for (const message of upsert.messages ?? []) {
      if (message.key?.id && this.sentIds.has(message.key.id)) continue;
      const inbound = mapWhatsAppMessage(message, this.accountId, this.self, { selfChatMode: this.config.selfChatMode });
      if (!inbound) continue;
      this.state.lastInboundAt = Date.now();
      const { selfChat, key, ...msg } = inbound;
      if (this.config.sendReadReceipts && !selfChat) sock.readMessages([key]).catch((error: unknown) => this.log?.debug("whatsapp read receipt failed", { accountId: this.accountId, error: error instanceof Error ? error.message : String(error) }));
      try {
        await this.ctx.onInbound(msg);
      } catch (error) {
        this.log?.error("whatsapp inbound handler failed", { accountId: this.accountId, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  /** Closes the socket and cancels reconnects; idempotent. */
  async stop(_timeoutMs = 5000): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.generation++;
    const sock = this.sock;
    this.sock = undefined;
    if (sock) await Promise.resolve(sock.end(undefined)).catch(() => undefined);
    if (this.state.running) this.state.lastStopAt = Date.now();
    this.state.running = false;
    this.state.connected = false;
  }

  /** The live connection's state (WhatsApp Web has no cheap request/response probe); answers at once. */
  async probe(_timeoutMs: number): Promise<ChannelProbeResult> {
    this.state.lastProbeAt = Date.now();
    const ok = this.state.connected && this.state.linked;
    const idle = this.state.running ? "connecting" : readWhatsAppSession(this.config.authDir).paired ? "not running" : WHATSAPP_NOT_LINKED;
    return { ok, elapsedMs: 0, linked: this.state.linked, connected: this.state.connected, ...(ok ? {} : { error: this.state.lastError ?? idle }) };
  }

  /** Sends `text` to an E.164 number or a jid, in chunks of 4000 characters. */
  async send(target: string, text: string): Promise<ChannelSendResult> {
    const jid = parseWhatsAppTarget(target);
    const sock = this.sock;
    if (!sock || !this.state.connected) throw new AppError("UNAVAILABLE", `whatsapp account "${this.accountId}" is not connected; nothing was sent to ${maskSender(jidToE164(jid) ?? jid)}`, { hint: this.state.needsLogin ? "run openclaw channels login --channel whatsapp" : "wait for the connection (openclaw channels status)" });
    const messageIds: string[] = [];
    for (const chunk of chunkText(text, WHATSAPP_TEXT_LIMIT)) {
      try {
        const sent = await sock.sendMessage(jid, { text: chunk });
        const id = sent?.key?.id ?? "";
        if (id) {
          this.sentIds.add(id);
          if (this.sentIds.size > RECENT_SENT) this.sentIds.delete(this.sentIds.values().next().value as string);
        }
        messageIds.push(id);
        this.state.lastOutboundAt = Date.now();
      } catch (error) {
        this.state.lastError = error instanceof Error ? error.message : String(error);
        throw new AppError("UNAVAILABLE", `whatsapp send failed after ${messageIds.length} chunk(s): ${this.state.lastError}`, { hint: "check the number and the connection (openclaw channels status --probe)" });
      }
    }
    return { messageIds };
  }

  /** Stops the socket and moves the credentials to `.backup-<time>/` (never deleted); false when there were none. */
  async logout(): Promise<boolean> {
    await this.stop();
    const backup = backupWhatsAppAuth(this.config.authDir);
    this.markNeedsLogin(undefined);
    if (backup) this.log?.info("whatsapp credentials moved aside", { accountId: this.accountId, backupDir: backup });
    return backup !== undefined;
  }

  /** Status in the `ChannelAccountSnapshot` shape; `linked` is the live connection's word. */
  snapshot(): ChannelAccountSnapshot {
    const session = readWhatsAppSession(this.config.authDir);
    const self = jidToE164(this.self.jid) ?? session.selfE164;
    return {
      accountId: this.accountId,
      ...(this.config.name ? { name: this.config.name } : {}),
      enabled: this.config.enabled,
      configured: session.paired,
      ...this.state,
      ...(self ? { self: maskSender(self) } : {}),
      authDir: this.config.authDir,
      selfChatMode: this.config.selfChatMode ?? null,
      sendReadReceipts: this.config.sendReadReceipts,
    };
  }
}
