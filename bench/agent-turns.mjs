// Agent turn overhead: 50 sessions at once through the gateway to a loopback Anthropic Messages
// server (SSE, the real wire format) that streams each reply in 10 deltas: over ~1 s (a short model
// answer; the target) and over ~200 ms (a stress run, five times the turn rate). Each session sends
// its next message when the previous reply is final, so 50 turns are in flight at any time. The gateway's own share of a turn is (client request → the provider
// sees it) + (provider's last byte → the client's `chat` final); the provider's time is not ours.
// Baseline in the same run: the same calls made straight to the provider. Also the gateway's RSS
// idle with the runtime loaded (after a first turn imported the provider SDK) and after the load.
import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { connectBenchClient, gatewayBenchHome, percentile, printTable, rssMiB, waitHealthy } from "./lib.mjs";

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 50);
const DELTAS = 10;
/** Reply pacing (ms between deltas) and turns per session of each run; the first is the target run. */
const SCENARIOS = [
  { gapMs: Number(process.env.BENCH_DELTA_GAP_MS ?? 100), rounds: Number(process.env.BENCH_ROUNDS ?? 4), target: true },
  { gapMs: 20, rounds: 8, target: false },
];
const now = () => Number(process.hrtime.bigint()) / 1e6;

// --- the loopback provider, in a worker thread (its own event loop, so the bench client's work
// does not delay it): reports when each request arrived and when its last byte went out ---
const PROVIDER = `
const http = require("node:http");
const { parentPort, workerData: { DELTAS } } = require("node:worker_threads");
let gapMs = 100;
parentPort.on("message", (m) => { gapMs = m.gapMs; });
const now = () => Number(process.hrtime.bigint()) / 1e6;
const server = http.createServer((req, res) => {
  const arrived = now();
  let raw = "";
  req.on("data", (d) => (raw += d));
  req.on("end", () => {
    // The newest user message is the last tag in the body (earlier turns are in the history).
    const tag = [...raw.matchAll(/bench-(\\d+-\\d+)/g)].at(-1)?.[1] ?? "direct";
    const ev = (event, data) => res.write("event: " + event + "\\ndata: " + JSON.stringify(data) + "\\n\\n");
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    ev("message_start", { type: "message_start", message: { id: "msg_b", type: "message", role: "assistant", content: [], model: "claude-bench", stop_reason: null, stop_sequence: null, usage: { input_tokens: 40, output_tokens: 1 } } });
    ev("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
    let sent = 0;
    const next = () => {
      ev("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "word" + sent + " " } });
      if (++sent < DELTAS) return void setTimeout(next, gapMs);
      ev("content_block_stop", { type: "content_block_stop", index: 0 });
      ev("message_delta", { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: DELTAS } });
      ev("message_stop", { type: "message_stop" });
      const lastByte = now();
      res.end();
      parentPort.postMessage({ tag, arrived, lastByte });
    };
    next();
  });
});
server.listen(0, "127.0.0.1", () => parentPort.postMessage({ port: server.address().port }));
`;
const seen = new Map();
const waiting = new Map();
const worker = new Worker(PROVIDER, { eval: true, workerData: { DELTAS } });
const providerUrl = await new Promise((resolve) => {
  worker.on("message", (m) => {
    if (m.port) return resolve(`http://127.0.0.1:${m.port}`);
    seen.set(m.tag, m);
    waiting.get(m.tag)?.();
  });
});
/** The provider's record of a tag, once the worker has reported it. */
const providerRecord = (tag) => (seen.has(tag) ? Promise.resolve(seen.get(tag)) : new Promise((r) => waiting.set(tag, () => r(seen.get(tag)))));

// --- baseline: the same calls straight to the provider, 50 sessions in a closed loop ---
async function direct() {
  const t0 = now();
  const r = await fetch(`${providerUrl}/v1/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "claude-bench", messages: [{ role: "user", content: "direct" }], stream: true }) });
  await r.text();
  return now() - t0;
}
/** Runs `fn(session, round)` for every session in a closed loop (next round when the last ended), starts staggered. */
async function closedLoop(fn, { gapMs, rounds }, firstRound = 0) {
  const out = [];
  await Promise.all(
    Array.from({ length: SESSIONS }, async (_, s) => {
      await new Promise((r) => setTimeout(r, (s * DELTAS * gapMs) / SESSIONS));
      for (let round = firstRound; round < firstRound + rounds; round++) out.push(await fn(s, round));
    }),
  );
  return out;
}

// --- the gateway, configured for that provider ---
const { home, token, port, env, bin } = gatewayBenchHome("openclaw-bench-turns-");
const configFile = path.join(home, ".openclaw", "openclaw.json");
const config = JSON.parse(readFileSync(configFile, "utf8"));
config.agents = { defaults: { model: { primary: "anthropic/claude-bench" } } };
config.models = { providers: { anthropic: { baseUrl: providerUrl, apiKey: "sk-ant-bench-000000000000000000000000" } } };
writeFileSync(configFile, JSON.stringify(config));
const child = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean), bin, "gateway"], { env, stdio: ["ignore", "ignore", "pipe"] });
let stderr = "";
child.stderr.on("data", (d) => (stderr += d));
await waitHealthy(port, () => stderr);
const ws = await connectBenchClient(port, token, ["operator.write"]);

const pending = new Map();
ws.on("message", (data) => {
  const text = data.toString();
  // Deltas are most of the traffic: only answers and final/error events are parsed.
  if (text.startsWith('{"type":"event"') && !text.includes('"state":"final"') && !text.includes('"state":"error"')) return;
  const f = JSON.parse(text);
  if (f.type === "res" && pending.has(f.id)) {
    pending.get(f.id).runId = f.payload?.runId;
    if (!f.ok) pending.get(f.id).reject(new Error(JSON.stringify(f.error)));
  } else if (f.type === "event" && f.event === "chat" && (f.payload.state === "final" || f.payload.state === "error")) {
    for (const p of pending.values()) if (p.runId === f.payload.runId) p.resolve({ at: now(), state: f.payload.state });
  }
});

/** One turn in session `s`: returns the gateway's overhead and the end-to-end time. */
function turn(s, round) {
  const tag = `${s}-${round}`;
  const id = `t${tag}`;
  return new Promise((resolve, reject) => {
    const sent = now();
    pending.set(id, {
      reject,
      resolve: async ({ at, state }) => {
        pending.delete(id);
        if (state !== "final") return reject(new Error(`turn ${tag} ended in ${state}`));
        const p = await providerRecord(tag);
        resolve({ overhead: p.arrived - sent + (at - p.lastByte), total: at - sent });
      },
    });
    ws.send(JSON.stringify({ type: "req", id, method: "chat.send", params: { sessionKey: `agent:main:bench-${s}`, message: `bench-${tag}`, idempotencyKey: id } }));
  });
}

await turn(0, 999); // warm-up: loads the provider SDK
await new Promise((r) => setTimeout(r, 1000));
const idleRss = rssMiB(child.pid);
const results = [];
let firstRound = 0;
for (const sc of SCENARIOS) {
  worker.postMessage({ gapMs: sc.gapMs });
  const directMs = await closedLoop(direct, sc);
  const rs = await closedLoop(turn, sc, firstRound);
  firstRound += sc.rounds;
  results.push({ ...sc, directMs, overhead: rs.map((r) => r.overhead), total: rs.map((r) => r.total) });
}
await new Promise((r) => setTimeout(r, 1000));
const afterRss = rssMiB(child.pid);
ws.close();
child.kill("SIGTERM");
await new Promise((r) => child.once("exit", r));
await worker.terminate();
rmSync(home, { recursive: true, force: true });

const p50 = (xs) => percentile(xs, 50);
let ok = idleRss <= 100;
for (const r of results) {
  const directP50 = p50(r.directMs);
  console.log(`\nAgent turns: ${SESSIONS} sessions at once × ${r.rounds} turns each (${r.overhead.length} turns), replies streamed in ${DELTAS} deltas ${r.gapMs} ms apart${r.target ? "" : " (stress)"}`);
  printTable("Per turn (p50), against the same calls made straight to the provider", [
    { name: "direct provider call (baseline)", ms: directP50, ratio: 1 },
    { name: "turn through the gateway, end to end", ms: p50(r.total), ratio: p50(r.total) / directP50 },
    { name: `gateway's own overhead${r.target ? " (target p50 ≤ 5 ms)" : ""}`, ms: p50(r.overhead), ratio: p50(r.overhead) / directP50 },
  ]);
  console.log(`  overhead p95 ${percentile(r.overhead, 95).toFixed(1)} ms, p99 ${percentile(r.overhead, 99).toFixed(1)} ms`);
  if (r.target) ok &&= p50(r.overhead) <= 5;
}
console.log(`\n  gateway RSS idle with the runtime loaded: ${idleRss.toFixed(1)} MiB (target ≤ 100 MiB); idle after both runs: ${afterRss.toFixed(1)} MiB`);
console.log(ok ? "  targets met" : "  TARGET MISSED");
process.exit(ok ? 0 : 1);
