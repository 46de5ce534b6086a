/**
 * Channels through the whole gateway (issue 14): a loopback Telegram Bot API (grammy, `apiRoot`) and
 * a loopback model server. Allowlisted DMs are answered; others are dropped and counted in
 * `channels.status`, `health` and `/metrics`; pairing sends one code and `openclaw pairing approve`
 * lets the next message in; webhook mode on the gateway's route table; credential edits restart only
 * that account while allowlist edits apply in place, with WebSocket clients staying connected; a
 * probe against a hanging server answers within its timeout.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { describe, test } from "node:test";
import type { GatewayClient } from "../../src/client/index.js";
import { pollUntil } from "../../src/infra/index.js";
import { runInProcess } from "../helpers/cli.js";
import { startFakeLlm } from "../helpers/fake-llm.js";
import { type FakeTelegram, startFakeTelegram } from "../helpers/fake-telegram.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

const TOKEN = "123456789:AAplantedTelegramTokenGateway01234567";
const ALT_TOKEN = "987654321:AAplantedTelegramTokenAlternate7654321";
const NEW_ALT_TOKEN = "987654321:AAplantedTelegramTokenRotated00000000";

type Obj = Record<string, unknown>;
type Snapshot = { accountId: string; running?: boolean; connected?: boolean; lastStartAt?: number; restarts?: number; dropped?: Record<string, number>; reconnectAttempts?: number; lastDisconnectAt?: number | null; lastConnectedAt?: number | null; probe?: { ok: boolean; error?: string } };

async function setup(t: Parameters<typeof startTestGateway>[0], telegram: (bot: FakeTelegram) => Obj, fakeOptions: Parameters<typeof startFakeTelegram>[0] = {}) {
  // Echoes the newest ping so each reply names the message it answers.
  const llm = await startFakeLlm((req) => ({ text: `echo: ${[...JSON.stringify(req.body.messages).matchAll(/ping-[\w-]+/g)].at(-1)?.[0] ?? "?"}` }));
  t.after(() => llm.close());
  const bot = await startFakeTelegram({ tokens: [TOKEN, ALT_TOKEN, NEW_ALT_TOKEN], botUsername: "ops_bot", ...fakeOptions });
  t.after(() => bot.close());
  const gw = await startTestGateway(t, {
    channels: true,
    config: {
      agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" } } },
      models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: "sk-ant-api03-channelsKEY000000000000000000" } } },
      channels: { telegram: telegram(bot) },
    },
  });
  const client = await gw.connect({ timeoutMs: 15_000 });
  t.after(() => client.close());
  return { llm, bot, gw, client };
}

async function accounts(client: GatewayClient, params: Obj = {}): Promise<Snapshot[]> {
  const status = (await client.call("channels.status", params)) as { channelAccounts: Record<string, Snapshot[]> };
  return status.channelAccounts.telegram ?? [];
}

/** Rewrites the config file and waits until the gateway has applied it. */
async function editConfig(gw: TestGateway, edit: (config: Obj) => void): Promise<void> {
  const before = gw.rt.reloadStatus().lastReloadAt;
  const config = JSON.parse(readFileSync(gw.configPath, "utf8")) as Obj;
  edit(config);
  writeFileSync(gw.configPath, `${JSON.stringify(config, null, 2)}\n`);
  assert.ok(await pollUntil(() => gw.rt.reloadStatus().lastReloadAt !== before, 10_000, 20), "the gateway applied the edit");
}

const telegramSection = (config: Obj) => (config.channels as { telegram: Obj }).telegram;

describe("channels in the gateway", () => {
  test("allowlisted DM answered, stranger dropped and counted everywhere, pairing code once, approve lets the next message in", async (t) => {
    const { bot, gw, client } = await setup(t, (b) => ({ botToken: TOKEN, apiRoot: b.apiRoot, dmPolicy: "allowlist", allowFrom: ["tg:1001"] }));
    assert.ok(await pollUntil(async () => (await accounts(client))[0]?.connected === true, 10_000, 20), "the account connects");

    bot.enqueue({ chatId: 1001, fromId: 1001, fromName: "Ada", text: "ping-one" });
    assert.ok(await pollUntil(() => bot.sent().some((s) => s.text === "echo: ping-one"), 15_000, 20), "the agent's reply went out");
    assert.deepEqual(bot.sent()[0], { chatId: "1001", text: "echo: ping-one" });
    // The session remembers where the message came from (OpenClaw's lastChannel/lastTo).
    assert.ok(
      await pollUntil(async () => ((await client.call("sessions.list", {})) as { sessions: Obj[] }).sessions.some((s) => s.lastChannel === "telegram" && s.lastTo === "1001" && s.lastAccountId === "default"), 5000, 20),
      "the session is stamped with its channel",
    );

    bot.enqueue({ chatId: 2002, fromId: 2002, text: "ping-stranger" });
    assert.ok(await pollUntil(async () => (await accounts(client))[0]?.dropped?.["not-allowlisted"] === 1, 10_000, 20), "counted in channels.status");
    const health = (await client.call("health", {})) as { channels: { telegram: { dropped?: Obj } } };
    assert.deepEqual(health.channels.telegram.dropped, { "not-allowlisted": 1 });
    const metrics = await (await fetch(`http://127.0.0.1:${gw.rt.port}/metrics`, { headers: { authorization: `Bearer ${gw.token}` } })).text();
    assert.match(metrics, /openclaw_channel_inbound_dropped_total\{channel="telegram",account="default",reason="not-allowlisted"\} 1/);
    assert.match(metrics, /openclaw_channel_account_connected\{channel="telegram",account="default"\} 1/);
    assert.equal(bot.sent().filter((s) => s.chatId === "2002").length, 0, "nothing sent to the stranger");
    const healthCli = await runInProcess(["health", "--url", gw.url, "--token", gw.token], { env: gw.env });
    assert.match(healthCli.stdout, /^ {2}Telegram: running · dropped not-allowlisted 1$/m, healthCli.stdout);
    const status = await runInProcess(["status", "--deep", "--url", gw.url, "--token", gw.token, "--timeout", "5000"], { env: gw.env });
    assert.match(status.stdout, /Channel Telegram: default running.* · dropped not-allowlisted 1$/m, status.stdout);
    const log = readFileSync(`${gw.home}/logs/openclaw.log`, "utf8");
    assert.match(log, /inbound dropped: telegram\/default dm from … \(not-allowlisted\)/, "logged at info with the sender masked");
    assert.ok(!log.includes(TOKEN), "the bot token is never logged");

    // The policy edit applies in place: no restart, the socket stays up.
    const startedAt = (await accounts(client))[0]?.lastStartAt;
    await editConfig(gw, (c) => Object.assign(telegramSection(c), { dmPolicy: "pairing", allowFrom: [] }));
    assert.equal((await accounts(client))[0]?.lastStartAt, startedAt, "an allowlist edit does not restart the account");
    bot.enqueue({ chatId: 3003, fromId: 3003, text: "ping-pair-1" });
    bot.enqueue({ chatId: 3003, fromId: 3003, text: "ping-pair-2" });
    assert.ok(await pollUntil(async () => (await accounts(client))[0]?.dropped?.["pairing-pending"] === 2, 10_000, 20));
    const codes = bot.sent().filter((s) => s.chatId === "3003");
    assert.equal(codes.length, 1, "the code is sent once");
    const code = /Pairing code: (\w{8})/.exec(codes[0]!.text)![1]!;
    const approve = await runInProcess(["pairing", "approve", "telegram", code, "--notify", "--url", gw.url, "--token", gw.token], { env: gw.env });
    assert.equal(approve.code, 0, approve.stderr);
    assert.match(approve.stdout, /Notified the sender/);
    assert.ok(await pollUntil(() => bot.sent().some((s) => s.chatId === "3003" && /access approved/.test(s.text)), 5000, 20), "--notify went out through the gateway's send");
    bot.enqueue({ chatId: 3003, fromId: 3003, text: "ping-after" });
    assert.ok(await pollUntil(() => bot.sent().some((s) => s.chatId === "3003" && s.text === "echo: ping-after"), 15_000, 20), "the approved sender is answered");
    assert.ok(await client.call("health", {}), "the WebSocket client stayed connected");
  });

  test("a token edit restarts only that account; the other account and the WebSocket client carry on", async (t) => {
    const { bot, gw, client } = await setup(t, (b) => ({ apiRoot: b.apiRoot, dmPolicy: "open", allowFrom: ["*"], accounts: { default: { botToken: TOKEN }, alt: { botToken: ALT_TOKEN } } }));
    assert.ok(await pollUntil(async () => (await accounts(client)).filter((a) => a.connected).length === 2, 10_000, 20), "both accounts connect");
    const before = new Map((await accounts(client)).map((a) => [a.accountId, a.lastStartAt]));
    await editConfig(gw, (c) => Object.assign((telegramSection(c).accounts as { alt: Obj }).alt, { botToken: NEW_ALT_TOKEN }));
    assert.ok(await pollUntil(async () => (await accounts(client)).find((a) => a.accountId === "alt")?.lastStartAt !== before.get("alt"), 10_000, 20), "alt restarted");
    const after = await accounts(client);
    assert.equal(after.find((a) => a.accountId === "default")?.lastStartAt, before.get("default"), "default was not restarted");
    assert.ok(await pollUntil(() => bot.calls.some((c) => c.token === NEW_ALT_TOKEN && c.method === "getUpdates"), 10_000, 20), "alt polls with the new token");
    assert.ok(!readFileSync(`${gw.home}/logs/openclaw.log`, "utf8").includes(NEW_ALT_TOKEN), "the new token is not logged");
    assert.ok(await client.call("health", {}), "the WebSocket client stayed connected");
  });

  test("webhook mode: updates POSTed with the secret are answered; a wrong secret is 401", async (t) => {
    const { bot, gw } = await setup(t, (b) => ({ botToken: TOKEN, apiRoot: b.apiRoot, webhookUrl: "https://bot.example.test/telegram-webhook", webhookSecret: "hook-secret-1", dmPolicy: "allowlist", allowFrom: ["1001"] }));
    assert.ok(await pollUntil(() => bot.webhook !== undefined, 10_000, 20), "setWebhook was called");
    assert.equal(bot.webhook?.secret, "hook-secret-1");
    const update = (id: number, text: string) => JSON.stringify({ update_id: id, message: { message_id: id, date: 1_700_000_000, chat: { id: 1001, type: "private" }, from: { id: 1001, is_bot: false, first_name: "Ada" }, text } });
    const post = (secret: string, body: string) => fetch(`http://127.0.0.1:${gw.rt.port}/telegram-webhook`, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret }, body });
    assert.equal((await post("wrong", update(1, "ping-forged"))).status, 401);
    assert.equal((await post("hook-secret-1", update(2, "ping-hook"))).status, 200);
    assert.ok(await pollUntil(() => bot.sent().some((s) => s.text === "echo: ping-hook"), 15_000, 20), "the webhook update was answered");
    assert.equal(bot.sent().some((s) => s.text.includes("forged")), false);
  });

  test("WebChat is a channel: chat.send traffic is counted and shows in channels.status", async (t) => {
    const { client } = await setup(t, (b) => ({ botToken: TOKEN, apiRoot: b.apiRoot }));
    await client.call("chat.send", { sessionKey: "main", message: "ping-web", idempotencyKey: "web-1" });
    const webchat = async () => ((await client.call("channels.status", {})) as { channelAccounts: { webchat: Obj[] } }).channelAccounts.webchat[0] ?? {};
    assert.ok(await pollUntil(async () => (await webchat()).messagesOut === 1, 15_000, 20), "the reply is counted");
    const account = await webchat();
    assert.equal(account.messagesIn, 1);
    assert.equal(account.connected, true, "a chat client is connected");
    assert.equal(typeof account.lastInboundAt, "number");
    const sessions = ((await client.call("sessions.list", {})) as { sessions: Obj[] }).sessions;
    assert.ok(sessions.some((s) => s.lastChannel === "webchat"), JSON.stringify(sessions));
  });

  test("channels.status --probe answers within its timeout when the Bot API hangs", async (t) => {
    const { bot, client } = await setup(t, (b) => ({ botToken: TOKEN, apiRoot: b.apiRoot }));
    assert.ok(await pollUntil(async () => (await accounts(client))[0]?.connected === true, 10_000, 20));
    bot.hang.add("getMe");
    const [account] = await accounts(client, { probe: true, timeoutMs: 500 });
    assert.equal(account?.probe?.ok, false);
    assert.match(account?.probe?.error ?? "", /timed out after 500 ms/);
    bot.hang.delete("getMe");
    const [healthy] = await accounts(client, { probe: true, timeoutMs: 5000 });
    assert.equal(healthy?.probe?.ok, true);
  });
});
