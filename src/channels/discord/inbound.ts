/**
 * Discord's raw `MESSAGE_CREATE` payload → InboundMessage, its guild/channel allowlist
 * (`guilds.<id>.channels.<id>` with `users`/`roles`/`requireMention`, resolved here because the
 * router's flat `groups` map cannot express a two-level map with role allowlists), and the send
 * target syntax (`user:<id>`, `<@id>`, `channel:<id>`, `<#id>`, a bare channel id).
 */
import { AppError } from "../../shared/index.js";
import { normalizeAllowEntry } from "../allowlist-entries.js";
import type { GroupAccess, InboundMessage } from "../contract.js";
import { resolveGroupPolicy } from "../policy.js";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === "string" || typeof x === "number").map((x) => String(x).trim()) : []);

/** What the adapter knows about where a guild message was posted (names from discord.js's cache). */
export interface DiscordPlace {
  guildId: string;
  guildName?: string;
  channelId: string;
  channelName?: string;
  /** The parent channel of a thread (a thread falls back to its parent's entry). */
  parentId?: string;
  parentName?: string;
}

/** OpenClaw's slug for guild/channel names: lower-case, `#` dropped, runs of other characters → `-`. */
export function discordSlug(name: string): string {
  return name
    .trim()
    .replace(/^#/, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function findEntry(map: Obj, keys: Array<string | undefined>, wildcard = true): Obj | undefined {
  for (const key of keys) {
    if (!key) continue;
    if (key in map) return obj(map[key]);
    const slug = discordSlug(key);
    const hit = Object.keys(map).find((k) => k !== "*" && discordSlug(k) === slug);
    if (hit) return obj(map[hit]);
  }
  return wildcard && "*" in map ? obj(map["*"]) : undefined;
}

/**
 * A guild message against `guilds` (OpenClaw's rules): under `groupPolicy: allowlist` the guild must
 * be listed (id, name or slug, or `"*"`); a guild with a `channels` map admits only the channels it
 * lists (`enabled: false` refuses one; a thread uses its parent's entry); `users`/`roles` (channel
 * entry over guild entry) admit senders matching either; `requireMention` channel → guild → true.
 */
export function resolveDiscordGroupAccess(settings: Obj, place: DiscordPlace, sender: { id: string; roles: readonly string[] }): GroupAccess {
  const policy = resolveGroupPolicy(settings);
  const guilds = obj(settings.guilds);
  const guild = findEntry(guilds, [place.guildId, place.guildName]);
  // OpenClaw has no section-level requireMention for Discord: guild messages are mention-gated by default.
  const fallbackMention = true;
  if (!guild) return policy === "open" ? { requireMention: fallbackMention } : { denied: "group-not-allowed", requireMention: fallbackMention };
  const channels = obj(guild.channels);
  let channel: Obj | undefined;
  if (Object.keys(channels).length > 0) {
    channel = findEntry(channels, [place.channelId, place.channelName], false) ?? findEntry(channels, [place.parentId, place.parentName]);
    if (!channel || channel.enabled === false || channel.allow === false) return { denied: "group-not-allowed", requireMention: fallbackMention };
  }
  const pick = (key: string) => (channel && channel[key] !== undefined ? channel[key] : guild[key]);
  const mention = pick("requireMention");
  const requireMention = typeof mention === "boolean" ? mention : fallbackMention;
  const users = ids(channel && (channel.users !== undefined || channel.roles !== undefined) ? channel.users : guild.users);
  const roles = ids(channel && (channel.users !== undefined || channel.roles !== undefined) ? channel.roles : guild.roles);
  if (users.length > 0 || roles.length > 0) {
    const userOk = users.some((u) => u === "*" || normalizeAllowEntry("discord", u) === sender.id);
    const roleOk = roles.some((r) => sender.roles.includes(r.replace(/^<@&(\d+)>$/, "$1")));
    if (!userOk && !roleOk) return { denied: "not-allowlisted", requireMention };
  }
  return { requireMention };
}

/** Why a payload produced no InboundMessage. */
export type DiscordSkip = "own" | "bot" | "empty" | "group-dm" | "system";

/** Message types that carry a user's text: DEFAULT (0) and REPLY (19). */
const TEXT_TYPES = new Set([0, 19]);

/**
 * Maps a raw `MESSAGE_CREATE` `d` to an InboundMessage (without `groupAccess`, which the adapter
 * adds): a DM is `direct` from the author's id; a guild message is a `group` whose id is the channel
 * id, `mentioned` when the bot is mentioned or replied to (its mention is cut from the text).
 */
export function mapDiscordMessage(d: unknown, accountId: string, botId: string | undefined, options: { allowBots?: boolean } = {}): { message: InboundMessage; guildId?: string; roles: string[] } | { skip: DiscordSkip } {
  const data = obj(d);
  const author = obj(data.author);
  const authorId = String(author.id ?? "");
  if (botId && authorId === botId) return { skip: "own" };
  if (author.bot === true && !options.allowBots) return { skip: "bot" };
  if (typeof data.type === "number" && !TEXT_TYPES.has(data.type)) return { skip: "system" };
  const guildId = typeof data.guild_id === "string" ? data.guild_id : undefined;
  // Channel type 3 is a group DM; OpenClaw ignores those unless dm.groupEnabled is set.
  if (!guildId && data.channel_type === 3) return { skip: "group-dm" };
  const raw = typeof data.content === "string" ? data.content : "";
  const mentions = Array.isArray(data.mentions) ? data.mentions.map((m) => String(obj(m).id ?? "")) : [];
  const repliedTo = String(obj(obj(data.referenced_message).author).id ?? "");
  const mentioned = Boolean(botId && (mentions.includes(botId) || repliedTo === botId || raw.includes(`<@${botId}>`) || raw.includes(`<@!${botId}>`)));
  const text = (botId ? raw.split(`<@${botId}>`).join(" ").split(`<@!${botId}>`).join(" ") : raw).replace(/\s+/g, " ").trim();
  if (!text) return { skip: "empty" };
  const ts = typeof data.timestamp === "string" ? Date.parse(data.timestamp) : Number.NaN;
  const name = [author.global_name, author.username].find((x) => typeof x === "string" && x.trim()) as string | undefined;
  const channelId = String(data.channel_id ?? "");
  const message: InboundMessage = {
    channel: "discord",
    accountId,
    chatType: guildId ? "group" : "direct",
    senderId: authorId,
    ...(name ? { senderName: name } : {}),
    ...(guildId ? { groupId: channelId } : {}),
    text,
    messageId: String(data.id ?? ""),
    mentioned: guildId ? mentioned : false,
    ts: Number.isFinite(ts) ? ts : Date.now(),
  };
  return { message, ...(guildId ? { guildId } : {}), roles: ids(obj(data.member).roles) };
}

/** Where `send` delivers: a channel id, or a user whose DM channel is opened first. */
export type DiscordTarget = { kind: "channel"; id: string } | { kind: "user"; id: string };

/** Parses a send target: `user:<id>`, `<@id>`, `discord:<id>` → DM; `channel:<id>`, `<#id>`, a bare id → channel. */
export function parseDiscordTarget(target: string): DiscordTarget {
  const s = target.trim();
  const user = /^(?:user:|discord:|<@!?)(\d{5,25})>?$/i.exec(s);
  if (user && (!s.startsWith("<") || s.endsWith(">"))) return { kind: "user", id: user[1] as string };
  const channel = /^(?:channel:|<#)?(\d{5,25})>?$/i.exec(s);
  if (channel && (!s.startsWith("<") || s.endsWith(">"))) return { kind: "channel", id: channel[1] as string };
  throw new AppError("USAGE", `discord target "${target}" is not a user or channel id`, { hint: "use user:<id> for a DM or channel:<id> (or a bare channel id) for a channel" });
}
