// The access policy reads a channel's approved senders (PairingStore.readAllowFrom) on every DM. Now
// that the store takes the union of credentials/<channel>-allowFrom.json and OpenClaw's
// state/openclaw.sqlite, a read is: stat the database file, read SQLite's data_version, stat the JSON
// file, and answer from the cache unless either changed. Baseline in the same run: what the store did
// before the mirror (read + parse the JSON file on every call) = 1.00. Also the read right after
// another connection commits (cache miss: the rows are queried again). Target: a cached read ≤ 1.5×
// the baseline.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { register } from "tsx/esm/api";

register();
const { PairingStore } = await import("../src/channels/index.ts");
const { default: Database } = await import("better-sqlite3");

const N = Number(process.env.BENCH_READS ?? 20_000);
const stateDir = mkdtempSync(path.join(os.tmpdir(), "openclaw-bench-pairing-"));
const credentialsDir = path.join(stateDir, "credentials");
const store = new PairingStore({ credentialsDir, stateDir });
for (let i = 0; i < 50; i++) {
  const r = await store.requestPairing("telegram", String(1000 + i));
  await store.approvePairing("telegram", r.code);
}
const allowFile = store.allowFromFile("telegram");

/** Median µs per call over 5 batches of N calls (after a warm-up batch). */
function perCall(fn) {
  for (let i = 0; i < N / 10; i++) fn();
  const batches = [];
  for (let b = 0; b < 5; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) fn();
    batches.push(Number(process.hrtime.bigint() - t0) / 1e3 / N);
  }
  return batches.sort((a, b) => a - b)[2];
}

const baseline = perCall(() => JSON.parse(readFileSync(allowFile, "utf8")).allowFrom.length);
const cached = perCall(() => store.readAllowFrom("telegram").length);
const other = new Database(store.databaseFile());
const bump = other.prepare("UPDATE channel_pairing_allow_entries SET updated_at = updated_at + 1 WHERE entry = '1000'");
const missRuns = 500;
let missTotal = 0;
for (let i = 0; i < missRuns; i++) {
  bump.run();
  const t0 = process.hrtime.bigint();
  store.readAllowFrom("telegram");
  missTotal += Number(process.hrtime.bigint() - t0) / 1e3;
}
const miss = missTotal / missRuns;
other.close();
store.close();
rmSync(stateDir, { recursive: true, force: true });

console.log("\nPairingStore.readAllowFrom, 50 approved senders (µs per read)");
for (const [name, us, target] of [
  ["baseline: read + parse the JSON file", baseline],
  ["files + SQLite, cached (nothing changed)", cached, 1.5],
  ["files + SQLite after another commit", miss],
]) {
  const ratio = us / baseline;
  const verdict = target === undefined ? "" : ratio <= target ? `  ok (target ≤ ${target}×)` : `  MISSES target ≤ ${target}×`;
  console.log(`  ${name.padEnd(42)} ${us.toFixed(1).padStart(8)} µs  ${ratio.toFixed(2).padStart(6)}×${verdict}`);
}
if (cached / baseline > 1.5) process.exitCode = 1;
