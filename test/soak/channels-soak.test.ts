/**
 * Soak (issue 14): a healthy Telegram account in a real gateway, long polling a loopback Bot API with
 * the Bot API's real 30 s poll timeout, the health monitor checking every half second and a DM
 * answered on every poll cycle, for OPENCLAW_SOAK_MS (default 10 minutes). The account is never
 * restarted and never reconnects (OpenClaw's monitor restarts quiet Telegram accounts up to 120
 * times a day: openclaw/openclaw#100101).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { pollUntil } from "../../src/infra/index.js";
import { startFakeLlm } from "../helpers/fake-llm.js";
import { startFakeTelegram } from "../helpers/fake-telegram.js";
import { startTestGateway } from "../helpers/gateway.js";

const SOAK_MS = Number(process.env.OPENCLAW_SOAK_MS ?? 600_000);
const TOKEN = "555555555:AAsoakTelegramToken0000000000000000000";

test(`a healthy account is not restarted once in a ${Math.round(SOAK_MS / 60_000)}-minute soak`, { timeout: SOAK_MS + 120_000 }, async (t) => {
  const llm = await startFakeLlm((req) => ({ text: `echo: ${[...JSON.stringify(req.body.messages).matchAll(/soak-\d+/g)].at(-1)?.[0] ?? "?"}` }));
  t.after(() => llm.close());
  const bot = await startFakeTelegram({ tokens: [TOKEN] });
  t.after(() => bot.close());
  const gw = await startTestGateway(t, {
    channels: true,
    env: { OPENCLAW_CHANNEL_HEALTH_INTERVAL_MS: "500" },
    config: {
      agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" } } },
      models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: "sk-ant-api03-soakKEY0000000000000000000000" } } },
      channels: { telegram: { botToken: TOKEN, apiRoot: bot.apiRoot, dmPolicy: "allowlist", allowFrom: ["4242"] } },
    },
  });
  const client = await gw.connect({ timeoutMs: 10_000 });
  t.after(() => client.close());
  type Snap = { connected?: boolean; restarts?: number; reconnectAttempts?: number; lastStartAt?: number; lastHealthCheckAt?: number | null };
  const snap = async () => ((await client.call("channels.status", {})) as { channelAccounts: { telegram: Snap[] } }).channelAccounts.telegram[0] as Snap;
  assert.ok(await pollUntil(async () => (await snap()).connected === true, 10_000, 20));
  const first = await snap();
  const started = Date.now();
  let cycle = 0;
  while (Date.now() - started < SOAK_MS) {
    // One poll cycle: the long poll answers (an update or its 30 s timeout) and the next one begins.
    const polls = bot.calls.filter((c) => c.method === "getUpdates").length;
    assert.ok(await pollUntil(() => bot.calls.filter((c) => c.method === "getUpdates").length > polls, 45_000, 50), "the long poll keeps cycling");
    cycle++;
    if (cycle % 2 === 0) {
      bot.enqueue({ chatId: 4242, fromId: 4242, text: `soak-${cycle}` });
      assert.ok(await pollUntil(() => bot.sent().some((s) => s.text === `echo: soak-${cycle}`), 30_000, 20), `message ${cycle} answered`);
    }
    const now = await snap();
    assert.equal(now.restarts, 0, "never restarted");
    assert.equal(now.connected, true);
  }
  const last = await snap();
  assert.equal(last.restarts, 0);
  assert.equal(last.reconnectAttempts, 0);
  assert.equal(last.lastStartAt, first.lastStartAt, "the same run from start to end");
  assert.ok((last.lastHealthCheckAt ?? 0) > started, "the monitor was checking throughout");
  t.diagnostic(`soak: ${cycle} poll cycles, ${bot.sent().length} replies, 0 restarts over ${Math.round((Date.now() - started) / 1000)} s`);
});
