/**
 * The session lock across processes: four writers doing read-modify-write under the lock, starting
 * from a lock a dead process left behind, lose no update (the dead lock is reclaimed once, and
 * a fresh lock is never pushed aside). The writers are the real storage code bundled with esbuild.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { build } from "esbuild";
import { tempDirFactory } from "../../test/helpers/temp.js";
import { sessionLockFile } from "./index.js";

const tmp = tempDirFactory("session-lock-procs");

test("four processes, a stale lock to start with: mutual exclusion holds, no update is lost", { timeout: 120_000 }, async () => {
  const dir = tmp();
  const bundle = path.join(dir, "contender.mjs");
  await build({ entryPoints: [path.resolve(import.meta.dirname, "../../test/fixtures/sessions/lock-contender.ts")], bundle: true, platform: "node", format: "esm", outfile: bundle, logLevel: "silent" });
  const target = path.join(dir, "s.jsonl");
  const counter = path.join(dir, "counter");
  writeFileSync(counter, "0");
  const dead = Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);
  writeFileSync(sessionLockFile(target), JSON.stringify({ pid: dead, createdAt: new Date().toISOString() }));
  const ROUNDS = 40;
  const runs = Array.from(
    { length: 4 },
    () =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, [bundle, target, counter, String(ROUNDS)], { stdio: ["ignore", "ignore", "pipe"] });
        let err = "";
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`contender exited ${code}: ${err}`))));
      }),
  );
  await Promise.all(runs);
  assert.equal(Number(readFileSync(counter, "utf8")), 4 * ROUNDS);
  assert.equal(existsSync(sessionLockFile(target)), false, "the last holder released it");
});
