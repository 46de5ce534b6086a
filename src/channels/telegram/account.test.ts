import assert from "node:assert/strict";
import { after, test } from "node:test";
import { startFakeTelegram } from "../../../test/helpers/fake-telegram.js";
import { pollUntil } from "../../infra/index.js";
import type { Logger } from "../../logging/index.js";
import { AppError } from "../../shared/index.js";
import { channelBackoffMs as telegramBackoffMs } from "../backoff.js";
import { TelegramAccount } from "./account.js";
import { resolveTelegramAccount } from "./config.js";
import type { TelegramInbound } from "./inbound.js";

const PLANTED = "8675309:PLANTED-tg-token-do-not-leak";

/** A logger that keeps every record (message + meta) as text, for leak greps. */
function captureLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const make = (subsystem: string): Logger & { lines: string[] } => {
    const rec = (level: string) => (message: string, meta?: Record<string, unknown>) => {
      lines.push(`${level} ${message} ${JSON.stringify(meta ?? {})}`);
    };
    return { subsystem, lines, trace: rec("trace"), debug: rec("debug"), info: rec("info"), warn: rec("warn"), error: rec("error"), fatal: rec("fatal"), child: (name) => make(`${subsystem}/${name}`), isEnabled: () => true };
  };
  return make("telegram");
}

const accounts: TelegramAccount[] = [];
after(async () => {
  for (const a of accounts) await a.stop();
});

function account(section: Record<string, unknown>, id = "default", options = {}): TelegramAccount {
  const a = new TelegramAccount(resolveTelegramAccount(section, id, {}), { pollTimeoutSec: 2, backoff: { initialMs: 50, maxMs: 400 }, ...options });
  accounts.push(a);
  return a;
}

test("long polling through grammy: DMs and group mentions arrive as inbound messages; replies are chunked; typing is sent", async (t) => {
  const server = await startFakeTelegram({ tokens: [PLANTED], botUsername: "ops_bot" });
  t.after(() => server.close());
  const log = captureLogger();
  const inbound: TelegramInbound[] = [];
  // An accidental /bot<TOKEN> suffix is stripped and logged (without the token).
  const a = account({ botToken: PLANTED, apiRoot: `${server.apiRoot}/bot${PLANTED}` });
  await a.start({ onInbound: (m) => void inbound.push(m), log });
  assert.ok(log.lines.some((l) => /stripped/.test(l)));
  server.enqueue({ chatId: 1001, fromId: 1001, fromName: "Ada", text: "hello bot" });
  server.enqueue({ chatId: -100200, chatType: "supergroup", fromId: 1002, text: "@ops_bot status?", mentions: ["@ops_bot"], threadId: 4 });
  server.enqueue({ chatId: -100200, chatType: "supergroup", fromId: 1003, text: "just chatting" });
  assert.ok(await pollUntil(() => inbound.length === 3, 10_000, 20), `got ${inbound.length} inbound`);
  assert.deepEqual(
    inbound.map((m) => [m.chatType, m.senderId, m.groupId, m.threadId, m.mentioned, m.text]),
    [
      ["direct", "1001", undefined, undefined, false, "hello bot"],
      ["group", "1002", "-100200", "4", true, "@ops_bot status?"],
      ["group", "1003", "-100200", undefined, false, "just chatting"],
    ],
  );
  // Offsets are confirmed: a later update arrives once, earlier ones are not redelivered.
  server.enqueue({ chatId: 1001, fromId: 1001, text: "second" });
  assert.ok(await pollUntil(() => inbound.length === 4, 10_000, 20));
  assert.equal(inbound[3]?.text, "second");
  const getUpdates = server.calls.filter((c) => c.method === "getUpdates");
  assert.ok(getUpdates.every((c) => c.params.timeout === 2), "long-poll timeout is sent");

  const long = `${"para one ".repeat(500)}\n\n${"para two ".repeat(400)}`;
  const sent = await a.send("tg:1001", long);
  assert.equal(sent.messageIds.length, 2);
  assert.deepEqual(server.sent().map((s) => s.chatId), ["1001", "1001"]);
  assert.ok(server.sent().every((s) => s.text.length <= 4096));
  assert.ok(server.sent().map((s) => s.text).join(" ").replace(/\s+/g, " ").trim() === long.replace(/\s+/g, " ").trim(), "no text lost");
  await a.send("-100200:topic:4", "in topic");
  assert.equal(server.sent().at(-1)?.threadId, 4);
  await a.typing("1001");
  assert.deepEqual(server.calls.filter((c) => c.method === "sendChatAction").map((c) => [c.params.chat_id, c.params.action]), [["1001", "typing"]]);

  const status = a.status();
  assert.deepEqual([status.running, status.connected, status.mode, status.tokenSource, status.reconnectAttempts, status.lastError], [true, true, "polling", "config", 0, null]);
  assert.ok(status.lastInboundAt && status.lastOutboundAt && status.lastStartAt);
  assert.equal(status.bot?.username, "ops_bot");

  // stop() aborts the in-flight long poll promptly.
  const polls = server.calls.filter((c) => c.method === "getUpdates").length;
  await a.stop(3000);
  assert.deepEqual([a.status().running, a.status().connected, a.status().lastStopAt !== null], [false, false, true]);
  server.enqueue({ chatId: 1001, fromId: 1001, text: "after stop" });
  await new Promise((r) => setImmediate(r));
  assert.ok(server.calls.filter((c) => c.method === "getUpdates").length <= polls + 1);
  assert.equal(inbound.length, 4);
  assert.ok(!JSON.stringify([log.lines, status]).includes(PLANTED), "token never in logs or status");
});

test("outage: the server going away → backoff retries with connected:false, then reconnects; a healthy loop is not restarted", async (t) => {
  const server = await startFakeTelegram({ tokens: [PLANTED] });
  t.after(() => server.close());
  const log = captureLogger();
  const inbound: TelegramInbound[] = [];
  const a = account({ botToken: PLANTED, apiRoot: server.apiRoot });
  await a.start({ onInbound: (m) => void inbound.push(m), log });
  server.enqueue({ chatId: 5, fromId: 5, text: "before" });
  assert.ok(await pollUntil(() => inbound.length === 1, 10_000, 20));
  assert.equal(a.status().reconnectAttempts, 0);

  await server.stop();
  const seen: boolean[] = [];
  assert.ok(
    await pollUntil(
      () => {
        seen.push(a.status().connected);
        return a.status().reconnectAttempts >= 3;
      },
      10_000,
      5,
    ),
    "retries while the server is gone",
  );
  assert.ok(!seen.slice(1).includes(true), "never reported connected while the server is down");
  const gap = a.status();
  assert.equal(gap.connected, false);
  assert.equal(gap.running, true);
  assert.match(gap.lastError ?? "", /getUpdates|getMe|deleteWebhook/);
  assert.ok(gap.lastDisconnectAt !== null && gap.lastConnectedAt !== null && gap.lastDisconnectAt >= gap.lastConnectedAt, "the gap is visible");
  assert.match(gap.lastError ?? "", /ECONNREFUSED|ECONNRESET|socket hang up/, "the network reason is kept");
  assert.ok(!(gap.lastError ?? "").includes(PLANTED));

  await server.restart();
  server.enqueue({ chatId: 5, fromId: 5, text: "after" });
  assert.ok(await pollUntil(() => a.status().connected && inbound.length === 2, 15_000, 20), "reconnects and receives");
  assert.equal(a.status().lastError, null);
  assert.ok((a.status().lastConnectedAt ?? 0) >= (gap.lastDisconnectAt ?? Infinity), "reconnected after the gap");
  assert.ok(log.lines.some((l) => l.startsWith("info telegram reconnected")));
  const attempts = a.status().reconnectAttempts;
  // Healthy now: several more long polls complete without any new attempt or restart.
  const polls = server.calls.filter((c) => c.method === "getUpdates").length;
  for (let i = 0; i < 3; i++) server.enqueue({ chatId: 5, fromId: 5, text: `m${i}` });
  assert.ok(await pollUntil(() => inbound.length === 5, 10_000, 20));
  assert.ok(server.calls.filter((c) => c.method === "getUpdates").length > polls);
  assert.equal(a.status().reconnectAttempts, attempts);
  assert.equal(server.calls.filter((c) => c.method === "getMe").length, 1, "getMe once: the loop was never restarted");
  assert.ok(!log.lines.join("\n").includes(PLANTED), "network errors carry the URL; the token is scrubbed");
  assert.ok(!log.lines.join("\n").includes(encodeURIComponent(PLANTED)));
});

test("probe answers within its timeout when the server hangs, and reports the bot when it answers", async (t) => {
  const server = await startFakeTelegram({ tokens: [PLANTED], botUsername: "probe_bot" });
  t.after(() => server.close());
  const a = account({ botToken: PLANTED, apiRoot: server.apiRoot });
  const ok = await a.probe(5000);
  assert.deepEqual([ok.ok, ok.bot?.username], [true, "probe_bot"]);
  server.hang.add("getMe");
  const started = Date.now();
  const hung = await a.probe(300);
  assert.equal(hung.ok, false);
  assert.match(hung.error ?? "", /timed out after 300 ms/);
  assert.deepEqual([a.status().probe?.ok, a.status().lastProbeAt !== null], [false, true]);
  assert.ok(Date.now() - started < 5000, "bounded by the probe timeout, not grammy's");
  const wrong = account({ botToken: "1:wrong", apiRoot: server.apiRoot });
  server.hang.delete("getMe");
  const denied = await wrong.probe(5000);
  assert.deepEqual([denied.ok, /401: Unauthorized/.test(denied.error ?? "")], [false, true]);
  const noSecret = account({ botToken: PLANTED, apiRoot: server.apiRoot, webhookUrl: "https://gw.example/tg" });
  await assert.rejects(noSecret.start({ onInbound: () => {}, log: captureLogger() }), /no webhookSecret/);
  const none = account({}, "default");
  assert.match((await none.probe(100)).error ?? "", /no bot token/);
  await assert.rejects(none.start({ onInbound: () => {}, log: captureLogger() }), (e: unknown) => e instanceof AppError && e.code === "CONFIG_INVALID" && /botToken or tokenFile/.test(e.message));
  assert.deepEqual([none.status().configured, none.status().tokenSource], [false, "none"]);
});

test("webhook mode: start registers the webhook with its secret instead of polling; handleWebhook checks the secret", async (t) => {
  const server = await startFakeTelegram({ tokens: [PLANTED], botUsername: "hook_bot" });
  t.after(() => server.close());
  const log = captureLogger();
  const inbound: TelegramInbound[] = [];
  const a = account({ botToken: PLANTED, apiRoot: server.apiRoot, webhookUrl: "https://gw.example/telegram-webhook", webhookSecret: "hook-secret-1" });
  await a.start({ onInbound: (m) => void inbound.push(m), log });
  assert.deepEqual(server.webhook, { url: "https://gw.example/telegram-webhook", secret: "hook-secret-1" });
  assert.equal(server.calls.filter((c) => c.method === "getUpdates").length, 0);
  assert.deepEqual([a.status().mode, a.status().connected], ["webhook", true]);
  const update = { update_id: 77, message: { message_id: 3, date: 1, from: { id: 9, first_name: "W" }, chat: { id: -5, type: "group" }, text: "hi @hook_bot", entities: [{ type: "mention", offset: 3, length: 9 }] } };
  assert.deepEqual(await a.handleWebhook({ "x-telegram-bot-api-secret-token": "wrong" }, update), { status: 401 });
  assert.deepEqual(await a.handleWebhook({}, update), { status: 401 });
  assert.equal(inbound.length, 0);
  assert.deepEqual(await a.handleWebhook({ "x-telegram-bot-api-secret-token": "hook-secret-1" }, "{not json"), { status: 400 });
  assert.deepEqual(await a.handleWebhook({ "x-telegram-bot-api-secret-token": "hook-secret-1" }, JSON.stringify(update)), { status: 200 });
  assert.deepEqual(inbound.map((m) => [m.chatType, m.senderId, m.mentioned]), [["group", "9", true]]);
  // A redelivered update (Telegram retries when it saw no 2xx) is acknowledged but passed on once.
  assert.deepEqual(await a.handleWebhook({ "x-telegram-bot-api-secret-token": "hook-secret-1" }, update), { status: 200 });
  assert.deepEqual([inbound.length, a.status().duplicatesDropped], [1, 1]);
  assert.ok(log.lines.some((l) => /secret token mismatch/.test(l)));
  assert.ok(!log.lines.join("\n").includes("hook-secret-1") && !log.lines.join("\n").includes(PLANTED));
});

test("backoff doubles from the initial delay to the cap, with jitter inside ±20 %", () => {
  const b = { initialMs: 1000, maxMs: 30_000 };
  assert.deepEqual([1, 2, 3, 5, 6, 20].map((n) => telegramBackoffMs(n, b, () => 0.5)), [1000, 2000, 4000, 16_000, 30_000, 30_000]);
  assert.equal(telegramBackoffMs(1, b, () => 0), 800);
  assert.equal(telegramBackoffMs(1, b, () => 1), 1200);
});

test("markdown replies go out as Telegram HTML; markup Telegram refuses falls back to plain text", async () => {
  const bot = await startFakeTelegram({ tokens: [PLANTED] });
  after(() => bot.close());
  const a = account({ botToken: PLANTED, apiRoot: bot.apiRoot });
  await a.send("42", "**bold** <tag> & `code`", { markdown: true });
  assert.deepEqual(bot.sent()[0], { chatId: "42", text: "bold <tag> & code", html: "<b>bold</b> &lt;tag&gt; &amp; <code>code</code>" });
  await a.send("42", "**as is**");
  assert.deepEqual(bot.sent()[1], { chatId: "42", text: "**as is**" }, "plain sends stay plain");

  const strict = await startFakeTelegram({ tokens: [PLANTED], rejectHtml: true });
  after(() => strict.close());
  const b = account({ botToken: PLANTED, apiRoot: strict.apiRoot });
  await b.send("43", "**still** delivered", { markdown: true });
  assert.deepEqual(strict.sent(), [{ chatId: "43", text: "**still** delivered" }], "the words arrive even when the markup is refused");
});
