/**
 * One Telegram bot account on grammy (loaded lazily on first use): long polling with backoff
 * reconnects, or webhook mode (`setWebhook` + `handleWebhook`), chunked sends, typing, a bounded
 * probe and a token-free status snapshot.
 */

import type { Bot } from "grammy";
import { AppError } from "../../shared/index.js";
import { abortableDelay, channelBackoffMs } from "../backoff.js";
import type { ChannelAccountRuntime, ChannelAccountSnapshot, ChannelLog, ChannelProbeResult, ChannelSendOptions, ChannelWebhook } from "../contract.js";
import { toTelegramHtml } from "../telegram-html.js";
import { chunkTelegramText } from "./chunk.js";
import type { ResolvedTelegramAccount, TelegramTokenSource } from "./config.js";
import { mapTelegramUpdate, parseTelegramTarget, type TelegramBotIdentity, type TelegramInbound, verifyTelegramWebhookSecret } from "./inbound.js";

/** What `status()` reports; never the token. */
export interface TelegramAccountStatus {
  accountId: string;
  enabled: boolean;
  configured: boolean;
  running: boolean;
  connected: boolean;
  lastError: string | null;
  lastStartAt: number | null;
  lastStopAt: number | null;
  lastConnectedAt: number | null;
  /** When the connection was last lost (with `connected:false`, the start of the current gap). */
  lastDisconnectAt: number | null;
  lastProbeAt: number | null;
  probe?: TelegramProbeResult;
  lastInboundAt: number | null;
  lastOutboundAt: number | null;
  reconnectAttempts: number;
  /** Updates seen twice (webhook redelivery) and not passed on. */
  duplicatesDropped: number;
  mode: "polling" | "webhook";
  tokenSource: TelegramTokenSource;
  bot?: { id: number; username: string };
}

export interface TelegramStartOptions {
  /** Called once per inbound message, in order; polling waits for it, so hand off quickly (enqueue). */
  onInbound: (message: TelegramInbound) => void | Promise<void>;
  log: ChannelLog;
  signal?: AbortSignal;
}

export interface TelegramAccountOptions {
  /** Long-poll `timeout` in seconds (default 30). */
  pollTimeoutSec?: number;
  /** Reconnect backoff (default 1 s doubling to 30 s, ±20 % jitter). */
  backoff?: { initialMs: number; maxMs: number };
}

export interface TelegramProbeResult extends ChannelProbeResult {
  elapsedMs: number;
  bot?: { id: number; username: string };
}

/** grammy types its signals with the abort-controller polyfill; node-fetch accepts the native one. */
type GrammySignal = Parameters<Bot["api"]["getMe"]>[0];
const g = (signal: AbortSignal): GrammySignal => signal as unknown as GrammySignal;

/** How many recent update ids are remembered for duplicate detection. */
const RECENT_UPDATES = 1000;

/** A running (or startable) Telegram bot for one account. */
export class TelegramAccount implements ChannelAccountRuntime {
  private bot: Bot | undefined;
  private identity: TelegramBotIdentity | undefined;
  private abort: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private start_: TelegramStartOptions | undefined;
  private lastProbe: TelegramProbeResult | undefined;
  private readonly recentUpdates = new Set<number>();
  private readonly state = { running: false, connected: false, lastError: null as string | null, lastStartAt: null as number | null, lastStopAt: null as number | null, lastConnectedAt: null as number | null, lastDisconnectAt: null as number | null, lastProbeAt: null as number | null, lastInboundAt: null as number | null, lastOutboundAt: null as number | null, reconnectAttempts: 0, duplicatesDropped: 0 };
  private readonly pollTimeoutSec: number;
  private readonly backoff: { initialMs: number; maxMs: number };

  constructor(
    readonly config: ResolvedTelegramAccount,
    options: TelegramAccountOptions = {},
  ) {
    this.pollTimeoutSec = options.pollTimeoutSec ?? 30;
    this.backoff = options.backoff ?? { initialMs: 1000, maxMs: 30_000 };
  }

  get accountId(): string {
    return this.config.accountId;
  }

  /** Removes the token (and its URL-encoded form) from any text. */
  private scrub(text: string): string {
    const token = this.config.token;
    if (!token) return text;
    return text.split(token).join("<redacted>").split(encodeURIComponent(token)).join("<redacted>");
  }

  private describe(error: unknown): string {
    if (!(error instanceof Error)) return this.scrub(String(error));
    const inner = (error as { error?: unknown }).error;
    // node-fetch's message names the URL, which carries the token: scrub() below removes it.
    const reason = inner instanceof Error ? `: ${inner.message}` : "";
    return this.scrub(`${error.message}${reason}`);
  }

  private async ensureBot(): Promise<Bot> {
    if (this.bot) return this.bot;
    if (!this.config.token) throw new AppError("CONFIG_INVALID", this.config.tokenError ?? `telegram account "${this.accountId}" has no bot token`, { hint: "set channels.telegram.botToken or tokenFile" });
    // In the bundled CLI (esbuild, code-split) a CommonJS package reached through import() arrives as
    // `{ default: module.exports }` only; under plain Node its named exports are there too.
    const grammy = (await import("grammy")) as typeof import("grammy") & { default?: typeof import("grammy") };
    const { Bot } = grammy.Bot ? grammy : (grammy.default as typeof import("grammy"));
    this.bot = new Bot(this.config.token, { client: { apiRoot: this.config.apiRoot, timeoutSeconds: Math.max(60, this.pollTimeoutSec + 30) } });
    return this.bot;
  }

  /** Starts long polling (or registers the webhook); resolves once started, not when stopped. */
  async start(options: TelegramStartOptions): Promise<void> {
    if (this.state.running) return;
    const log = options.log;
    if (!this.config.enabled) {
      log.info("telegram account disabled", { accountId: this.accountId });
      return;
    }
    if (!this.config.token) {
      this.state.lastError = this.config.tokenError ?? "no bot token";
      throw new AppError("CONFIG_INVALID", this.state.lastError, { hint: "set channels.telegram.botToken or tokenFile" });
    }
    if (this.config.mode === "webhook" && !this.config.webhookSecret) {
      this.state.lastError = `telegram account "${this.accountId}" has webhookUrl but no webhookSecret`;
      throw new AppError("CONFIG_INVALID", this.state.lastError, { hint: "set channels.telegram.webhookSecret (Telegram sends it back in X-Telegram-Bot-Api-Secret-Token)" });
    }
    if (this.config.apiRootStripped) log.warn("telegram apiRoot ended in /bot<TOKEN>; stripped it (apiRoot is the Bot API root only)", { accountId: this.accountId, apiRoot: this.scrub(this.config.apiRoot) });
    const bot = await this.ensureBot();
    this.start_ = options;
    this.abort = new AbortController();
    const abort = this.abort;
    options.signal?.addEventListener("abort", () => abort.abort(), { once: true });
    this.state.running = true;
    this.state.lastStartAt = Date.now();
    this.state.lastError = null;
    if (this.config.mode === "webhook") {
      try {
        await this.refreshIdentity(bot, abort.signal);
        await bot.api.setWebhook(this.config.webhookUrl as string, { ...(this.config.webhookSecret ? { secret_token: this.config.webhookSecret } : {}), allowed_updates: ["message"] }, g(abort.signal));
        this.state.connected = true;
        this.state.lastConnectedAt = Date.now();
        log.info("telegram webhook registered", { accountId: this.accountId, path: this.config.webhookPath });
      } catch (error) {
        this.state.running = false;
        this.state.lastError = this.describe(error);
        throw new AppError("UNAVAILABLE", `telegram account "${this.accountId}": setWebhook failed: ${this.state.lastError}`, { hint: "check webhookUrl and that the Bot API is reachable" });
      }
      return;
    }
    this.loop = this.pollLoop(bot, abort.signal, options);
  }

  private async refreshIdentity(bot: Bot, signal: AbortSignal): Promise<void> {
    if (this.identity) return;
    const me = await bot.api.getMe(g(signal));
    this.identity = { id: me.id, username: me.username };
  }

  private async pollLoop(bot: Bot, signal: AbortSignal, options: TelegramStartOptions): Promise<void> {
    const log = options.log;
    let offset = 0;
    let failures = 0;
    let webhookCleared = false;
    while (!signal.aborted) {
      try {
        await this.refreshIdentity(bot, signal);
        if (!webhookCleared) {
          await bot.api.deleteWebhook({}, g(signal));
          webhookCleared = true;
        }
        // The Bot API answered getMe/deleteWebhook: connected while the long poll waits. After a
        // failure, a short poll (timeout 0) proves the server is back before we say so.
        if (failures === 0 && !this.state.connected) this.markConnected(log, 0);
        const updates = await bot.api.getUpdates({ offset, timeout: failures > 0 ? 0 : this.pollTimeoutSec, allowed_updates: ["message"] }, g(signal));
        if (!this.state.connected) this.markConnected(log, failures);
        failures = 0;
        for (const update of updates) {
          offset = update.update_id + 1;
          await this.dispatch(update, options);
        }
      } catch (error) {
        if (signal.aborted) break;
        failures++;
        this.state.reconnectAttempts++;
        if (this.state.connected) this.state.lastDisconnectAt = Date.now();
        this.state.connected = false;
        this.state.lastError = this.describe(error);
        const delay = channelBackoffMs(failures, this.backoff);
        log.warn("telegram poll failed; retrying", { accountId: this.accountId, error: this.state.lastError, attempt: failures, retryInMs: delay });
        await abortableDelay(delay, signal);
      }
    }
  }

  private markConnected(log: ChannelLog, failures: number): void {
    if (failures > 0) log.info("telegram reconnected", { accountId: this.accountId, attempts: failures });
    this.state.connected = true;
    this.state.lastConnectedAt = Date.now();
    this.state.lastError = null;
  }

  private async dispatch(update: unknown, options: TelegramStartOptions): Promise<void> {
    const inbound = mapTelegramUpdate(update, this.accountId, this.identity);
    if (!inbound) return;
    // Telegram redelivers a webhook update it saw no 2xx for; each update reaches the router once.
    if (this.recentUpdates.has(inbound.updateId)) {
      this.state.duplicatesDropped++;
      options.log.info("telegram duplicate update dropped", { accountId: this.accountId, updateId: inbound.updateId, reason: "duplicate" });
      return;
    }
    this.recentUpdates.add(inbound.updateId);
    if (this.recentUpdates.size > RECENT_UPDATES) this.recentUpdates.delete(this.recentUpdates.values().next().value as number);
    this.state.lastInboundAt = Date.now();
    try {
      await options.onInbound(inbound);
    } catch (error) {
      options.log.error("telegram inbound handler failed", { accountId: this.accountId, error: this.describe(error) });
    }
  }

  /** Stops polling (aborting the in-flight long poll); bounded by `timeoutMs`. */
  async stop(timeoutMs = 5000): Promise<void> {
    this.abort?.abort();
    const loop = this.loop;
    this.loop = undefined;
    if (loop) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([loop, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    }
    if (this.state.running) this.state.lastStopAt = Date.now();
    this.state.running = false;
    this.state.connected = false;
  }

  /** `getMe` with a hard deadline: resolves within `timeoutMs` even when the server hangs. */
  async probe(timeoutMs: number): Promise<TelegramProbeResult> {
    const started = Date.now();
    if (!this.config.token) return { ok: false, elapsedMs: 0, error: this.config.tokenError ?? "no bot token" };
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<TelegramProbeResult>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve({ ok: false, elapsedMs: Date.now() - started, error: `getMe timed out after ${timeoutMs} ms` });
      }, timeoutMs);
    });
    const call = (async (): Promise<TelegramProbeResult> => {
      try {
        const bot = await this.ensureBot();
        const me = await bot.api.getMe(g(controller.signal));
        this.identity = { id: me.id, username: me.username };
        return { ok: true, elapsedMs: Date.now() - started, bot: { id: me.id, username: me.username } };
      } catch (error) {
        return { ok: false, elapsedMs: Date.now() - started, error: this.describe(error) };
      }
    })();
    try {
      const result = await Promise.race([call, deadline]);
      this.lastProbe = result;
      this.state.lastProbeAt = Date.now();
      return result;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends `text` to a chat (`123`, `tg:123`, `123:topic:7`), split into 4096-character chunks. */
  async send(target: string | { chatId: string | number; threadId?: string | number }, text: string, options: ChannelSendOptions = {}): Promise<{ messageIds: string[] }> {
    const { chatId, threadId } = parseTelegramTarget(target);
    const bot = await this.ensureBot();
    const messageIds: string[] = [];
    const thread = threadId !== undefined ? { message_thread_id: threadId } : {};
    for (const chunk of chunkTelegramText(text)) {
      try {
        let sent: { message_id: number };
        if (options.markdown) {
          try {
            sent = await bot.api.sendMessage(chatId, toTelegramHtml(chunk), { ...thread, parse_mode: "HTML" });
          } catch (error) {
            // Telegram refused the markup: the words still go out, as plain text.
            if (!/can't parse entities/i.test(String((error as { description?: unknown }).description ?? (error as Error).message))) throw error;
            this.start_?.log.warn("telegram rejected the HTML of a reply; sent as plain text", { accountId: this.accountId });
            sent = await bot.api.sendMessage(chatId, chunk, thread);
          }
        } else sent = await bot.api.sendMessage(chatId, chunk, thread);
        messageIds.push(String(sent.message_id));
        this.state.lastOutboundAt = Date.now();
      } catch (error) {
        this.state.lastError = this.describe(error);
        throw new AppError("UNAVAILABLE", `telegram send to ${chatId} failed after ${messageIds.length} chunk(s): ${this.state.lastError}`, { hint: "check the chat id and that the bot is a member of the chat" });
      }
    }
    return { messageIds };
  }

  /** Shows "typing…" in a chat (Telegram clears it after ~5 s or on the next message). */
  async typing(target: string | { chatId: string | number; threadId?: string | number }): Promise<void> {
    const { chatId, threadId } = parseTelegramTarget(target);
    const bot = await this.ensureBot();
    await bot.api.sendChatAction(chatId, "typing", threadId !== undefined ? { message_thread_id: threadId } : {});
  }

  /**
   * Handles one webhook POST: checks `X-Telegram-Bot-Api-Secret-Token` (constant-time), then
   * dispatches the update. 401 on a wrong or missing secret, 400 on a malformed body.
   */
  async handleWebhook(headers: Record<string, string | string[] | undefined>, body: unknown): Promise<{ status: number }> {
    const header = headers["x-telegram-bot-api-secret-token"] ?? headers["X-Telegram-Bot-Api-Secret-Token"];
    if (!verifyTelegramWebhookSecret(header, this.config.webhookSecret)) {
      this.start_?.log.warn("telegram webhook rejected: secret token mismatch", { accountId: this.accountId });
      return { status: 401 };
    }
    let update: unknown = body;
    if (typeof body === "string" || Buffer.isBuffer(body)) {
      try {
        update = JSON.parse(body.toString());
      } catch {
        return { status: 400 };
      }
    }
    if (!update || typeof update !== "object" || typeof (update as { update_id?: unknown }).update_id !== "number") return { status: 400 };
    if (!this.start_ || !this.state.running) return { status: 503 };
    await this.dispatch(update, this.start_);
    return { status: 200 };
  }

  /** The webhook route in webhook mode (the secret header is checked per request). */
  webhook(): ChannelWebhook | undefined {
    if (this.config.mode !== "webhook") return undefined;
    return { path: this.config.webhookPath, handle: (req) => this.handleWebhook(req.headers, req.body) };
  }

  /** `status()` in the ChannelAccountSnapshot shape. */
  snapshot(): ChannelAccountSnapshot {
    const { tokenSource, ...rest } = this.status();
    return { ...rest, tokenSource, botTokenSource: tokenSource, ...(this.config.mode === "webhook" ? { webhookPath: this.config.webhookPath } : {}) };
  }

  /** The status snapshot (ChannelAccountSnapshot fields); never includes the token. */
  status(): TelegramAccountStatus {
    return {
      accountId: this.accountId,
      enabled: this.config.enabled,
      configured: this.config.token !== undefined,
      ...this.state,
      mode: this.config.mode,
      tokenSource: this.config.tokenSource,
      ...(this.identity ? { bot: { ...this.identity } } : {}),
      ...(this.lastProbe ? { probe: { ...this.lastProbe } } : {}),
    };
  }
}
