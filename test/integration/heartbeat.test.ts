/**
 * Heartbeats through a real gateway with the fake LLM and the loopback Telegram Bot API: a wake runs
 * the heartbeat turn with OpenClaw's prompt; `HEARTBEAT_OK` delivers nothing, an alert goes to the
 * main session's last Telegram chat; `system event` (spawned CLI) queues text the next turn sees as
 * a `System:` line and that turn drains it; `system heartbeat disable` stops the 1 s cadence (counted
 * "disabled" skips, no model calls) and `enable` resumes it; quiet hours and a busy session skip.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { pollUntil } from "../../src/infra/index.js";
import { runBinary, runInProcess } from "../helpers/cli.js";
import { type FakeRequest, startFakeLlm } from "../helpers/fake-llm.js";
import { startFakeTelegram } from "../helpers/fake-telegram.js";
import { startTestGateway } from "../helpers/gateway.js";

const TOKEN = "123456789:AAplantedTelegramTokenHeartbeat00000000";
const KEY = "sk-ant-api03-heartbeatKEY00000000000000000000";

type HeartbeatEvent = { ts: number; status: string; reason?: string; preview?: string; channel?: string; to?: string; durationMs?: number };
type Runner = { enabled: boolean; ticks: number; runs: number; byStatus: Record<string, number>; skipped: Record<string, number> };

/** The text of the request's last user message. */
function lastUser(req: FakeRequest): string {
  const messages = (req.body.messages ?? []) as Array<{ role: string; content: unknown }>;
  const last = [...messages].reverse().find((m) => m.role === "user");
  if (!last) return "";
  return typeof last.content === "string" ? last.content : JSON.stringify(last.content);
}
const isHeartbeat = (req: FakeRequest) => lastUser(req).includes("reply HEARTBEAT_OK");

/** `--url … --token …` for a CLI run against this gateway. */
const at = (gw: { url: string; token: string }) => ["--url", gw.url, "--token", gw.token, "--timeout", "10000"];

function modelConfig(url: string) {
  return { models: { providers: { anthropic: { baseUrl: url, apiKey: KEY } } } };
}

test("a wake runs the heartbeat turn: HEARTBEAT_OK stays silent, an alert reaches the last Telegram chat, `system heartbeat last` shows it", async (t) => {
  let alert = "HEARTBEAT_OK";
  const llm = await startFakeLlm((req) => (isHeartbeat(req) ? { text: alert } : { text: "hi back" }));
  t.after(() => llm.close());
  const bot = await startFakeTelegram({ tokens: [TOKEN] });
  t.after(() => bot.close());
  const gw = await startTestGateway(t, {
    channels: true,
    config: {
      agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" }, heartbeat: { every: "30m", target: "last" } } },
      ...modelConfig(llm.anthropicUrl),
      channels: { telegram: { botToken: TOKEN, apiRoot: bot.apiRoot, dmPolicy: "open", allowFrom: ["*"] } },
    },
  });
  const client = await gw.connect({ timeoutMs: 15_000 });
  t.after(() => client.close());
  const events: HeartbeatEvent[] = [];
  client.onEvent((e) => {
    if (e.event === "heartbeat") events.push(e.payload as HeartbeatEvent);
  });
  assert.equal(await client.call("last-heartbeat", {}), null, "no heartbeat yet");

  // The user talks to the bot once: the main session now knows its last channel and peer.
  bot.enqueue({ chatId: 5005, fromId: 5005, text: "hello" });
  assert.ok(await pollUntil(() => bot.sent().some((s) => s.chatId === "5005" && s.text === "hi back"), 15_000, 20), "the DM is answered");
  const sentBefore = bot.sent().length;

  assert.deepEqual(await client.call("wake", { mode: "now", text: "first check" }), { ok: true });
  assert.ok(await pollUntil(() => events.length >= 1, 15_000, 20), "a heartbeat event is broadcast");
  const ack = (await client.call("last-heartbeat", {})) as HeartbeatEvent;
  assert.equal(ack.status, "ok-token");
  assert.equal(ack.channel, "telegram");
  const hbRequest = llm.requests.filter(isHeartbeat).at(-1)!;
  assert.match(lastUser(hbRequest), /Read HEARTBEAT\.md if it exists/, "OpenClaw's heartbeat prompt");
  assert.match(lastUser(hbRequest), /System: \[[^\]]+\] first check/, "the queued event is a System: line");
  assert.equal(bot.sent().length, sentBefore, "an ack is never delivered");

  alert = "Disk on /srv is 91% full.";
  await client.call("wake", { mode: "now", text: "second check" });
  assert.ok(await pollUntil(() => events.length >= 2, 15_000, 20));
  assert.ok(await pollUntil(() => bot.sent().some((s) => s.chatId === "5005" && s.text === alert), 10_000, 20), "the alert reached the chat");
  const sent = events[1]!;
  assert.equal(sent.status, "sent");
  assert.equal(sent.channel, "telegram");
  assert.equal(sent.to, "5005");
  assert.equal(sent.preview, alert);
  assert.ok(typeof sent.durationMs === "number" && sent.durationMs >= 0);

  const cli = await runInProcess(["system", "heartbeat", "last", "--json", ...at(gw)], { env: gw.env });
  assert.equal(cli.code, 0, cli.stderr);
  const last = JSON.parse(cli.stdout) as HeartbeatEvent;
  assert.equal(last.status, "sent");
  assert.equal(last.preview, alert);
  const human = await runInProcess(["system", "heartbeat", "last", ...at(gw)], { env: gw.env });
  assert.match(human.stdout, /^Last heartbeat: sent telegram 5005 /m);
});

test("`system event` (spawned CLI) queues text the next heartbeat turn sees; --mode now runs it; the queue is drained; presence lists it", async (t) => {
  const llm = await startFakeLlm(() => ({ text: "HEARTBEAT_OK" }));
  t.after(() => llm.close());
  const gw = await startTestGateway(t, { config: { agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" }, heartbeat: { every: "30m", target: "none" } } }, ...modelConfig(llm.anthropicUrl) } });
  const client = await gw.connect({ timeoutMs: 10_000 });
  t.after(() => client.close());
  const queued = async () => ((await client.call("status", {})) as { queuedSystemEvents: string[] }).queuedSystemEvents;

  const later = await runBinary(["system", "event", "--text", "backup finished on nas-01", ...at(gw)], { env: gw.env });
  assert.equal(later.code, 0, later.stderr);
  assert.equal(later.stdout.trim(), "ok");
  assert.deepEqual(await queued(), ["backup finished on nas-01"], "next-heartbeat leaves it queued");
  assert.equal(llm.requests.length, 0, "no turn ran yet");

  const now = await runBinary(["system", "event", "--text", "deploy 4711 finished", "--mode", "now", "--json", ...at(gw)], { env: gw.env });
  assert.equal(now.code, 0, now.stderr);
  assert.deepEqual(JSON.parse(now.stdout), { ok: true });
  assert.ok(await pollUntil(async () => ((await client.call("last-heartbeat", {})) as HeartbeatEvent | null)?.status === "ok-token", 15_000, 20), "the heartbeat ran");
  assert.equal(llm.requests.length, 1);
  const prompt = lastUser(llm.requests[0]!);
  assert.match(prompt, /System: \[[^\]]+\] backup finished on nas-01/);
  assert.match(prompt, /System: \[[^\]]+\] deploy 4711 finished/);
  assert.ok(prompt.indexOf("backup finished") < prompt.indexOf("deploy 4711"), "oldest first");
  assert.deepEqual(await queued(), [], "the turn drained the queue");

  const presence = await runBinary(["system", "presence", "--json", ...at(gw)], { env: gw.env });
  assert.equal(presence.code, 0, presence.stderr);
  const entries = JSON.parse(presence.stdout) as Array<{ text?: string; reason?: string; mode?: string }>;
  assert.ok(entries.some((e) => e.reason === "system-event" && e.text === "deploy 4711 finished"), presence.stdout);
  assert.ok(entries.some((e) => e.mode === "gateway"), "the gateway itself is listed");
  const table = await runInProcess(["system", "presence", ...at(gw)], { env: gw.env });
  assert.match(table.stdout, /^HOST\s+MODE\s+VERSION\s+IP\s+AGE$/m);
  assert.match(table.stdout, /deploy 4711 finished/);

  const bad = await runInProcess(["system", "event", "--text", "x", "--mode", "later", ...at(gw)], { env: gw.env });
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /--mode must be now or next-heartbeat/);
  const none = await runInProcess(["system", "event", ...at(gw)], { env: gw.env });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /--text is required/);
});

test("a config edit to 1 s starts the cadence without a restart; `system heartbeat disable` stops it (disabled skips counted, no model calls); enable resumes it", async (t) => {
  const llm = await startFakeLlm(() => ({ text: "HEARTBEAT_OK" }));
  t.after(() => llm.close());
  const gw = await startTestGateway(t, { config: { agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" }, heartbeat: { every: "30m", target: "none" } } }, ...modelConfig(llm.anthropicUrl) } });
  const client = await gw.connect({ timeoutMs: 10_000 });
  t.after(() => client.close());
  const runner = async () => ((await client.call("status", {})) as { heartbeatRunner: Runner }).heartbeatRunner;

  const { hash } = (await client.call("config.get", {})) as { hash: string };
  const patched = (await client.call("config.patch", { raw: '{"agents":{"defaults":{"heartbeat":{"every":"1s"}}}}', baseHash: hash, restartDelayMs: 0 })) as { restart?: unknown };
  assert.ok(!patched.restart, `a hot change: ${JSON.stringify(patched)}`);
  assert.ok(await pollUntil(async () => ((await runner()).byStatus["ok-token"] ?? 0) >= 1, 15_000, 50), "the cadence runs heartbeats");
  const status = (await client.call("status", {})) as { heartbeat: unknown };
  assert.deepEqual(status.heartbeat, { defaultAgentId: "main", agents: [{ agentId: "main", enabled: true, every: "1s", everyMs: 1000 }] });

  const off = await runInProcess(["system", "heartbeat", "disable", "--json", ...at(gw)], { env: gw.env });
  assert.equal(off.code, 0, off.stderr);
  assert.deepEqual(JSON.parse(off.stdout), { ok: true, enabled: false });
  assert.ok(await pollUntil(async () => ((await runner()).skipped.disabled ?? 0) >= 1, 10_000, 50), "a tick was skipped as disabled");
  // Anything started before the pause has ended by now; from here on no tick may call the model.
  const calls = llm.requests.length;
  const skippedAt = (await runner()).skipped.disabled ?? 0;
  assert.ok(await pollUntil(async () => ((await runner()).skipped.disabled ?? 0) >= skippedAt + 3, 15_000, 50), "three more ticks were skipped");
  assert.equal(llm.requests.length, calls, "no model call while disabled");
  assert.equal((await runner()).enabled, false);

  const on = await runInProcess(["system", "heartbeat", "enable", ...at(gw)], { env: gw.env });
  assert.equal(on.code, 0, on.stderr);
  assert.equal(on.stdout.trim(), "Heartbeats enabled.");
  assert.ok(await pollUntil(() => llm.requests.length > calls, 15_000, 50), "heartbeats resumed");
});

test("outside activeHours a heartbeat is skipped as quiet-hours, before any model call", async (t) => {
  const llm = await startFakeLlm(() => ({ text: "HEARTBEAT_OK" }));
  t.after(() => llm.close());
  // A one-hour window that starts two hours from now (UTC): never the current time.
  const h = (new Date().getUTCHours() + 2) % 24;
  const clock = (x: number) => `${String(x).padStart(2, "0")}:00`;
  const gw = await startTestGateway(t, {
    config: { agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" }, heartbeat: { every: "30m", target: "none", activeHours: { start: clock(h), end: h === 23 ? "24:00" : clock(h + 1), timezone: "UTC" } } } }, ...modelConfig(llm.anthropicUrl) },
  });
  const client = await gw.connect({ timeoutMs: 10_000 });
  t.after(() => client.close());
  const last = async () => (await client.call("last-heartbeat", {})) as HeartbeatEvent | null;

  await client.call("wake", { mode: "now", text: "anything?" });
  assert.ok(await pollUntil(async () => (await last()) !== null, 10_000, 20));
  const skipped = (await last())!;
  assert.deepEqual({ status: skipped.status, reason: skipped.reason }, { status: "skipped", reason: "quiet-hours" });
  assert.equal(llm.requests.length, 0, "no model call outside the window");
  const runner = ((await client.call("status", {})) as { heartbeatRunner: Runner }).heartbeatRunner;
  assert.equal(runner.skipped["quiet-hours"], 1);
  assert.deepEqual(((await client.call("status", {})) as { queuedSystemEvents: string[] }).queuedSystemEvents, ["anything?"], "the event waits for a heartbeat inside the window");
});

test("a heartbeat never overlaps a running turn on its session: skipped as requests-in-flight and counted", async (t) => {
  let release: (() => void) | undefined;
  const llm = await startFakeLlm(async (req) => {
    if (lastUser(req).includes("slow question")) await new Promise<void>((r) => (release = r));
    return { text: "HEARTBEAT_OK" };
  });
  t.after(() => {
    release?.();
    return llm.close();
  });
  const gw = await startTestGateway(t, { config: { agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" }, heartbeat: { every: "30m", target: "none" } } }, ...modelConfig(llm.anthropicUrl) } });
  const client = await gw.connect({ timeoutMs: 10_000 });
  t.after(() => client.close());
  const last = async () => (await client.call("last-heartbeat", {})) as HeartbeatEvent | null;

  const accepted = (await client.call("chat.send", { sessionKey: "main", message: "slow question", idempotencyKey: "slow-1" })) as { runId: string };
  assert.ok(await pollUntil(() => release !== undefined, 10_000, 20), "the slow turn reached the model");
  await client.call("wake", { mode: "now", text: "still there?" });
  assert.ok(await pollUntil(async () => (await last()) !== null, 10_000, 20));
  const busy = (await last())!;
  assert.deepEqual({ status: busy.status, reason: busy.reason }, { status: "skipped", reason: "requests-in-flight" });
  assert.equal(llm.requests.filter(isHeartbeat).length, 0, "the heartbeat did not queue behind the turn");
  assert.equal(((await client.call("status", {})) as { heartbeatRunner: Runner }).heartbeatRunner.skipped["requests-in-flight"], 1);

  // Once the turn is over the same wake goes through (the event is still queued for it).
  release!();
  await client.call("agent.wait", { runId: accepted.runId, timeoutMs: 10_000 });
  await client.call("wake", { mode: "now", text: "now?" });
  assert.ok(await pollUntil(async () => (await last())?.status === "ok-token", 10_000, 20));
  const prompt = lastUser(llm.requests.filter(isHeartbeat)[0]!);
  assert.match(prompt, /still there\?[\s\S]*now\?/, "both events reach the turn");
});
