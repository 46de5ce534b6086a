import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { AppError } from "../shared/index.js";
import { MemoryIndex } from "./memory-index.js";
import { searchMemory } from "./search.js";
import { memoryStatus } from "./status.js";
import { MEMORY_SCHEMA_VERSION } from "./store.js";
import { syncMemory } from "./sync.js";
import { memoryFixture, writeNotes } from "./test-fixture.js";

const open = (s: Parameters<typeof MemoryIndex.open>[0], t: { after(fn: () => void): void }) => {
  const i = MemoryIndex.open(s, { create: true })!;
  t.after(() => i.close());
  return i;
};

function ftsIntegrity(file: string, gen: number): void {
  const db = new Database(file);
  try {
    db.prepare(`INSERT INTO memory_g${gen}_fts(memory_g${gen}_fts) VALUES ('integrity-check')`).run();
    assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
  } finally {
    db.close();
  }
}

test("index, search (the planted note first), a no-op rerun, then edits and deletions follow the files", async (t) => {
  const f = memoryFixture(t);
  writeNotes(f, 40);
  f.write("MEMORY.md", "# Preferences\n\nThe user drinks oolong tea and keeps bees on the roof.\n");
  const s = f.settings();
  assert.equal(s.provider, undefined, "no key in env: keyword only");
  const index = open(s, t);
  const first = await syncMemory(index);
  assert.equal(first.indexed, 41);
  assert.ok(first.chunks >= 41);
  assert.equal(first.keywordOnly, true);
  assert.match(first.providerNote ?? "", /keyword search only/);
  const hit = await searchMemory(index, "bees oolong");
  assert.equal(hit.results[0]?.path, "MEMORY.md");
  assert.equal(hit.results[0]?.citation, "MEMORY.md#L1-L3");
  assert.equal(hit.mode, "keyword");
  assert.ok(hit.results[0]!.score >= s.query.minScore);

  const again = await syncMemory(index);
  assert.deepEqual([again.indexed, again.touched, again.removed, again.chunksWritten], [0, 0, 0, 0]);
  assert.equal(again.chunks, first.chunks);

  f.write("MEMORY.md", "# Preferences\n\nThe user now drinks rooibos.\n");
  fs.rmSync(path.join(f.workspace, "memory/notes/n0003.md"));
  const later = await syncMemory(index);
  assert.equal(later.indexed, 1);
  assert.equal(later.removed, 1);
  assert.equal((await searchMemory(index, "bees oolong")).results.length, 0, "old text is gone from the index");
  assert.equal((await searchMemory(index, "rooibos")).results[0]?.path, "MEMORY.md");
  // Same content, new mtime: recognised by hash, nothing re-chunked.
  const future = new Date(Date.now() + 60_000);
  fs.utimesSync(path.join(f.workspace, "MEMORY.md"), future, future);
  const touched = await syncMemory(index);
  assert.deepEqual([touched.indexed, touched.touched], [0, 1]);
  ftsIntegrity(s.dbPath, later.generation);
  const st = await memoryStatus(s);
  assert.equal(st.state, "ok");
  assert.equal(st.files, 40);
  assert.equal(st.chunks, touched.chunks);
  assert.equal(fs.statSync(s.dbPath).mode & 0o777, 0o600);
});

test("an interrupted index keeps every committed batch and the rerun finishes without redoing them; chunk counts match a clean run", async (t) => {
  const f = memoryFixture(t);
  // About 1,200 files of ~8 KB: several 4 MB batches.
  writeNotes(f, 1200, 700);
  const s = f.settings();
  const index = open(s, t);
  const ac = new AbortController();
  let committed = 0;
  await assert.rejects(
    syncMemory(index, {
      signal: ac.signal,
      onProgress: (p) => {
        if (p.phase === "index" && p.filesDone > 0 && !ac.signal.aborted) {
          committed = p.filesDone;
          ac.abort();
        }
      },
    }),
    (e: unknown) => e instanceof AppError && e.code === "INTERRUPTED" && /rerun/.test(e.message),
  );
  assert.ok(committed > 0 && committed < 1200, `committed ${committed}`);
  const mid = await memoryStatus(s);
  assert.equal(mid.files, committed, "the committed batch is in the index");
  assert.equal((await searchMemory(index, "river budget")).results.length > 0, true, "search works on the partial index");
  const rest = await syncMemory(index);
  assert.equal(rest.indexed, 1200 - committed, "only the files not yet committed are indexed");
  const clean = memoryFixture(t);
  writeNotes(clean, 1200, 700);
  const cleanIndex = open(clean.settings(), t);
  const full = await syncMemory(cleanIndex);
  assert.equal(rest.chunks, full.chunks);
  assert.equal(rest.files, full.files);
});

test("--force rebuilds beside the active generation (search keeps answering), resumes when interrupted, and flips atomically", async (t) => {
  const f = memoryFixture(t);
  writeNotes(f, 600, 700);
  f.write("memory/planted.md", "# Planted\n\nThe heron migration ledger is kept in the blue binder.\n");
  const s = f.settings();
  const index = open(s, t);
  const first = await syncMemory(index);
  assert.equal(first.generation, 1);
  const reader = open(s, t);
  const ac = new AbortController();
  const during: number[] = [];
  await assert.rejects(
    syncMemory(index, {
      force: true,
      signal: ac.signal,
      onProgress: async (p) => {
        if (p.phase === "index" && p.filesDone > 0 && !ac.signal.aborted) {
          ac.abort();
        }
      },
    }),
    /interrupted/,
  );
  during.push((await searchMemory(reader, "heron binder")).results.length);
  assert.deepEqual(during, [1], "another connection still finds the note while the rebuild is half done");
  const st = await memoryStatus(s);
  assert.equal(st.generation, 1);
  assert.equal(st.building?.generation, 2);
  assert.ok((st.building?.files ?? 0) > 0);
  const resumed = await syncMemory(index, { force: true });
  assert.equal(resumed.resumedBuild, true);
  assert.equal(resumed.generation, 2);
  assert.ok(resumed.indexed < 601, `resumed build indexed ${resumed.indexed} of 601`);
  assert.equal(resumed.chunks, first.chunks);
  const after = await searchMemory(reader, "heron binder");
  assert.equal(after.results[0]?.path, "memory/planted.md", "the other connection reads the new generation");
  const raw = new Database(s.dbPath, { readonly: true });
  t.after(() => raw.close());
  const tables = (raw.prepare("SELECT name FROM sqlite_schema WHERE name LIKE 'memory_g1_%'").all() as unknown[]).length;
  assert.equal(tables, 0, "the old generation's tables are dropped");
});

test("changed chunking refuses an in-place update with the --force fix, while search keeps answering", async (t) => {
  const f = memoryFixture(t);
  writeNotes(f, 5);
  f.write("MEMORY.md", "Kestrel nest cams need new batteries.\n");
  const index = open(f.settings(), t);
  await syncMemory(index);
  index.close();
  const changed = f.settings({ chunking: { tokens: 200, overlap: 20 } });
  const index2 = open(changed, t);
  await assert.rejects(syncMemory(index2), (e: unknown) => e instanceof AppError && e.code === "MEMORY_STORE" && /chunking 400\/80 → 200\/20/.test(e.message) && /--force/.test(e.hint ?? ""));
  assert.equal((await searchMemory(index2, "kestrel batteries")).results[0]?.path, "MEMORY.md");
  const st = await memoryStatus(changed);
  assert.equal(st.state, "mismatch");
  assert.match(st.fix ?? "", /--force/);
  const rebuilt = await syncMemory(index2, { force: true });
  assert.equal(rebuilt.generation, 2);
  assert.equal((await memoryStatus(changed)).state, "ok");
});

test("reset drops only memory tables; a newer schema is refused with the fix; status never creates a file", async (t) => {
  const f = memoryFixture(t);
  f.write("MEMORY.md", "Otters hold hands while sleeping.\n");
  const s = f.settings();
  const st0 = await memoryStatus(s);
  assert.equal(st0.state, "missing");
  assert.equal(fs.existsSync(s.dbPath), false);
  const index = open(s, t);
  await syncMemory(index);
  const raw = new Database(s.dbPath);
  raw.exec("CREATE TABLE sessions (id TEXT); INSERT INTO sessions VALUES ('keep-me')");
  raw.close();
  const r = index.reset();
  assert.equal(r.generations, 1);
  const check = new Database(s.dbPath, { readonly: true });
  assert.equal((check.prepare("SELECT id FROM sessions").get() as { id: string }).id, "keep-me");
  assert.equal((check.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name LIKE 'memory_g%'").get() as { n: number }).n, 0);
  check.close();
  assert.equal((await searchMemory(index, "otters")).results.length, 0);
  assert.equal((await syncMemory(index)).indexed, 1, "the next index rebuilds from the files");
  index.close();
  const bump = new Database(s.dbPath);
  bump.prepare("UPDATE memory_meta SET value = ? WHERE key = 'schema'").run(String(MEMORY_SCHEMA_VERSION + 1));
  bump.close();
  assert.throws(() => MemoryIndex.open(s, { create: false }), (e: unknown) => e instanceof AppError && e.code === "MEMORY_STORE" && /newer than this build/.test(e.message));
});

test("CJK text is found under unicode61 (substring fallback) and under the trigram tokenizer", async (t) => {
  const f = memoryFixture(t);
  f.write("memory/2026-11-30.md", "# 会議\n\n今日は東京で新しいプロジェクトの会議がありました。\n");
  f.write("memory/other.md", "Nothing to see here.\n");
  for (const tokenizer of ["unicode61", "trigram"]) {
    const s = { ...f.settings({ store: { fts: { tokenizer } } }), dbPath: path.join(f.dir, `${tokenizer}.sqlite`) };
    const index = open(s, t);
    await syncMemory(index);
    const tk = await searchMemory(index, "東京");
    assert.equal(tk.results[0]?.path, "memory/2026-11-30.md", `${tokenizer} ${JSON.stringify(tk)}`);
    assert.equal((await searchMemory(index, "プロジェクト")).results[0]?.path, "memory/2026-11-30.md", tokenizer);
  }
});
