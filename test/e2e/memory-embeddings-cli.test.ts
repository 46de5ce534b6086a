/**
 * The memory commands with an embedding provider: a small OpenAI-compatible `/v1/embeddings`
 * server on loopback (deterministic bag-of-words vectors) drives the built binary through a hybrid
 * index, `status --deep`, a model change (status reports the mismatch with the --force fix, index
 * warns that vectors are paused, search still answers by keyword and says so) and the rebuild.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { test } from "node:test";
import { runBinary, tempHome } from "../helpers/cli.js";

const DIMS = 16;
const KEY = "sk-memory-embeddings-test-0123456789abcdef";

/** Each word adds to one of 16 dimensions (by hash): similar texts get similar vectors. */
function embed(text: string): number[] {
  const v = new Array<number>(DIMS).fill(0);
  for (const w of text.toLowerCase().match(/[a-z]+/g) ?? []) v[createHash("sha256").update(w).digest()[0]! % DIMS]! += 1;
  return v;
}

async function startEmbeddings(t: { after(fn: () => Promise<void>): void }) {
  const seen: Array<{ model: string; inputs: number; auth: string | undefined }> = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const q = JSON.parse(body) as { model: string; input: string[] };
      seen.push({ model: q.model, inputs: q.input.length, auth: req.headers.authorization });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", model: q.model, data: q.input.map((s, index) => ({ object: "embedding", index, embedding: embed(s) })), usage: { prompt_tokens: 1, total_tokens: 1 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, seen };
}

test("hybrid index, status --deep, a model change reported as a mismatch (keyword search goes on, with a warning), then the --force rebuild", async (t) => {
  const emb = await startEmbeddings(t);
  const { home, env } = tempHome(t);
  const stateDir = path.join(home, ".openclaw");
  const workspace = path.join(stateDir, "workspace");
  mkdirSync(path.join(workspace, "memory"), { recursive: true });
  writeFileSync(path.join(workspace, "MEMORY.md"), "# Memory\n\n- Prefers green tea in the morning.\n");
  for (let i = 0; i < 6; i++) writeFileSync(path.join(workspace, "memory", `2026-08-0${i + 1}.md`), `# Day ${i}\n\nGarden work and invoices, item ${i}.\n`);
  writeFileSync(path.join(workspace, "memory", "vault.md"), "# Vault\n\nThe zephyrine vault code is with Priya.\n");
  const config = (model: string) => writeFileSync(path.join(stateDir, "openclaw.json"), JSON.stringify({ memory: { search: { provider: "openai-compatible", model, remote: { baseUrl: emb.url, apiKey: KEY } } } }));
  config("m1");

  const idx = await runBinary(["memory", "index", "--json"], { env });
  assert.equal(idx.code, 0, idx.stderr);
  const r = (JSON.parse(idx.stdout) as { agents: Array<{ embedded: number; chunks: number; keywordOnly: boolean }> }).agents[0]!;
  assert.deepEqual([r.embedded, r.keywordOnly], [r.chunks, false]);
  assert.ok(idx.stderr.split("\n").some((l) => l.startsWith("{") && (JSON.parse(l) as { phase: string }).phase === "embed"), "embedding progress on stderr");
  assert.ok(emb.seen.every((s) => s.model === "m1" && s.auth === `Bearer ${KEY}`));

  const deep = await runBinary(["memory", "status", "--deep"], { env });
  assert.equal(deep.code, 0, deep.stderr);
  assert.match(deep.stdout, /Memory · agent main: ok\n/);
  assert.match(deep.stdout, new RegExp(`embeddings: openai-compatible/m1 at ${emb.url.replace(/[.]/g, "\\.")} · vector search (sqlite-vec|in-process)`));
  assert.match(deep.stdout, /provider probe: answered in \d+ ms \(16 dimensions\)/);
  const hybrid = JSON.parse((await runBinary(["memory", "search", "zephyrine vault", "--json"], { env })).stdout) as { mode: string; results: Array<{ path: string }> };
  assert.deepEqual([hybrid.mode, hybrid.results[0]?.path], ["hybrid", "memory/vault.md"]);

  config("m2");
  const st = (JSON.parse((await runBinary(["memory", "status", "--json"], { env })).stdout) as Array<{ state: string; vectorMismatch?: string; fix?: string }>)[0]!;
  assert.equal(st.state, "mismatch");
  assert.match(st.vectorMismatch ?? "", /model m1 → m2/);
  assert.equal(st.fix, "openclaw memory index --force --agent main");
  const human = await runBinary(["memory", "status"], { env });
  assert.match(human.stdout, /identity mismatch: vectors were made with a different model m1 → m2 — rebuild: openclaw memory index --force --agent main/);
  assert.match(human.stdout, /a --force rebuild would embed \d+ chunk\(s\) \(~[\d,]+ tokens\) with openai-compatible\/m2; 0 are cached/);
  const paused = await runBinary(["memory", "index"], { env });
  assert.equal(paused.code, 0, paused.stderr);
  assert.match(paused.stderr, /warning: main: vectors paused: .*model m1 → m2.*openclaw memory index --force --agent main/);
  const kw = await runBinary(["memory", "search", "zephyrine"], { env });
  assert.equal(kw.code, 0);
  assert.match(kw.stdout, /^\d\.\d{3} {2}memory\/vault\.md#L1-L\d+/);
  assert.match(kw.stderr, /^warning: vector search paused: .*model m1 → m2; these are keyword matches\nrun openclaw memory index --force --agent main first \(rebuilds; search keeps working meanwhile\)\n$/);

  const rebuilt = await runBinary(["memory", "index", "--force", "--json"], { env });
  assert.equal(rebuilt.code, 0, rebuilt.stderr);
  assert.equal((JSON.parse(rebuilt.stdout) as { agents: Array<{ forced: boolean }> }).agents[0]!.forced, true);
  assert.equal((JSON.parse((await runBinary(["memory", "status", "--json"], { env })).stdout) as Array<{ state: string }>)[0]!.state, "ok");
  assert.ok(emb.seen.some((s) => s.model === "m2"));
  for (const out of [idx, deep, human, paused, kw, rebuilt]) assert.ok(!`${out.stdout}${out.stderr}`.includes(KEY), "the key never shows");
});
