/**
 * A loopback Telegram Bot API speaking the real wire format, for tests that go through grammy:
 * `GET|POST /bot<token>/<method>` with query, JSON or urlencoded bodies; answers
 * `{ ok: true, result }` or `{ ok: false, error_code, description }`. Implements getMe, getUpdates
 * (long poll honouring `offset` and `timeout`), sendMessage, sendChatAction, setWebhook,
 * deleteWebhook and getWebhookInfo. Tests enqueue incoming updates and read what the bot sent;
 * `stop()` drops every connection (outages) and `restart()` listens again on the same port.
 */
import http from "node:http";
import type { AddressInfo, } from "node:net";
import { closableServer } from "./server-close.js";

/** One Bot API call as the server saw it. */
export interface FakeTelegramCall {
  method: string;
  token: string;
  params: Record<string, unknown>;
}

export interface FakeTelegramOptions {
  /** Tokens the server accepts (default: any token). */
  tokens?: string[];
  botUsername?: string;
  botId?: number;
  /** Methods that accept the request and never answer (probe timeouts). */
  hang?: Set<string>;
  /** Refuse every `parse_mode: "HTML"` message as Telegram does malformed markup. */
  rejectHtml?: boolean;
}

const HTML_TAGS = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "span", "tg-spoiler", "blockquote"]);

/** Telegram's HTML parse mode: only its tags, balanced; the visible text is what counts toward 4096. */
function parseTelegramHtml(html: string): { text: string } | { error: string } {
  const stack: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-z-]+)[^>]*>/gi)) {
    const name = (m[2] as string).toLowerCase();
    if (!HTML_TAGS.has(name)) return { error: `Unsupported start tag "${name}"` };
    if (m[1]) {
      if (stack.pop() !== name) return { error: `Unmatched end tag "${name}"` };
    } else stack.push(name);
  }
  if (stack.length > 0) return { error: `Can't find end tag corresponding to start tag "${stack.at(-1)}"` };
  if (/&(?!lt;|gt;|amp;|quot;|#\d+;)/.test(html)) return { error: "Unsupported entity" };
  const text = html.replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
  return { text };
}

export interface FakeIncoming {
  chatId: number;
  chatType?: "private" | "group" | "supergroup";
  fromId: number;
  fromName?: string;
  username?: string;
  text: string;
  /** `@username` mentions to mark as `mention` entities (found in the text). */
  mentions?: string[];
  threadId?: number;
  replyToBot?: boolean;
}

export interface FakeTelegram {
  apiRoot: string;
  port: number;
  calls: FakeTelegramCall[];
  /** Messages accepted by sendMessage, in order (`text` is what the user sees; `html` the markup when it had any). */
  sent(): Array<{ chatId: string; text: string; html?: string; threadId?: number }>;
  /** Queue an update (a message) for getUpdates; returns its update_id. */
  enqueue(message: FakeIncoming): number;
  webhook: { url: string; secret?: string } | undefined;
  hang: Set<string>;
  /** Close the listener and destroy every open connection. */
  stop(): Promise<void>;
  /** Listen again on the same port after `stop()`. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

interface Waiter {
  offset: number;
  resolve: () => void;
}

/** Starts the fake Bot API on 127.0.0.1 (port 0 unless given). */
export async function startFakeTelegram(options: FakeTelegramOptions = {}, port = 0): Promise<FakeTelegram> {
  const botId = options.botId ?? 777000111;
  const botUsername = options.botUsername ?? "fake_ops_bot";
  const updates: Array<{ update_id: number; message: Record<string, unknown> }> = [];
  let nextUpdateId = 1000;
  let nextMessageId = 1;
  let confirmedBelow = 0;
  const waiters = new Set<Waiter>();
  const calls: FakeTelegramCall[] = [];
  const delivered: Array<{ chatId: string; text: string; html?: string; threadId?: number }> = [];
  const hang = options.hang ?? new Set<string>();
  const state: { webhook: FakeTelegram["webhook"] } = { webhook: undefined };

  const pending = (offset: number) => updates.filter((u) => u.update_id >= offset && u.update_id >= confirmedBelow);

  async function readParams(req: http.IncomingMessage, url: URL): Promise<Record<string, unknown>> {
    const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const type = req.headers["content-type"] ?? "";
    if (body && type.includes("application/json")) Object.assign(params, JSON.parse(body));
    else if (body && type.includes("application/x-www-form-urlencoded")) Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
    return params;
  }

  function reply(res: http.ServerResponse, status: number, payload: unknown): void {
    if (res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(payload));
  }
  const fail = (res: http.ServerResponse, code: number, description: string) => reply(res, code, { ok: false, error_code: code, description });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) return fail(res, 404, "Not Found");
    const token = decodeURIComponent(match[1] as string);
    const method = match[2] as string;
    let params: Record<string, unknown>;
    try {
      params = await readParams(req, url);
    } catch {
      return fail(res, 400, "Bad Request: can't parse JSON");
    }
    calls.push({ method, token, params });
    if (options.tokens && !options.tokens.includes(token)) return fail(res, 401, "Unauthorized");
    if (hang.has(method)) return; // never answer
    switch (method) {
      case "getMe":
        return reply(res, 200, { ok: true, result: { id: botId, is_bot: true, first_name: "Fake", username: botUsername, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false } });
      case "getUpdates": {
        if (state.webhook) return fail(res, 409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
        const offset = Number(params.offset ?? 0);
        if (offset > confirmedBelow) confirmedBelow = offset;
        const timeout = Math.min(Number(params.timeout ?? 0), 50);
        if (pending(offset).length === 0 && timeout > 0) {
          // Telegram's long poll: answer when an update arrives, the client goes away, or `timeout` ends
          // (a server-side deadline, as the real Bot API keeps it; tests wait on conditions, not on this).
          await new Promise<void>((resolve) => {
            const deadline = AbortSignal.timeout(timeout * 1000);
            const waiter: Waiter = { offset, resolve };
            const done = () => {
              deadline.removeEventListener("abort", done);
              waiters.delete(waiter);
              resolve();
            };
            waiter.resolve = done;
            deadline.addEventListener("abort", done, { once: true });
            waiters.add(waiter);
            res.on("close", done);
          });
        }
        const limit = Number(params.limit ?? 100);
        return reply(res, 200, { ok: true, result: pending(offset).slice(0, limit) });
      }
      case "sendMessage": {
        if (params.chat_id === undefined || params.chat_id === "") return fail(res, 400, "Bad Request: chat_id is empty");
        const raw = String(params.text ?? "");
        let text = raw;
        if (params.parse_mode === "HTML") {
          if (options.rejectHtml) return fail(res, 400, "Bad Request: can't parse entities: rejected by the test");
          const parsed = parseTelegramHtml(raw);
          if ("error" in parsed) return fail(res, 400, `Bad Request: can't parse entities: ${parsed.error}`);
          text = parsed.text;
        }
        if (!text) return fail(res, 400, "Bad Request: message text is empty");
        if (text.length > 4096) return fail(res, 400, "Bad Request: message is too long");
        delivered.push({ chatId: String(params.chat_id), text, ...(raw !== text ? { html: raw } : {}), ...(params.message_thread_id !== undefined ? { threadId: Number(params.message_thread_id) } : {}) });
        return reply(res, 200, { ok: true, result: { message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(params.chat_id), type: "private" }, from: { id: botId, is_bot: true, first_name: "Fake", username: botUsername }, text } });
      }
      case "sendChatAction":
        if (params.chat_id === undefined) return fail(res, 400, "Bad Request: chat_id is empty");
        return reply(res, 200, { ok: true, result: true });
      case "setWebhook":
        state.webhook = { url: String(params.url ?? ""), ...(params.secret_token ? { secret: String(params.secret_token) } : {}) };
        return reply(res, 200, { ok: true, result: true, description: "Webhook was set" });
      case "deleteWebhook":
        state.webhook = undefined;
        return reply(res, 200, { ok: true, result: true, description: "Webhook was deleted" });
      case "getWebhookInfo":
        return reply(res, 200, { ok: true, result: { url: state.webhook?.url ?? "", has_custom_certificate: false, pending_update_count: state.webhook ? pending(confirmedBelow).length : 0 } });
      default:
        return fail(res, 404, "Not Found: method not found");
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => fail(res, 500, "Internal Server Error"));
  });
  const closer = closableServer(server);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const boundPort = (server.address() as AddressInfo).port;

  async function stop(): Promise<void> {
    if (!server.listening) return;
    const closed = closer.close();
    for (const waiter of [...waiters]) waiter.resolve();
    await closed;
  }

  return {
    apiRoot: `http://127.0.0.1:${boundPort}`,
    port: boundPort,
    calls,
    hang,
    get webhook() {
      return state.webhook;
    },
    set webhook(value) {
      state.webhook = value;
    },
    sent: () => [...delivered],
    enqueue(message) {
      const text = message.text;
      const entities = (message.mentions ?? []).flatMap((m) => {
        const at = text.indexOf(m);
        return at < 0 ? [] : [{ type: "mention", offset: at, length: m.length }];
      });
      const chatType = message.chatType ?? "private";
      const update = {
        update_id: nextUpdateId++,
        message: {
          message_id: nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          from: { id: message.fromId, is_bot: false, first_name: message.fromName ?? "User", ...(message.username ? { username: message.username } : {}) },
          chat: chatType === "private" ? { id: message.chatId, type: "private", first_name: message.fromName ?? "User" } : { id: message.chatId, type: chatType, title: "Group" },
          text,
          ...(entities.length ? { entities } : {}),
          ...(message.threadId !== undefined ? { message_thread_id: message.threadId, is_topic_message: true } : {}),
          ...(message.replyToBot ? { reply_to_message: { message_id: 1, date: 0, chat: { id: message.chatId, type: chatType }, from: { id: botId, is_bot: true, first_name: "Fake", username: botUsername }, text: "earlier" } } : {}),
        },
      };
      updates.push(update);
      for (const waiter of [...waiters]) if (update.update_id >= waiter.offset) waiter.resolve();
      return update.update_id;
    },
    stop,
    async restart() {
      if (server.listening) return;
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(boundPort, "127.0.0.1", () => {
          server.off("error", reject);
          resolve();
        });
      });
    },
    close: stop,
  };
}
