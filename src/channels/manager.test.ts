/**
 * The channel manager with the real Telegram adapter against a loopback Bot API: a connected account
 * is never restarted however often the monitor looks; a failed start is retried with backoff under the
 * per-hour budget; an account disconnected past the stale threshold is restarted once; config edits
 * restart only the account whose connection settings changed.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startFakeTelegram } from "../../test/helpers/fake-telegram.js";
import { pollUntil } from "../infra/index.js";
import type { ChannelLog } from "./contract.js";
import { ChannelManager } from "./manager.js";
import { telegramPlugin } from "./telegram/index.js";

const TOKEN = "111111111:AAmanagerTestToken000000000000000000";
const OTHER = "222222222:AAmanagerTestToken111111111111111111";
const quiet: ChannelLog = { debug() {}, info() {}, warn() {}, error() {} };

function manager(config: () => Record<string, unknown>, monitor = {}) {
  return new ChannelManager({
    plugins: [telegramPlugin({ pollTimeoutSec: 1, backoff: { initialMs: 20, maxMs: 100 } })],
    config,
    environment: { env: {}, stateDir: "/nonexistent", credentialsDir: "/nonexistent" },
    onInbound: () => {},
    log: () => quiet,
    monitor: { intervalMs: 0, backoff: { initialMs: 10, maxMs: 40 }, ...monitor },
  });
}

const account = (m: ChannelManager, id = "default") => m.snapshots()[0]?.accounts.find((a) => a.accountId === id);

test("a connected account is never restarted by the monitor, however quiet it is", async (t) => {
  const bot = await startFakeTelegram({ tokens: [TOKEN] });
  t.after(() => bot.close());
  const m = manager(() => ({ channels: { telegram: { botToken: TOKEN, apiRoot: bot.apiRoot } } }));
  t.after(() => m.stop());
  await m.start();
  assert.ok(await pollUntil(() => account(m)?.connected === true, 5000, 10));
  // Hours of silence later (no inbound at all), every check leaves it alone.
  for (let hour = 0; hour < 24; hour++) assert.deepEqual(await m.check(Date.now() + hour * 3_600_000), []);
  assert.equal(account(m)?.restarts, 0);
  assert.equal(account(m)?.healthMonitor, "on");
});

test("a failed start is retried with backoff until the restart budget is spent", async (t) => {
  // The Bot API refuses the token, so setWebhook fails on every start.
  const bot = await startFakeTelegram({ tokens: [OTHER] });
  t.after(() => bot.close());
  const m = manager(() => ({ channels: { telegram: { botToken: TOKEN, apiRoot: bot.apiRoot, webhookUrl: "https://x.test/tg", webhookSecret: "s" } } }), { maxRestartsPerHour: 3 });
  t.after(() => m.stop());
  await m.start();
  assert.ok(await pollUntil(() => account(m)?.healthMonitor === "budget-exhausted", 5000, 10), "the budget ran out");
  const snap = account(m);
  assert.equal(snap?.restarts, 3);
  assert.match(String(snap?.lastError), /restart budget exhausted \(3\/h\)/);
  assert.ok(!String(snap?.lastError).includes(TOKEN));
  assert.equal(bot.calls.filter((c) => c.method === "setWebhook" || c.method === "getMe").length >= 4, true, "one start and three restarts reached the server");
});

test("an account disconnected past the stale threshold is restarted once; the next check leaves it", async (t) => {
  const bot = await startFakeTelegram({ tokens: [TOKEN] });
  t.after(() => bot.close());
  const m = manager(() => ({ channels: { telegram: { botToken: TOKEN, apiRoot: bot.apiRoot } } }), { staleMs: 60_000 });
  t.after(() => m.stop());
  await m.start();
  assert.ok(await pollUntil(() => account(m)?.connected === true, 5000, 10));
  await bot.stop();
  assert.ok(await pollUntil(() => account(m)?.connected === false, 10_000, 10), "the outage is seen");
  assert.deepEqual(await m.check(Date.now()), [], "a fresh gap is left to the adapter's own reconnects");
  assert.deepEqual(await m.check(Date.now() + 61_000), ["telegram/default"]);
  await bot.restart();
  assert.ok(await pollUntil(() => account(m)?.connected === true, 10_000, 10), "reconnected after the restart");
  assert.deepEqual(await m.check(Date.now() + 61_000), []);
  assert.equal(account(m)?.restarts, 1);
});

test("reconcile restarts only the account whose credentials changed; policy keys change nothing", async (t) => {
  const bot = await startFakeTelegram({ tokens: [TOKEN, OTHER] });
  t.after(() => bot.close());
  let section: Record<string, unknown> = { apiRoot: bot.apiRoot, dmPolicy: "pairing", accounts: { a: { botToken: TOKEN }, b: { botToken: TOKEN } } };
  const m = manager(() => ({ channels: { telegram: section } }));
  t.after(() => m.stop());
  assert.deepEqual((await m.start()).started, ["telegram/a", "telegram/b"]);
  section = { ...section, dmPolicy: "open", allowFrom: ["*"] };
  assert.deepEqual(await m.reconcile(), { started: [], restarted: [], stopped: [] });
  section = { ...section, accounts: { a: { botToken: TOKEN }, b: { botToken: OTHER } } };
  assert.deepEqual(await m.reconcile(), { started: [], restarted: ["telegram/b"], stopped: [] });
  section = { ...section, accounts: { a: { botToken: TOKEN } } };
  assert.deepEqual(await m.reconcile(), { started: [], restarted: [], stopped: ["telegram/b"] });
  await assert.rejects(m.send("telegram", "b", "1", "hi"), /no account "b"/);
  await assert.rejects(m.send("nope", undefined, "1", "hi"), /unknown channel "nope"/);
});
