/**
 * `backup create` while another process keeps writing to a WAL database: the memory database goes
 * into the archive as one consistent snapshot (SQLite's online backup API), passes
 * `PRAGMA integrity_check`, holds only whole transactions, and no -wal/-shm travels beside it —
 * in the state dir and in a workspace outside it.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, test } from "node:test";
import Database from "better-sqlite3";
import { pollUntil } from "../../src/infra/wait.js";
import { ROOT, runBinary, tempHome } from "../helpers/cli.js";
import { show, stdoutJson, writeFile } from "../helpers/inspect.js";

before(() => assert.ok(existsSync(path.join(ROOT, "dist", "cli.js")), "build the CLI first: npm run build"));

/**
 * A writer process: opens the database in WAL mode, seeds it, then commits transactions of ten
 * rows sharing one `seq` in a loop until killed; it creates `ready` after its first commit.
 */
const WRITER = `
const fs = require("node:fs");
const Database = require(process.argv[2]);
const [file, ready] = process.argv.slice(3);
const db = new Database(file);
db.pragma("journal_mode = WAL");
db.pragma("busy_timeout = 5000");
db.exec("CREATE TABLE IF NOT EXISTS chunks (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, text TEXT NOT NULL)");
const insert = db.prepare("INSERT INTO chunks (seq, text) VALUES (?, ?)");
const commit = db.transaction((seq, n) => { for (let i = 0; i < n; i++) insert.run(seq, "chunk " + seq + " " + "m".repeat(300)); });
commit(0, 5000);
fs.writeFileSync(ready, "1");
for (let seq = 1; ; seq++) commit(seq, 10);
`;

function rows(file: string): { count: number; check: string; bad: number; maxSeq: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const check = db.pragma("integrity_check", { simple: true }) as string;
    const count = (db.prepare("SELECT count(*) FROM chunks").pluck().get() as number) ?? 0;
    // Whole transactions only: seq 0 has 5000 rows, every later seq exactly 10, none missing.
    const bad = db.prepare("SELECT count(*) FROM (SELECT seq, count(*) AS n FROM chunks GROUP BY seq HAVING n != CASE seq WHEN 0 THEN 5000 ELSE 10 END)").pluck().get() as number;
    const maxSeq = (db.prepare("SELECT max(seq) FROM chunks").pluck().get() as number) ?? -1;
    return { count, check, bad, maxSeq };
  } finally {
    db.close();
  }
}

test("backup create while a separate process writes to memory/main.sqlite: a consistent snapshot, no -wal/-shm in the archive", async (t) => {
  const { home, env } = tempHome(t);
  const stateDir = path.join(home, ".openclaw");
  const workspace = path.join(home, "work", "ws");
  mkdirSync(path.join(stateDir, "memory"), { recursive: true, mode: 0o700 });
  writeFile(path.join(stateDir, "openclaw.json"), `{ gateway: { mode: "local" }, agents: { defaults: { workspace: ${JSON.stringify(workspace)} } } }\n`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), "openclaw-backup-sqlite-"));
  t.after(() => rmSync(scratch, { recursive: true, force: true }));

  // A workspace database whose rows live only in its -wal (the connection stays open, no checkpoint).
  mkdirSync(path.join(workspace, "data"), { recursive: true });
  const wsFile = path.join(workspace, "data", "app.db");
  const ws = new Database(wsFile);
  t.after(() => ws.open && ws.close());
  ws.pragma("journal_mode = WAL");
  ws.pragma("wal_autocheckpoint = 0");
  ws.exec("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)");
  ws.pragma("wal_checkpoint(TRUNCATE)");
  ws.prepare("INSERT INTO kv VALUES ('only', 'in the wal')").run();

  const db = path.join(stateDir, "memory", "main.sqlite");
  const script = path.join(scratch, "writer.cjs");
  writeFileSync(script, WRITER);
  const ready = path.join(scratch, "ready");
  const writer: ChildProcess = spawn(process.execPath, [script, path.join(ROOT, "node_modules", "better-sqlite3"), db, ready], { stdio: ["ignore", "ignore", "pipe"] });
  let writerErr = "";
  writer.stderr!.on("data", (d: Buffer) => (writerErr += d.toString()));
  t.after(() => writer.kill("SIGKILL"));
  assert.ok(await pollUntil(() => existsSync(ready) || writer.exitCode !== null, 30_000), "the writer never committed");
  assert.equal(writer.exitCode, null, `the writer died: ${writerErr}`);

  const before = rows(db);
  const out = path.join(scratch, "b.tar.gz");
  const c = await runBinary(["backup", "create", "--output", out, "--json"], { env: { ...env, TMPDIR: os.tmpdir() }, timeoutMs: 120_000 });
  const after = rows(db);
  assert.equal(c.code, 0, show(c));
  assert.equal(writer.exitCode, null, `the writer stopped during the backup: ${writerErr}`);
  assert.ok(after.count > before.count, "the writer committed while the backup ran");
  const created = stdoutJson<{ notes: string[] }>(c);
  assert.ok(created.notes.some((n) => /^2 sqlite database\(s\): sqlite online backup \(consistent snapshot\)/.test(n)), JSON.stringify(created.notes));

  const names = spawnSync("tar", ["-tzf", out], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
  assert.deepEqual(names.filter((n) => /-(wal|shm|journal)$/.test(n)), [], "sidecars in the archive next to a snapshot");
  const memEntry = names.find((n) => n.endsWith("/.openclaw/memory/main.sqlite"));
  const wsEntry = names.find((n) => n.endsWith("/work/ws/data/app.db"));
  assert.ok(memEntry && wsEntry, names.join("\n"));
  const x = path.join(scratch, "x");
  mkdirSync(x);
  const tar = spawnSync("tar", ["-xzf", out, "-C", x], { encoding: "utf8" });
  assert.equal(tar.status, 0, tar.stderr);

  const snap = rows(path.join(x, memEntry));
  assert.equal(snap.check, "ok");
  assert.equal(snap.bad, 0, "a transaction is cut in the snapshot");
  assert.ok(snap.count >= before.count && snap.count <= after.count, `snapshot has ${snap.count} rows; the writer had committed ${before.count} before and ${after.count} after`);
  assert.equal(snap.count, 5000 + snap.maxSeq * 10);
  t.diagnostic(`rows committed before the backup ${before.count}, in the snapshot ${snap.count}, after ${after.count}`);

  const wsSnap = new Database(path.join(x, wsEntry), { readonly: true, fileMustExist: true });
  try {
    assert.equal(wsSnap.pragma("integrity_check", { simple: true }), "ok");
    assert.deepEqual(wsSnap.prepare("SELECT v FROM kv").pluck().all(), ["in the wal"], "the workspace database's WAL content is in its snapshot");
  } finally {
    wsSnap.close();
  }

  // The manifest says what happened to the sidecars; verify accepts the archive.
  const manifestName = names.find((n) => /^[^/]+\/manifest\.json$/.test(n))!;
  const manifest = JSON.parse(spawnSync("tar", ["-xzOf", out, manifestName], { encoding: "utf8" }).stdout) as { skipped: Array<{ sourcePath: string; reason: string }> };
  const reason = (p: string) => manifest.skipped.find((s) => s.sourcePath === p)?.reason;
  assert.equal(reason(`${wsFile}-wal`), "folded into the online sqlite snapshot of app.db", JSON.stringify(manifest.skipped));
  assert.equal(reason(`${db}-wal`), "folded into the online sqlite snapshot of main.sqlite", JSON.stringify(manifest.skipped));
  const v = await runBinary(["backup", "verify", out, "--json"], { env });
  assert.equal(v.code, 0, show(v));
});

test("backup verify: a listed snapshot must start with SQLite's header; --deep runs integrity_check on a temp copy, plain verify does not", async (t) => {
  const { home, env } = tempHome(t);
  const stateDir = path.join(home, ".openclaw");
  mkdirSync(path.join(stateDir, "memory"), { recursive: true, mode: 0o700 });
  writeFile(path.join(stateDir, "openclaw.json"), '{ gateway: { mode: "local" } }\n');
  const db = new Database(path.join(stateDir, "memory", "main.sqlite"));
  db.exec("PRAGMA journal_mode = WAL; CREATE TABLE chunks (id INTEGER PRIMARY KEY, text TEXT)");
  const insert = db.prepare("INSERT INTO chunks (text) VALUES (?)");
  for (let i = 0; i < 300; i++) insert.run(`chunk ${i} ${"z".repeat(300)}`);
  db.close();
  const scratch = mkdtempSync(path.join(os.tmpdir(), "openclaw-backup-sqlite-"));
  t.after(() => rmSync(scratch, { recursive: true, force: true }));
  const out = path.join(scratch, "b.tar.gz");
  const c = await runBinary(["backup", "create", "--output", out, "--json"], { env });
  assert.equal(c.code, 0, show(c));
  const deep = await runBinary(["backup", "verify", out, "--deep", "--json"], { env });
  assert.equal(deep.code, 0, show(deep));
  assert.ok(stdoutJson<{ notes: string[] }>(deep).notes.includes("--deep: 1 SQLite database(s) checked with PRAGMA integrity_check"), deep.stdout);

  /** The archive again with the database's bytes changed by `damage` and the manifest's size and checksum updated to match. */
  const tampered = (name: string, damage: (b: Buffer) => Buffer): string => {
    const x = path.join(scratch, name);
    mkdirSync(x);
    assert.equal(spawnSync("tar", ["-xzf", out, "-C", x]).status, 0);
    const root = spawnSync("tar", ["-tzf", out], { encoding: "utf8" }).stdout.split("\n")[0]!.split("/")[0]!;
    const manifestFile = path.join(x, root, "manifest.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { entries: Array<{ path: string; size: number; sha256?: string; note?: string }> };
    const entry = manifest.entries.find((e) => e.path.endsWith("/.openclaw/memory/main.sqlite"))!;
    assert.equal(entry.note, "sqlite online backup (consistent snapshot)");
    const file = path.join(x, entry.path);
    const bytes = damage(readFileSync(file));
    writeFileSync(file, bytes);
    entry.size = bytes.length;
    entry.sha256 = createHash("sha256").update(bytes).digest("hex");
    writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
    const archive = path.join(scratch, `${name}.tar.gz`);
    assert.equal(spawnSync("tar", ["--format=posix", "-czf", archive, "-C", x, root]).status, 0);
    return archive;
  };

  const notSqlite = tampered("not-sqlite", (b) => Buffer.alloc(b.length, 0x41));
  const v1 = await runBinary(["backup", "verify", notSqlite, "--json"], { env });
  assert.equal(v1.code, 3, show(v1));
  assert.ok(stdoutJson<{ problems: string[] }>(v1).problems.some((p) => /memory\/main\.sqlite: listed as a sqlite snapshot but it does not start with SQLite's header/.test(p)), v1.stdout);

  // Header intact, pages after the first overwritten: only --deep can tell.
  const damaged = tampered("damaged", (b) => Buffer.concat([b.subarray(0, 4096), Buffer.alloc(b.length - 4096, 0x5a)]));
  const plain = await runBinary(["backup", "verify", damaged, "--json"], { env });
  assert.equal(plain.code, 0, `plain verify stays cheap (no integrity_check)\n${show(plain)}`);
  const v2 = await runBinary(["backup", "verify", damaged, "--deep", "--json"], { env });
  assert.equal(v2.code, 3, show(v2));
  assert.ok(stdoutJson<{ problems: string[] }>(v2).problems.some((p) => /memory\/main\.sqlite: PRAGMA integrity_check: /.test(p)), v2.stdout);
});

test("restore over a database that left a -wal behind (a crash): the restored file is what is read; the old -wal/-shm go to the safety copy", async (t) => {
  const { home, env } = tempHome(t);
  const stateDir = path.join(home, ".openclaw");
  mkdirSync(path.join(stateDir, "memory"), { recursive: true, mode: 0o700 });
  writeFile(path.join(stateDir, "openclaw.json"), '{ gateway: { mode: "local" } }\n');
  const file = path.join(stateDir, "memory", "main.sqlite");
  const seed = new Database(file);
  seed.exec("PRAGMA journal_mode = WAL; CREATE TABLE chunks (id INTEGER PRIMARY KEY, text TEXT)");
  const seedInsert = seed.prepare("INSERT INTO chunks (text) VALUES (?)");
  for (let i = 0; i < 10; i++) seedInsert.run(`backed up ${i}`);
  seed.close();
  const scratch = mkdtempSync(path.join(os.tmpdir(), "openclaw-backup-sqlite-"));
  t.after(() => rmSync(scratch, { recursive: true, force: true }));
  const out = path.join(scratch, "b.tar.gz");
  const c = await runBinary(["backup", "create", "--output", out, "--json"], { env });
  assert.equal(c.code, 0, show(c));

  // Later writes, then a crash: the -wal (and -shm) stay next to the file with their frames.
  const later = new Database(file);
  later.pragma("wal_autocheckpoint = 0");
  const insert = later.prepare("INSERT INTO chunks (text) VALUES (?)");
  later.transaction(() => {
    for (let i = 0; i < 1000; i++) insert.run(`after the backup ${i} ${"w".repeat(200)}`);
  })();
  const walCopy = readFileSync(`${file}-wal`);
  const shmCopy = readFileSync(`${file}-shm`);
  later.close();
  writeFileSync(`${file}-wal`, walCopy);
  writeFileSync(`${file}-shm`, shmCopy);

  const r = await runBinary(["backup", "restore", out, "--force", "--json"], { env });
  assert.equal(r.code, 0, show(r));
  assert.ok(!existsSync(`${file}-wal`) && !existsSync(`${file}-shm`), "the old database's -wal/-shm stayed next to the restored file");
  const restored = new Database(file, { readonly: true, fileMustExist: true });
  try {
    assert.equal(restored.pragma("integrity_check", { simple: true }), "ok");
    assert.equal(restored.prepare("SELECT count(*) FROM chunks").pluck().get(), 10, "the restored database reads as backed up");
  } finally {
    restored.close();
  }
  const safety = stdoutJson<{ safetyBackup: string | null }>(r).safetyBackup;
  assert.ok(safety, r.stdout);
  assert.ok(readFileSync(path.join(safety, "memory", "main.sqlite-wal")).equals(walCopy), "the old -wal is kept in the safety copy");
});

/** A preload that makes better-sqlite3 fail to load, as a missing native build would. */
const NO_SQLITE = `
const Module = require("node:module");
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === "better-sqlite3") throw new Error("Could not locate the bindings file (simulated)");
  return load.call(this, request, ...rest);
};
`;

test("without better-sqlite3 the database is copied with its -wal (no -shm), and the result says so and names the fix", async (t) => {
  const { home, env } = tempHome(t);
  const stateDir = path.join(home, ".openclaw");
  mkdirSync(path.join(stateDir, "memory"), { recursive: true, mode: 0o700 });
  writeFile(path.join(stateDir, "openclaw.json"), '{ gateway: { mode: "local" } }\n');
  const scratch = mkdtempSync(path.join(os.tmpdir(), "openclaw-backup-sqlite-"));
  t.after(() => rmSync(scratch, { recursive: true, force: true }));
  const file = path.join(stateDir, "memory", "main.sqlite");
  const db = new Database(file);
  t.after(() => db.open && db.close());
  db.pragma("journal_mode = WAL");
  db.pragma("wal_autocheckpoint = 0");
  db.exec("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)");
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.prepare("INSERT INTO kv VALUES ('only', 'in the wal')").run();
  const preload = path.join(scratch, "no-sqlite.cjs");
  writeFileSync(preload, NO_SQLITE);

  const out = path.join(scratch, "b.tar.gz");
  const c = await runBinary(["backup", "create", "--output", out, "--json"], { env: { ...env, NODE_OPTIONS: `--require ${preload}` } });
  assert.equal(c.code, 0, show(c));
  const notes = stdoutJson<{ notes: string[] }>(c).notes;
  assert.ok(notes.some((n) => n.startsWith(`${file}: copied as a file with its -wal/-journal`) && /better-sqlite3 module did not load.*npm rebuild better-sqlite3/.test(n)), JSON.stringify(notes));
  const names = spawnSync("tar", ["-tzf", out], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
  const main = names.find((n) => n.endsWith("/memory/main.sqlite"));
  assert.ok(main && names.includes(`${main}-wal`), names.join("\n"));
  assert.ok(!names.includes(`${main}-shm`), "the -shm index is not archived");
  const x = path.join(scratch, "x");
  mkdirSync(x);
  assert.equal(spawnSync("tar", ["-xzf", out, "-C", x]).status, 0);
  const copy = new Database(path.join(x, main), { fileMustExist: true });
  try {
    assert.equal(copy.pragma("integrity_check", { simple: true }), "ok");
    assert.deepEqual(copy.prepare("SELECT v FROM kv").pluck().all(), ["in the wal"]);
  } finally {
    copy.close();
  }
});
