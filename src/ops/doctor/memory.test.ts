/**
 * Doctor reads the memory engine's status through the real runner on a real index: missing (only
 * when there is something to index), dirty, built with other settings (the --force fix), and a
 * configured provider that cannot work. A dry run still writes nothing.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type TestContext, test } from "node:test";
import { type Env, resolvePaths } from "../../infra/index.js";
import { MemoryIndex, syncMemory } from "../../memory/index.js";
import { resolveMemoryTargets } from "../memory.js";
import { type DoctorReport, runDoctor } from "./runner.js";

function seed(t: TestContext) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-doctor-memory-"));
  t.after(() => fs.rmSync(home, { recursive: true, force: true }));
  const stateDir = path.join(home, ".openclaw");
  fs.mkdirSync(stateDir, { mode: 0o700 });
  const configPath = path.join(stateDir, "openclaw.json");
  const env: Env = { HOME: home, PATH: path.join(home, "no-bin") };
  const config = (c: Record<string, unknown>) => fs.writeFileSync(configPath, JSON.stringify({ gateway: { mode: "local" }, ...c }), { mode: 0o600 });
  config({});
  const workspace = path.join(stateDir, "workspace");
  const paths = resolvePaths(env);
  const doctor = () => runDoctor({ env, paths, mode: "report", deep: false });
  const index = async () => {
    const [settings] = resolveMemoryTargets({ config: JSON.parse(fs.readFileSync(configPath, "utf8")), layout: paths.layout, env, all: false });
    const idx = MemoryIndex.open(settings!, { create: true })!;
    try {
      return await syncMemory(idx);
    } finally {
      idx.close();
    }
  };
  return { stateDir, workspace, config, doctor, index };
}

const memoryFindings = (r: DoctorReport) => r.findings.filter((f) => f.checkId.includes("memory"));

test("doctor: a missing index only when there is something to index, then dirty, then a settings mismatch with the --force fix", async (t) => {
  const s = seed(t);
  assert.deepEqual(memoryFindings(await s.doctor()), [], "a fresh install without memory files: nothing to say");

  fs.mkdirSync(path.join(s.workspace, "memory"), { recursive: true });
  fs.writeFileSync(path.join(s.workspace, "MEMORY.md"), "# Memory\n\nThe deploy window is Tuesday.\n");
  fs.writeFileSync(path.join(s.workspace, "memory", "2026-11-01.md"), "# Day\n\nMet Dana about the rollout.\n");
  const missing = memoryFindings(await s.doctor());
  assert.deepEqual(
    missing.map((f) => [f.checkId, f.severity, f.fix]),
    [["state.memory_index_missing", "info", "openclaw memory index --agent main"]],
  );
  assert.match(missing[0]!.detail ?? "", /2 memory file\(s\) in .*workspace are not searchable yet/);
  assert.ok(!fs.existsSync(path.join(s.stateDir, "memory", "main.sqlite")), "doctor never creates the index");

  const built = await s.index();
  assert.equal(built.indexed, 2);
  assert.deepEqual(memoryFindings(await s.doctor()), [], "an up-to-date index: nothing to say");

  fs.writeFileSync(path.join(s.workspace, "memory", "2026-11-02.md"), "# Day 2\n\nNew note.\n");
  const dirty = memoryFindings(await s.doctor());
  assert.deepEqual(dirty.map((f) => [f.checkId, f.severity]), [["state.memory_index_dirty", "info"]]);
  assert.match(dirty[0]!.title, /out of date: 1 added, 0 changed, 0 removed file\(s\) \(memory\/2026-11-02\.md\)/);

  s.config({ agents: { defaults: { memorySearch: { chunking: { tokens: 200, overlap: 40 } } } } });
  const report = await s.doctor();
  const mismatch = memoryFindings(report);
  assert.deepEqual(mismatch.map((f) => [f.checkId, f.severity, f.fix]), [["state.memory_index_mismatch", "warn", "openclaw memory index --force --agent main"]]);
  assert.match(mismatch[0]!.title, /built with other settings \(chunking 400\/80 → 200\/40 tokens\)/);
  assert.ok(report.remaining.some((f) => f.checkId === "state.memory_index_mismatch"), "a mismatch is a problem doctor reports as remaining");
});

test("doctor: an explicitly configured embedding provider without a key is a warning (keyword search goes on)", async (t) => {
  const s = seed(t);
  s.config({ agents: { defaults: { memorySearch: { provider: "openai" } } } });
  fs.mkdirSync(s.workspace, { recursive: true });
  fs.writeFileSync(path.join(s.workspace, "MEMORY.md"), "# Memory\n\nA note.\n");
  await s.index();
  const found = memoryFindings(await s.doctor());
  assert.deepEqual(found.map((f) => [f.checkId, f.severity]), [["state.memory_provider_broken", "warn"]]);
  assert.match(found[0]!.title, /memory embeddings for agent main cannot work: memory\.search\.provider openai has no API key \(set OPENAI_API_KEY/);
});

test("doctor: chunks whose embeddings failed are pending, with the command that finishes them", async (t) => {
  const s = seed(t);
  // Nothing listens on port 9 of loopback: the embedding request is refused, the keyword part is committed.
  s.config({ memory: { search: { provider: "openai-compatible", remote: { baseUrl: "http://127.0.0.1:9/v1", apiKey: "sk-doctor-test-000000000000" } } } });
  fs.mkdirSync(s.workspace, { recursive: true });
  fs.writeFileSync(path.join(s.workspace, "MEMORY.md"), "# Memory\n\nA note.\n");
  await assert.rejects(s.index(), /embedding batch 1/);
  const found = memoryFindings(await s.doctor());
  assert.deepEqual(found.map((f) => [f.checkId, f.severity, f.fix]), [["state.memory_embeddings_pending", "info", "openclaw memory index --agent main"]]);
  assert.match(found[0]!.title, /memory index for agent main: 1 chunk\(s\) wait for embeddings/);
});
