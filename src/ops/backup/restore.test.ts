import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { tempDirFactory } from "../../../test/helpers/temp.js";
import { AppError } from "../../shared/index.js";
import { applyRestore, planRestore, verifyBackup } from "./restore.js";
import { END_OF_ARCHIVE, encodeHeader, padding } from "./tar.js";

const tempDir = tempDirFactory("restore");

/** A minimal archive in our layout with the given state files (manifest first, hashes listed). */
function archiveOf(files: Record<string, string>): Buffer {
  const entries = Object.entries(files).map(([rel, text]) => ({ path: `state/${rel}`, data: Buffer.from(text) }));
  const manifest = {
    format: "openclaw-backup",
    version: 1,
    createdAt: new Date(0).toISOString(),
    host: "h",
    user: "u",
    platform: "linux",
    profile: null,
    stateDir: "/src/.openclaw",
    home: "/src",
    mode: "full",
    externals: [],
    excluded: [],
    entries: [{ path: "state", type: "dir", size: 0, mode: 0o700, category: "state" }, ...entries.map((e) => ({ path: e.path, type: "file", size: e.data.length, mode: 0o600, category: "state", sha256: createHash("sha256").update(e.data).digest("hex") }))],
  };
  const m = Buffer.from(JSON.stringify(manifest));
  const file = (p: string, data: Buffer) => [encodeHeader({ path: p, type: "file", size: data.length, mode: 0o600, mtime: 0 }), data, Buffer.alloc(padding(data.length))];
  return gzipSync(Buffer.concat([...file("manifest.json", m), encodeHeader({ path: "state", type: "dir", size: 0, mode: 0o700, mtime: 0 }), ...entries.flatMap((e) => file(e.path, e.data)), END_OF_ARCHIVE]));
}

test("restore re-checks every parent on disk: a link planted after the check stops it before anything lands outside", async () => {
  const home = tempDir();
  const stateDir = path.join(home, ".openclaw");
  const outside = path.join(home, "outside");
  mkdirSync(outside);
  const archive = path.join(tempDir("archives"), "a.tar.gz");
  writeFileSync(archive, archiveOf({ "sub/x.txt": "x\n" }));
  const target = { stateDir, configPath: path.join(stateDir, "openclaw.json"), home };

  const verified = await verifyBackup(archive, target);
  assert.deepEqual(verified.problems, []);
  const plan = planRestore(verified);
  // Between the check and the write, `sub` becomes a link out of the state dir.
  mkdirSync(stateDir, { recursive: true });
  symlinkSync(outside, path.join(stateDir, "sub"));
  await assert.rejects(applyRestore(archive, plan), (e: unknown) => e instanceof AppError && e.code === "CHECK_FAILED" && /sub is a link that leads outside/.test(e.message));
  assert.deepEqual(readdirSync(outside), [], "a file landed outside the state dir");

  // And without the planted link the same plan restores.
  rmSync(path.join(stateDir, "sub"));
  const done = await applyRestore(archive, plan);
  assert.equal(done.written, 1);
  assert.equal(readFileSync(path.join(stateDir, "sub/x.txt"), "utf8"), "x\n");
});

test("verify refuses an archive restore would refuse, and planRestore refuses an unclean result", async () => {
  const home = tempDir();
  const stateDir = path.join(home, ".openclaw");
  mkdirSync(stateDir);
  symlinkSync(home, path.join(stateDir, "up"));
  const archive = path.join(tempDir("archives"), "b.tar.gz");
  writeFileSync(archive, archiveOf({ "up/.bashrc": "evil\n" }));
  const verified = await verifyBackup(archive, { stateDir, configPath: path.join(stateDir, "openclaw.json"), home });
  assert.equal(verified.ok, false);
  assert.ok(verified.problems.some((p) => p.startsWith("state/up/.bashrc: ") && p.includes("is a link on disk that leads outside")), verified.problems.join("\n"));
  assert.throws(() => planRestore(verified), (e: unknown) => e instanceof AppError && e.code === "CHECK_FAILED");
  assert.equal(existsSync(path.join(home, ".bashrc")), false);
});
