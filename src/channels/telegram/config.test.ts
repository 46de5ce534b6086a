import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { tempDirFactory } from "../../../test/helpers/temp.js";
import { chunkTelegramText } from "./chunk.js";
import { listTelegramAccountIds, normalizeApiRoot, resolveTelegramAccount } from "./config.js";
import { mapTelegramUpdate, normalizeTelegramAllowEntry, parseTelegramTarget, verifyTelegramWebhookSecret } from "./inbound.js";

const tempDir = tempDirFactory("tg-config");

test("token order: account tokenFile > account botToken > section > env (default account only)", () => {
  const dir = tempDir();
  const file = path.join(dir, "token");
  fs.writeFileSync(file, "111:from-file\n");
  const section = { botToken: "222:section", accounts: { default: {}, ops: { tokenFile: file, botToken: "333:ignored" }, alerts: { botToken: "444:alerts" } } };
  const env = { TELEGRAM_BOT_TOKEN: "555:env" };
  assert.deepEqual([resolveTelegramAccount(section, "ops", env).token, resolveTelegramAccount(section, "ops", env).tokenSource], ["111:from-file", "file"]);
  assert.equal(resolveTelegramAccount(section, "alerts", env).token, "444:alerts");
  assert.equal(resolveTelegramAccount(section, "default", env).tokenSource, "config");
  const bare = { accounts: { default: {}, ops: {} } };
  assert.deepEqual([resolveTelegramAccount(bare, "default", env).token, resolveTelegramAccount(bare, "default", env).tokenSource], ["555:env", "env"]);
  const named = resolveTelegramAccount(bare, "ops", env);
  assert.equal(named.token, undefined, "env never serves a named account");
  assert.match(named.tokenError ?? "", /channels\.telegram\.accounts\.ops\.botToken or tokenFile/);
  assert.deepEqual(listTelegramAccountIds(undefined), ["default"]);
});

test("tokenFile must be a regular file; symlinks and empty files get a clear error without a token", () => {
  const dir = tempDir();
  const real = path.join(dir, "real");
  fs.writeFileSync(real, "999:SECRETVALUE");
  fs.symlinkSync(real, path.join(dir, "link"));
  fs.writeFileSync(path.join(dir, "empty"), "");
  const link = resolveTelegramAccount({ tokenFile: path.join(dir, "link") }, "default", {});
  assert.equal(link.token, undefined);
  assert.match(link.tokenError ?? "", /not a regular file \(symlinks are rejected\)/);
  assert.doesNotMatch(link.tokenError ?? "", /SECRETVALUE/);
  assert.match(resolveTelegramAccount({ tokenFile: path.join(dir, "empty") }, "default", {}).tokenError ?? "", /is empty/);
  assert.match(resolveTelegramAccount({ tokenFile: path.join(dir, "missing") }, "default", {}).tokenError ?? "", /ENOENT/);
});

test("apiRoot: an accidental /bot<TOKEN> suffix and trailing slashes are stripped; webhookUrl selects webhook mode", () => {
  assert.deepEqual(normalizeApiRoot("http://127.0.0.1:8081/bot123:ABC/"), { apiRoot: "http://127.0.0.1:8081", stripped: true });
  assert.deepEqual(normalizeApiRoot("http://127.0.0.1:8081/bot123:ABC/getMe"), { apiRoot: "http://127.0.0.1:8081", stripped: true });
  assert.deepEqual(normalizeApiRoot("https://tg.example/api/"), { apiRoot: "https://tg.example/api", stripped: false });
  assert.deepEqual(normalizeApiRoot(undefined), { apiRoot: "https://api.telegram.org", stripped: false });
  const hook = resolveTelegramAccount({ botToken: "1:x", webhookUrl: "https://h.example/tg", webhookSecret: "s3" }, "default", {});
  assert.deepEqual([hook.mode, hook.webhookPath, hook.webhookSecret], ["webhook", "/telegram-webhook", "s3"]);
  assert.equal(resolveTelegramAccount({ botToken: "1:x" }, "default", {}).mode, "polling");
  assert.equal(resolveTelegramAccount({ botToken: "1:x", enabled: false }, "default", {}).enabled, false);
});

test("chunking splits at 4096 on paragraph, line or word boundaries and never loses text", () => {
  const words = Array.from({ length: 2000 }, (_, i) => `word${i}`).join(" ");
  const chunks = chunkTelegramText(words);
  assert.ok(chunks.length >= 3);
  for (const c of chunks) assert.ok(c.length <= 4096, `chunk of ${c.length}`);
  assert.equal(chunks.join(" "), words);
  for (const c of chunks) assert.match(c, /^word\d+( word\d+)*$/, "no word is cut");
  const lines = `${"a".repeat(3000)}\n${"b".repeat(3000)}`;
  assert.deepEqual(chunkTelegramText(lines), ["a".repeat(3000), "b".repeat(3000)]);
  const solid = "x".repeat(9000);
  assert.deepEqual(chunkTelegramText(solid).map((c) => c.length), [4096, 4096, 808]);
  assert.deepEqual(chunkTelegramText("short"), ["short"]);
});

test("updates map to inbound messages: DMs, groups, mentions, replies to the bot, topics", () => {
  const bot = { id: 42, username: "ops_bot" };
  const dm = mapTelegramUpdate({ update_id: 5, message: { message_id: 9, date: 1700000000, from: { id: 1001, first_name: "Ada", last_name: "L", username: "ada" }, chat: { id: 1001, type: "private" }, text: "hi" } }, "default", bot);
  assert.deepEqual(dm, { channel: "telegram", accountId: "default", chatType: "direct", senderId: "1001", senderName: "Ada L", senderUsername: "ada", text: "hi", messageId: "9", mentioned: false, ts: 1700000000000, updateId: 5 });
  const group = (extra: Record<string, unknown>) => mapTelegramUpdate({ update_id: 6, message: { message_id: 10, date: 1, from: { id: 7, first_name: "B" }, chat: { id: -100500, type: "supergroup" }, text: "hey @OPS_bot and @other", ...extra } }, "ops", bot);
  assert.equal(group({ entities: [{ type: "mention", offset: 4, length: 8 }] })?.mentioned, true);
  assert.equal(group({ entities: [{ type: "mention", offset: 17, length: 6 }] })?.mentioned, false);
  assert.equal(group({})?.mentioned, false, "text alone is not a mention entity");
  assert.equal(group({ reply_to_message: { from: { id: 42 } } })?.mentioned, true);
  assert.deepEqual([group({})?.groupId, group({})?.chatType], ["-100500", "group"]);
  assert.equal(group({ message_thread_id: 3, is_topic_message: true })?.threadId, "3");
  assert.equal(mapTelegramUpdate({ update_id: 1, message: { from: { id: 1, is_bot: true }, chat: { id: 1, type: "private" }, text: "x" } }, "d", bot), undefined);
  assert.equal(mapTelegramUpdate({ update_id: 1, channel_post: { text: "x" } }, "d", bot), undefined);
});

test("targets, tg: allowlist entries and the webhook secret compare", () => {
  assert.deepEqual(parseTelegramTarget("tg:123"), { chatId: "123" });
  assert.deepEqual(parseTelegramTarget("-100123:topic:7"), { chatId: "-100123", threadId: 7 });
  assert.throws(() => parseTelegramTarget("@someone"), (e: Error & { hint?: string }) => /not a chat id/.test(e.message) && /numeric chat id/.test(e.hint ?? ""));
  assert.deepEqual(["tg:55", "telegram:56", "57", 58, "+46XXXXXXX", "<id>"].map(normalizeTelegramAllowEntry), ["55", "56", "57", "58", undefined, undefined]);
  assert.equal(verifyTelegramWebhookSecret("s3cret", "s3cret"), true);
  assert.equal(verifyTelegramWebhookSecret("s3creT", "s3cret"), false);
  assert.equal(verifyTelegramWebhookSecret("short", "s3cret"), false);
  assert.equal(verifyTelegramWebhookSecret(undefined, "s3cret"), false);
  assert.equal(verifyTelegramWebhookSecret("x", undefined), false);
});
