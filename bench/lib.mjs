// Shared benchmark helpers: spawn timing, medians, ratio tables.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";

/** Median wall time (ms) of `runs` spawns of `cmd args` (after one warm-up run). */
export function medianWall(cmd, args, { env = process.env, runs = 15, okCodes = [0] } = {}) {
  spawnSync(cmd, args, { env, stdio: "ignore" });
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { env, stdio: "ignore" });
    if (!okCodes.includes(r.status)) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}`);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Prints rows `{ name, ms, ratio, target }` as a table. */
export function printTable(title, rows) {
  console.log(`\n${title}`);
  for (const r of rows) {
    const verdict = r.target === undefined ? "" : r.ratio <= r.target ? `  ok (target ≤ ${r.target}×)` : `  MISSES target ≤ ${r.target}×`;
    console.log(`  ${r.name.padEnd(42)} ${r.ms.toFixed(1).padStart(8)} ms  ${r.ratio.toFixed(2).padStart(6)}×${verdict}`);
  }
}

const RSS_HOOK = new URL("./rss-hook.cjs", import.meta.url).pathname;

/** Peak RSS (MiB) of one run of a Node program, reported by a preloaded exit hook. */
export function peakRssMiB(args, { env = process.env } = {}) {
  const file = path.join(os.tmpdir(), `openclaw-bench-rss-${process.pid}-${Date.now()}`);
  spawnSync(process.execPath, ["-r", RSS_HOOK, ...args], { env: { ...env, BENCH_RSS_FILE: file }, stdio: "ignore" });
  try {
    return Number(readFileSync(file, "utf8")) / 1024;
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * A temp HOME whose openclaw.json runs a local gateway on a random port with a fresh token, and the
 * environment to start `bin/openclaw.mjs gateway` in it (no inherited state dir, config or timeouts).
 */
export function gatewayBenchHome(prefix) {
  const home = mkdtempSync(path.join(os.tmpdir(), prefix));
  const token = randomBytes(24).toString("hex");
  const port = 20000 + Math.floor(Math.random() * 20000);
  mkdirSync(path.join(home, ".openclaw"), { recursive: true });
  writeFileSync(
    path.join(home, ".openclaw", "openclaw.json"),
    JSON.stringify({ gateway: { mode: "local", port, auth: { token } }, logging: { file: path.join(home, "logs", "openclaw.log") } }),
  );
  const env = { ...process.env, HOME: home, NO_COLOR: "1" };
  delete env.OPENCLAW_STATE_DIR;
  delete env.OPENCLAW_CONFIG_PATH;
  delete env.OPENCLAW_HANDSHAKE_TIMEOUT_MS;
  delete env.OPENCLAW_SKIP_CHANNELS;
  const bin = path.join(path.resolve(import.meta.dirname, ".."), "bin/openclaw.mjs");
  return { home, token, port, env, bin };
}

/** A WebSocket to the gateway that has completed `connect` with the token (read scope by default). */
export async function connectBenchClient(port, token, scopes = ["operator.read"]) {
  const { default: WebSocket } = await import("ws");
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    ws.once("error", reject);
    ws.on("message", function first(data) {
      const f = JSON.parse(data.toString());
      if (f.event === "connect.challenge") {
        ws.send(JSON.stringify({ type: "req", id: "c", method: "connect", params: { minProtocol: 3, maxProtocol: 4, client: { id: "test", mode: "test", version: "bench", platform: "linux" }, role: "operator", scopes, auth: { token } } }));
      } else if (f.id === "c") {
        ws.off("message", first);
        if (!f.ok) reject(new Error(JSON.stringify(f.error)));
        else resolve(ws);
      }
    });
  });
}

/** The p-th percentile of a list of numbers. */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** Resident memory of a process in MiB, from /proc. */
export function rssMiB(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
}

/** Waits until `/healthz` answers 200 (10 s at most); `why()` explains a failure. */
export async function waitHealthy(port, why = () => "") {
  for (let i = 0; i < 500; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
      await r.body?.cancel();
      if (r.status === 200) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`gateway did not start: ${why()}`);
}

/** At least `count` sequential health calls over `ws` (and on while `more()`), `gapMs` apart; latencies in ms. */
export async function healthLatencies(ws, count, { gapMs = 0, more = () => false } = {}) {
  const lat = [];
  for (let i = 0; i < count || more(); i++) {
    const id = `h${i}`;
    const t0 = performance.now();
    await new Promise((resolve) => {
      const on = (data) => {
        if (data.toString().includes(`"id":"${id}"`)) {
          ws.off("message", on);
          resolve();
        }
      };
      ws.on("message", on);
      ws.send(`{"type":"req","id":"${id}","method":"health","params":{}}`);
    });
    lat.push(performance.now() - t0);
    if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
  }
  return lat;
}

// The loopback Anthropic Messages provider, in a worker thread (its own event loop, so the bench
// client's work does not delay it): streams each reply in `deltas` SSE deltas `gapMs` apart and
// reports when each request arrived and when its last byte went out, keyed by the newest
// `bench-<n>-<n>` tag in the request body (earlier turns are in the history).
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

/**
 * Starts the loopback provider worker. `record(tag)` resolves with `{ arrived, lastByte }` (hrtime ms,
 * the same clock as `benchNow()`) once the provider has answered that tag; `direct()` makes one call
 * straight to it and returns its wall time; `setGap(ms)` changes the pacing between deltas.
 */
export async function startBenchProvider(deltas) {
  const seen = new Map();
  const waiting = new Map();
  const worker = new Worker(PROVIDER, { eval: true, workerData: { DELTAS: deltas } });
  const url = await new Promise((resolve) => {
    worker.on("message", (m) => {
      if (m.port) return resolve(`http://127.0.0.1:${m.port}`);
      seen.set(m.tag, m);
      waiting.get(m.tag)?.();
    });
  });
  return {
    url,
    setGap: (gapMs) => worker.postMessage({ gapMs }),
    record: (tag) => (seen.has(tag) ? Promise.resolve(seen.get(tag)) : new Promise((r) => waiting.set(tag, () => r(seen.get(tag))))),
    async direct() {
      const t0 = benchNow();
      const r = await fetch(`${url}/v1/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "claude-bench", messages: [{ role: "user", content: "direct" }], stream: true }) });
      await r.text();
      return benchNow() - t0;
    },
    terminate: () => worker.terminate(),
  };
}

/** Monotonic milliseconds (process.hrtime), comparable across this process's worker threads. */
export const benchNow = () => Number(process.hrtime.bigint()) / 1e6;

/**
 * Runs `fn(client, round)` for `clients` clients in a closed loop (each starts its next round when its
 * last one ended), starts staggered over `staggerMs`; returns every result.
 */
export async function closedLoop(clients, rounds, staggerMs, fn, firstRound = 0) {
  const out = [];
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      await new Promise((r) => setTimeout(r, (c * staggerMs) / clients));
      for (let round = firstRound; round < firstRound + rounds; round++) out.push(await fn(c, round));
    }),
  );
  return out;
}

/**
 * Listens for `chat` final/error events on a connected bench WebSocket and returns `turn(s, round,
 * provider)`: one `chat.send` in session `agent:main:bench-<s>` with the message `bench-<s>-<round>`,
 * resolving with the gateway's overhead (`in`: request → provider arrival, plus `out`: provider last
 * byte → final event) and the end-to-end time.
 */
export function chatSendTurns(ws, provider) {
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
      for (const p of pending.values()) if (p.runId === f.payload.runId) p.resolve({ at: benchNow(), state: f.payload.state });
    }
  });
  return function turn(s, round) {
    const tag = `${s}-${round}`;
    const id = `t${tag}`;
    return new Promise((resolve, reject) => {
      const sent = benchNow();
      pending.set(id, {
        reject,
        resolve: async ({ at, state }) => {
          pending.delete(id);
          if (state !== "final") return reject(new Error(`turn ${tag} ended in ${state}`));
          const p = await provider.record(tag);
          resolve({ overhead: p.arrived - sent + (at - p.lastByte), total: at - sent, in: p.arrived - sent, out: at - p.lastByte });
        },
      });
      ws.send(JSON.stringify({ type: "req", id, method: "chat.send", params: { sessionKey: `agent:main:bench-${s}`, message: `bench-${tag}`, idempotencyKey: id } }));
    });
  };
}
