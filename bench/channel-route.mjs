// The channel path: N Telegram users (default 20) DM the bot, each sending its next message when the
// previous reply arrived, through the gateway's Telegram account (grammy long polling against a
// loopback Bot API speaking the real wire format) to the agent and a loopback Anthropic provider that
// streams each reply in 10 deltas over ~1 s. Per message: end to end (the update handed to a
// getUpdates answer → the reply's sendMessage received) and the channel+gateway overhead (end to end
// minus the provider's own time, from the provider's arrival/last-byte timestamps). Baseline in the
// same run: the same calls straight to the provider (1.00) and the same turns through `chat.send`
// over the WebSocket (bench/agent-turns.mjs's method). Target: the Telegram path's overhead p50 ≤
// chat.send's overhead p50 + 10 ms. Also the gateway's RSS idle with the account running (after the
// first reply; target ≤ 110 MiB) and the inbound drops in `channels.status` at the end (must be 0).
import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { chatSendTurns, closedLoop, connectBenchClient, gatewayBenchHome, percentile, printTable, rssMiB, startBenchProvider, waitHealthy } from "./lib.mjs";

const SENDERS = Number(process.env.BENCH_SENDERS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const DELTAS = 10;
const GAP_MS = Number(process.env.BENCH_DELTA_GAP_MS ?? 100);
const STAGGER_MS = DELTAS * GAP_MS;
const BOT_TOKEN = "123456789:AAbenchTelegramToken000000000000000";
/** Telegram chat ids of the senders: sender s is user CHAT_BASE + s in a private chat. */
const CHAT_BASE = 7_100_000;
const TARGET_EXTRA_MS = 10;

// --- the loopback Bot API, in a worker thread: `GET|POST /bot<token>/<method>` with query, JSON or
// urlencoded params, `{ ok, result }` answers. The main thread posts `{ chatId, text, tag }` to queue
// an update; the worker reports `{ delivered, at, queued }` when an update is handed to a getUpdates
// answer and `{ reply, at, text }` when a sendMessage arrives (hrtime ms, the main thread's clock). ---
const BOT_API = `
const http = require("node:http");
const { parentPort, workerData: { TOKEN } } = require("node:worker_threads");
const now = () => Number(process.hrtime.bigint()) / 1e6;
const me = { id: 777000222, is_bot: true, first_name: "Bench", username: "bench_bot", can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };
let queue = [];
let nextUpdate = 1;
let nextMessage = 1;
const waiters = new Set();
parentPort.on("message", ({ chatId, text, tag }) => {
  const from = { id: chatId, is_bot: false, first_name: "Sender" + chatId };
  queue.push({ tag, queued: now(), delivered: 0, update: { update_id: nextUpdate++, message: { message_id: nextMessage++, date: Math.floor(Date.now() / 1000), from, chat: { id: chatId, type: "private", first_name: from.first_name }, text } } });
  for (const wake of [...waiters]) wake();
});
async function params(req, url) {
  const out = Object.fromEntries(url.searchParams);
  let body = "";
  for await (const chunk of req) body += chunk;
  const type = req.headers["content-type"] || "";
  if (body && type.includes("application/json")) Object.assign(out, JSON.parse(body));
  else if (body && type.includes("application/x-www-form-urlencoded")) Object.assign(out, Object.fromEntries(new URLSearchParams(body)));
  return out;
}
const answer = (res, status, payload) => { if (res.destroyed) return; res.writeHead(status, { "content-type": "application/json" }); res.end(JSON.stringify(payload)); };
const ok = (res, result) => answer(res, 200, { ok: true, result });
const fail = (res, code, description) => answer(res, code, { ok: false, error_code: code, description });
const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, "http://127.0.0.1");
  const m = /^\\/bot([^/]+)\\/([A-Za-z]+)$/.exec(url.pathname);
  if (!m) return fail(res, 404, "Not Found");
  if (decodeURIComponent(m[1]) !== TOKEN) return fail(res, 401, "Unauthorized");
  const p = await params(req, url);
  switch (m[2]) {
    case "getMe": return ok(res, me);
    case "deleteWebhook": return ok(res, true);
    case "sendChatAction": return ok(res, true);
    case "getUpdates": {
      const offset = Number(p.offset || 0);
      queue = queue.filter((u) => u.update.update_id >= offset);
      const timeout = Math.min(Number(p.timeout || 0), 50);
      if (queue.length === 0 && timeout > 0) {
        await new Promise((resolve) => {
          const timer = setTimeout(wake, timeout * 1000);
          function wake() { clearTimeout(timer); waiters.delete(wake); resolve(); }
          waiters.add(wake);
          res.on("close", wake);
        });
      }
      const batch = queue.slice(0, Number(p.limit || 100));
      const at = now();
      for (const u of batch) if (!u.delivered) { u.delivered = at; parentPort.postMessage({ delivered: u.tag, at, queued: u.queued }); }
      return ok(res, batch.map((u) => u.update));
    }
    case "sendMessage": {
      const at = now();
      if (!p.chat_id || !p.text) return fail(res, 400, "Bad Request: chat_id or text is empty");
      parentPort.postMessage({ reply: String(p.chat_id), at, text: String(p.text) });
      return ok(res, { message_id: nextMessage++, date: Math.floor(Date.now() / 1000), chat: { id: Number(p.chat_id), type: "private" }, from: me, text: String(p.text) });
    }
    default: return fail(res, 404, "Not Found: method not found");
  }
});
server.listen(0, "127.0.0.1", () => parentPort.postMessage({ port: server.address().port }));
`;

const provider = await startBenchProvider(DELTAS);
provider.setGap(GAP_MS);
const delivered = new Map(); // tag → { at, queued }
const awaitingReply = new Map(); // chat id → (at) => void
let unexpectedReplies = 0;
const bot = new Worker(BOT_API, { eval: true, workerData: { TOKEN: BOT_TOKEN } });
const apiRoot = await new Promise((resolve) => {
  bot.on("message", (m) => {
    if (m.port) return resolve(`http://127.0.0.1:${m.port}`);
    if (m.delivered) return void delivered.set(m.delivered, m);
    const wake = awaitingReply.get(m.reply);
    if (!wake) return void unexpectedReplies++;
    awaitingReply.delete(m.reply);
    wake(m.at);
  });
});

// --- the gateway: one Telegram account on the loopback Bot API, open DMs, a session per sender ---
const { home, token, port, env, bin } = gatewayBenchHome("openclaw-bench-channel-");
const configFile = path.join(home, ".openclaw", "openclaw.json");
const config = JSON.parse(readFileSync(configFile, "utf8"));
config.agents = { defaults: { model: { primary: "anthropic/claude-bench" } } };
config.models = { providers: { anthropic: { baseUrl: provider.url, apiKey: "sk-ant-bench-000000000000000000000000" } } };
config.channels = { telegram: { botToken: BOT_TOKEN, apiRoot, dmPolicy: "open", allowFrom: ["*"] } };
// chat.send's sessions are one per client; DMs get one per sender too (the default "main" would put
// every sender in one session, whose lane runs one turn at a time).
config.session = { dmScope: "per-channel-peer" };
writeFileSync(configFile, JSON.stringify(config));
const child = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean), bin, "gateway"], { env, stdio: ["ignore", "ignore", "pipe"] });
let stderr = "";
child.stderr.on("data", (d) => (stderr += d));
let stopping = false;
const cleanup = async () => {
  stopping = true;
  if (child.exitCode === null) {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
  await Promise.all([provider.terminate(), bot.terminate()]);
  rmSync(home, { recursive: true, force: true });
};
const fail = async (error) => {
  console.error(`channel-route bench failed: ${error?.stack ?? error}\n${stderr.slice(-2000)}`);
  await cleanup();
  process.exit(2);
};
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);
child.once("exit", (code, signal) => stopping || fail(new Error(`the gateway exited mid-run (${signal ?? code})`)));
// Bounded in time: a lost reply fails the run instead of waiting forever.
setTimeout(() => fail(new Error("the bench ran over 5 minutes")), 300_000).unref();

await waitHealthy(port, () => stderr);
const ws = await connectBenchClient(port, token, ["operator.read", "operator.write"]);
let rpcId = 0;
/** One RPC over the bench socket (answers only; events are ignored). */
function rpc(method, params = {}) {
  const id = `rpc${rpcId++}`;
  return new Promise((resolve, reject) => {
    const on = (data) => {
      const text = data.toString();
      if (!text.includes(`"id":"${id}"`)) return;
      const f = JSON.parse(text);
      if (f.type !== "res" || f.id !== id) return;
      ws.off("message", on);
      f.ok ? resolve(f.payload) : reject(new Error(`${method}: ${JSON.stringify(f.error)}`));
    };
    ws.on("message", on);
    ws.send(JSON.stringify({ type: "req", id, method, params }));
  });
}
const telegramAccount = async () => (await rpc("channels.status")).channelAccounts?.telegram?.[0];
for (let i = 0; !(await telegramAccount())?.connected; i++) {
  if (i > 500) throw new Error(`the Telegram account did not connect: ${JSON.stringify(await telegramAccount())}`);
  await new Promise((r) => setTimeout(r, 20));
}

const chatTurn = chatSendTurns(ws, provider);

/** One Telegram DM from sender `s`: the reply's overhead, end to end, and the wait for a poll. */
function telegramTurn(s, round) {
  const tag = `${s}-${round}`;
  const chatId = CHAT_BASE + s;
  return new Promise((resolve) => {
    awaitingReply.set(String(chatId), async (replyAt) => {
      const p = await provider.record(tag);
      const d = delivered.get(tag);
      if (!d) throw new Error(`a reply to ${tag} arrived before its update was delivered`);
      resolve({ overhead: p.arrived - d.at + (replyAt - p.lastByte), total: replyAt - d.at, polled: d.at - d.queued, in: p.arrived - d.at, out: replyAt - p.lastByte });
    });
    bot.postMessage({ chatId, text: `bench-${tag}`, tag });
  });
}

// Warm-up: one turn each way (the provider SDK, the first session); then RSS idle with grammy loaded.
await chatTurn(0, 9000);
await telegramTurn(0, 9001);
await new Promise((r) => setTimeout(r, 1000));
const idleRss = rssMiB(child.pid);

// Each path runs twice, in the order chat.send, Telegram, Telegram, chat.send, so drift on a busy
// machine (other processes, the gateway's own warm-up) weighs on both alike.
const directMs = await closedLoop(SENDERS, ROUNDS, STAGGER_MS, () => provider.direct());
const chat = await closedLoop(SENDERS, ROUNDS, STAGGER_MS, chatTurn, 0);
const tg = await closedLoop(SENDERS, ROUNDS, STAGGER_MS, telegramTurn, 100);
tg.push(...(await closedLoop(SENDERS, ROUNDS, STAGGER_MS, telegramTurn, 200)));
chat.push(...(await closedLoop(SENDERS, ROUNDS, STAGGER_MS, chatTurn, 300)));
await new Promise((r) => setTimeout(r, 1000));
const afterRss = rssMiB(child.pid);

const status = await rpc("channels.status");
const account = status.channelAccounts?.telegram?.[0] ?? {};
const drops = (status.drops ?? []).filter((d) => d.channel === "telegram").reduce((n, d) => n + d.count, 0) + (account.duplicatesDropped ?? 0);
ws.close();
await cleanup();

const p50 = (xs) => percentile(xs, 50);
const directP50 = p50(directMs);
const chatOverhead = chat.map((r) => r.overhead);
const tgOverhead = tg.map((r) => r.overhead);
const extra = p50(tgOverhead) - p50(chatOverhead);
console.log(`\nChannel route: ${SENDERS} senders at once × ${ROUNDS} messages each, twice per path (${tg.length} Telegram turns, ${chat.length} chat.send turns), replies streamed in ${DELTAS} deltas ${GAP_MS} ms apart`);
printTable("Per turn (p50), against the same calls made straight to the provider", [
  { name: "direct provider call (baseline)", ms: directP50, ratio: 1 },
  { name: "chat.send turn, end to end", ms: p50(chat.map((r) => r.total)), ratio: p50(chat.map((r) => r.total)) / directP50 },
  { name: "Telegram turn, end to end", ms: p50(tg.map((r) => r.total)), ratio: p50(tg.map((r) => r.total)) / directP50 },
  { name: "chat.send overhead (gateway)", ms: p50(chatOverhead), ratio: p50(chatOverhead) / directP50 },
  { name: "Telegram overhead (channel + gateway)", ms: p50(tgOverhead), ratio: p50(tgOverhead) / directP50 },
  { name: `channel layer's extra (target ≤ ${TARGET_EXTRA_MS} ms)`, ms: extra, ratio: extra / directP50 },
]);
console.log(`  overhead p95: chat.send ${percentile(chatOverhead, 95).toFixed(1)} ms, Telegram ${percentile(tgOverhead, 95).toFixed(1)} ms; p99: ${percentile(chatOverhead, 99).toFixed(1)} / ${percentile(tgOverhead, 99).toFixed(1)} ms`);
const split = (rs) => `in ${p50(rs.map((r) => r.in)).toFixed(1)} ms + out ${p50(rs.map((r) => r.out)).toFixed(1)} ms`;
console.log(`  overhead split (p50; in: request/update → provider, out: provider's last byte → final event/sendMessage): chat.send ${split(chat)}, Telegram ${split(tg)}`);
console.log(`  an update's wait for a getUpdates answer (not in the figures above): p50 ${p50(tg.map((r) => r.polled)).toFixed(1)} ms, p95 ${percentile(tg.map((r) => r.polled), 95).toFixed(1)} ms`);
const overheadOk = extra <= TARGET_EXTRA_MS;
const rssOk = idleRss <= 110;
const dropsOk = drops === 0 && unexpectedReplies === 0;
console.log(`\n  target: Telegram overhead p50 ≤ chat.send overhead p50 + ${TARGET_EXTRA_MS} ms: ${p50(tgOverhead).toFixed(1)} ≤ ${(p50(chatOverhead) + TARGET_EXTRA_MS).toFixed(1)} ms ${overheadOk ? "ok" : "MISSED"}`);
console.log(`  gateway RSS idle with one Telegram account running (grammy loaded): ${idleRss.toFixed(1)} MiB (target ≤ 110 MiB) ${rssOk ? "ok" : "MISSED"}; after the runs: ${afterRss.toFixed(1)} MiB`);
console.log(`  inbound drops in channels.status: ${drops} (must be 0); replies to no waiting message: ${unexpectedReplies} ${dropsOk ? "ok" : "MISSED"}`);
const ok = overheadOk && rssOk && dropsOk;
console.log(ok ? "  targets met" : "  TARGET MISSED");
process.exit(ok ? 0 : 1);
