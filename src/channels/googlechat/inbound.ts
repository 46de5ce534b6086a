/**
 * Google Chat events → InboundMessage, and the send-target syntax.
 *
 * Events (Chat app HTTP format): `MESSAGE` with `space` (`spaces/<id>`, `type` DM/ROOM or
 * `spaceType` DIRECT_MESSAGE/SPACE/GROUP_CHAT) and `message` (`name`, `sender.name` = `users/<id>`,
 * `text`/`argumentText`, `annotations`, `thread.name`, `slashCommand`). A DM becomes a direct
 * message from `users/<id>` (as OpenClaw's allowlists spell it); a space becomes a group message with
 * `groupId` = `spaces/<id>`, mentioned when a USER_MENTION annotation names the app (`users/app`, its
 * `botUser`, or any BOT mention when `botUser` is not set) or the message is a slash command.
 *
 * The thread is carried as `thread` (the reply goes to it), not as `threadId`: OpenClaw keeps one
 * session per space (`agent:<id>:googlechat:group:<space>`), and `threadId` would split it per thread.
 *
 * Targets: `spaces/<id>` (a space or DM space), `spaces/<id>/threads/<tid>` or `spaces/<id>:threads/<tid>`
 * (a thread reply), `users/<id>` (the DM space with that user, looked up with spaces:findDirectMessage);
 * the prefixes `googlechat:`, `google-chat:` and `gchat:` are stripped.
 */
import { AppError } from "../../shared/index.js";
import type { InboundMessage } from "../contract.js";

/** An inbound Google Chat message: the InboundMessage plus where the reply goes. */
export interface GoogleChatInbound extends InboundMessage {
  /** The space the message came from (`spaces/<id>`; the DM space for direct messages). */
  space: string;
  /** The thread resource name (`spaces/<id>/threads/<tid>`), when the message is in one. */
  thread?: string;
}

/** What an event became: a message for the router, or nothing (with why). */
export type GoogleChatEventResult = { kind: "message"; message: GoogleChatInbound } | { kind: "ignored"; reason: string };

/** How Google Chat names the app receiving the event. */
const APP_USER = "users/app";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/** A Workspace add-on event (`commonEventObject.hostApp: "CHAT"`, `chat.messagePayload`) in the Chat app event shape. */
function normalizeAddOnEvent(e: Obj): Obj {
  const chat = obj(e.chat);
  if (obj(e.commonEventObject).hostApp !== "CHAT" || Object.keys(chat).length === 0) return e;
  const payload = obj(chat.messagePayload);
  if (Object.keys(payload).length === 0) return { type: Object.keys(obj(chat.addedToSpacePayload)).length ? "ADDED_TO_SPACE" : "OTHER" };
  return { type: "MESSAGE", eventTime: chat.eventTime, user: chat.user, space: payload.space, message: payload.message };
}

/** The bearer token a Workspace add-on event carries in its body (`authorizationEventObject.systemIdToken`). */
export function addOnBodyToken(event: unknown): string | undefined {
  const e = obj(event);
  if (obj(e.commonEventObject).hostApp !== "CHAT") return undefined;
  return str(obj(e.authorizationEventObject).systemIdToken);
}

/** Maps one Chat event; non-MESSAGE events, bot senders (unless allowed) and empty texts are ignored. */
export function mapGoogleChatEvent(event: unknown, accountId: string, o: { botUser?: string; allowBots?: boolean } = {}): GoogleChatEventResult {
  const e = normalizeAddOnEvent(obj(event));
  const type = str(e.type);
  if (type !== "MESSAGE") return { kind: "ignored", reason: `event ${type ?? "without a type"}` };
  const message = obj(e.message);
  const space = obj(e.space ?? message.space);
  const spaceName = str(space.name);
  const messageName = str(message.name);
  const sender = obj(message.sender ?? e.user);
  const senderId = str(sender.name);
  if (!spaceName || !messageName || !senderId) return { kind: "ignored", reason: "message without space, name or sender" };
  if ((sender.type === "BOT" || senderId === APP_USER) && !o.allowBots) return { kind: "ignored", reason: "bot sender" };
  const direct = space.type === "DM" || space.spaceType === "DIRECT_MESSAGE" || space.singleUserBotDm === true;
  const slash = message.slashCommand !== undefined || obj(e.appCommandMetadata).appCommandId !== undefined;
  const mentioned =
    slash ||
    (Array.isArray(message.annotations) &&
      message.annotations.some((raw) => {
        const a = obj(raw);
        if (a.type !== "USER_MENTION") return false;
        const user = obj(obj(a.userMention).user);
        // Google names the receiving app `users/app` in its own events.
        return user.name === APP_USER || (o.botUser ? user.name === o.botUser : user.type === "BOT");
      }));
  // argumentText is the text without the @app mention; fall back to the full text.
  const text = str(message.argumentText) ?? str(message.text) ?? "";
  if (!text) return { kind: "ignored", reason: "message without text" };
  const created = Date.parse(str(message.createTime) ?? str(e.eventTime) ?? "");
  const thread = str(obj(message.thread).name);
  const senderName = str(sender.displayName);
  return {
    kind: "message",
    message: {
      channel: "googlechat",
      accountId,
      chatType: direct ? "direct" : "group",
      senderId,
      ...(senderName ? { senderName } : {}),
      ...(direct ? {} : { groupId: spaceName }),
      text,
      messageId: messageName,
      mentioned: direct ? false : mentioned,
      ts: Number.isFinite(created) ? created : Date.now(),
      space: spaceName,
      ...(thread ? { thread } : {}),
    },
  };
}

/** A parsed send target. */
export type GoogleChatTarget = { kind: "space"; space: string; thread?: string } | { kind: "user"; user: string };

// Resource ids: no dots or slashes, so a target can never walk the API path.
const ID = "[A-Za-z0-9_\\-]+";
const SPACE = new RegExp(`^spaces/(${ID})$`);
const THREAD = new RegExp(`^spaces/(${ID})(?:/|:)threads/(${ID})$`);
const USER = new RegExp(`^users/(${ID})$`);

/** Parses `spaces/<id>`, `spaces/<id>/threads/<tid>`, `spaces/<id>:threads/<tid>` or `users/<id>` (prefixes stripped). */
export function parseGoogleChatTarget(raw: string): GoogleChatTarget {
  const target = raw.trim().replace(/^(googlechat|google-chat|gchat):/i, "");
  const thread = THREAD.exec(target);
  if (thread) return { kind: "space", space: `spaces/${thread[1]}`, thread: `spaces/${thread[1]}/threads/${thread[2]}` };
  if (SPACE.test(target)) return { kind: "space", space: target };
  if (USER.test(target)) return { kind: "user", user: target };
  throw new AppError("USAGE", `googlechat target "${raw}" is not a space, thread or user`, { hint: "use spaces/<id>, spaces/<id>:threads/<id> or users/<id>" });
}

/** The target a reply to `msg` goes to: its thread in a space, else its space. */
export function googleChatReplyTarget(msg: InboundMessage): string {
  const m = msg as Partial<GoogleChatInbound>;
  const space = m.space ?? msg.groupId;
  if (!space) return msg.senderId;
  if (m.thread && msg.chatType !== "direct") return m.thread;
  return space;
}
