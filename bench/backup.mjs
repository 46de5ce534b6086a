// `backup create` of a generated state tree (default ~1 GiB; BENCH_BACKUP_MIB to change) against
// `tar czf` of the same tree, in the same run. Target (issue 6): ≤ 1.2× tar czf.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const bin = path.join(root, "bin/openclaw.mjs");
const mib = Number(process.env.BENCH_BACKUP_MIB ?? 1024);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const home = mkdtempSync(path.join(os.tmpdir(), "openclaw-bench-backup-"));
const state = path.join(home, ".openclaw");
mkdirSync(path.join(state, "agents", "main", "sessions"), { recursive: true });
writeFileSync(path.join(state, "openclaw.json"), JSON.stringify({ gateway: { mode: "local" } }), { mode: 0o600 });
// Transcript-like JSONL (compressible like real sessions: words from a small vocabulary plus ids).
const words = Array.from({ length: 2000 }, () => randomBytes(4).toString("hex"));
let written = 0;
let n = 0;
while (written < mib * 1048576) {
  const lines = [];
  let size = 0;
  while (size < 4 * 1048576) {
    const text = Array.from({ length: 40 }, () => words[Math.floor(Math.random() * words.length)]).join(" ");
    const line = `${JSON.stringify({ type: "message", id: randomBytes(8).toString("hex"), message: { role: n % 2 ? "user" : "assistant", content: [{ type: "text", text }] } })}\n`;
    lines.push(line);
    size += line.length;
  }
  writeFileSync(path.join(state, "agents", "main", "sessions", `s${n++}.jsonl`), lines.join(""));
  written += size;
}
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (cmd, args, env) => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: ["ignore", "ignore", "pipe"] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
const out = path.join(home, "out");
mkdirSync(out);
const env = { ...process.env, HOME: home };
const tar = [];
const ours = [];
for (let i = 0; i < runs; i++) {
  tar.push(time("tar", ["czf", path.join(out, "tar.tar.gz"), "-C", home, ".openclaw"], env));
  ours.push(time(process.execPath, [bin, "backup", "create", "--output", path.join(out, `ours-${i}.tar.gz`)], env));
  rmSync(path.join(out, `ours-${i}.tar.gz`));
}
const t = median(tar);
const o = median(ours);
console.log(`\nbackup create of ${(written / 1048576).toFixed(0)} MiB (${n} files), median of ${runs}`);
console.log(`  ${"tar czf (baseline)".padEnd(34)} ${t.toFixed(0).padStart(8)} ms  1.00×`);
console.log(`  ${"openclaw backup create".padEnd(34)} ${o.toFixed(0).padStart(8)} ms  ${(o / t).toFixed(2)}×  ${o / t <= 1.2 ? "ok" : "MISSES"} (target ≤ 1.2×)`);
rmSync(home, { recursive: true, force: true });
