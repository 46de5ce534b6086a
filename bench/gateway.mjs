// Gateway benchmarks: start → ready, idle RSS, health RPC throughput and latency over one socket and
// over 50 sockets, and `openclaw health --json` wall time against `node -e 0` in the same run.
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { connectBenchClient, gatewayBenchHome, medianWall, percentile, printTable } from "./lib.mjs";

const { home, token, port, env, bin } = gatewayBenchHome("openclaw-bench-gw-");

async function ready() {
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (r.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 2));
  }
}

const t0 = performance.now();
const child = spawn(process.execPath, [bin, "gateway"], { env, stdio: ["ignore", "ignore", "pipe"] });
let stderr = "";
child.stderr.on("data", (d) => (stderr += d));
child.on("exit", (code) => {
  if (code !== 0 && code !== null) console.error(`gateway exited ${code}: ${stderr}`);
});
await ready();
const startMs = performance.now() - t0;
const rssOf = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
await new Promise((r) => setTimeout(r, 500));
const idleRss = rssOf();

const connect = () => connectBenchClient(port, token);

/** Sends `total` health requests over a socket with `window` in flight; returns per-request latencies. */
function drive(ws, total, window) {
  return new Promise((resolve) => {
    const sent = new Map();
    const lat = [];
    let next = 0;
    const send = () => {
      const id = String(next++);
      sent.set(id, performance.now());
      ws.send(`{"type":"req","id":"${id}","method":"health","params":{}}`);
    };
    ws.on("message", (data) => {
      const text = data.toString();
      const id = /"id":"(\d+)"/.exec(text)?.[1];
      if (id === undefined || !sent.has(id)) return;
      lat.push(performance.now() - sent.get(id));
      sent.delete(id);
      if (next < total) send();
      else if (sent.size === 0) resolve(lat);
    });
    for (let i = 0; i < Math.min(window, total); i++) send();
  });
}

const pct = percentile;

const one = await connect();
await drive(one, 2000, 32); // warm-up
let t = performance.now();
const single = await drive(one, 40_000, 32);
const singleRate = single.length / ((performance.now() - t) / 1000);

const sockets = await Promise.all(Array.from({ length: 50 }, connect));
t = performance.now();
const many = (await Promise.all(sockets.map((ws) => drive(ws, 800, 4)))).flat();
const manyRate = many.length / ((performance.now() - t) / 1000);
for (const ws of [one, ...sockets]) ws.close();

const loadedRss = rssOf();

const cliEnv = { ...env };
const node = medianWall(process.execPath, ["-e", "0"], { env: cliEnv, runs: 11 });
const health = medianWall(process.execPath, [bin, "health", "--json"], { env: cliEnv, runs: 11 });
const nodeNoCa = medianWall(process.execPath, ["-e", "0"], { env: { ...cliEnv, NODE_EXTRA_CA_CERTS: "" }, runs: 11 });
const healthNoCa = medianWall(process.execPath, [bin, "health", "--json"], { env: { ...cliEnv, NODE_EXTRA_CA_CERTS: "" }, runs: 11 });

child.kill("SIGTERM");
await new Promise((r) => child.once("exit", r));
rmSync(home, { recursive: true, force: true });

console.log("\nGateway");
console.log(`  start → ready                     ${startMs.toFixed(0).padStart(8)} ms   (target ≤ 500 ms: ${startMs <= 500 ? "ok" : "MISSES"})`);
console.log(`  idle RSS after start              ${idleRss.toFixed(1).padStart(8)} MiB  (target ≤ 100 MiB: ${idleRss <= 100 ? "ok" : "MISSES"})`);
console.log(`  RSS after the RPC load below      ${loadedRss.toFixed(1).padStart(8)} MiB`);
console.log(`  health RPC, 1 socket (32 in flight) ${singleRate.toFixed(0).padStart(7)} /s  p50 ${pct(single, 50).toFixed(2)} ms  p99 ${pct(single, 99).toFixed(2)} ms  (target ≥ 20000/s: ${singleRate >= 20000 ? "ok" : "MISSES"})`);
console.log(`  health RPC, 50 sockets (4 each)   ${manyRate.toFixed(0).padStart(7)} /s  p50 ${pct(many, 50).toFixed(2)} ms  p99 ${pct(many, 99).toFixed(2)} ms`);
printTable("openclaw health --json against node -e 0 (median of 11)", [
  { name: "node -e 0", ms: node, ratio: 1 },
  { name: "openclaw health --json", ms: health, ratio: health / node, target: 3 },
  { name: "node -e 0 (no NODE_EXTRA_CA_CERTS)", ms: nodeNoCa, ratio: 1 },
  { name: "openclaw health --json (no NODE_EXTRA_CA_CERTS)", ms: healthNoCa, ratio: healthNoCa / nodeNoCa, target: 3 },
]);
