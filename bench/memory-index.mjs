// The memory index on a generated corpus (default 10,000 notes / 50 MiB with a planted note;
// BENCH_MEMORY_NOTES, BENCH_MEMORY_MIB to change), keyword only, through the built CLI.
// Baseline in the same run = 1.00: a Node process that reads and sha256-hashes every note (the floor
// of any indexer that checks content). Targets (issue 16): a cold `memory index` ≤ 10 s with progress
// shown and peak RSS ≤ 200 MiB; a rerun with no changes ≤ 1 s; `memory search` p95 ≤ 10 ms over 100
// queries with the planted note on top (in process, against the naive scan-every-note baseline);
// SIGKILL at 30 / 60 / 90 %: each rerun indexes only what was not committed and the final chunk
// count equals the clean run's.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { register } from "tsx/esm/api";
import { generateCorpus, listNotes, searchQueries } from "./lib/memory-corpus.mjs";
import { grepBaseline } from "./lib/memory-grep.mjs";

const root = path.resolve(import.meta.dirname, "..");
const bin = path.join(root, "bin/openclaw.mjs");
const notes = Number(process.env.BENCH_MEMORY_NOTES ?? 10_000);
const mib = Number(process.env.BENCH_MEMORY_MIB ?? 50);
const home = mkdtempSync(path.join(os.tmpdir(), "openclaw-bench-memory-"));
const workspace = path.join(home, "workspace");
const corpus = generateCorpus({ workspace, notes, totalBytes: mib * 2 ** 20 });

function stateFor(name) {
  const state = path.join(home, name);
  mkdirSync(state, { recursive: true });
  writeFileSync(path.join(state, "openclaw.json"), JSON.stringify({ gateway: { mode: "local" }, agents: { defaults: { workspace } } }));
  const env = { ...process.env, HOME: home, OPENCLAW_STATE_DIR: state, OPENCLAW_CONFIG_PATH: path.join(state, "openclaw.json"), NO_COLOR: "1" };
  for (const k of ["OPENAI_API_KEY", "GEMINI_API_KEY", "MISTRAL_API_KEY", "VOYAGE_API_KEY"]) delete env[k];
  return { state, env };
}

/** Runs `memory index --json`; with `killAt` (0..1) SIGKILLs it once that share of files is committed. */
function index(env, { killAt } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [bin, "memory", "index", "--json"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let buf = "";
    let progress = 0;
    let killedAt;
    let left;
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => {
      buf += d;
      let nl = buf.indexOf("\n");
      while (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        nl = buf.indexOf("\n");
        let p;
        try {
          p = JSON.parse(line);
        } catch {
          continue;
        }
        if (p.type !== "progress") continue;
        progress++;
        if (p.phase === "index" && left === undefined) left = p.filesTotal;
        // The share of the whole corpus committed (a rerun only counts the files left to it).
        const overall = (corpus.files - p.filesTotal + p.filesDone) / corpus.files;
        if (killAt !== undefined && killedAt === undefined && p.phase === "index" && overall >= killAt) {
          killedAt = corpus.files - p.filesTotal + p.filesDone;
          child.kill("SIGKILL");
        }
      }
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (killAt !== undefined) return resolve({ ms, killedAt, left, signal, progress });
      if (code !== 0) return reject(new Error(`memory index exited ${code}: ${buf.slice(-500)}`));
      resolve({ ms, progress, result: JSON.parse(out).agents[0] });
    });
  });
}

// Baseline: read + hash every note, in a fresh Node process (what any content check costs).
const files = listNotes(workspace).map((f) => path.join(workspace, f));
writeFileSync(path.join(home, "files.json"), JSON.stringify(files));
const baselineScript = `const fs=require("fs"),c=require("crypto");for(const f of JSON.parse(fs.readFileSync(${JSON.stringify(path.join(home, "files.json"))},"utf8")))c.createHash("sha256").update(fs.readFileSync(f,"utf8")).digest("hex");`;
const b0 = process.hrtime.bigint();
spawnSync(process.execPath, ["-e", baselineScript], { stdio: "inherit" });
const baseline = Number(process.hrtime.bigint() - b0) / 1e6;

const clean = stateFor("clean");
const cold = await index(clean.env);
const warm = await index(clean.env);

// Kill at 30 %, 60 %, 90 % on one state dir; each rerun is killed at the next mark, then finished.
const killed = stateFor("killed");
const kills = [];
for (const at of [0.3, 0.6, 0.9]) kills.push({ at, ...(await index(killed.env, { killAt: at })) });
const finish = await index(killed.env);

// Search in process on the clean index (no process start in the figure).
register();
const { resolveMemorySettings, MemoryIndex, searchMemory } = await import("../src/memory/index.ts");
const settings = resolveMemorySettings({ config: {}, agent: { id: "main", workspace }, memoryDir: path.join(clean.state, "memory"), env: {} });
const idx = MemoryIndex.open(settings, { create: false });
const queries = searchQueries(100);
const times = [];
let plantedTop = false;
for (const q of queries) await searchMemory(idx, q);
for (const q of queries) {
  const t0 = process.hrtime.bigint();
  const r = await searchMemory(idx, q);
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  if (q === corpus.planted.query) plantedTop = r.results[0]?.path === corpus.planted.path;
}
idx.close();
const grepTimes = [];
for (const q of queries.slice(0, 20)) {
  const t0 = process.hrtime.bigint();
  grepBaseline(workspace, q);
  grepTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const rssMiB = cold.result.maxRssBytes / 2 ** 20;
const ok = (cond) => (cond ? "ok" : "MISSES");

console.log(`\nmemory index: ${corpus.files} notes, ${(corpus.bytes / 2 ** 20).toFixed(1)} MiB, keyword only (ms; ratio to reading + hashing every note = 1.00)`);
console.log(`  baseline: read + sha256 every note           ${baseline.toFixed(0).padStart(7)} ms   1.00×`);
console.log(`  memory index, cold                           ${cold.ms.toFixed(0).padStart(7)} ms  ${(cold.ms / baseline).toFixed(2).padStart(5)}×  ${ok(cold.ms <= 10_000)} (target ≤ 10 s); ${cold.result.chunks} chunks, ${cold.progress} progress lines; peak RSS ${rssMiB.toFixed(0)} MiB ${ok(rssMiB <= 200)} (≤ 200)`);
console.log(`  memory index, nothing changed                ${warm.ms.toFixed(0).padStart(7)} ms  ${(warm.ms / baseline).toFixed(2).padStart(5)}×  ${ok(warm.ms <= 1000 && warm.result.indexed === 0)} (target ≤ 1 s; indexed ${warm.result.indexed})`);
for (const k of kills) console.log(`  SIGKILL at ${Math.round(k.at * 100)} %: the run started with ${k.left} files left, killed with ${k.killedAt} of ${corpus.files} committed (${k.signal ?? "finished before the mark"})`);
const chunksMatch = finish.result.chunks === cold.result.chunks;
console.log(`  rerun after the kills indexed ${finish.result.indexed} of ${corpus.files} files; chunks ${finish.result.chunks} vs clean ${cold.result.chunks}: ${ok(chunksMatch && finish.result.indexed < corpus.files)}`);
console.log(`\nmemory search, 100 queries (ms)`);
console.log(`  naive scan of every note (20 queries)  p50 ${pct(grepTimes, 0.5).toFixed(1).padStart(7)}  p95 ${pct(grepTimes, 0.95).toFixed(1).padStart(7)}   1.00×`);
console.log(
  `  memory search (in process)             p50 ${pct(times, 0.5).toFixed(2).padStart(7)}  p95 ${pct(times, 0.95).toFixed(2).padStart(7)}  ${(pct(times, 0.95) / pct(grepTimes, 0.95)).toFixed(4)}×  ${ok(pct(times, 0.95) <= 10)} (target p95 ≤ 10 ms); planted note on top: ${plantedTop ? "yes" : "NO"}`,
);
rmSync(home, { recursive: true, force: true });
