/** signal-cli receive envelopes → the plain inbound message the router consumes; send targets. */
import { AppError } from "../../shared/index.js";
import type { InboundMessage } from "../contract.js";

/** One inbound Signal message, channel-neutral enough for the router. */
export interface SignalInbound extends Omit<InboundMessage, "channel" | "chatType"> {
  channel: "signal";
  chatType: "direct" | "group";
  /** The sender's ACI when signal-cli knows it (also an allowlist spelling: `uuid:<id>`). */
  senderUuid?: string;
}

/** Who we are, for loop protection and native @mention detection. */
export interface SignalSelf {
  number: string | undefined;
  uuid: string | undefined;
}

interface RawMention {
  number?: string | null;
  uuid?: string | null;
}

interface RawEnvelope {
  source?: string | null;
  sourceNumber?: string | null;
  sourceUuid?: string | null;
  sourceName?: string | null;
  timestamp?: number;
  dataMessage?: {
    timestamp?: number;
    message?: string | null;
    groupInfo?: { groupId?: string | null } | null;
    mentions?: RawMention[] | null;
  } | null;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const s = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/**
 * Maps the data of one `receive` event (`{account, envelope}`) to an inbound message; undefined for
 * envelopes that are not text messages (receipts, typing, sync copies of our own sends) and for
 * messages from our own number.
 */
export function mapSignalEvent(data: unknown, accountId: string, self: SignalSelf): SignalInbound | undefined {
  if (!data || typeof data !== "object") return undefined;
  const envelope = (data as { envelope?: RawEnvelope }).envelope;
  const dm = envelope?.dataMessage;
  if (!envelope || !dm) return undefined;
  const text = s(dm.message);
  if (text === undefined) return undefined;
  const number = s(envelope.sourceNumber) ?? (s(envelope.source)?.startsWith("+") ? s(envelope.source) : undefined);
  const uuid = s(envelope.sourceUuid) ?? (s(envelope.source) && UUID_RE.test(s(envelope.source) as string) ? s(envelope.source) : undefined);
  if (!number && !uuid) return undefined;
  // Loop protection: our own messages (another device of the same account) are never answered.
  if ((number && number === self.number) || (uuid && self.uuid && uuid.toLowerCase() === self.uuid.toLowerCase())) return undefined;
  const senderId = number ?? `uuid:${uuid}`;
  const groupId = s(dm.groupInfo?.groupId);
  const mentioned = (dm.mentions ?? []).some((m) => (self.number !== undefined && s(m.number) === self.number) || (self.uuid !== undefined && s(m.uuid)?.toLowerCase() === self.uuid.toLowerCase()));
  const ts = typeof envelope.timestamp === "number" ? envelope.timestamp : (dm.timestamp ?? 0);
  return {
    channel: "signal",
    accountId,
    chatType: groupId ? "group" : "direct",
    senderId,
    // A sender with a number may be allowlisted by ACI instead.
    ...(uuid ? { senderUuid: uuid, ...(number ? { senderAliases: [`uuid:${uuid}`] } : {}) } : {}),
    ...(s(envelope.sourceName) ? { senderName: s(envelope.sourceName) } : {}),
    ...(groupId ? { groupId } : {}),
    text,
    // A Signal message is identified by its author and its timestamp.
    messageId: `${uuid ?? number}:${ts}`,
    mentioned: groupId ? mentioned : false,
    ts,
  };
}

/** A parsed send target: a recipient (number or ACI) or a group. */
export type SignalTarget = { recipient: string } | { groupId: string };

/** `+15551234567`, `uuid:<id>`, a bare UUID, `group:<id>`, each optionally prefixed `signal:`. */
export function parseSignalTarget(target: string): SignalTarget {
  let t = target.trim();
  if (/^signal:/i.test(t)) t = t.slice("signal:".length);
  if (/^group:/i.test(t)) {
    const groupId = t.slice("group:".length).trim();
    if (groupId) return { groupId };
  } else if (/^uuid:/i.test(t)) {
    const id = t.slice("uuid:".length).trim();
    if (UUID_RE.test(id)) return { recipient: id };
  } else if (UUID_RE.test(t)) return { recipient: t };
  else if (/^\+[1-9]\d{6,14}$/.test(t.replace(/[\s()-]/g, ""))) return { recipient: t.replace(/[\s()-]/g, "") };
  throw new AppError("USAGE", `signal target "${target}" is not a phone number, uuid:<id> or group:<id>`, { hint: "use an E.164 number such as +15551234567, uuid:<sender-uuid> or group:<base64 group id>" });
}

/** Where a reply to `msg` goes, in `send`'s target syntax. */
export function signalReplyTarget(msg: Pick<InboundMessage, "groupId" | "senderId">): string {
  return msg.groupId ? `group:${msg.groupId}` : msg.senderId;
}
