import assert from "node:assert/strict";
import { test } from "node:test";
import { startFakeEmbeddings } from "../../test/helpers/fake-embeddings.js";
import { AppError } from "../shared/index.js";
import { MemoryIndex } from "./memory-index.js";
import { searchMemory } from "./search.js";
import { memoryStatus } from "./status.js";
import { syncMemory } from "./sync.js";
import { memoryFixture, writeNotes } from "./test-fixture.js";

async function setup(t: { after(fn: () => void | Promise<void>): void }, apiKey = "sk-fake-embed-key") {
  const fake = await startFakeEmbeddings({ apiKey });
  t.after(() => fake.close());
  const f = memoryFixture(t);
  writeNotes(f, 8);
  f.write("memory/garage.md", "# Errands\n\nPurchased an automobile yesterday from the dealer on Elm street.\n");
  f.write("memory/wash.md", "# Chores\n\nThe car wash on Elm street was closed again.\n");
  const block = (model: string, extra: Record<string, unknown> = {}) => ({ provider: "openai-compatible", model, remote: { baseUrl: fake.url, apiKey }, ...extra });
  return { fake, f, block };
}

test("hybrid search ranks a paraphrase above a keyword-only near miss; keyword-only search cannot", async (t) => {
  const { fake, f, block } = await setup(t);
  const s = f.settings(block("fake-embed-a"));
  const index = MemoryIndex.open(s, { create: true })!;
  t.after(() => index.close());
  const r = await syncMemory(index);
  assert.equal(r.keywordOnly, false);
  assert.equal(r.embedded, r.chunks);
  assert.ok(fake.requests().every((q) => q.model === "fake-embed-a" && q.authPresent && q.encodingFormat === "float"));
  const hybrid = await searchMemory(index, "bought a car", { minScore: 0 });
  assert.equal(hybrid.mode, "hybrid");
  assert.equal(hybrid.results[0]?.path, "memory/garage.md", JSON.stringify(hybrid.results.map((x) => [x.path, x.score])));
  const wash = hybrid.results.find((x) => x.path === "memory/wash.md");
  assert.ok(wash && wash.score < hybrid.results[0]!.score);

  const plain = f.settings({ provider: "none" });
  const kw = await searchMemory(MemoryIndex.open(plain, { create: false })!, "bought a car", { minScore: 0 });
  assert.equal(kw.mode, "keyword");
  assert.equal(kw.results[0]?.path, "memory/wash.md", "by keyword the near miss wins");
  assert.ok(!kw.results.some((x) => x.path === "memory/garage.md"));

  // In-process cosine (sqlite-vec off) ranks the same.
  const inproc = MemoryIndex.open({ ...s, vector: { enabled: false } }, { create: false })!;
  t.after(() => inproc.close());
  assert.deepEqual(
    (await searchMemory(inproc, "bought a car", { minScore: 0 })).results.map((x) => x.path),
    hybrid.results.map((x) => x.path),
  );
  const st = await memoryStatus(s, { deep: true });
  assert.equal(st.state, "ok");
  assert.equal(st.vectors, st.chunks);
  assert.equal(st.vectorSearch, "sqlite-vec");
  assert.deepEqual([st.deep?.ok, st.deep?.dims], [true, 64]);
  assert.ok(!JSON.stringify(st).includes("sk-fake-embed-key"), "the key never appears in status");
});

test("a changed embedding model: status reports the identity mismatch, search answers by keyword, --force re-embeds; the cache spares unchanged text", async (t) => {
  const { fake, f, block } = await setup(t);
  const a = MemoryIndex.open(f.settings(block("fake-embed-a")), { create: true })!;
  const first = await syncMemory(a);
  a.close();
  const again = MemoryIndex.open(f.settings(block("fake-embed-a")), { create: false })!;
  const before = fake.requests().length;
  const rebuilt = await syncMemory(again, { force: true });
  assert.equal(rebuilt.cacheHits, first.chunks, "every vector came from the cache");
  assert.equal(fake.requests().length, before, "no embedding request for unchanged text");
  again.close();

  const sb = f.settings(block("fake-embed-b"));
  const st = await memoryStatus(sb);
  assert.equal(st.state, "mismatch");
  assert.equal(st.vectorMismatch, "model fake-embed-a → fake-embed-b");
  assert.match(st.fix ?? "", /memory index --force --agent main/);
  assert.deepEqual(st.rebuildEstimate && [st.rebuildEstimate.chunks, st.rebuildEstimate.cached], [first.chunks, 0], "nothing is cached for the new model: all of it would be embedded");
  assert.ok(st.rebuildEstimate!.tokens > 0);
  assert.deepEqual((await memoryStatus(f.settings(block("fake-embed-a")))).rebuildEstimate?.cached, first.chunks, "for the old model all of it is cached");
  const b = MemoryIndex.open(sb, { create: false })!;
  t.after(() => b.close());
  const res = await searchMemory(b, "car wash");
  assert.equal(res.mode, "keyword");
  assert.equal(res.stale, true);
  assert.match(res.warning ?? "", /vector search paused/);
  assert.equal(res.action, "openclaw memory index --force --agent main");
  assert.equal(res.results[0]?.path, "memory/wash.md");
  const n = fake.requests().length;
  const paused = await syncMemory(b);
  assert.match(paused.vectorPaused ?? "", /model fake-embed-a → fake-embed-b/);
  assert.equal(fake.requests().length, n, "no vectors are mixed in from the new model");
  const forced = await syncMemory(b, { force: true });
  assert.equal(forced.embedded, forced.chunks);
  assert.ok(fake.requests().slice(n).every((q) => q.model === "fake-embed-b"));
  assert.equal((await memoryStatus(sb)).state, "ok");
});

test("a provider that stops answering is an error naming the batch; the keyword part is kept and the rerun resumes", async (t) => {
  const { fake, f, block } = await setup(t);
  const s = f.settings(block("fake-embed-a"), { OPENCLAW_MEMORY_EMBED_TIMEOUT_SECONDS: "0.3" });
  s.provider!.maxAttempts = 2;
  const index = MemoryIndex.open(s, { create: true })!;
  t.after(() => index.close());
  fake.hang(true);
  await assert.rejects(
    syncMemory(index),
    (e: unknown) => e instanceof AppError && e.code === "MEMORY_EMBEDDING" && /^embedding batch 1 \(chunks \d+–\d+ of /.test(e.message) && /timed out after 0.3 s/.test(e.message) && /rerun/.test(e.hint ?? ""),
  );
  const mid = await memoryStatus(s);
  assert.equal(mid.files, 10, "files were indexed before embedding started");
  assert.equal(mid.state, "pending");
  assert.equal(mid.pendingEmbeddings, mid.chunks);
  assert.equal((await searchMemory(index, "car wash")).results[0]?.path, "memory/wash.md", "keyword search works meanwhile");
  fake.hang(false);
  fake.failNext(1, 429, { retryAfterSeconds: 0 });
  const done = await syncMemory(index);
  assert.equal(done.indexed, 0, "no file is indexed twice");
  assert.equal(done.embedded, mid.chunks);
  assert.equal((await memoryStatus(s)).state, "ok");
});

test("a rejected key is reported without the key", async (t) => {
  const { f, block } = await setup(t);
  const s = f.settings({ ...block("fake-embed-a"), remote: { baseUrl: (block("x").remote as { baseUrl: string }).baseUrl, apiKey: "sk-wrong-secret-999" } });
  const index = MemoryIndex.open(s, { create: true })!;
  t.after(() => index.close());
  await assert.rejects(syncMemory(index), (e: unknown) => e instanceof AppError && /HTTP 401/.test(e.message) && !`${e.message}${e.hint}`.includes("sk-wrong-secret-999") && /API key/.test(e.hint ?? ""));
});
