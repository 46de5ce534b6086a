// Shared benchmark helpers: spawn timing, medians, ratio tables.
import { spawnSync } from "node:child_process";

/** Median wall time (ms) of `runs` spawns of `cmd args` (after one warm-up run). */
export function medianWall(cmd, args, { env = process.env, runs = 15 } = {}) {
  spawnSync(cmd, args, { env, stdio: "ignore" });
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { env, stdio: "ignore" });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}`);
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
