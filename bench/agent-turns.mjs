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
import { chatSendTurns, closedLoop, connectBenchClient, gatewayBenchHome, percentile, printTable, rssMiB, startBenchProvider, waitHealthy } from "./lib.mjs";

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 50);
const DELTAS = 10;
/** Reply pacing (ms between deltas) and turns per session of each run; the first is the target run. */
const SCENARIOS = [
  { gapMs: Number(process.env.BENCH_DELTA_GAP_MS ?? 100), rounds: Number(process.env.BENCH_ROUNDS ?? 4), target: true },
  { gapMs: 20, rounds: 8, target: false },
];

// The loopback provider runs in a worker thread (bench/lib.mjs); baseline: the same calls straight to it.
const provider = await startBenchProvider(DELTAS);

// --- the gateway, configured for that provider ---
const { home, token, port, env, bin } = gatewayBenchHome("openclaw-bench-turns-");
const configFile = path.join(home, ".openclaw", "openclaw.json");
const config = JSON.parse(readFileSync(configFile, "utf8"));
config.agents = { defaults: { model: { primary: "anthropic/claude-bench" } } };
config.models = { providers: { anthropic: { baseUrl: provider.url, apiKey: "sk-ant-bench-000000000000000000000000" } } };
writeFileSync(configFile, JSON.stringify(config));
const child = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean), bin, "gateway"], { env, stdio: ["ignore", "ignore", "pipe"] });
let stderr = "";
child.stderr.on("data", (d) => (stderr += d));
await waitHealthy(port, () => stderr);
const ws = await connectBenchClient(port, token, ["operator.write"]);

const turn = chatSendTurns(ws, provider);

await turn(0, 999); // warm-up: loads the provider SDK
await new Promise((r) => setTimeout(r, 1000));
const idleRss = rssMiB(child.pid);
const results = [];
let firstRound = 0;
for (const sc of SCENARIOS) {
  provider.setGap(sc.gapMs);
  const stagger = DELTAS * sc.gapMs;
  const directMs = await closedLoop(SESSIONS, sc.rounds, stagger, () => provider.direct());
  const rs = await closedLoop(SESSIONS, sc.rounds, stagger, turn, firstRound);
  firstRound += sc.rounds;
  results.push({ ...sc, directMs, overhead: rs.map((r) => r.overhead), total: rs.map((r) => r.total) });
}
await new Promise((r) => setTimeout(r, 1000));
const afterRss = rssMiB(child.pid);
ws.close();
child.kill("SIGTERM");
await new Promise((r) => child.once("exit", r));
await provider.terminate();
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
