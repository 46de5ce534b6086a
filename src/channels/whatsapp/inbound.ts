/**
 * Baileys `messages.upsert` messages → `InboundMessage`: DMs carry the sender as E.164, groups carry
 * the group jid and whether the bot was mentioned or replied to; the linked number writing to itself
 * is self-chat (kept unless `selfChatMode: false`); the bot's own sends and status broadcasts are
 * never inbound.
 */
import { AppError } from "../../shared/index.js";
import type { InboundMessage } from "../contract.js";
import { jidToE164 } from "./auth.js";

/** The part of a Baileys `WAMessage` that is read. */
export interface WhatsAppMessageLike {
  key?: { remoteJid?: string | null; remoteJidAlt?: string | null; fromMe?: boolean | null; id?: string | null; participant?: string | null; participantAlt?: string | null } | null;
  message?: Record<string, unknown> | null;
  messageTimestamp?: number | { toNumber(): number } | null;
  pushName?: string | null;
}

/** Who the linked account is (its phone-number jid and, on newer sessions, its LID). */
export interface WhatsAppSelf {
  jid?: string | undefined;
  lid?: string | undefined;
}

/** An inbound message plus what the adapter needs for receipts. */
export interface WhatsAppInbound extends InboundMessage {
  /** The linked number messaging itself. */
  selfChat: boolean;
  /** The Baileys message key (for read receipts). */
  key: unknown;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});

/** `123:4@s.whatsapp.net` → `123@s.whatsapp.net` (device suffix dropped). */
export function bareJid(jid: string | null | undefined): string | undefined {
  if (!jid) return undefined;
  const at = jid.indexOf("@");
  if (at < 0) return jid;
  return `${jid.slice(0, at).split(":")[0]}${jid.slice(at)}`;
}

/** The message body, unwrapped from ephemeral/view-once wrappers; captions count as text. */
function contentOf(message: Obj): Obj {
  for (const wrapper of ["ephemeralMessage", "viewOnceMessage", "viewOnceMessageV2", "documentWithCaptionMessage"]) {
    const inner = obj(obj(message[wrapper]).message);
    if (Object.keys(inner).length > 0) return contentOf(inner);
  }
  return message;
}

function textOf(content: Obj): string | undefined {
  if (typeof content.conversation === "string") return content.conversation;
  for (const kind of ["extendedTextMessage", "imageMessage", "videoMessage", "documentMessage"]) {
    const part = obj(content[kind]);
    const text = part.text ?? part.caption;
    if (typeof text === "string") return text;
  }
  return undefined;
}

function contextOf(content: Obj): Obj {
  for (const value of Object.values(content)) {
    const ctx = obj(obj(value).contextInfo);
    if (Object.keys(ctx).length > 0) return ctx;
  }
  return {};
}

function seconds(ts: WhatsAppMessageLike["messageTimestamp"]): number | undefined {
  if (typeof ts === "number") return ts;
  if (ts && typeof ts.toNumber === "function") return ts.toNumber();
  return undefined;
}

/**
 * Maps one upserted message, or undefined when it is not for the agent (no text, a status
 * broadcast or newsletter, the bot's own message outside self-chat, self-chat when disabled).
 */
export function mapWhatsAppMessage(msg: WhatsAppMessageLike, accountId: string, self: WhatsAppSelf, options: { selfChatMode?: boolean | undefined } = {}): WhatsAppInbound | undefined {
  const key = msg.key;
  const remote = key?.remoteJid ?? undefined;
  if (!key || !remote || !msg.message || !key.id) return undefined;
  if (remote === "status@broadcast" || remote.endsWith("@broadcast") || remote.endsWith("@newsletter")) return undefined;
  const content = contentOf(msg.message);
  const text = textOf(content);
  if (text === undefined || !text.trim()) return undefined;
  const selfJid = bareJid(self.jid);
  const selfLid = bareJid(self.lid);
  const isSelf = (jid: string | null | undefined) => {
    const bare = bareJid(jid);
    return bare !== undefined && (bare === selfJid || bare === selfLid);
  };
  const ts = (seconds(msg.messageTimestamp) ?? Date.now() / 1000) * 1000;
  const base = { channel: "whatsapp", accountId, text, messageId: key.id, ts, key, ...(msg.pushName ? { senderName: msg.pushName } : {}) };
  if (remote.endsWith("@g.us")) {
    if (key.fromMe) return undefined;
    const participant = key.participantAlt && jidToE164(key.participantAlt) ? key.participantAlt : key.participant;
    const senderId = jidToE164(participant) ?? bareJid(participant) ?? "";
    if (!senderId) return undefined;
    const ctx = contextOf(content);
    const mentionedJids = Array.isArray(ctx.mentionedJid) ? (ctx.mentionedJid as unknown[]).filter((j): j is string => typeof j === "string") : [];
    const repliedToBot = ctx.quotedMessage !== undefined && typeof ctx.participant === "string" && isSelf(ctx.participant);
    return { ...base, chatType: "group", senderId, groupId: remote, mentioned: mentionedJids.some(isSelf) || repliedToBot, selfChat: false };
  }
  const peer = jidToE164(remote) ? remote : key.remoteJidAlt && jidToE164(key.remoteJidAlt) ? key.remoteJidAlt : remote;
  const selfChat = isSelf(remote) || isSelf(peer);
  if (key.fromMe && !selfChat) return undefined;
  if (selfChat && options.selfChatMode === false) return undefined;
  const senderId = jidToE164(peer) ?? bareJid(peer) ?? "";
  if (!senderId) return undefined;
  return { ...base, chatType: "direct", senderId, mentioned: false, selfChat };
}

/** A send target (`+15551234567`, `15551234567`, `whatsapp:+1…`, or a jid) → the jid to send to. */
export function parseWhatsAppTarget(target: string): string {
  const t = target.trim().replace(/^whatsapp:/i, "");
  if (t.includes("@")) return t;
  const digits = t.replace(/^\+/, "").replace(/[\s()-]/g, "");
  if (!/^\d{6,15}$/.test(digits)) throw new AppError("USAGE", `"${target}" is not a WhatsApp target`, { hint: "use an E.164 number (+15551234567) or a jid (…@s.whatsapp.net, …@g.us)" });
  return `${digits}@s.whatsapp.net`;
}
