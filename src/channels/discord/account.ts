/**
 * One Discord bot account on discord.js 14 (loaded lazily on first use): the gateway connection
 * (intents Guilds, GuildMessages, DirectMessages, MessageContent; DM partials), raw
 * `MESSAGE_CREATE` → InboundMessage with the guild/channel allowlist resolved, REST sends chunked at
 * 2000 characters, a bounded `users/@me` probe and a token-free status snapshot. After the first
 * login, reconnects and resumes are discord.js's; the snapshot follows them.
 */

import type { Client, REST } from "discord.js";
import { AppError } from "../../shared/index.js";
import { abortableDelay, channelBackoffMs } from "../backoff.js";
import { chunkText } from "../chunk.js";
import type { ChannelAccountRuntime, ChannelAccountSnapshot, ChannelProbeResult, ChannelSendOptions, ChannelSendResult, ChannelStartContext } from "../contract.js";
import { mergeAccountSettings } from "../policy.js";
import type { DiscordTokenSource, ResolvedDiscordAccount } from "./config.js";
import { type DiscordPlace, mapDiscordMessage, parseDiscordTarget, resolveDiscordGroupAccess } from "./inbound.js";

/** Discord's message length limit. */
export const DISCORD_TEXT_LIMIT = 2000;

export interface DiscordAccountOptions {
  /** Backoff between failed first logins (default 1 s doubling to 30 s); later reconnects are discord.js's. */
  backoff?: { initialMs: number; maxMs: number };
  /**
   * Live `channels.discord` section, read per message for `groupPolicy`, `guilds`, `requireMention`
   * and `allowBots` (so policy edits apply without a reconnect). Default: the section as resolved.
   */
  section?: () => Record<string, unknown>;
}

/** A probe's answer: the bot's identity when Discord accepted the token in time. */
export interface DiscordProbeResult extends ChannelProbeResult {
  elapsedMs: number;
  bot?: { id: string; username: string };
}

/** What `snapshot()` reports; never the token. */
export interface DiscordAccountStatus extends ChannelAccountSnapshot {
  accountId: string;
  enabled: boolean;
  configured: boolean;
  running: boolean;
  connected: boolean;
  lastError: string | null;
  lastConnectedAt: number | null;
  /** When the gateway connection was last lost (with `connected:false`, the start of the gap). */
  lastDisconnectAt: number | null;
  reconnectAttempts: number;
  tokenSource: DiscordTokenSource;
  /** Messages ignored before routing: the bot's own, other bots', system and empty ones. */
  ignored: number;
}

/** How many users' DM channel ids are remembered (oldest forgotten first; reopening is one REST call). */
const DM_CHANNEL_CACHE = 1000;

/** Gateway close code for a rejected token (never retried). */
const CLOSE_AUTH_FAILED = 4004;

/**
 * Destroys a client for good. @discordjs/ws 1.2 reconnects a shard 500 ms after a failed attempt,
 * and a destroy that lands in that pause (nearly always, during an outage) finds the shard idle and
 * returns, so the reconnect loop outlives the client. The shards are taken before the destroy and
 * their `internalConnect` is made a no-op afterwards, so a pending reconnect ends there.
 */
async function destroyClient(client: Client): Promise<void> {
  const inner = (client.ws as unknown as { _ws?: { strategy?: { shards?: Map<number, object> } } | null })._ws;
  const shards = [...(inner?.strategy?.shards?.values() ?? [])];
  await client.destroy();
  for (const shard of shards) Object.defineProperty(shard, "internalConnect", { value: async () => undefined, configurable: true });
}

/** A running (or startable) Discord bot for one account. */
export class DiscordAccount implements ChannelAccountRuntime {
  private client: Client | undefined;
  private rest: REST | undefined;
  private abort: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private identity: { id: string; username: string } | undefined;
  private lastProbe: DiscordProbeResult | undefined;
  private readonly dmChannels = new Map<string, string>();
  private readonly state = { running: false, connected: false, lastError: null as string | null, lastStartAt: null as number | null, lastStopAt: null as number | null, lastConnectedAt: null as number | null, lastDisconnectAt: null as number | null, lastProbeAt: null as number | null, lastInboundAt: null as number | null, lastOutboundAt: null as number | null, reconnectAttempts: 0, ignored: 0 };
  private readonly backoff: { initialMs: number; maxMs: number };

  constructor(
    readonly config: ResolvedDiscordAccount,
    private readonly options: DiscordAccountOptions = {},
  ) {
    this.backoff = options.backoff ?? { initialMs: 1000, maxMs: 30_000 };
  }

  get accountId(): string {
    return this.config.accountId;
  }

  /** Removes the token from any text. */
  private scrub(text: string): string {
    const token = this.config.token;
    return token ? text.split(token).join("<redacted>") : text;
  }

  private describe(error: unknown): string {
    if (!(error instanceof Error)) return this.scrub(String(error));
    const status = (error as { status?: unknown }).status;
    const cause = (error as { cause?: unknown }).cause;
    const reason = cause instanceof Error ? ` (${cause.message})` : "";
    return this.scrub(`${typeof status === "number" && !error.message.startsWith(String(status)) ? `${status} ` : ""}${error.message}${reason}`);
  }

  private requireToken(): string {
    if (this.config.apiError) throw new AppError("CONFIG_INVALID", this.config.apiError, { hint: "fix DISCORD_API_URL or unset it to use discord.com" });
    if (!this.config.token) throw new AppError("CONFIG_INVALID", this.config.tokenError ?? `discord account "${this.accountId}" has no bot token`, { hint: "set channels.discord.token (or DISCORD_BOT_TOKEN for the default account)" });
    return this.config.token;
  }

  private async ensureRest(): Promise<REST> {
    if (this.rest) return this.rest;
    const token = this.requireToken();
    const { REST } = await import("discord.js");
    this.rest = new REST({ api: this.config.apiRoot, version: this.config.apiVersion }).setToken(token);
    return this.rest;
  }

  /** Logs in and keeps the gateway connection; resolves once started (not when connected). */
  async start(ctx: ChannelStartContext): Promise<void> {
    if (this.state.running) return;
    if (!this.config.enabled) {
      ctx.log.info("discord account disabled", { accountId: this.accountId });
      return;
    }
    try {
      this.requireToken();
    } catch (error) {
      this.state.lastError = (error as Error).message;
      throw error;
    }
    const abort = new AbortController();
    this.abort = abort;
    // The gateway's stop signal closes the connection even when nobody calls stop().
    ctx.signal.addEventListener("abort", () => void this.stop(), { once: true });
    this.state.running = true;
    this.state.lastStartAt = Date.now();
    this.state.lastError = null;
    this.loop = this.loginLoop(ctx, abort.signal);
  }

  /** Retries the first login with backoff; a rejected token stops it (no crash loop). */
  private async loginLoop(ctx: ChannelStartContext, signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      const client = await this.createClient(ctx);
      this.client = client;
      try {
        await client.login(this.config.token);
        return;
      } catch (error) {
        await client.destroy().catch(() => undefined);
        if (signal.aborted) return;
        if ((error as { code?: unknown }).code === "TokenInvalid" || (error as { status?: unknown }).status === 401) {
          this.state.lastError = `discord rejected the bot token of account "${this.accountId}"; check channels.discord.token`;
          ctx.log.error("discord login refused: invalid token; not retrying", { accountId: this.accountId });
          return;
        }
        failures++;
        this.state.reconnectAttempts++;
        this.state.lastError = this.describe(error);
        const delay = channelBackoffMs(failures, this.backoff);
        ctx.log.warn("discord login failed; retrying", { accountId: this.accountId, error: this.state.lastError, attempt: failures, retryInMs: delay });
        await abortableDelay(delay, signal);
      }
    }
  }

  private async createClient(ctx: ChannelStartContext): Promise<Client> {
    const { Client, Events, GatewayIntentBits, Partials } = await import("discord.js");
    const client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages, GatewayIntentBits.MessageContent],
      partials: [Partials.Channel, Partials.Message],
      rest: { api: this.config.apiRoot, version: this.config.apiVersion },
      allowedMentions: { parse: ["users", "roles"] },
    });
    const connected = () => {
      if (this.client !== client) return;
      if (!this.state.connected && this.state.lastConnectedAt !== null) ctx.log.info("discord reconnected", { accountId: this.accountId });
      this.state.connected = true;
      this.state.lastConnectedAt = Date.now();
      this.state.lastError = null;
    };
    const disconnected = (reason: string | null) => {
      if (this.client !== client) return;
      if (this.state.connected) this.state.lastDisconnectAt = Date.now();
      this.state.connected = false;
      if (reason) this.state.lastError = reason;
    };
    client.on(Events.ShardReady, connected);
    client.on(Events.ShardResume, connected);
    client.on(Events.ShardReconnecting, () => {
      if (this.client === client) this.state.reconnectAttempts++;
      disconnected(null);
    });
    client.on(Events.ShardDisconnect, (event) => {
      const reason = event.code === CLOSE_AUTH_FAILED ? `discord rejected the bot token of account "${this.accountId}" (close ${event.code}); check channels.discord.token` : `gateway closed (${event.code}); not resuming`;
      disconnected(reason);
      ctx.log.warn("discord gateway closed for good", { accountId: this.accountId, code: event.code });
    });
    client.on(Events.ShardError, (error) => {
      if (this.client === client) this.state.lastError = this.describe(error);
    });
    client.on(Events.Error, (error) => ctx.log.warn("discord client error", { accountId: this.accountId, error: this.describe(error) }));
    client.on(Events.Raw, (packet: { t?: string | null; d?: unknown }) => {
      if (this.client !== client) return;
      if (packet.t === "READY") {
        const user = (packet.d as { user?: { id?: unknown; username?: unknown } }).user;
        if (user && typeof user.id === "string") this.identity = { id: user.id, username: String(user.username ?? "") };
      } else if (packet.t === "MESSAGE_CREATE") void this.handleMessage(client, packet.d, ctx);
    });
    return client;
  }

  private section(): Record<string, unknown> {
    const live = this.options.section?.();
    if (!live) return this.config.access;
    return mergeAccountSettings(live, (live.accounts as Record<string, Record<string, unknown>> | undefined)?.[this.accountId]);
  }

  private async handleMessage(client: Client, d: unknown, ctx: ChannelStartContext): Promise<void> {
    const settings = this.section();
    const mapped = mapDiscordMessage(d, this.accountId, this.identity?.id, { allowBots: settings.allowBots === true });
    if ("skip" in mapped) {
      this.state.ignored++;
      ctx.log.debug("discord message ignored", { accountId: this.accountId, reason: mapped.skip });
      return;
    }
    const { message } = mapped;
    if (mapped.guildId) {
      const channel = client.channels.cache.get(message.groupId ?? "") as { name?: string; parentId?: string | null } | undefined;
      const parent = channel?.parentId ? (client.channels.cache.get(channel.parentId) as { name?: string } | undefined) : undefined;
      const place: DiscordPlace = {
        guildId: mapped.guildId,
        channelId: message.groupId ?? "",
        ...(client.guilds.cache.get(mapped.guildId)?.name ? { guildName: client.guilds.cache.get(mapped.guildId)?.name as string } : {}),
        ...(channel?.name ? { channelName: channel.name } : {}),
        ...(channel?.parentId ? { parentId: channel.parentId } : {}),
        ...(parent?.name ? { parentName: parent.name } : {}),
      };
      message.groupAccess = resolveDiscordGroupAccess(settings, place, { id: message.senderId, roles: mapped.roles });
    }
    this.state.lastInboundAt = Date.now();
    try {
      await ctx.onInbound(message);
    } catch (error) {
      ctx.log.error("discord inbound handler failed", { accountId: this.accountId, error: this.describe(error) });
    }
  }

  /** Closes the gateway connection; bounded by `timeoutMs`; idempotent. */
  async stop(timeoutMs = 5000): Promise<void> {
    this.abort?.abort();
    const client = this.client;
    this.client = undefined;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all([this.loop, client ? destroyClient(client) : undefined]).catch(() => undefined), bound]);
    clearTimeout(timer);
    this.loop = undefined;
    if (this.state.running) this.state.lastStopAt = Date.now();
    this.state.running = false;
    if (this.state.connected) this.state.lastDisconnectAt = Date.now();
    this.state.connected = false;
  }

  /** `GET users/@me` with a hard deadline: answers within `timeoutMs` even when the server hangs. */
  async probe(timeoutMs: number): Promise<DiscordProbeResult> {
    const started = Date.now();
    if (this.config.apiError || !this.config.token) return { ok: false, elapsedMs: 0, error: this.config.apiError ?? this.config.tokenError ?? "no bot token" };
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<DiscordProbeResult>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve({ ok: false, elapsedMs: Date.now() - started, error: `users/@me timed out after ${timeoutMs} ms` });
      }, timeoutMs);
    });
    const call = (async (): Promise<DiscordProbeResult> => {
      try {
        const { REST, Routes } = await import("discord.js");
        const rest = new REST({ api: this.config.apiRoot, version: this.config.apiVersion, retries: 0, timeout: Math.max(timeoutMs, 100) }).setToken(this.config.token as string);
        const me = (await rest.get(Routes.user("@me"), { signal: controller.signal })) as { id: string; username: string };
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

  /** The channel a target posts to; a user's DM channel is opened once and remembered. */
  private async channelFor(target: string): Promise<string> {
    const parsed = parseDiscordTarget(target);
    if (parsed.kind === "channel") return parsed.id;
    const known = this.dmChannels.get(parsed.id);
    if (known) return known;
    const { Routes } = await import("discord.js");
    const rest = await this.ensureRest();
    try {
      const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: parsed.id } })) as { id: string };
      this.dmChannels.set(parsed.id, dm.id);
      if (this.dmChannels.size > DM_CHANNEL_CACHE) this.dmChannels.delete(this.dmChannels.keys().next().value as string);
      return dm.id;
    } catch (error) {
      this.state.lastError = this.describe(error);
      throw new AppError("UNAVAILABLE", `discord could not open a DM with user ${parsed.id}: ${this.state.lastError}`, { hint: "the user must share a server with the bot and accept DMs from it" });
    }
  }

  /** Sends `text` to `user:<id>`, `channel:<id>` or a bare channel id, in 2000-character chunks (Discord renders the Markdown itself). */
  async send(target: string, text: string, _options: ChannelSendOptions = {}): Promise<ChannelSendResult> {
    const channelId = await this.channelFor(target);
    const { Routes } = await import("discord.js");
    const rest = await this.ensureRest();
    const messageIds: string[] = [];
    for (const chunk of chunkText(text, DISCORD_TEXT_LIMIT)) {
      try {
        const sent = (await rest.post(Routes.channelMessages(channelId), { body: { content: chunk, allowed_mentions: { parse: ["users", "roles"] } } })) as { id: string };
        messageIds.push(String(sent.id));
        this.state.lastOutboundAt = Date.now();
      } catch (error) {
        this.state.lastError = this.describe(error);
        throw new AppError("UNAVAILABLE", `discord send to channel ${channelId} failed after ${messageIds.length} chunk(s): ${this.state.lastError}`, { hint: "check the channel id and that the bot can view and send messages there" });
      }
    }
    return { messageIds };
  }

  /** Shows "typing…" in the target's channel (Discord clears it after ~10 s or on the next message). */
  async typing(target: string): Promise<void> {
    const channelId = await this.channelFor(target);
    const { Routes } = await import("discord.js");
    await (await this.ensureRest()).post(Routes.channelTyping(channelId));
  }

  /** The status snapshot (ChannelAccountSnapshot fields); never includes the token. */
  snapshot(): DiscordAccountStatus {
    return {
      accountId: this.accountId,
      enabled: this.config.enabled,
      configured: this.config.token !== undefined && !this.config.apiError,
      ...this.state,
      tokenSource: this.config.tokenSource,
      ...(this.config.apiSource === "env" ? { baseUrl: `${this.config.apiRoot}/v${this.config.apiVersion}` } : {}),
      ...(this.identity ? { bot: { ...this.identity } } : {}),
      ...(this.lastProbe ? { probe: { ...this.lastProbe } } : {}),
    };
  }
}
