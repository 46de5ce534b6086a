/**
 * A loopback Discord for tests that go through discord.js: the REST API under `/api/v10`
 * (`GET gateway/bot`, `GET users/@me`, `POST users/@me/channels`, `POST channels/:id/messages`,
 * `POST channels/:id/typing`; `Authorization: Bot <token>` checked, Discord's JSON error bodies) and
 * a gateway WebSocket speaking Discord's opcodes (HELLO 10 with `heartbeat_interval`, IDENTIFY 2 →
 * READY and GUILD_CREATE dispatches, HEARTBEAT 1 → ACK 11, RESUME 6 → RESUMED or INVALID_SESSION 9,
 * sequence numbers on every dispatch). Tests inject `MESSAGE_CREATE` with `dispatch()`, read posted
 * messages with `posts()`, and simulate outages with `stop()`/`restart()` (same port).
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo, } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { closableServer } from "./server-close.js";

export interface FakeDiscordGuild {
  id: string;
  name: string;
  channels: Array<{ id: string; name: string; parentId?: string }>;
}

export interface FakeDiscordOptions {
  /** The token the server accepts. */
  token: string;
  bot?: { id: string; username: string };
  guilds?: FakeDiscordGuild[];
  /** REST routes (`"GET /users/@me"`) that accept the request and never answer (probe timeouts). */
  hang?: Set<string>;
  heartbeatIntervalMs?: number;
}

/** One message as the bot posted it. */
export interface FakeDiscordPost {
  channelId: string;
  content: string;
  body: Record<string, unknown>;
}

/** A MESSAGE_CREATE to inject: a DM when `guildId` is absent. */
export interface FakeDiscordMessage {
  channelId: string;
  guildId?: string;
  authorId: string;
  authorName?: string;
  bot?: boolean;
  content: string;
  /** User ids mentioned (`<@id>` is not added to the content; put it there when you want it). */
  mentions?: string[];
  /** Makes the message a reply to one of the bot's messages. */
  replyToBot?: boolean;
  roles?: string[];
}

export interface FakeDiscord {
  /** Versioned REST base for `DISCORD_API_URL` (`http://127.0.0.1:<port>/api/v10`). */
  apiUrl: string;
  port: number;
  bot: { id: string; username: string };
  posts(): FakeDiscordPost[];
  /** Every REST request as `METHOD /path` (unversioned), in order. */
  requests(): string[];
  /** IDENTIFY payloads received (token replaced by whether it matched). */
  identifies(): Array<{ intents: number; tokenOk: boolean }>;
  /** Gateway sockets currently open. */
  openSockets(): number;
  /** Sends one MESSAGE_CREATE to every identified socket; returns the message id. */
  dispatch(message: FakeDiscordMessage): string;
  /** Cuts every gateway socket but keeps listening and remembers sessions (the client resumes). */
  dropConnections(): void;
  /** RESUME frames that were answered with RESUMED. */
  resumes(): number;
  /** Drops every HTTP and WebSocket connection and stops listening (sessions are forgotten). */
  stop(): Promise<void>;
  /** Listens again on the same port after `stop()`. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

let nextId = 1_300_000_000_000_000_000n;
const snowflake = () => String(nextId++);

/** Starts the loopback Discord on 127.0.0.1 (an ephemeral port). */
export async function startFakeDiscord(options: FakeDiscordOptions): Promise<FakeDiscord> {
  const bot = options.bot ?? { id: "1100000000000000001", username: "ops_bot" };
  const guilds = options.guilds ?? [];
  const heartbeatMs = options.heartbeatIntervalMs ?? 41_250;
  const posts: FakeDiscordPost[] = [];
  const requests: string[] = [];
  const identifies: Array<{ intents: number; tokenOk: boolean }> = [];
  const sessions = new Map<string, WebSocket>();
  let resumed = 0;
  const live = new Map<WebSocket, { seq: number; sessionId?: string }>();
  const dmChannels = new Map<string, string>();
  let port = 0;
  const botUser = { id: bot.id, username: bot.username, discriminator: "0", global_name: null, avatar: null, bot: true };

  const send = (res: http.ServerResponse, status: number, body?: unknown) => {
    if (body === undefined) {
      res.writeHead(status).end();
      return;
    }
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const route = `${req.method} ${decodeURIComponent(url.pathname).replace(/^\/api\/v\d+/, "")}`;
      requests.push(route);
      if (options.hang?.has(route)) return;
      if (req.headers.authorization !== `Bot ${options.token}`) return send(res, 401, { message: "401: Unauthorized", code: 0 });
      let body: Record<string, unknown> = {};
      try {
        body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>) : {};
      } catch {
        return send(res, 400, { message: "400: Bad Request", code: 0 });
      }
      if (route === "GET /gateway/bot") return send(res, 200, { url: `ws://127.0.0.1:${port}/gateway`, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 60_000, max_concurrency: 1 } });
      if (route === "GET /users/@me") return send(res, 200, botUser);
      if (route === "POST /users/@me/channels") {
        const recipient = String(body.recipient_id ?? "");
        const id = dmChannels.get(recipient) ?? snowflake();
        dmChannels.set(recipient, id);
        return send(res, 200, { id, type: 1, recipients: [{ id: recipient, username: `user${recipient}`, discriminator: "0", avatar: null }] });
      }
      const messages = /^POST \/channels\/(\d+)\/messages$/.exec(route);
      if (messages) {
        const content = String(body.content ?? "");
        if (content.length > 2000) return send(res, 400, { message: "Invalid Form Body", code: 50035, errors: { content: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: "Must be 2000 or fewer in length." }] } } });
        posts.push({ channelId: messages[1] as string, content, body });
        return send(res, 200, { id: snowflake(), channel_id: messages[1], content, author: botUser, timestamp: new Date().toISOString(), type: 0, mentions: [], attachments: [], embeds: [] });
      }
      if (/^POST \/channels\/\d+\/typing$/.test(route)) return send(res, 204);
      return send(res, 404, { message: "404: Not Found", code: 0 });
    });
  });
  const closer = closableServer(server);

  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    if (!req.url?.startsWith("/gateway")) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => onGateway(ws));
  });

  const dispatchTo = (ws: WebSocket, t: string, d: unknown) => {
    const state = live.get(ws);
    if (!state) return;
    state.seq++;
    ws.send(JSON.stringify({ op: 0, t, s: state.seq, d }));
  };

  function onGateway(ws: WebSocket): void {
    live.set(ws, { seq: 0 });
    ws.on("close", () => live.delete(ws));
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: heartbeatMs }, s: null, t: null }));
    ws.on("message", (raw) => {
      let frame: { op?: number; d?: Record<string, unknown> };
      try {
        frame = JSON.parse(String(raw));
      } catch {
        return ws.close(4002, "Decode error");
      }
      const state = live.get(ws);
      if (!state) return;
      if (frame.op === 1) return ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      if (frame.op === 2) {
        const tokenOk = frame.d?.token === options.token;
        identifies.push({ intents: Number(frame.d?.intents ?? 0), tokenOk });
        if (!tokenOk) return ws.close(4004, "Authentication failed.");
        state.sessionId = randomUUID();
        sessions.set(state.sessionId, ws);
        dispatchTo(ws, "READY", { v: 10, user: botUser, guilds: guilds.map((g) => ({ id: g.id, unavailable: true })), session_id: state.sessionId, resume_gateway_url: `ws://127.0.0.1:${port}/gateway`, application: { id: bot.id, flags: 0 }, private_channels: [] });
        for (const g of guilds) {
          dispatchTo(ws, "GUILD_CREATE", {
            id: g.id,
            name: g.name,
            unavailable: false,
            owner_id: "1",
            member_count: 2,
            roles: [{ id: g.id, name: "@everyone", permissions: "1024", position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
            channels: g.channels.map((c) => ({ id: c.id, name: c.name, type: 0, guild_id: g.id, position: 0, permission_overwrites: [], ...(c.parentId ? { parent_id: c.parentId } : {}) })),
            members: [],
            threads: [],
            emojis: [],
            stickers: [],
            presences: [],
            voice_states: [],
          });
        }
        return;
      }
      if (frame.op === 6) {
        const sessionId = String(frame.d?.session_id ?? "");
        if (frame.d?.token === options.token && sessions.has(sessionId)) {
          sessions.set(sessionId, ws);
          state.sessionId = sessionId;
          state.seq = Number(frame.d?.seq ?? 0);
          resumed++;
          return dispatchTo(ws, "RESUMED", null);
        }
        return ws.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
      }
    });
  }

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  await listen();

  const stop = async () => {
    for (const ws of live.keys()) ws.terminate();
    live.clear();
    sessions.clear();
    await closer.close();
  };

  return {
    get apiUrl() {
      return `http://127.0.0.1:${port}/api/v10`;
    },
    get port() {
      return port;
    },
    bot,
    posts: () => posts.map((p) => ({ ...p })),
    requests: () => [...requests],
    identifies: () => [...identifies],
    openSockets: () => [...live.values()].filter((s) => s.sessionId).length,
    dispatch(message) {
      const id = snowflake();
      const d = {
        id,
        type: message.replyToBot ? 19 : 0,
        channel_id: message.channelId,
        ...(message.guildId ? { guild_id: message.guildId, member: { roles: message.roles ?? [], joined_at: new Date().toISOString(), deaf: false, mute: false } } : {}),
        author: { id: message.authorId, username: message.authorName ?? `user${message.authorId}`, discriminator: "0", global_name: message.authorName ?? null, avatar: null, ...(message.bot ? { bot: true } : {}) },
        content: message.content,
        timestamp: new Date().toISOString(),
        edited_timestamp: null,
        tts: false,
        mention_everyone: false,
        mentions: (message.mentions ?? []).map((uid) => (uid === bot.id ? botUser : { id: uid, username: `user${uid}`, discriminator: "0", avatar: null })),
        mention_roles: [],
        attachments: [],
        embeds: [],
        pinned: false,
        ...(message.replyToBot ? { message_reference: { message_id: "1", channel_id: message.channelId }, referenced_message: { id: "1", channel_id: message.channelId, author: botUser, content: "earlier", type: 0, timestamp: new Date().toISOString(), mentions: [], attachments: [], embeds: [] } } : {}),
      };
      for (const ws of live.keys()) if (live.get(ws)?.sessionId) dispatchTo(ws, "MESSAGE_CREATE", d);
      return id;
    },
    dropConnections() {
      for (const ws of live.keys()) ws.terminate();
    },
    resumes: () => resumed,
    stop,
    restart: listen,
    async close() {
      await stop().catch(() => undefined);
      wss.close();
    },
  };
}
