// The event bus under a burst: a normal client's `health` p99 while 10,000 events (8 KB each: 80 MB,
// past the 50 MiB maxBufferedBytes bound) go out and another client reads nothing, against the idle
// p99 and against the same burst with every client reading, in the same run; whether the silent
// client is closed with 1008; the gateway's RSS before, at the peak, and after the burst. The burst
// and the silent client run in a worker thread, so the measuring client has its own event loop.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { connectBenchClient, gatewayBenchHome, healthLatencies, percentile, rssMiB, waitHealthy } from "./lib.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

if (!isMainThread) {
  const { port, token, withSilent, perMs } = workerData;
  let silentClosed;
  let silent;
  if (withSilent) {
    silent = await connectBenchClient(port, token);
    silentClosed = new Promise((resolve) => silent.on("close", (code) => resolve(code)));
    silent._socket.pause();
  }
  const burster = await connectBenchClient(port, token, ["operator.write"]);
  let acked = 0;
  burster.on("message", (data) => {
    if (data[2] === 0x74 && data.toString("latin1", 0, 13) === `{"type":"res"`) acked++;
  });
  parentPort.postMessage({ ready: true });
  // The silent client reads again once the gateway has given up on it (as a client back from a stall
  // would), so it can see the close code; until then it reads nothing.
  const slowCloses = async () => {
    const r = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    return Number(/^openclaw_slow_consumer_closes_total (\d+)$/m.exec(await r.text())?.[1] ?? 0);
  };
  const closesBefore = silent ? await slowCloses() : 0;
  const watcher = (async () => {
    while (silent && (await slowCloses()) === closesBefore) await sleep(100);
    silent?._socket.resume();
  })();
  const pad = "x".repeat(8000);
  // `perMs` events, then a 1 ms pause: 1 ≈ 1,000 events/s (10 s); 50 ≈ as fast as one client pushes.
  for (let i = 0; i < 10_000; i++) {
    burster.send(JSON.stringify({ type: "req", id: `e${i}`, method: "system-event", params: { text: `burst ${i} ${pad}` } }));
    if (i % perMs === perMs - 1) await sleep(1);
  }
  while (acked < 10_000) await sleep(10);
  let code = null;
  if (silent) {
    code = await Promise.race([silentClosed, sleep(10_000).then(() => "not closed")]);
    silent._socket.resume();
    silent.terminate();
  }
  void watcher;
  burster.terminate();
  parentPort.postMessage({ done: true, code });
  process.exit(0);
}

const { home, token, port, env, bin } = gatewayBenchHome("openclaw-bench-events-");
const child = spawn(process.execPath, [bin, "gateway"], { env, stdio: ["ignore", "ignore", "pipe"] });
let stderr = "";
child.stderr.on("data", (d) => (stderr += d));
const rssOf = () => rssMiB(child.pid);

await waitHealthy(port, () => stderr);
const normal = await connectBenchClient(port, token);
await healthLatencies(normal, 200); // warm-up
const idle = await healthLatencies(normal, 1000);

/** Runs the burst in a worker (with or without a silent client) while `normal` calls health. */
async function burstWithHealth(withSilent, perMs) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { port, token, withSilent, perMs } });
  const messages = [];
  let wake = () => undefined;
  worker.on("message", (m) => {
    messages.push(m);
    wake();
  });
  const next = async (key) => {
    for (;;) {
      const m = messages.find((x) => x[key]);
      if (m) return m;
      await new Promise((r) => (wake = r));
    }
  };
  await next("ready");
  let done = false;
  next("done").then(() => (done = true));
  const lat = await healthLatencies(normal, 500, { more: () => !done });
  return { lat, code: (await next("done")).code };
}

async function scenario(perMs) {
  // Baseline: the same burst with every client reading.
  const reading = (await burstWithHealth(false, perMs)).lat;
  await sleep(500);
  const rssBefore = rssOf();
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssOf());
  }, 20);
  const { lat: silent, code } = await burstWithHealth(true, perMs);
  clearInterval(sampler);
  let rssAfter = rssOf();
  for (let i = 0; i < 100 && rssAfter - rssBefore > 10; i++) {
    await sleep(100);
    rssAfter = rssOf();
  }
  return { reading: percentile(reading, 99), silent: percentile(silent, 99), code, rssBefore, peak, rssAfter };
}

const p99Idle = percentile(idle, 99);
console.log("\nEvent bus: 10,000 events of 8 KB (80 MB, past the 50 MiB maxBufferedBytes), with and without a client that reads nothing");
console.log(`  health p99 idle                      ${p99Idle.toFixed(2)} ms`);
for (const [label, perMs] of [
  ["~1,000 events/s (10 s)", 1],
  ["as fast as one client pushes", 50],
]) {
  const r = await scenario(perMs);
  console.log(`  ${label}`);
  console.log(`    health p99, all reading            ${r.reading.toFixed(2)} ms  ${(r.reading / p99Idle).toFixed(2)}× idle`);
  console.log(
    `    health p99, + a silent client      ${r.silent.toFixed(2)} ms  ${(r.silent / p99Idle).toFixed(2)}× idle (target ≤ 2×: ${r.silent <= 2 * p99Idle ? "ok" : "MISSES"}); ${(r.silent / r.reading).toFixed(2)}× the same burst without it`,
  );
  console.log(`    silent client closed with          ${r.code} ${r.code === 1008 ? "ok" : "MISSES"}`);
  console.log(
    `    RSS before / peak / after          ${r.rssBefore.toFixed(1)} / ${r.peak.toFixed(1)} / ${r.rssAfter.toFixed(1)} MiB: after − before ${(r.rssAfter - r.rssBefore).toFixed(1)} MiB (target ≤ 10: ${r.rssAfter - r.rssBefore <= 10 ? "ok" : "MISSES"})`,
  );
}
normal.terminate();
child.kill("SIGTERM");
await new Promise((r) => child.once("exit", r));
rmSync(home, { recursive: true, force: true });
