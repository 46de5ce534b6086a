import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { STALE_TEMP_MS, writeFileAtomic } from "./fs-safe.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-fs-safe-"));
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

describe("writeFileAtomic: temp files left by killed writers", () => {
  test("the next write removes our stale temp files for that file, and nothing else", async (t) => {
    const dir = fs.mkdtempSync(path.join(root, "case-"));
    const file = path.join(dir, "openclaw.json");
    fs.writeFileSync(file, "{}\n");
    const live = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    t.after(() => live.kill("SIGKILL"));
    const stamp = Date.now().toString(36);
    const dead = Array.from({ length: 6 }, () => deadPid());
    const stale = dead.map((pid, i) => `.openclaw.json.${pid}.${stamp}${i}.tmp`);
    const oldLive = `.openclaw.json.${live.pid}.${stamp}old.tmp`;
    const keep = [
      `.openclaw.json.${live.pid}.${stamp}.tmp`, // a live writer, fresh
      `.other.json.${dead[0]}.${stamp}.tmp`, // another file's temp
      ".openclaw.json.tmp", // not our pattern
      `openclaw.json.${dead[0]}.${stamp}.tmp`, // no leading dot
      `.openclaw.json.${dead[0]}.${stamp}.tmp.keep`,
      "openclaw.json.bak",
    ];
    for (const name of [...stale, oldLive, ...keep]) fs.writeFileSync(path.join(dir, name), "partial");
    const old = (Date.now() - STALE_TEMP_MS - 60_000) / 1000;
    fs.utimesSync(path.join(dir, oldLive), old, old);
    // Matching names that are not regular files are never touched.
    fs.mkdirSync(path.join(dir, `.openclaw.json.${dead[1]}.${stamp}dir.tmp`));
    fs.symlinkSync(path.join(dir, "openclaw.json.bak"), path.join(dir, `.openclaw.json.${dead[2]}.${stamp}link.tmp`));

    writeFileAtomic(file, '{ gateway: { mode: "local" } }\n');

    assert.equal(fs.readFileSync(file, "utf8"), '{ gateway: { mode: "local" } }\n');
    const left = fs.readdirSync(dir).sort();
    assert.deepEqual(
      left,
      ["openclaw.json", ...keep, `.openclaw.json.${dead[1]}.${stamp}dir.tmp`, `.openclaw.json.${dead[2]}.${stamp}link.tmp`].sort(),
    );
  });
});

describe("loadDotEnvFile never blocks", () => {
  test("a FIFO or a device as .env is an empty set, at once; a regular file still loads", { skip: process.platform === "win32" }, async () => {
    const { loadDotEnvFile } = await import("./dotenv.js");
    const dir = fs.mkdtempSync(path.join(root, "env-"));
    const fifo = path.join(dir, ".env");
    spawnSync("mkfifo", [fifo]);
    assert.deepEqual(loadDotEnvFile(fifo), {});
    if (fs.existsSync("/dev/zero")) assert.deepEqual(loadDotEnvFile("/dev/zero"), {});
    const file = path.join(dir, "plain.env");
    fs.writeFileSync(file, "A=1\nexport B='two'\n");
    assert.deepEqual(loadDotEnvFile(file), { A: "1", B: "two" });
  });
});
