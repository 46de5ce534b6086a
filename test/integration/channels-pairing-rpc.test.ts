/**
 * `channels.pairing.list|approve|dismiss` through a real gateway running a Telegram account with
 * `dmPolicy: pairing` against the loopback Bot API: strangers' DMs become requests with OpenClaw's
 * opaque ids; approve (with notify) moves the sender to the approved senders, so their next DM is
 * answered by the agent; dismiss removes a request without approving it; `openclaw pairing list`
 * (the same store) agrees; stale ids and non-pairing accounts are refused as OpenClaw does.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { pollUntil } from "../../src/infra/index.js";
import { runInProcess } from "../helpers/cli.js";
import { startFakeLlm } from "../helpers/fake-llm.js";
import { startFakeTelegram } from "../helpers/fake-telegram.js";
import { startTestGateway } from "../helpers/gateway.js";

const TOKEN = "123456789:AAplantedTelegramTokenPairingRpc0123456";

type PairingList = {
  accounts: Array<Record<string, unknown>>;
  requests: Array<{ requestId: string; senderId: string; accountId: string; channel: string; createdAt: string; expiresAt: string; metadata?: Record<string, string> } & Record<string, unknown>>;
  commandOwnerConfigured: boolean;
  limits: { pendingPerAccount: number; ttlMs: number };
};

test("a stranger's DM is listed; approve lets their next message through, dismiss removes another; the CLI sees the same store", async (t) => {
  const llm = await startFakeLlm((req) => ({ text: `echo: ${[...JSON.stringify(req.body.messages).matchAll(/ping-[\w-]+/g)].at(-1)?.[0] ?? "?"}` }));
  t.after(() => llm.close());
  const bot = await startFakeTelegram({ tokens: [TOKEN], botUsername: "pair_bot" });
  t.after(() => bot.close());
  const gw = await startTestGateway(t, {
    channels: true,
    config: {
      agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" } } },
      models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: "sk-ant-api03-pairingKEY000000000000000000" } } },
      channels: { telegram: { botToken: TOKEN, apiRoot: bot.apiRoot, dmPolicy: "pairing" } },
    },
  });
  const client = await gw.connect({ timeoutMs: 15_000 });
  t.after(() => client.close());
  const list = async (params: Record<string, unknown> = {}) => (await client.call("channels.pairing.list", params)) as PairingList;

  const empty = await list();
  assert.deepEqual(empty.accounts, [{ channel: "telegram", channelLabel: "Telegram", accountId: "default", notifySupported: true }]);
  assert.deepEqual(empty.requests, []);
  assert.equal(empty.commandOwnerConfigured, false);
  assert.deepEqual(empty.limits, { pendingPerAccount: 3, ttlMs: 3_600_000 });

  bot.enqueue({ chatId: 3003, fromId: 3003, fromName: "Cleo", text: "ping-hello" });
  bot.enqueue({ chatId: 4004, fromId: 4004, text: "ping-other" });
  assert.ok(await pollUntil(async () => (await list()).requests.length === 2, 15_000, 20), "both strangers' requests are listed");
  const { requests } = await list({ channel: "telegram", accountId: "default" });
  const cleo = requests.find((r) => r.senderId === "3003")!;
  const other = requests.find((r) => r.senderId === "4004")!;
  assert.ok(cleo && other);
  assert.match(cleo.requestId, /^[\w-]{32}$/);
  assert.equal(cleo.senderLabel, "telegramUserId");
  assert.equal(cleo.channelLabel, "Telegram");
  assert.deepEqual(cleo.metadata, { name: "Cleo" });
  assert.equal(Date.parse(cleo.expiresAt) - Date.parse(cleo.createdAt), 3_600_000);
  assert.ok(!JSON.stringify(requests).includes("code"), "the pairing codes are never sent to the UI");
  assert.equal(bot.sent().filter((s) => /Pairing code/.test(s.text)).length, 2, "each stranger got their code");

  // Refusals, as OpenClaw words them.
  await assert.rejects(client.call("channels.pairing.approve", { channel: "telegram", accountId: "work", requestId: cleo.requestId }), /channel account does not use DM pairing: telegram:work/);
  await assert.rejects(client.call("channels.pairing.list", { channel: "nosuch" }), /unknown pairing channel: nosuch/);

  const approved = await client.call("channels.pairing.approve", { channel: "telegram", accountId: "default", requestId: cleo.requestId, notify: true, bootstrapCommandOwner: true });
  assert.deepEqual(approved, { requestId: cleo.requestId, senderId: "3003", notification: "sent", commandOwnerBootstrap: "unavailable" });
  assert.ok(bot.sent().some((s) => s.chatId === "3003" && /access approved/.test(s.text)), "the sender was told through Telegram");
  await assert.rejects(client.call("channels.pairing.approve", { channel: "telegram", accountId: "default", requestId: cleo.requestId }), (e: Error & { details?: { wire?: { code?: string } } }) => {
    assert.match(e.message, /pending DM access request no longer exists/);
    assert.equal(e.details?.wire?.code, "INVALID_REQUEST");
    return true;
  });

  // The approved sender's next DM reaches routing and the agent answers.
  bot.enqueue({ chatId: 3003, fromId: 3003, text: "ping-approved" });
  assert.ok(await pollUntil(() => bot.sent().some((s) => s.chatId === "3003" && s.text === "echo: ping-approved"), 15_000, 20), "the approved sender is answered");

  const cliBefore = await runInProcess(["pairing", "list", "telegram", "--json"], { env: gw.env });
  assert.equal(cliBefore.code, 0, cliBefore.stderr);
  assert.deepEqual((JSON.parse(cliBefore.stdout) as { requests: Array<{ id: string }> }).requests.map((r) => r.id), ["4004"], "the CLI sees only the other request");

  assert.deepEqual(await client.call("channels.pairing.dismiss", { channel: "telegram", accountId: "default", requestId: other.requestId }), { requestId: other.requestId, senderId: "4004" });
  assert.deepEqual((await list()).requests, []);
  const cliAfter = await runInProcess(["pairing", "list", "telegram", "--json"], { env: gw.env });
  assert.deepEqual((JSON.parse(cliAfter.stdout) as { requests: unknown[] }).requests, [], "openclaw pairing list shows none");
  await assert.rejects(client.call("channels.pairing.dismiss", { channel: "telegram", accountId: "default", requestId: other.requestId }), /no longer exists/);
});

test("accounts that do not use pairing are not listed; the RPC works while channels are skipped", async (t) => {
  const gw = await startTestGateway(t, {
    config: { channels: { telegram: { dmPolicy: "pairing", accounts: { ops: { botToken: TOKEN }, work: { botToken: TOKEN, dmPolicy: "allowlist", allowFrom: ["1"] } } }, whatsapp: { dmPolicy: "open", allowFrom: ["*"] } } },
  });
  const client = await gw.connect({ timeoutMs: 10_000 });
  t.after(() => client.close());
  const result = (await client.call("channels.pairing.list", {})) as PairingList;
  assert.deepEqual(
    result.accounts.map((a) => `${a.channel}/${a.accountId}/${a.notifySupported}`),
    ["telegram/ops/false"],
    "ops inherits the channel's pairing policy; the allowlist account and the open WhatsApp are left out; nothing can notify while channels are skipped",
  );
  assert.deepEqual(await client.call("channels.pairing.list", { channel: "discord" }), { accounts: [], requests: [], commandOwnerConfigured: false, limits: { pendingPerAccount: 3, ttlMs: 3_600_000 } }, "a known channel without accounts lists nothing");
  await assert.rejects(client.call("channels.pairing.list", { channel: "webchat" }), /unknown pairing channel: webchat/);
});
