/**
 * An agentTurn job in a real gateway: the isolated `cron:<jobId>` session runs a turn against a
 * loopback Anthropic server and the reply is announced to a loopback Telegram chat through the
 * channels' send path. A job whose model errors backs off 30 s and its run log shows the attempt.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { pollUntil } from "../../src/infra/index.js";
import { startFakeLlm } from "../helpers/fake-llm.js";
import { startFakeTelegram } from "../helpers/fake-telegram.js";
import { startTestGateway } from "../helpers/gateway.js";

const TOKEN = "123456789:AAplantedTelegramTokenValue0123456789";
type Obj = Record<string, unknown>;
type Job = { id: string; state: { nextRunAtMs?: number; lastRunStatus?: string; consecutiveErrors?: number; lastError?: string } };
type Runs = { entries: Array<{ status: string; error?: string; sessionKey?: string; delivered?: boolean; deliveryStatus?: string; summary?: string; runAtMs: number; nextRunAtMs?: number }> };

test("an isolated agentTurn job's reply reaches a Telegram chat; a failing one backs off and logs each attempt", async (t) => {
  const llm = await startFakeLlm((req) => {
    const body = JSON.stringify(req.body.messages);
    if (body.includes("please-fail")) return { status: 400, message: "model refused the request" };
    return { text: `cron-reply: ${/report-[\w-]+/.exec(body)?.[0] ?? "?"}` };
  });
  t.after(() => llm.close());
  const bot = await startFakeTelegram({ tokens: [TOKEN], botUsername: "ops_bot" });
  t.after(() => bot.close());
  const gw = await startTestGateway(t, {
    channels: true,
    config: {
      agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" } } },
      models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: "sk-ant-api03-cronKEY00000000000000000000000" } } },
      channels: { telegram: { botToken: TOKEN, apiRoot: bot.apiRoot, dmPolicy: "allowlist", allowFrom: ["tg:1001"] } },
    },
  });
  const client = await gw.connect({ timeoutMs: 15_000 });
  t.after(() => client.close());

  const job = (await client.call("cron.add", {
    name: "daily report",
    schedule: { kind: "cron", expr: "0 7 * * *", tz: "Europe/Berlin" },
    sessionTarget: "isolated",
    wakeMode: "now",
    payload: { kind: "agentTurn", message: "write report-7" },
    delivery: { mode: "announce", channel: "telegram", to: "1001" },
  })) as Job;
  const run = (await client.call("cron.run", { id: job.id })) as Obj;
  assert.equal(run.ran, true);
  assert.ok(await pollUntil(() => bot.sent().some((m) => m.chatId === "1001" && m.text === "cron-reply: report-7"), 15_000, 20), "the reply reached the chat");
  const runs = async (id: string) => (await client.call("cron.runs", { id })) as Runs;
  assert.ok(await pollUntil(async () => (await runs(job.id)).entries.length === 1, 5000, 20));
  const entry = (await runs(job.id)).entries[0]!;
  assert.equal(entry.status, "ok");
  assert.equal(entry.delivered, true);
  assert.equal(entry.deliveryStatus, "delivered");
  assert.equal(entry.sessionKey, `agent:main:cron:${job.id}`, "isolated session key");
  assert.equal(entry.summary, "cron-reply: report-7");

  // A model error: the run is an error, the next run is 30 s out (the first backoff step).
  const failing = (await client.call("cron.add", {
    name: "failing",
    schedule: { kind: "every", everyMs: 1000 },
    sessionTarget: "isolated",
    payload: { kind: "agentTurn", message: "please-fail" },
  })) as Job;
  assert.ok(await pollUntil(async () => (await runs(failing.id)).entries.length >= 1, 15_000, 20), "the failing job ran");
  const failed = (await runs(failing.id)).entries[0]!;
  assert.equal(failed.status, "error");
  assert.match(failed.error ?? "", /refused|400/);
  const delta = failed.nextRunAtMs! - (failed.runAtMs + 0);
  assert.ok(delta >= 30_000 && delta < 32_000 + 15_000, `backs off ~30 s (got ${delta} ms)`);
  const state = ((await client.call("cron.get", { id: failing.id })) as Job).state;
  assert.equal(state.consecutiveErrors, 1);

  // Delivery to a channel that is not running is an error on the run, never silent.
  const lost = (await client.call("cron.add", {
    name: "lost",
    schedule: { kind: "every", everyMs: 3_600_000 },
    sessionTarget: "isolated",
    payload: { kind: "agentTurn", message: "write report-9" },
    delivery: { mode: "announce", channel: "nosuchchannel", to: "1" },
  })) as Job;
  await client.call("cron.run", { id: lost.id });
  assert.ok(await pollUntil(async () => (await runs(lost.id)).entries.length === 1, 15_000, 20));
  const lostEntry = (await runs(lost.id)).entries[0]!;
  assert.equal(lostEntry.status, "error");
  assert.equal(lostEntry.deliveryStatus, "not-delivered");
  assert.match(lostEntry.error ?? "", /nosuchchannel/);
});
