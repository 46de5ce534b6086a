/**
 * The Bot API going away for 30 s under a running gateway (issue 14): the account reports the gap
 * (connected:false, lastDisconnectAt, reconnect attempts and the error) while it retries with backoff,
 * reconnects on its own once the server is back, answers the next DM, and the health monitor has not
 * restarted it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { pollUntil } from "../../src/infra/index.js";
import { startFakeLlm } from "../helpers/fake-llm.js";
import { startFakeTelegram } from "../helpers/fake-telegram.js";
import { startTestGateway } from "../helpers/gateway.js";

const OUTAGE_MS = 30_000;
const TOKEN = "666666666:AAoutageTelegramToken00000000000000000";

test("a 30 s Bot API outage: backoff retries, the gap shows in status, the account reconnects without a restart", { timeout: 180_000 }, async (t) => {
  const llm = await startFakeLlm(() => ({ text: "back online" }));
  t.after(() => llm.close());
  const bot = await startFakeTelegram({ tokens: [TOKEN] });
  t.after(() => bot.close());
  const gw = await startTestGateway(t, {
    channels: true,
    env: { OPENCLAW_CHANNEL_HEALTH_INTERVAL_MS: "500" },
    config: {
      agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" } } },
      models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: "sk-ant-api03-outageKEY00000000000000000000" } } },
      channels: { telegram: { botToken: TOKEN, apiRoot: bot.apiRoot, dmPolicy: "open", allowFrom: ["*"] } },
    },
  });
  const client = await gw.connect({ timeoutMs: 10_000 });
  t.after(() => client.close());
  type Snap = { connected?: boolean; restarts?: number; reconnectAttempts?: number; lastError?: string | null; lastDisconnectAt?: number | null; lastConnectedAt?: number | null };
  const snap = async () => ((await client.call("channels.status", {})) as { channelAccounts: { telegram: Snap[] } }).channelAccounts.telegram[0] as Snap;
  assert.ok(await pollUntil(async () => (await snap()).connected === true, 10_000, 20));

  await bot.stop();
  const wentAway = Date.now();
  assert.ok(await pollUntil(async () => (await snap()).connected === false, 70_000, 50), "the outage is seen");
  // The server stays away for the whole outage; the account keeps retrying meanwhile.
  assert.ok(await pollUntil(async () => Date.now() - wentAway >= OUTAGE_MS && ((await snap()).reconnectAttempts ?? 0) >= 3, OUTAGE_MS + 30_000, 250));
  const during = await snap();
  assert.equal(during.connected, false);
  assert.ok(during.lastError, "the last error is shown");
  assert.ok(!String(during.lastError).includes(TOKEN), "without the token");
  const issues = ((await client.call("channels.status", {})) as { statusIssues: Array<{ message: string }> }).statusIssues;
  assert.ok(issues.some((i) => /Telegram default: disconnected/.test(i.message)), "channels status names the problem");

  await bot.restart();
  assert.ok(await pollUntil(async () => (await snap()).connected === true, 60_000, 100), "reconnected with backoff once the server is back");
  const after = await snap();
  assert.ok((after.lastConnectedAt ?? 0) > (during.lastDisconnectAt ?? Number.POSITIVE_INFINITY), "the gap is visible: disconnected, then connected again");
  assert.ok((after.lastConnectedAt ?? 0) - (during.lastDisconnectAt ?? 0) >= OUTAGE_MS, "the gap spans the outage");
  assert.equal(after.restarts, 0, "the adapter reconnected on its own; the monitor did not restart it");
  bot.enqueue({ chatId: 77, fromId: 77, text: "are you there" });
  assert.ok(await pollUntil(() => bot.sent().some((s) => s.text === "back online"), 20_000, 20), "answers after the outage");
});
