// `config set` on files with many comment lines against the same edit of a small file, measured in
// the same run. The edit used to be quadratic in the number of lines (its diff built a full LCS
// table: 16k comment lines took ~22 s and GBs of memory); it should now grow about linearly.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { printTable } from "./lib.mjs";

const root = path.resolve(import.meta.dirname, "..");
const bin = path.join(root, "bin/openclaw.mjs");
const home = mkdtempSync(path.join(os.tmpdir(), "openclaw-bench-set-"));
const dir = path.join(home, ".openclaw");
mkdirSync(dir);
const file = path.join(dir, "openclaw.json");
const env = { ...process.env, HOME: home, OPENCLAW_STATE_DIR: dir };
delete env.OPENCLAW_CONFIG_PATH;

/** A config with `n` comment lines inside gateway. */
function configText(n) {
  const lines = ["{", "  gateway: {", '    mode: "local",'];
  for (let i = 0; i < n; i++) lines.push(`    // comment line ${i}`);
  lines.push("    port: 18789,", "  },", "}", "");
  return lines.join("\n");
}

/** Median wall time (ms) of `config set gateway.port 18790` on a fresh copy of `text`. */
function medianSet(text, runs) {
  const times = [];
  for (let i = 0; i <= runs; i++) {
    writeFileSync(file, text);
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [bin, "config", "set", "gateway.port", "18790"], { env, stdio: "ignore" });
    if (r.status !== 0) throw new Error(`config set exited ${r.status}`);
    if (i > 0) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const runs = Number(process.env.BENCH_RUNS ?? 7);
const base = medianSet(configText(10), runs);
const rows = [{ name: "config set, 10 comment lines (baseline)", ms: base, ratio: 1 }];
for (const [n, target] of [
  [4_000, undefined],
  [16_000, 3],
  [64_000, 6],
]) {
  const ms = medianSet(configText(n), runs);
  rows.push({ name: `config set, ${n} comment lines`, ms, ratio: ms / base, target });
}
printTable(`config set vs comment lines (median of ${runs})`, rows);
rmSync(home, { recursive: true, force: true });
