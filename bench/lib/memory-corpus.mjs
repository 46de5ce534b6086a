// A deterministic markdown memory corpus for the memory benches and tests: `<workspace>/MEMORY.md`
// plus `<workspace>/memory/**.md` (daily files and nested topic folders), mixed sizes with a long
// tail, headings, lists, fenced code, tables, a few very long lines, some CJK paragraphs, a
// Zipf-distributed vocabulary, one planted note and a few near misses. Files are generated and
// written one at a time (memory stays bounded by the largest note). Types: memory-corpus.d.mts.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { NoteWriter, PLANT_WORDS, prng, vocabulary } from "./corpus-text.mjs";

export { vocabulary } from "./corpus-text.mjs";

/** The planted phrase, its query and its near misses for a seed (pure; no files). */
export function plantedFor(seed = 1) {
  const next = prng(seed * 7919 + 17);
  const pool = [...PLANT_WORDS];
  const pick = () => pool.splice(Math.floor(next() * pool.length), 1)[0];
  const words = [pick(), pick(), pick(), pick()];
  const phrase = `${words[0]} ${words[1]} ${words[2]} ${words[3]}`;
  // The query: three of the four words, not in the phrase's order.
  const query = `${words[2]} ${words[0]} ${words[3]}`;
  return { phrase, query, words, nearMisses: [words[0], words[2], words[3]] };
}

/** Note sizes: log-normal with a long tail, clipped, scaled so they sum to `totalBytes`. */
function noteSizes(next, notes, totalBytes) {
  const mean = totalBytes / notes;
  const min = Math.min(300, mean / 2);
  const max = Math.max(60_000, mean * 3);
  const raw = [];
  for (let i = 0; i < notes; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    raw.push(Math.exp(1.1 * z));
  }
  const sum = (k) => raw.reduce((a, x) => a + Math.min(max, Math.max(min, x * k)), 0);
  let lo = 0;
  let hi = (mean * notes) / Math.min(...raw);
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (sum(mid) < totalBytes) lo = mid;
    else hi = mid;
  }
  return raw.map((x) => Math.round(Math.min(max, Math.max(min, x * lo))));
}

const AREAS = "projects people infra recipes travel reading health finance ops ideas".split(" ");

const sentenceOf = (w) => {
  w.sentence();
  return w.take().toString("utf8");
};

const wordAt = (w) => vocabulary().words[w.zipf()];

function isoDay(daysBack) {
  return new Date(Date.UTC(2026, 10, 30) - daysBack * 86_400_000).toISOString().slice(0, 10);
}

/** Where note `i` lives (relative, posix). Note 0 is MEMORY.md; about 40 % are daily files. */
function notePath(i, next, w, state) {
  if (i === 0) return "MEMORY.md";
  if (next() < 0.4) return `memory/${isoDay(state.daily++)}.md`;
  const depth = 1 + ((next() * 3) | 0);
  const parts = ["memory", AREAS[(next() * AREAS.length) | 0]];
  // Sub-folders come from the 24 commonest words, so folders nest without thousands of directories.
  for (let d = 1; d < depth; d++) parts.push(vocabulary().words[(next() * 24) | 0]);
  return `${parts.join("/")}/${wordAt(w)}-${wordAt(w)}-${i}.md`;
}

/** Renders one note of about `target` bytes into a Buffer. `extra` paragraphs go in the middle. */
function renderNote(rel, target, w, next, extra = []) {
  const base = path.posix.basename(rel, ".md");
  if (next() < 0.05) {
    w.str("---\ntags: [");
    w.word();
    w.str(", ");
    w.word();
    w.str(`]\ncreated: ${isoDay((next() * 3000) | 0)}\n---\n\n`);
  }
  if (rel === "MEMORY.md") w.str("# Memory");
  else if (/^\d{4}-\d\d-\d\d$/.test(base)) w.str(`# ${base}`);
  else {
    w.str("# ");
    w.title();
  }
  const extraAt = extra.length ? Math.floor(target / 2) : Number.POSITIVE_INFINITY;
  // A few notes carry one very long line without newlines (minified JSON pasted into a note).
  if (target > 4000 && next() < 0.01) {
    w.str("\n\n");
    w.longLine(Math.min(target - w.size - 100, 2000 + ((next() * 18_000) | 0)));
  }
  while (w.size < target) {
    w.str("\n\n");
    if (w.size >= extraAt && extra.length) {
      w.str(extra.splice(0).join("\n\n"));
      continue;
    }
    const from = w.size;
    w.block();
    // Trim an overshooting block at a word boundary so the note lands near its target size.
    if (w.size > target && target - from > 40) w.cutAt(from, target);
  }
  if (extra.length) w.str(`\n\n${extra.join("\n\n")}`);
  w.str("\n");
  return w.take();
}

/** The sidecar naming protected files (planted note, near misses); outside MEMORY.md and memory/. */
const SIDECAR = ".memory-corpus.json";

/**
 * Writes the corpus into `workspace` (created if missing) and returns
 * `{ files, bytes, planted: { path, phrase, query }, nearMisses }`. Deterministic for a seed;
 * `totalBytes` bytes (within a block) over `notes` files.
 */
export function generateCorpus({ workspace, notes = 10_000, totalBytes = 50 * 2 ** 20, seed = 1, cjkShare = 0.02 }) {
  if (!workspace) throw new Error("generateCorpus: workspace is required");
  if (!Number.isInteger(notes) || notes < 5) throw new Error(`generateCorpus: notes must be an integer of at least 5, got ${notes}`);
  if (!(totalBytes >= notes * 100)) throw new Error(`generateCorpus: totalBytes must be at least 100 per note (${notes * 100}), got ${totalBytes}`);
  if (!(cjkShare >= 0 && cjkShare <= 1)) throw new Error(`generateCorpus: cjkShare must be between 0 and 1, got ${cjkShare}`);
  const next = prng(seed);
  const w = new NoteWriter(next, cjkShare);
  const sizes = noteSizes(next, notes, totalBytes);
  const minNote = Math.min(300, totalBytes / notes / 2);
  const plant = plantedFor(seed);
  // The planted note and the near misses are topic notes picked by index (never MEMORY.md).
  const plantedIndex = 1 + Math.floor(next() * (notes - 1));
  const missIndexes = [];
  while (missIndexes.length < plant.nearMisses.length) {
    const k = 1 + Math.floor(next() * (notes - 1));
    if (k !== plantedIndex && !missIndexes.includes(k)) missIndexes.push(k);
  }
  const dirs = new Set();
  const state = { daily: 0 };
  let planned = 0;
  let bytes = 0;
  let plantedPath = "";
  const nearMissPaths = [];
  for (let i = 0; i < notes; i++) {
    let rel = notePath(i, next, w, state);
    if (i === plantedIndex || missIndexes.includes(i)) rel = `memory/${AREAS[(next() * AREAS.length) | 0]}/${wordAt(w)}-${i}.md`;
    const extra = [];
    if (i === plantedIndex) {
      plantedPath = rel;
      extra.push(`${sentenceOf(w)} We agreed that the ${plant.phrase} is the one to keep. ${sentenceOf(w)}`);
    }
    const miss = missIndexes.indexOf(i);
    if (miss >= 0) {
      nearMissPaths.push(rel);
      const word = plant.nearMisses[miss];
      extra.push(`${sentenceOf(w)} The ${word} came up again, and the ${word} notes are in the usual place. ${sentenceOf(w)}`);
    }
    planned += sizes[i];
    // Carry the running difference so the total lands on totalBytes.
    const target = Math.max(minNote, planned - bytes);
    const text = renderNote(rel, target, w, next, extra);
    const dir = path.join(workspace, path.posix.dirname(rel));
    if (!dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      dirs.add(dir);
    }
    // Synchronous writes: one note in memory at a time, and on this class of machine cheaper than
    // overlapping them on libuv's pool (measured: less CPU, no faster on ext4).
    writeFileSync(path.join(workspace, rel), text);
    bytes += text.length;
  }
  writeFileSync(path.join(workspace, SIDECAR), `${JSON.stringify({ seed, planted: plantedPath, nearMisses: nearMissPaths })}\n`);
  return { files: notes, bytes, planted: { path: plantedPath, phrase: plant.phrase, query: plant.query }, nearMisses: nearMissPaths };
}

/** `n` realistic 1–4 word queries from the vocabulary (common and rare terms, a few CJK), including the planted query once. */
export function searchQueries(n = 100, seed = 1) {
  const next = prng(seed * 31 + 5);
  const { words, rare, cjk } = vocabulary();
  const longCjk = cjk.filter((x) => [...x].length >= 3);
  const out = [];
  const plantAt = Math.floor(next() * n);
  for (let i = 0; i < n; i++) {
    if (i === plantAt) {
      out.push(plantedFor(seed).query);
      continue;
    }
    if (next() < 0.03) {
      out.push(longCjk[(next() * longCjk.length) | 0]);
      continue;
    }
    const r = next();
    const len = r < 0.3 ? 1 : r < 0.65 ? 2 : r < 0.9 ? 3 : 4;
    const q = [];
    while (q.length < len) {
      // Log-uniform over ranks: common, mid and rare terms all show up.
      const word = next() < 0.08 ? rare[(next() * rare.length) | 0] : words[Math.floor(Math.exp(next() * Math.log(words.length)))] ?? words[0];
      if (!q.includes(word)) q.push(word);
    }
    out.push(q.join(" "));
  }
  return out;
}

/** All corpus notes under `workspace`, relative posix paths, sorted. */
export function listNotes(workspace) {
  const out = [];
  const walk = (dir, rel) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name), `${rel}${e.name}/`);
      else if (e.name.endsWith(".md")) out.push(`${rel}${e.name}`);
    }
  };
  try {
    statSync(path.join(workspace, "MEMORY.md"));
    out.push("MEMORY.md");
  } catch {
    // no root note
  }
  walk(path.join(workspace, "memory"), "memory/");
  return out.sort();
}

/**
 * Modifies, adds and removes that many notes (never MEMORY.md, the planted note or its near
 * misses) and returns `{ modified, added, removed }` as relative posix paths.
 */
export function mutateCorpus(workspace, { modify = 0, add = 0, remove = 0, seed = 1 } = {}) {
  let protectedPaths = new Set(["MEMORY.md"]);
  try {
    const side = JSON.parse(readFileSync(path.join(workspace, SIDECAR), "utf8"));
    protectedPaths = new Set(["MEMORY.md", side.planted, ...side.nearMisses]);
  } catch {
    // not a generated corpus: only MEMORY.md is protected
  }
  const candidates = listNotes(workspace).filter((p) => !protectedPaths.has(p));
  if (modify + remove > candidates.length) throw new Error(`mutateCorpus: ${modify + remove} changes asked, only ${candidates.length} notes can change`);
  const next = prng(seed * 104_729 + 3);
  const w = new NoteWriter(next, 0);
  // A partial Fisher–Yates shuffle picks distinct notes.
  const picked = [];
  for (let i = 0; i < modify + remove; i++) {
    const j = i + Math.floor(next() * (candidates.length - i));
    [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
    picked.push(candidates[i]);
  }
  const modified = picked.slice(0, modify);
  const removed = picked.slice(modify);
  modified.forEach((rel, i) => {
    const file = path.join(workspace, rel);
    const text = readFileSync(file, "utf8");
    w.paragraph();
    const update = `## Update ${seed}.${i}\n\n${w.take().toString("utf8")}\n`;
    // Half grow (appended section), half shrink (second half replaced) so chunks are added and dropped.
    writeFileSync(file, i % 2 === 0 ? `${text}\n${update}` : `${text.slice(0, text.lastIndexOf("\n", text.length / 2) + 1)}\n${update}`);
  });
  for (const rel of removed) rmSync(path.join(workspace, rel));
  const added = [];
  for (let i = 0; added.length < add; i++) {
    const rel = `memory/inbox/mutation-${seed}-${i}.md`;
    const file = path.join(workspace, rel);
    try {
      statSync(file);
      continue;
    } catch {
      // free name
    }
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, renderNote(rel, 500 + ((next() * 4000) | 0), w, next));
    added.push(rel);
  }
  return { modified: modified.sort(), added, removed: removed.sort() };
}

// `node bench/lib/memory-corpus.mjs <dir> [notes] [MiB] [seed]` writes a corpus and prints its timing.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, notes = "10000", mib = "50", seed = "1"] = process.argv.slice(2);
  if (!dir) {
    console.error("usage: node bench/lib/memory-corpus.mjs <dir> [notes=10000] [MiB=50] [seed=1]");
    process.exit(2);
  }
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = generateCorpus({ workspace: path.resolve(dir), notes: Number(notes), totalBytes: Number(mib) * 2 ** 20, seed: Number(seed) });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({ ...result, ms: Math.round(ms), userMs: Math.round(cpu.user / 1000), systemMs: Math.round(cpu.system / 1000), peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
}
