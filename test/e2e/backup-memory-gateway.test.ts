/**
 * `backup create` while the gateway writes to the memory database (its background sync of a
 * freshly migrated workspace): the archived index is one consistent snapshot that passes
 * `PRAGMA integrity_check` and opens as a memory index, and no -wal/-shm travels beside it.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, test } from "node:test";
import Database from "better-sqlite3";
import { generateCorpus } from "../../bench/lib/memory-corpus.mjs";
import { ROOT, runBinary } from "../helpers/cli.js";
import { startTestGateway, waitUntil } from "../helpers/gateway.js";
import { show } from "../helpers/inspect.js";

before(() => assert.ok(existsSync(path.join(ROOT, "dist", "cli.js")), "build the CLI first: npm run build"));

function chunks(file: string, gen?: number): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const g = gen ?? Number((db.prepare("SELECT value FROM memory_meta WHERE key = 'active_gen'").get() as { value: string } | undefined)?.value);
    return Number.isInteger(g) && g > 0 ? (db.prepare(`SELECT count(*) AS n FROM memory_g${g}_chunks`).get() as { n: number }).n : 0;
  } finally {
    db.close();
  }
}

test("backup create during the gateway's memory sync archives a consistent, usable index", async (t) => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "openclaw-backup-memgw-"));
  t.after(() => rmSync(scratch, { recursive: true, force: true }));
  const ws = path.join(scratch, "workspace");
  // Big enough that the background sync (256 KB batches, yielding between them) is still writing when the backup runs.
  const corpus = generateCorpus({ workspace: ws, notes: 6000, totalBytes: 30 * 2 ** 20 });
  const gw = await startTestGateway(t, { memory: true, config: { agents: { defaults: { workspace: ws } } } });
  const db = path.join(gw.stateDir, "memory", "main.sqlite");
  await waitUntil(() => existsSync(db) && chunks(db) > 0, 60_000, "the gateway's sync to commit its first batch");
  const before = chunks(db);
  const out = path.join(scratch, "b.tar.gz");
  const c = await runBinary(["backup", "create", "--output", out, "--json"], { env: { ...gw.env, TMPDIR: os.tmpdir() } as Record<string, string>, timeoutMs: 120_000 });
  assert.equal(c.code, 0, show(c));
  const after = chunks(db);
  assert.ok(after > before, `the gateway kept writing during the backup (${before} → ${after} chunks)`);

  const names = spawnSync("tar", ["-tzf", out], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
  assert.deepEqual(names.filter((n) => /memory\/main\.sqlite-(wal|shm|journal)$/.test(n)), []);
  const entry = names.find((n) => n.endsWith("/.openclaw/memory/main.sqlite"));
  assert.ok(entry, names.filter((n) => n.includes("memory/")).join("\n"));
  const x = path.join(scratch, "x");
  mkdirSync(x);
  assert.equal(spawnSync("tar", ["-xzf", out, "-C", x]).status, 0);
  const snap = new Database(path.join(x, entry), { readonly: true, fileMustExist: true });
  try {
    assert.equal(snap.pragma("integrity_check", { simple: true }), "ok");
    const gen = Number((snap.prepare("SELECT value FROM memory_meta WHERE key = 'active_gen'").get() as { value: string }).value);
    const n = (snap.prepare(`SELECT count(*) AS n FROM memory_g${gen}_chunks`).get() as { n: number }).n;
    assert.ok(n >= before && n <= after, `snapshot holds ${n} chunks; the gateway had ${before} before the backup and ${after} after`);
    const files = (snap.prepare(`SELECT count(*) AS n FROM memory_g${gen}_files`).get() as { n: number }).n;
    assert.ok(files > 0 && files <= corpus.files);
    t.diagnostic(`chunks before ${before}, in the snapshot ${n}, after ${after}`);
  } finally {
    snap.close();
  }
  // The FTS index agrees with its chunks in the snapshot (the check writes, so it runs on a copy).
  const restored = path.join(scratch, "restored.sqlite");
  spawnSync("cp", [path.join(x, entry), restored]);
  const check = new Database(restored);
  try {
    const gen = Number((check.prepare("SELECT value FROM memory_meta WHERE key = 'active_gen'").get() as { value: string }).value);
    check.prepare(`INSERT INTO memory_g${gen}_fts(memory_g${gen}_fts) VALUES ('integrity-check')`).run();
  } finally {
    check.close();
  }
});
