/** Baileys messages → InboundMessage: DMs as E.164, groups with mention/reply-to-bot, self-chat per selfChatMode, LID senders, targets. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { AppError } from "../../shared/index.js";
import { mapWhatsAppMessage, parseWhatsAppTarget } from "./inbound.js";

const SELF = { jid: "15559990000:7@s.whatsapp.net", lid: "88887777@lid" };
const ts = 1_760_000_000;

test("a DM maps to a direct message from +E.164 with its id, name and time; empty, status and newsletter messages are not inbound", () => {
  const m = mapWhatsAppMessage({ key: { remoteJid: "15551230001@s.whatsapp.net", id: "A1", fromMe: false }, message: { extendedTextMessage: { text: "hi there" } }, messageTimestamp: ts, pushName: "Ada" }, "default", SELF);
  assert.equal(m?.chatType, "direct");
  assert.equal(m?.senderId, "+15551230001");
  assert.equal(m?.text, "hi there");
  assert.equal(m?.messageId, "A1");
  assert.equal(m?.senderName, "Ada");
  assert.equal(m?.ts, ts * 1000);
  assert.equal(m?.selfChat, false);
  assert.equal(mapWhatsAppMessage({ key: { remoteJid: "status@broadcast", id: "S", participant: "15551230001@s.whatsapp.net" }, message: { conversation: "story" } }, "default", SELF), undefined);
  assert.equal(mapWhatsAppMessage({ key: { remoteJid: "1203@newsletter", id: "N" }, message: { conversation: "news" } }, "default", SELF), undefined);
  assert.equal(mapWhatsAppMessage({ key: { remoteJid: "15551230001@s.whatsapp.net", id: "E" }, message: { reactionMessage: { text: "👍" } } }, "default", SELF), undefined);
  // An image caption and an ephemeral wrapper are text too.
  assert.equal(mapWhatsAppMessage({ key: { remoteJid: "15551230001@s.whatsapp.net", id: "C" }, message: { ephemeralMessage: { message: { imageMessage: { caption: "look" } } } } }, "default", SELF)?.text, "look");
});

test("a LID sender uses the phone-number alt jid when Baileys gives one", () => {
  const m = mapWhatsAppMessage({ key: { remoteJid: "4242@lid", remoteJidAlt: "15551230001@s.whatsapp.net", id: "L1" }, message: { conversation: "x" } }, "default", SELF);
  assert.equal(m?.senderId, "+15551230001");
});

test("groups: groupId is the jid, the sender is E.164, mentioned by jid, by LID or by a reply to the bot; the bot's own group messages are skipped", () => {
  const base = { key: { remoteJid: "120363@g.us", participant: "15551230001@s.whatsapp.net", id: "G1" } };
  const plain = mapWhatsAppMessage({ ...base, message: { conversation: "hello all" } }, "default", SELF);
  assert.deepEqual([plain?.chatType, plain?.groupId, plain?.senderId, plain?.mentioned], ["group", "120363@g.us", "+15551230001", false]);
  const byJid = mapWhatsAppMessage({ ...base, message: { extendedTextMessage: { text: "@bot hi", contextInfo: { mentionedJid: ["15559990000@s.whatsapp.net"] } } } }, "default", SELF);
  assert.equal(byJid?.mentioned, true);
  const byLid = mapWhatsAppMessage({ ...base, message: { extendedTextMessage: { text: "@bot hi", contextInfo: { mentionedJid: ["88887777@lid"] } } } }, "default", SELF);
  assert.equal(byLid?.mentioned, true);
  const other = mapWhatsAppMessage({ ...base, message: { extendedTextMessage: { text: "@someone", contextInfo: { mentionedJid: ["15550000001@s.whatsapp.net"] } } } }, "default", SELF);
  assert.equal(other?.mentioned, false);
  const reply = mapWhatsAppMessage({ ...base, message: { extendedTextMessage: { text: "yes", contextInfo: { participant: "15559990000@s.whatsapp.net", quotedMessage: { conversation: "q" } } } } }, "default", SELF);
  assert.equal(reply?.mentioned, true);
  assert.equal(mapWhatsAppMessage({ key: { ...base.key, fromMe: true }, message: { conversation: "mine" } }, "default", SELF), undefined);
});

test("self-chat: the linked number writing to itself is inbound unless selfChatMode is false; fromMe to others is not", () => {
  const selfMsg = { key: { remoteJid: "15559990000@s.whatsapp.net", fromMe: true, id: "SC1" }, message: { conversation: "note to self" } };
  const m = mapWhatsAppMessage(selfMsg, "default", SELF);
  assert.equal(m?.selfChat, true);
  assert.equal(m?.senderId, "+15559990000");
  assert.equal(mapWhatsAppMessage(selfMsg, "default", SELF, { selfChatMode: true })?.selfChat, true);
  assert.equal(mapWhatsAppMessage(selfMsg, "default", SELF, { selfChatMode: false }), undefined);
  assert.equal(mapWhatsAppMessage({ key: { remoteJid: "15551230001@s.whatsapp.net", fromMe: true, id: "O1" }, message: { conversation: "typed on the phone" } }, "default", SELF), undefined);
});

test("send targets: E.164, bare digits, whatsapp: prefix and jids; anything else is a USAGE error naming the forms", () => {
  assert.equal(parseWhatsAppTarget("+15551230001"), "15551230001@s.whatsapp.net");
  assert.equal(parseWhatsAppTarget("whatsapp:+1 (555) 123-0001"), "15551230001@s.whatsapp.net");
  assert.equal(parseWhatsAppTarget("120363@g.us"), "120363@g.us");
  assert.throws(() => parseWhatsAppTarget("bob"), (e: unknown) => e instanceof AppError && e.code === "USAGE" && /E\.164/.test(e.hint ?? ""));
});
