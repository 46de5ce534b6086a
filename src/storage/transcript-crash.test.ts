/**
 * Done-when: 500 kill -9s of a process appending to transcripts at random moments; afterwards every
 * transcript loads, no complete record is lost (each run's records form an unbroken sequence that
 * reaches at least the last one the writer reported), and only a torn tail was ever dropped.
 * The appender is the real storage code bundled with esbuild so each spawn is a plain `node`.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { build } from "esbuild";
import { tempDirFactory } from "../../test/helpers/temp.js";
import { loadTranscript } from "./index.js";

const KILLS = Number(process.env.CRASH_KILLS ?? 500);
const LANES = 5;
const FILES = 3;
const tmp = tempDirFactory("transcript-crash");
let bundle = "";

before(async () => {
  const out = tmp("bundle");
  bundle = path.join(out, "appender.mjs");
  await build({ entryPoints: [path.resolve(import.meta.dirname, "../../test/fixtures/sessions/transcript-appender.ts")], bundle: true, platform: "node", format: "esm", outfile: bundle, logLevel: "silent" });
});

interface RunOutcome {
  reported: Map<string, number>;
  repairedTails: number;
  killedBeforeReady: boolean;
}

/**
 * One appender life: spawn, let it append a random number of records (sometimes not even reach
 * `ready`), SIGKILL. The kill is triggered by what the appender reports, not by a timer, and lands
 * wherever its next write happens to be.
 */
function oneLife(dir: string, run: number, rand: () => number): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, dir, String(run), String(FILES), String(Math.floor(rand() * 2 ** 31))], { stdio: ["ignore", "pipe", "pipe"] });
    const reported = new Map<string, number>();
    let ready = false;
    let repairedTails = 0;
    let buf = "";
    let stderr = "";
    const early = rand() < 0.2;
    const killAfter = Math.floor(rand() * 40);
    let appended = 0;
    const kill = () => child.kill("SIGKILL");
    if (early) child.once("spawn", kill);
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      let nl = buf.indexOf("\n");
      while (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line === "ready") {
          ready = true;
          if (!early && killAfter === 0) kill();
        } else if (line.startsWith("torn ")) {
          repairedTails++;
        } else {
          const [name, , seq] = line.split(" ");
          reported.set(name!, Number(seq));
          if (!early && ++appended === killAfter) kill();
        }
        nl = buf.indexOf("\n");
      }
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal !== "SIGKILL") reject(new Error(`appender exited ${code} ${signal}: ${stderr}`));
      else resolve({ reported, repairedTails, killedBeforeReady: !ready });
    });
  });
}

test(`${KILLS} kill -9s while appending: every transcript loads, no complete record is lost`, { timeout: 300_000 }, async () => {
  let s = 12345;
  const rand = () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const perLane = Math.ceil(KILLS / LANES);
  let torn = 0;
  let kills = 0;
  let appendedBeforeKill = 0;
  let repaired = 0;
  const lanes = Array.from({ length: LANES }, async (_, lane) => {
    const dir = tmp(`lane${lane}`);
    mkdirSync(dir, { recursive: true });
    // file → run → highest seq the writer reported as appended
    const reportedMax = new Map<string, Map<number, number>>();
    for (let run = 0; run < perLane; run++) {
      const r = await oneLife(dir, run, rand);
      kills++;
      repaired += r.repairedTails;
      for (const [name, seq] of r.reported) {
        appendedBeforeKill++;
        const m = reportedMax.get(name) ?? new Map<number, number>();
        m.set(run, seq);
        reportedMax.set(name, m);
      }
    }
    for (let f = 0; f < FILES; f++) {
      const name = `s${f}.jsonl`;
      const t = loadTranscript(path.join(dir, name));
      assert.equal(t.problems.unreadable, undefined);
      assert.deepEqual(t.problems.badLines, [], `${name}: only a torn tail may be damaged`);
      if (t.problems.tornTail) torn++;
      const byRun = new Map<number, number[]>();
      for (const rec of t.records) {
        assert.equal(rec.end, true, "every loaded record is whole");
        const list = byRun.get(rec.run as number) ?? [];
        list.push(rec.seq as number);
        byRun.set(rec.run as number, list);
      }
      for (const [run, seqs] of byRun) assert.deepEqual(seqs, seqs.map((_, i) => i), `${name} run ${run}: records in order, no gap`);
      for (const [run, max] of reportedMax.get(name) ?? []) {
        const got = byRun.get(run)?.length ?? 0;
        assert.ok(got >= max + 1, `${name} run ${run}: writer reported seq ${max} appended, transcript has ${got} record(s)`);
      }
    }
  });
  await Promise.all(lanes);
  assert.equal(kills, perLane * LANES);
  assert.ok(appendedBeforeKill > 0, "the writers appended before being killed");
  after(() => console.log(`# kills=${kills} reportedAppends=${appendedBeforeKill} tornTailsAtEnd=${torn} tornTailsRepairedOnStart=${repaired}`));
});
