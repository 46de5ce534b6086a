/**
 * All six channels in one gateway (issue 15 done-when): Telegram, Google Chat, Signal and Discord
 * against their loopback servers, WhatsApp configured but not linked, and WebChat; `openclaw channels
 * status --probe --json` reports every channel with its account snapshot within its timeout, even
 * with one server hanging.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { pollUntil } from "../../src/infra/index.js";
import { runInProcess } from "../helpers/cli.js";
import { startFakeDiscord } from "../helpers/fake-discord.js";
import { startFakeGoogleChat } from "../helpers/fake-google-chat.js";
import { startFakeSignalCli } from "../helpers/fake-signal-cli.js";
import { startFakeTelegram } from "../helpers/fake-telegram.js";
import { startTestGateway } from "../helpers/gateway.js";

const TG = "828282828:AAsixChannelsTelegramToken00000000000";
const DC = "MTEwMDAwMDAwMDAwMDAwMDAy.Gsixch.discord-six-token-0123456789";

test("channels status --probe --json reports all six channels with their accounts, in bounded time", { timeout: 120_000 }, async (t) => {
  const bot = await startFakeTelegram({ tokens: [TG] });
  t.after(() => bot.close());
  const google = await startFakeGoogleChat();
  t.after(() => google.close());
  const signal = await startFakeSignalCli({ accounts: ["+15550002222"] });
  t.after(() => signal.close());
  const discord = await startFakeDiscord({ token: DC });
  t.after(() => discord.close());
  const gw = await startTestGateway(t, {
    channels: true,
    env: { DISCORD_API_URL: discord.apiUrl },
    config: {
      channels: {
        telegram: { botToken: TG, apiRoot: bot.apiRoot },
        googlechat: { serviceAccount: google.serviceAccount, audienceType: "app-url", audience: "https://gw.example.com/googlechat", certsUrl: google.jwksUrl, apiBaseUrl: google.baseUrl, timeoutMs: 3000 },
        signal: { account: "+15550002222", transport: { kind: "external-native", url: signal.baseUrl } },
        discord: { token: DC },
        whatsapp: { dmPolicy: "allowlist", allowFrom: ["+15550003333"] },
      },
    },
  });
  const client = await gw.connect();
  t.after(() => client.close());
  type Status = { channelOrder: string[]; channelAccounts: Record<string, Array<Record<string, unknown>>> };
  const connected = async (id: string) => ((await client.call("channels.status", {})) as Status).channelAccounts[id]?.[0]?.connected === true;
  const ok = await pollUntil(async () => (await connected("telegram")) && (await connected("discord")) && (await connected("signal")), 30_000, 50);
  assert.ok(ok, `the live channels connect: ${JSON.stringify(((await client.call("channels.status", {})) as Status).channelAccounts)}`);

  bot.hang.add("getMe"); // one server hangs: the answer still comes within the timeout
  const run = await runInProcess(["channels", "status", "--probe", "--json", "--timeout", "8000", "--url", gw.url, "--token", gw.token], { env: gw.env });
  assert.equal(run.code, 0, run.stderr);
  const status = JSON.parse(run.stdout) as Status;
  assert.deepEqual([...status.channelOrder].sort(), ["discord", "googlechat", "signal", "telegram", "webchat", "whatsapp"]);
  for (const id of status.channelOrder) assert.ok((status.channelAccounts[id]?.length ?? 0) >= 1, `${id} has an account snapshot`);
  const probe = (id: string) => status.channelAccounts[id]?.[0]?.probe as { ok?: boolean; error?: string } | undefined;
  assert.equal(probe("discord")?.ok, true, JSON.stringify(probe("discord")));
  assert.equal(probe("signal")?.ok, true, JSON.stringify(probe("signal")));
  assert.equal(probe("googlechat")?.ok, true, JSON.stringify(probe("googlechat")));
  assert.equal(probe("telegram")?.ok, false);
  assert.match(probe("telegram")?.error ?? "", /timed out/);
  const whatsapp = status.channelAccounts.whatsapp?.[0] ?? {};
  assert.notEqual(whatsapp.linked, true, "WhatsApp is configured but not linked");
  for (const secret of [TG, DC]) assert.ok(!run.stdout.includes(secret), "no channel token in the output");
});
