import assert from "node:assert/strict";
import { test } from "node:test";
import { AppError } from "../../shared/index.js";
import { discordSlug, mapDiscordMessage, parseDiscordTarget, resolveDiscordGroupAccess } from "./inbound.js";

const BOT = "900";
const place = { guildId: "100", guildName: "Ops Room", channelId: "200", channelName: "bot-room" };
const sender = { id: "300", roles: ["r1"] };

test("guild allowlist: unlisted guilds are refused under allowlist and admitted under open; id, name and slug match", () => {
  assert.deepEqual(resolveDiscordGroupAccess({}, place, sender), { denied: "group-not-allowed", requireMention: true });
  assert.deepEqual(resolveDiscordGroupAccess({ groupPolicy: "open" }, place, sender), { requireMention: true });
  assert.deepEqual(resolveDiscordGroupAccess({ guilds: { "100": {} } }, place, sender), { requireMention: true });
  assert.deepEqual(resolveDiscordGroupAccess({ guilds: { "ops-room": { requireMention: false } } }, place, sender), { requireMention: false });
  assert.deepEqual(resolveDiscordGroupAccess({ guilds: { "*": {} } }, place, sender), { requireMention: true });
  assert.equal(discordSlug("#Bot Room!"), "bot-room");
});

test("channel maps are allowlists: listed (id, name, slug) or '*' pass, others and enabled:false are refused; a thread uses its parent's entry", () => {
  const guilds = (channels: Record<string, unknown>) => ({ guilds: { "100": { requireMention: true, channels } } });
  assert.deepEqual(resolveDiscordGroupAccess(guilds({ "200": {} }), place, sender), { requireMention: true });
  assert.deepEqual(resolveDiscordGroupAccess(guilds({ "bot-room": { requireMention: false } }), place, sender), { requireMention: false });
  assert.deepEqual(resolveDiscordGroupAccess(guilds({ general: {} }), place, sender).denied, "group-not-allowed");
  assert.deepEqual(resolveDiscordGroupAccess(guilds({ "200": { enabled: false } }), place, sender).denied, "group-not-allowed");
  assert.deepEqual(resolveDiscordGroupAccess(guilds({ general: {}, "*": { requireMention: false } }), place, sender), { requireMention: false });
  const thread = { ...place, channelId: "201", channelName: "a-thread", parentId: "200", parentName: "bot-room" };
  assert.deepEqual(resolveDiscordGroupAccess(guilds({ "200": { requireMention: false }, "*": {} }), thread, sender), { requireMention: false });
});

test("users/roles: a sender passes on either; channel entries override the guild's; other senders are not-allowlisted", () => {
  const cfg = { guilds: { "100": { users: ["discord:301"], roles: ["r9"], channels: { "200": { users: ["*"] }, "202": {} } } } };
  assert.deepEqual(resolveDiscordGroupAccess(cfg, place, sender), { requireMention: true }, "the channel's users:['*'] opens it");
  const other = { ...place, channelId: "202", channelName: "x" };
  assert.equal(resolveDiscordGroupAccess(cfg, other, sender).denied, "not-allowlisted");
  assert.equal(resolveDiscordGroupAccess(cfg, other, { id: "301", roles: [] }).denied, undefined);
  assert.equal(resolveDiscordGroupAccess(cfg, other, { id: "302", roles: ["r9"] }).denied, undefined);
});

test("MESSAGE_CREATE mapping: DMs are direct; guild messages are groups keyed by channel; mentions and replies to the bot set mentioned and the mention is cut", () => {
  const dm = mapDiscordMessage({ id: "1", channel_id: "50", author: { id: "300", username: "ada", global_name: "Ada" }, content: "hi", timestamp: "2026-01-01T00:00:00.000Z", type: 0 }, "default", BOT);
  assert.ok("message" in dm);
  assert.deepEqual(dm.message, { channel: "discord", accountId: "default", chatType: "direct", senderId: "300", senderName: "Ada", text: "hi", messageId: "1", mentioned: false, ts: Date.parse("2026-01-01T00:00:00.000Z") });
  const mention = mapDiscordMessage({ id: "2", channel_id: "200", guild_id: "100", member: { roles: ["r1"] }, author: { id: "300" }, content: `<@!${BOT}>  what's up`, mentions: [{ id: BOT }], type: 0 }, "default", BOT);
  assert.ok("message" in mention);
  assert.deepEqual([mention.message.chatType, mention.message.groupId, mention.message.mentioned, mention.message.text, mention.guildId, mention.roles], ["group", "200", true, "what's up", "100", ["r1"]]);
  const reply = mapDiscordMessage({ id: "3", channel_id: "200", guild_id: "100", author: { id: "300" }, content: "and?", type: 19, referenced_message: { author: { id: BOT } } }, "default", BOT);
  assert.ok("message" in reply && reply.message.mentioned);
  const other = mapDiscordMessage({ id: "4", channel_id: "200", guild_id: "100", author: { id: "300" }, content: "<@555> hey", mentions: [{ id: "555" }], type: 0 }, "default", BOT);
  assert.ok("message" in other && !other.message.mentioned);
});

test("skips: the bot's own messages, other bots (unless allowBots), system messages, empty text and group DMs", () => {
  const base = { id: "1", channel_id: "200", guild_id: "100", author: { id: "300" }, content: "x", type: 0 };
  assert.deepEqual(mapDiscordMessage({ ...base, author: { id: BOT, bot: true } }, "default", BOT), { skip: "own" });
  assert.deepEqual(mapDiscordMessage({ ...base, author: { id: "7", bot: true } }, "default", BOT), { skip: "bot" });
  assert.ok("message" in mapDiscordMessage({ ...base, author: { id: "7", bot: true } }, "default", BOT, { allowBots: true }));
  assert.deepEqual(mapDiscordMessage({ ...base, type: 7 }, "default", BOT), { skip: "system" });
  assert.deepEqual(mapDiscordMessage({ ...base, content: `<@${BOT}>` }, "default", BOT), { skip: "empty" });
  assert.deepEqual(mapDiscordMessage({ ...base, guild_id: undefined, channel_type: 3 }, "default", BOT), { skip: "group-dm" });
});

test("targets: user:<id>, <@id>, discord:<id> are DMs; channel:<id>, <#id> and bare ids are channels; anything else is a USAGE error with the syntax", () => {
  assert.deepEqual(parseDiscordTarget("user:123456"), { kind: "user", id: "123456" });
  assert.deepEqual(parseDiscordTarget("<@!123456>"), { kind: "user", id: "123456" });
  assert.deepEqual(parseDiscordTarget("discord:123456"), { kind: "user", id: "123456" });
  assert.deepEqual(parseDiscordTarget("channel:123456"), { kind: "channel", id: "123456" });
  assert.deepEqual(parseDiscordTarget("<#123456>"), { kind: "channel", id: "123456" });
  assert.deepEqual(parseDiscordTarget(" 123456 "), { kind: "channel", id: "123456" });
  for (const bad of ["#general", "<@123456", "user:abc", ""]) assert.throws(() => parseDiscordTarget(bad), (e: unknown) => e instanceof AppError && e.code === "USAGE", bad);
});
