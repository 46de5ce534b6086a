/**
 * The channels CLI against a gateway running a live Telegram account (loopback Bot API via
 * `apiRoot`): `message send` delivers and prints the message id, `channels status` shows the
 * running account with its drops and a working probe, `channels logs --channel telegram` finds the
 * gateway's own channel lines, `channels logout` answers. All through the built binary.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { GatewayClient } from "../../src/client/index.js";
import { pollUntil } from "../../src/infra/index.js";
import { runBinary } from "../helpers/cli.js";
import { startFakeTelegram } from "../helpers/fake-telegram.js";
import { startTestGateway } from "../helpers/gateway.js";
import { show } from "../helpers/inspect.js";

const TOKEN = "123456789:AAplantedTelegramTokenChannelsCli0123";

type Snapshot = { accountId: string; connected?: boolean; dropped?: Record<string, number> };

async function telegramAccounts(client: GatewayClient): Promise<Snapshot[]> {
  const status = (await client.call("channels.status", {})) as { channelAccounts: Record<string, Snapshot[]> };
  return status.channelAccounts.telegram ?? [];
}

test("message send, channels status/logs/logout against a live Telegram account", async (t) => {
  const bot = await startFakeTelegram({ tokens: [TOKEN], botUsername: "cli_bot" });
  t.after(() => bot.close());
  const gw = await startTestGateway(t, { channels: true, config: { channels: { telegram: { botToken: TOKEN, apiRoot: bot.apiRoot, dmPolicy: "allowlist", allowFrom: ["tg:1001"] } } } });
  const client = await gw.connect({ timeoutMs: 15_000 });
  t.after(() => client.close());
  assert.ok(await pollUntil(async () => (await telegramAccounts(client))[0]?.connected === true, 10_000, 20), "the account connects");
  const flags = ["--url", gw.url, "--token", gw.token];

  const sent = await runBinary(["message", "send", "--channel", "telegram", "--target", "1001", "--message", "hello from the cli", "--json", ...flags], { env: gw.env });
  assert.equal(sent.code, 0, show(sent));
  const result = JSON.parse(sent.stdout) as { messageId: string | null; messageIds: string[]; channel: string; accountId: string; to: string; runId: string };
  assert.deepEqual([result.channel, result.accountId, result.to], ["telegram", "default", "1001"]);
  assert.ok(result.messageId, "a message id");
  assert.deepEqual(bot.sent().at(-1), { chatId: "1001", text: "hello from the cli" });
  const human = await runBinary(["message", "send", "-t", "1001", "-m", "second", ...flags], { env: gw.env });
  assert.equal(human.code, 0, show(human));
  assert.match(human.stdout, /^Sent via Telegram to 1001\. Message ID: \S+$/m, "the only configured channel is the default");
  assert.equal(bot.sent().filter((s) => s.text === "second").length, 1);
  assert.ok(!sent.stdout.includes(TOKEN) && !human.stdout.includes(TOKEN));

  bot.enqueue({ chatId: 2002, fromId: 2002, text: "let me in" });
  assert.ok(await pollUntil(async () => (await telegramAccounts(client))[0]?.dropped?.["not-allowlisted"] === 1, 10_000, 20), "the stranger is dropped and counted");
  const status = await runBinary(["channels", "status", "--probe", "--timeout", "8000", ...flags], { env: gw.env });
  assert.equal(status.code, 0, show(status));
  assert.match(status.stdout, /^- Telegram default: enabled, configured, running, connected, mode:polling, .*out:\d+s ago.*dropped: not-allowlisted=1.*works/m);
  assert.doesNotMatch(status.stdout, /Telegram default: enabled but not running/);

  const logs = await runBinary(["channels", "logs", "--channel", "telegram", "--json"], { env: gw.env });
  assert.equal(logs.code, 0, show(logs));
  const lines = (JSON.parse(logs.stdout) as { lines: Array<{ subsystem: string; message: string }> }).lines;
  assert.ok(lines.length > 0, "the gateway's telegram lines are found");
  assert.ok(lines.some((l) => l.subsystem === "gateway/channels/telegram" && /channel account started/.test(l.message)), JSON.stringify(lines.map((l) => [l.subsystem, l.message])));
  assert.ok(!logs.stdout.includes(TOKEN));
  // Drop lines (sender masked) are the channel's own, so they show under --channel telegram.
  assert.ok(lines.some((l) => /inbound dropped: telegram\/default dm from … \(not-allowlisted\)/.test(l.message)), JSON.stringify(lines.map((l) => [l.subsystem, l.message])));
  const other = await runBinary(["channels", "logs", "--channel", "googlechat", "--json"], { env: gw.env });
  assert.deepEqual((JSON.parse(other.stdout) as { lines: unknown[] }).lines, [], "another channel's filter sees none of them");

  const unknown = await runBinary(["message", "send", "--channel", "nope", "-t", "1", "-m", "hi", ...flags], { env: gw.env });
  assert.notEqual(unknown.code, 0, show(unknown));
  assert.match(unknown.stderr, /^error: send: .*nope/m);

  const logout = await runBinary(["channels", "logout", "--channel", "telegram", "--json", ...flags], { env: gw.env });
  assert.equal(logout.code, 0, show(logout));
  const out = JSON.parse(logout.stdout) as { channel: string; accountId: string; cleared: boolean };
  assert.deepEqual([out.channel, out.accountId, typeof out.cleared], ["telegram", "default", "boolean"]);

  // Disabling through the CLI edits the config; the running gateway applies it and stops the account.
  const remove = await runBinary(["channels", "remove", "--channel", "telegram"], { env: gw.env });
  assert.equal(remove.code, 0, show(remove));
  assert.ok(await pollUntil(async () => {
    const a = (await telegramAccounts(client))[0] as (Snapshot & { enabled?: boolean; running?: boolean }) | undefined;
    return a?.enabled === false && a.running === false;
  }, 10_000, 20), "the gateway stopped the disabled account");
  assert.ok(await client.call("health", {}), "the WebSocket client stayed connected");
});
