/** Session write locks: exclusive, reclaimed from a dead or too-old holder, a clear error on timeout; atomic store updates. */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { tempDirFactory } from "../../test/helpers/temp.js";
import { AppError } from "../shared/index.js";
import { acquireSessionLock, loadSessionStore, readSessionStore, sessionLockFile, tryAcquireSessionLock, updateSessionStore, withSessionLock } from "./index.js";

const tmp = tempDirFactory("session-lock");

function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

test("a lock left by a dead process is reclaimed and reported", async () => {
  const target = path.join(tmp(), "s.jsonl");
  const pid = deadPid();
  writeFileSync(sessionLockFile(target), JSON.stringify({ pid, createdAt: new Date().toISOString() }));
  const lock = await acquireSessionLock(target, { timeoutMs: 2000 });
  assert.equal(lock.reclaimed?.pid, pid);
  assert.equal(JSON.parse(readFileSync(lock.file, "utf8")).pid, process.pid);
  lock.release();
  assert.equal(existsSync(lock.file), false);
});

test("a lock older than staleMs is reclaimed even if its pid answers", async () => {
  const target = path.join(tmp(), "old.jsonl");
  writeFileSync(sessionLockFile(target), JSON.stringify({ pid: process.ppid, createdAt: new Date(Date.now() - 31 * 60_000).toISOString() }));
  const lock = await acquireSessionLock(target, { timeoutMs: 2000 });
  assert.equal(lock.reclaimed?.pid, process.ppid);
  lock.release();
});

test("a live holder is waited for, then SESSION_LOCKED names the holder and the lock file", async () => {
  const target = path.join(tmp(), "live.jsonl");
  writeFileSync(sessionLockFile(target), JSON.stringify({ pid: process.ppid, createdAt: new Date().toISOString() }));
  const r = tryAcquireSessionLock(target);
  assert.ok("held" in r && r.held?.pid === process.ppid);
  await assert.rejects(acquireSessionLock(target, { timeoutMs: 100 }), (e: unknown) => {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, "SESSION_LOCKED");
    assert.match(e.message, new RegExp(`locked by pid ${process.ppid}`));
    assert.match(e.hint!, /live\.jsonl\.lock/);
    return true;
  });
});

test("callers in one process queue on the same session", async () => {
  const target = path.join(tmp(), "q.jsonl");
  const order: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const first = withSessionLock(target, async () => {
    order.push("first:start");
    await gate;
    order.push("first:end");
  });
  const second = withSessionLock(target, () => order.push("second"), { retryMs: 5 });
  await new Promise((r) => setImmediate(r));
  release();
  await Promise.all([first, second]);
  assert.deepEqual(order, ["first:start", "first:end", "second"]);
});

test("sessions.json: updates waiting together apply in order in one write; one that throws rejects alone", async () => {
  const dir = tmp();
  const file = path.join(dir, "sessions.json");
  const results = await Promise.allSettled(
    Array.from({ length: 10 }, (_, i) =>
      updateSessionStore(file, (entries) => {
        if (i === 4) throw new Error("mutation 4 refuses");
        const prev = entries["agent:main:counter"]?.n;
        return { entries: { ...entries, "agent:main:counter": { sessionId: "c", n: (typeof prev === "number" ? prev : 0) + 1 }, [`agent:main:k${i}`]: { sessionId: `id${i}` } }, result: i };
      }),
    ),
  );
  assert.deepEqual(
    results.map((r) => r.status),
    results.map((_, i) => (i === 4 ? "rejected" : "fulfilled")),
  );
  assert.match(String((results[4] as PromiseRejectedResult).reason), /mutation 4 refuses/);
  const entries = loadSessionStore(file).entries;
  assert.equal(entries["agent:main:counter"]!.n, 9, "each mutation saw the previous one's result");
  assert.equal(entries["agent:main:k4"], undefined);
  assert.equal(Object.keys(entries).length, 10);
});

test("sessions.json: concurrent updates all land, the write is atomic (no temp left), invalid JSON is refused not replaced", async () => {
  const dir = tmp();
  const file = path.join(dir, "sessions.json");
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      updateSessionStore(file, (entries) => ({ entries: { ...entries, [`agent:main:k${i}`]: { sessionId: `id${i}`, updatedAt: i } }, result: undefined }), { retryMs: 2 }),
    ),
  );
  assert.equal(Object.keys(loadSessionStore(file).entries).length, 20);
  assert.deepEqual(readdirSync(dir).sort(), ["sessions.json"]);
  writeFileSync(file, "{ broken");
  await assert.rejects(updateSessionStore(file, () => ({ entries: {}, result: 1 })), /not valid JSON.*refusing to overwrite/);
  assert.equal(readFileSync(file, "utf8"), "{ broken");
  assert.equal(existsSync(sessionLockFile(file)), false, "the lock is released after a failure");
});

test("store values that are not objects survive an update untouched", async () => {
  const file = path.join(tmp(), "sessions.json");
  writeFileSync(file, JSON.stringify({ odd: [1, 2], "agent:main:main": { sessionId: "a", updatedAt: 1 } }));
  assert.equal(loadSessionStore(file).problem, "1 entry is not an object");
  await updateSessionStore(file, (e) => ({ entries: { ...e, "agent:main:x": { sessionId: "x", updatedAt: 2 } }, result: undefined }));
  const saved = JSON.parse(readFileSync(file, "utf8"));
  assert.deepEqual(saved.odd, [1, 2]);
  assert.deepEqual(Object.keys(saved).sort(), ["agent:main:main", "agent:main:x", "odd"]);
});

test("a FIFO named sessions.json is a problem, never a hang; status's reader sees it as empty", { skip: process.platform === "win32" ? "no mkfifo" : false }, async () => {
  const file = path.join(tmp(), "sessions.json");
  execFileSync("mkfifo", [file]);
  assert.deepEqual(loadSessionStore(file), { file, entries: {}, exists: true, problem: "not a regular file" });
  assert.deepEqual(readSessionStore(file), []);
  await assert.rejects(updateSessionStore(file, () => ({ entries: {}, result: 1 })), /not a regular file; refusing to overwrite/);
});
