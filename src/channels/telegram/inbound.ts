/** Telegram updates → the plain inbound message the router consumes; targets and allowlist ids. */

import { timingSafeEqual } from "node:crypto";
import { AppError } from "../../shared/index.js";
import type { InboundMessage } from "../contract.js";

/** One inbound Telegram message, channel-neutral enough for the router. */
export interface TelegramInbound extends Omit<InboundMessage, "channel" | "chatType" | "senderName"> {
  channel: "telegram";
  chatType: "direct" | "group";
  senderName: string;
  senderUsername?: string;
  updateId: number;
}

/** The parts of the bot identity mention detection needs. */
export interface TelegramBotIdentity {
  id: number;
  username: string;
}

interface RawEntity {
  type?: string;
  offset?: number;
  length?: number;
  user?: { id?: number };
}
interface RawMessage {
  message_id?: number;
  date?: number;
  text?: string;
  caption?: string;
  entities?: RawEntity[];
  caption_entities?: RawEntity[];
  from?: { id?: number; is_bot?: boolean; first_name?: string; last_name?: string; username?: string };
  chat?: { id?: number; type?: string };
  message_thread_id?: number;
  is_topic_message?: boolean;
  reply_to_message?: { from?: { id?: number } };
}

/** Maps a Bot API update to an inbound message; undefined for updates that are not user text messages. */
export function mapTelegramUpdate(update: unknown, accountId: string, bot: TelegramBotIdentity | undefined): TelegramInbound | undefined {
  if (!update || typeof update !== "object") return undefined;
  const u = update as { update_id?: number; message?: RawMessage };
  const msg = u.message;
  if (!msg?.from || msg.from.is_bot || typeof msg.from.id !== "number" || typeof msg.chat?.id !== "number") return undefined;
  const text = msg.text ?? msg.caption;
  if (typeof text !== "string") return undefined;
  const chatType = msg.chat.type === "private" ? "direct" : msg.chat.type === "group" || msg.chat.type === "supergroup" ? "group" : undefined;
  if (!chatType) return undefined;
  const entities = msg.entities ?? msg.caption_entities ?? [];
  const handle = bot ? `@${bot.username}`.toLowerCase() : undefined;
  const mentioned =
    (bot !== undefined &&
      entities.some((e) => (e.type === "mention" && handle !== undefined && text.slice(e.offset ?? 0, (e.offset ?? 0) + (e.length ?? 0)).toLowerCase() === handle) || (e.type === "text_mention" && e.user?.id === bot.id))) ||
    (bot !== undefined && msg.reply_to_message?.from?.id === bot.id);
  const name = [msg.from.first_name, msg.from.last_name].filter(Boolean).join(" ") || msg.from.username || String(msg.from.id);
  return {
    channel: "telegram",
    accountId,
    chatType,
    senderId: String(msg.from.id),
    senderName: name,
    ...(msg.from.username ? { senderUsername: msg.from.username } : {}),
    ...(chatType === "group" ? { groupId: String(msg.chat.id) } : {}),
    ...(msg.is_topic_message && msg.message_thread_id !== undefined ? { threadId: String(msg.message_thread_id) } : {}),
    text,
    messageId: String(msg.message_id ?? ""),
    mentioned,
    ts: (msg.date ?? 0) * 1000,
    updateId: u.update_id ?? 0,
  };
}

/** A send target: `123`, `-100123`, `tg:123`, `telegram:123`, optionally `…:topic:<thread>`. */
export function parseTelegramTarget(target: string | { chatId: string | number; threadId?: string | number }): { chatId: string; threadId?: number } {
  if (typeof target === "object") return { chatId: String(target.chatId), ...(target.threadId !== undefined ? { threadId: Number(target.threadId) } : {}) };
  const m = /^(?:(?:tg|telegram):)?(-?\d+)(?::topic:(\d+))?$/i.exec(target.trim());
  if (!m) throw new AppError("USAGE", `telegram target "${target}" is not a chat id`, { hint: "use a numeric chat id such as 123456789, tg:123456789 or -100123:topic:7" });
  return { chatId: m[1] as string, ...(m[2] ? { threadId: Number(m[2]) } : {}) };
}

/** An allowlist entry (`tg:123`, `telegram:123`, `123`) → the numeric id, or undefined when it is not one. */
export function normalizeTelegramAllowEntry(entry: string | number): string | undefined {
  if (typeof entry === "number") return Number.isSafeInteger(entry) ? String(entry) : undefined;
  const m = /^(?:(?:tg|telegram):)?(-?\d+)$/i.exec(entry.trim());
  return m ? (m[1] as string) : undefined;
}

/** Constant-time check of the `X-Telegram-Bot-Api-Secret-Token` header against the configured secret. */
export function verifyTelegramWebhookSecret(header: string | string[] | undefined, secret: string | undefined): boolean {
  if (!secret || typeof header !== "string") return false;
  const a = Buffer.from(header, "utf8");
  const b = Buffer.from(secret, "utf8");
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}
