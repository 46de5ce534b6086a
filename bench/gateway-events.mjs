// The event bus under a burst: a normal client's `health` p99 while 10,000 events (6 KB each: 60 MB,
// past the 50 MiB maxBufferedBytes bound) go out
// and another client reads nothing, against the idle p99 in the same run; whether the silent client
// is closed with 1008; the gateway's RSS before, at the peak, and after the burst.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { connectBenchClient, gatewayBenchHome, percentile, rssMiB, healthLatencies as sequentialHealth, waitHealthy } from "./lib.mjs";

const { home, token, port, env, bin } = gatewayBenchHome("openclaw-bench-events-");
const child = spawn(process.execPath, [bin, "gateway"], { env, stdio: ["ignore", "ignore", "pipe"] });
let stderr = "";
child.stderr.on("data", (d) => (stderr += d));
const rssOf = () => rssMiB(child.pid);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

await waitHealthy(port, () => stderr);
const healthLatencies = (ws, n) => sequentialHealth(ws, n);

const normal = await connectBenchClient(port, token);
await healthLatencies(normal, 200); // warm-up
const idle = await healthLatencies(normal, 1000);
const burster = await connectBenchClient(port, token, ["operator.write"]);
let acked = 0;
burster.on("message", (data) => {
  if (data.toString().startsWith(`{"type":"res"`)) acked++;
});
const pad = "x".repeat(8000);

/** 10,000 system events (8 KB each: 80 MB, past the 50 MiB maxBufferedBytes), while `normal` calls health. */
async function burstWithHealth() {
  acked = 0;
  const burst = (async () => {
    for (let i = 0; i < 10_000; i++) {
      burster.send(JSON.stringify({ type: "req", id: `e${i}`, method: "system-event", params: { text: `burst ${i} ${pad}` } }));
      if (i % 50 === 49) await sleep(1);
    }
  })();
  const lat = await healthLatencies(normal, 1000);
  await burst;
  while (acked < 10_000) await sleep(10);
  return lat;
}

// Baseline: the same burst with every client reading.
const readingOnly = await burstWithHealth();
await sleep(500);
const rssBefore = rssOf();

const silent = await connectBenchClient(port, token);
const silentClosed = new Promise((resolve) => silent.on("close", (code) => resolve(code)));
silent._socket.pause();
let peak = rssBefore;
const sampler = setInterval(() => {
  peak = Math.max(peak, rssOf());
}, 20);
const withSilent = await burstWithHealth();
// The close frame waits behind what was queued for the client: let it read, then see the code.
silent._socket.resume();
const code = await Promise.race([silentClosed, sleep(10_000).then(() => "not closed")]);
clearInterval(sampler);
let rssAfter = rssOf();
for (let i = 0; i < 100 && rssAfter - rssBefore > 10; i++) {
  await sleep(100);
  rssAfter = rssOf();
}

const p99Idle = percentile(idle, 99);
const p99Reading = percentile(readingOnly, 99);
const p99Silent = percentile(withSilent, 99);
const rows = [
  ["health p99 idle", `${p99Idle.toFixed(2)} ms`, "1.00×"],
  ["health p99, burst, all reading", `${p99Reading.toFixed(2)} ms`, `${(p99Reading / p99Idle).toFixed(2)}× idle`],
  ["health p99, burst + silent client", `${p99Silent.toFixed(2)} ms`, `${(p99Silent / p99Reading).toFixed(2)}× the burst without it (target ≤ 2×: ${p99Silent <= 2 * p99Reading ? "ok" : "MISSES"}); ${(p99Silent / p99Idle).toFixed(2)}× idle`],
  ["silent client closed with", String(code), code === 1008 ? "ok" : "MISSES"],
  ["RSS before / peak / after", `${rssBefore.toFixed(1)} / ${peak.toFixed(1)} / ${rssAfter.toFixed(1)} MiB`, `after − before ${(rssAfter - rssBefore).toFixed(1)} MiB (target ≤ 10: ${rssAfter - rssBefore <= 10 ? "ok" : "MISSES"})`],
];
console.log("\nEvent bus: 10,000 events of 8 KB, with and without a client that reads nothing");
for (const [name, value, verdict] of rows) console.log(`  ${name.padEnd(36)} ${value.padEnd(30)} ${verdict}`);
for (const ws of [normal, silent, burster]) ws.terminate();
child.kill("SIGTERM");
await new Promise((r) => child.once("exit", r));
rmSync(home, { recursive: true, force: true });
