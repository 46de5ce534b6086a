import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { AppError } from "../shared/index.js";
import { isSqliteFile, snapshotSqlite, sqliteSidecarOf } from "./sqlite-snapshot.js";

type T = { after(fn: () => void): void };

function tempDir(t: T): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-snapshot-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A WAL database whose writer stays open and never checkpoints, so new rows live only in the -wal. */
function walDb(t: T, file: string): Database.Database {
  const db = new Database(file);
  t.after(() => db.open && db.close());
  db.pragma("journal_mode = WAL");
  db.pragma("wal_autocheckpoint = 0");
  db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  db.pragma("wal_checkpoint(TRUNCATE)");
  return db;
}

const count = (file: string) => {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return { rows: (db.prepare("SELECT count(*) AS n FROM notes").get() as { n: number }).n, check: db.pragma("integrity_check", { simple: true }) };
  } finally {
    db.close();
  }
};

test("a WAL database's uncheckpointed rows are in the snapshot; the source and its -wal are left as they were", async (t) => {
  const dir = tempDir(t);
  const src = path.join(dir, "main.sqlite");
  const writer = walDb(t, src);
  const insert = writer.prepare("INSERT INTO notes (body) VALUES (?)");
  writer.transaction(() => {
    for (let i = 0; i < 500; i++) insert.run(`note ${i} ${"x".repeat(200)}`);
  })();
  const walBefore = fs.statSync(`${src}-wal`).size;
  assert.ok(walBefore > 0, "the rows are in the -wal");
  const mainBefore = fs.readFileSync(src);

  const dest = path.join(dir, "out", "snap.sqlite");
  fs.mkdirSync(path.dirname(dest));
  const r = await snapshotSqlite(src, dest);
  assert.deepEqual(fs.readdirSync(path.dirname(dest)), ["snap.sqlite"], "no -wal/-shm left beside the snapshot");
  assert.equal(r.bytes, fs.statSync(dest).size);
  assert.ok((r.pages ?? 0) > 1, `pages: ${r.pages}`);
  assert.deepEqual(count(dest), { rows: 500, check: "ok" });
  assert.ok(isSqliteFile(dest));
  assert.equal(fs.statSync(`${src}-wal`).size, walBefore, "the source's WAL was not checkpointed");
  assert.ok(fs.readFileSync(src).equals(mainBefore), "the source file was not written");
  insert.run("after the snapshot");
  assert.equal((writer.prepare("SELECT count(*) AS n FROM notes").get() as { n: number }).n, 501, "the writer keeps going");
});

test("writes from another connection between copy steps: the snapshot is one consistent state", async (t) => {
  const dir = tempDir(t);
  const src = path.join(dir, "busy.sqlite");
  const writer = walDb(t, src);
  const insert = writer.prepare("INSERT INTO notes (body) VALUES (?)");
  // Enough pages that the copy takes several steps of 100.
  writer.transaction(() => {
    for (let i = 0; i < 3000; i++) insert.run(`seed ${i} ${"y".repeat(400)}`);
  })();
  let committed = 3000;
  let stop = false;
  const tick = () => {
    if (stop) return;
    writer.transaction(() => {
      for (let i = 0; i < 5; i++) insert.run(`live ${committed + i}`);
    })();
    committed += 5;
    setImmediate(tick);
  };
  setImmediate(tick);
  const dest = path.join(dir, "snap.sqlite");
  let r: Awaited<ReturnType<typeof snapshotSqlite>>;
  try {
    r = await snapshotSqlite(src, dest);
  } finally {
    stop = true;
  }
  // 100 pages a step, restarted by every write: without the one-step finish it would never end.
  assert.ok(r.pages! > 300, `pages: ${r.pages}`);
  assert.ok(r.steps <= 3, `steps: ${r.steps} (a restarted copy must finish in one more step)`);
  const got = count(dest);
  assert.equal(got.check, "ok");
  assert.ok(got.rows >= 3000 && got.rows <= committed && got.rows % 5 === 0, `rows ${got.rows} of ${committed} committed (whole transactions only)`);
  assert.ok(committed > 3000, "the writer committed during the copy");
});

test("isSqliteFile reads the header, not the name; sidecars belong to a database only when it is one", (t) => {
  const dir = tempDir(t);
  const real = path.join(dir, "data.bin");
  new Database(real).exec("CREATE TABLE x (y)");
  fs.writeFileSync(path.join(dir, "fake.db"), "not a database at all, just text\n");
  fs.writeFileSync(path.join(dir, "empty.sqlite"), "");
  fs.writeFileSync(path.join(dir, "short.sqlite"), "SQLite");
  assert.equal(isSqliteFile(real), true);
  assert.equal(isSqliteFile(path.join(dir, "fake.db")), false);
  assert.equal(isSqliteFile(path.join(dir, "empty.sqlite")), false);
  assert.equal(isSqliteFile(path.join(dir, "short.sqlite")), false);
  assert.equal(isSqliteFile(path.join(dir, "missing.sqlite")), false);
  assert.equal(isSqliteFile(dir), false, "a directory");
  assert.equal(sqliteSidecarOf(`${real}-wal`), real);
  assert.equal(sqliteSidecarOf(`${real}-journal`), real);
  assert.equal(sqliteSidecarOf(path.join(dir, "fake.db-wal")), undefined);
  assert.equal(sqliteSidecarOf(real), undefined);
});

test("a file that is not a database: one FS error naming it and the fix; nothing left at the destination", async (t) => {
  const dir = tempDir(t);
  const src = path.join(dir, "fake.db");
  fs.writeFileSync(src, "x".repeat(4096));
  const dest = path.join(dir, "snap.sqlite");
  await assert.rejects(snapshotSqlite(src, dest), (e: unknown) => {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, "FS");
    assert.match(e.message, new RegExp(`sqlite online backup of ${src.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} failed`));
    assert.match(e.message, /SQLITE_NOTADB|not a database/);
    assert.match(e.hint ?? "", /is not a SQLite database: move it aside/);
    return true;
  });
  assert.deepEqual(fs.readdirSync(dir), ["fake.db"]);
});

test("a source locked by a writer past the timeout: a BUSY error that says retry or stop the gateway", async (t) => {
  const dir = tempDir(t);
  const src = path.join(dir, "locked.sqlite");
  const holder = new Database(src);
  t.after(() => holder.open && holder.close());
  holder.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('a')");
  // A rollback-journal database with an EXCLUSIVE lock: no reader gets in.
  holder.exec("BEGIN EXCLUSIVE; INSERT INTO notes (body) VALUES ('b')");
  await assert.rejects(snapshotSqlite(src, path.join(dir, "snap.sqlite"), { timeoutMs: 50 }), (e: unknown) => {
    assert.ok(e instanceof AppError);
    assert.match(e.message, /locked\.sqlite failed \(copy\): SQLITE_BUSY/);
    assert.match(e.hint ?? "", /retry, or stop the gateway/);
    return true;
  });
  holder.exec("COMMIT");
  assert.ok(!fs.existsSync(path.join(dir, "snap.sqlite")));
});
