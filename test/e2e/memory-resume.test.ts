/**
 * A killed `openclaw memory index` never starts from zero: the built binary indexes ten thousand
 * generated notes and is SIGKILLed once its NDJSON progress passes 30 %, then (rerun on the same
 * state) 60 % and 90 %; each rerun has only the uncommitted files left to do, and the finished
 * index holds exactly the chunks of a clean run on a separate state dir. SIGTERM stops it after the
 * batch in flight with exit 130 and the rerun hint. Everything waits on progress lines, never on time.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";
import { BIN, runBinary, tempHome } from "../helpers/cli.js";

const NOTES = 10_000;
const WORDS = ["alpha", "beta", "gamma", "delta", "deploy", "garden", "invoice", "travel", "guitar", "meeting", "backup", "python", "coffee", "lorem", "ipsum"];

/** Deterministic notes of 20–320 words in 20 folders (a linear congruential generator, fixed seed). */
function generateCorpus(workspace: string): void {
  let x = 1;
  const next = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x;
  };
  for (let d = 0; d < 20; d++) mkdirSync(path.join(workspace, "memory", `d${d}`), { recursive: true });
  for (let i = 0; i < NOTES; i++) {
    const words = 20 + (next() % 300);
    let text = `# Note ${i}\n\n`;
    for (let j = 0; j < words; j++) text += WORDS[next() % WORDS.length] + (j % 12 === 11 ? "\n" : " ");
    writeFileSync(path.join(workspace, "memory", `d${i % 20}`, `n${i}.md`), text);
  }
}

interface Progress {
  phase: string;
  filesTotal: number;
  filesDone: number;
}

interface Stopped {
  /** filesTotal of the run's first index event: what it had left to do. */
  leftAtStart: number;
  /** Files known committed (overall) at the last progress line read before the signal. */
  committed: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Spawns `memory index --json` and sends `signal` once the overall share of committed files reaches
 * `at` (overall = files committed by earlier runs plus this run's). Resolves when the process exits.
 */
function indexUntil(env: Record<string, string | undefined>, at: number, signal: NodeJS.Signals): Promise<Stopped> {
  return new Promise((resolve, reject) => {
    // A run that never ends is killed after two minutes (spawn's own deadline).
    const child = spawn(process.execPath, [BIN, "memory", "index", "--json"], { env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"], timeout: 120_000, killSignal: "SIGKILL" });
    let stdout = "";
    let stderr = "";
    let leftAtStart = -1;
    let committed = 0;
    let sent = false;
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    createInterface({ input: child.stderr }).on("line", (line) => {
      stderr += `${line}\n`;
      if (sent || !line.startsWith("{")) return;
      const p = JSON.parse(line) as Progress;
      if (p.phase !== "index") return;
      if (leftAtStart < 0) leftAtStart = p.filesTotal;
      committed = NOTES - p.filesTotal + p.filesDone;
      if (committed / NOTES >= at) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on("error", reject);
    child.on("close", (code, sig) => {
      resolve({ leftAtStart, committed, code, signal: sig, stdout, stderr });
    });
  });
}

function homeWith(t: { after(fn: () => void): void }, workspace: string) {
  const { home, env } = tempHome(t);
  mkdirSync(path.join(home, ".openclaw"), { recursive: true });
  writeFileSync(path.join(home, ".openclaw", "openclaw.json"), JSON.stringify({ agents: { defaults: { workspace } } }));
  return env;
}

async function statusOf(env: Record<string, string | undefined>): Promise<{ state: string; files: number; chunks: number }> {
  const r = await runBinary(["memory", "status", "--json"], { env });
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as Array<{ state: string; files: number; chunks: number }>)[0]!;
}

test("SIGKILL at 30 %, 60 % and 90 %: every rerun continues from the committed batches; the final index equals a clean run's", async (t) => {
  const root = mkdtempSync(path.join(os.tmpdir(), "openclaw-memory-resume-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const workspace = path.join(root, "workspace");
  generateCorpus(workspace);

  const clean = homeWith(t, workspace);
  const full = await runBinary(["memory", "index", "--json"], { env: clean, timeoutMs: 120_000 });
  assert.equal(full.code, 0, full.stderr);
  const cleanRun = (JSON.parse(full.stdout) as { agents: Array<{ indexed: number; chunks: number }> }).agents[0]!;
  assert.equal(cleanRun.indexed, NOTES);

  const env = homeWith(t, workspace);
  let committedBefore = 0;
  for (const at of [0.3, 0.6, 0.9]) {
    const run = await indexUntil(env, at, "SIGKILL");
    assert.equal(run.signal, "SIGKILL", `the run at ${at} was killed, not finished (grow the corpus if it finishes first): code ${run.code}\n${run.stderr.slice(-500)}`);
    assert.equal(run.stdout, "", "a killed run printed no result");
    assert.ok(run.committed / NOTES >= at, `reached ${run.committed}/${NOTES} before the kill`);
    if (committedBefore === 0) assert.equal(run.leftAtStart, NOTES, "the first run starts with everything to do");
    else assert.ok(run.leftAtStart > 0 && run.leftAtStart <= NOTES - committedBefore, `rerun after ${committedBefore} committed files had ${run.leftAtStart} left (did not restart from zero)`);
    t.diagnostic(`kill at ${at}: ${run.leftAtStart} left at start, ${run.committed} committed when killed`);
    committedBefore = run.committed;
  }
  const last = await runBinary(["memory", "index", "--json"], { env, timeoutMs: 120_000 });
  assert.equal(last.code, 0, last.stderr);
  const final = (JSON.parse(last.stdout) as { agents: Array<{ indexed: number; files: number; chunks: number }> }).agents[0]!;
  assert.ok(final.indexed > 0 && final.indexed <= NOTES - committedBefore, `the last rerun indexed ${final.indexed} (≤ ${NOTES - committedBefore})`);
  assert.equal(final.files, NOTES);
  t.diagnostic(`last rerun indexed ${final.indexed} of ${NOTES}; chunks ${final.chunks} (clean run ${cleanRun.chunks})`);
  const resumed = await statusOf(env);
  const reference = await statusOf(clean);
  assert.deepEqual([resumed.state, resumed.files, resumed.chunks], ["ok", NOTES, reference.chunks]);
  assert.equal(reference.chunks, cleanRun.chunks);

  // SIGTERM stops after the batch in flight: exit 130, the rerun hint, and the rerun continues.
  const termEnv = homeWith(t, workspace);
  const term = await indexUntil(termEnv, 0.2, "SIGTERM");
  assert.equal(term.code, 130, term.stderr.slice(-500));
  const err = JSON.parse(term.stdout) as { error: { code: string; message: string } };
  assert.equal(err.error.code, "INTERRUPTED");
  assert.match(err.error.message, /rerun to continue from the last committed batch/);
  const rerun = await runBinary(["memory", "index", "--json"], { env: termEnv, timeoutMs: 120_000 });
  const rr = (JSON.parse(rerun.stdout) as { agents: Array<{ indexed: number; chunks: number }> }).agents[0]!;
  assert.ok(rr.indexed <= NOTES - term.committed, `after SIGTERM at ${term.committed} the rerun indexed ${rr.indexed}`);
  assert.equal(rr.chunks, reference.chunks);
});

test("on a terminal: one progress line redrawn in place, then the summary (a pty from util-linux script)", async (t) => {
  if (spawnSync("sh", ["-c", "command -v script"]).status !== 0) {
    t.skip("util-linux `script` is not installed: no pseudo-terminal to run the binary on");
    return;
  }
  const root = mkdtempSync(path.join(os.tmpdir(), "openclaw-memory-tty-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const workspace = path.join(root, "workspace");
  generateCorpus(workspace);
  const env = homeWith(t, workspace);
  const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  const out = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
    const child = spawn("script", ["-qec", `${quote(process.execPath)} ${quote(BIN)} memory index`, "/dev/null"], {
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 120_000,
      killSignal: "SIGKILL",
    });
    let text = "";
    child.stdout.on("data", (d: Buffer) => (text += d.toString()));
    child.stderr.on("data", (d: Buffer) => (text += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      resolve({ code, text });
    });
  });
  assert.equal(out.code, 0, out.text.slice(-500));
  const frames = out.text.split("\r\x1b[2K").filter((f) => /^main {2}\[[#-]{20}\] +\d+ % {2}index {2}/.test(f));
  assert.ok(frames.length >= 1, `at least one redrawn frame: ${JSON.stringify(out.text.slice(0, 300))}`);
  assert.match(frames[0]!, /^main {2}\[[#-]{20}\] +\d+ % {2}index {2}\d+\/10000 files {2}[\d.]+ (KB|MB)\/[\d.]+ MB {2}\d+ chunks {2}\d+ files\/s/);
  assert.ok(frames.every((f) => !f.includes("\n")), "frames overwrite one line (no newline inside a frame)");
  assert.match(out.text, /main: indexed 10000 of 10000 file\(s\) — \d+ chunks in [\d.]+ s, keyword search only/);
  t.diagnostic(`${frames.length} frames drawn`);
});
