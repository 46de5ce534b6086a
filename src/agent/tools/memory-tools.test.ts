import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, describe, test } from "node:test";
import { MemoryIndex, readMemoryExcerpt, resolveMemorySettings, searchMemory, syncMemory } from "../../memory/index.js";
import { includeMemoryCitations, memoryGetTool, memorySearchTool } from "./memory-tools.js";
import { createBuiltinTools, resolveAgentTools } from "./policy.js";
import { createTestToolContext, type TestToolContext } from "./test-context.js";
import type { MemoryPort } from "./types.js";

type Obj = Record<string, unknown>;
const made: TestToolContext[] = [];
const indexes: MemoryIndex[] = [];
after(() => {
  for (const i of indexes) i.close();
  for (const c of made) fs.rmSync(c.root, { recursive: true, force: true });
});

/** A tool context whose memory port is the real engine over the context's workspace (keyword only). */
async function memoryCtx(config: Obj = {}, sessionKey = "agent:main:main"): Promise<TestToolContext> {
  const c = createTestToolContext({ config });
  made.push(c);
  c.sessionKey = sessionKey;
  fs.mkdirSync(path.join(c.workspace, "memory"));
  fs.writeFileSync(path.join(c.workspace, "MEMORY.md"), "# Long-term\n\nThe user prefers green tea in the morning.\n");
  const lines = Array.from({ length: 40 }, (_, i) => `line ${i + 1} of the deploy log`);
  lines[19] = "The billing database moved to PostgreSQL 17 on the quokka cluster.";
  fs.writeFileSync(path.join(c.workspace, "memory", "2026-11-30.md"), `${lines.join("\n")}\n`);
  // A handful of unrelated notes: BM25 needs a corpus where the searched words are rare.
  for (let i = 1; i <= 8; i++) fs.writeFileSync(path.join(c.workspace, "memory", `errand-${i}.md`), `# Errand ${i}\n\nPick up parcel ${i} and water the plants.\n`);
  fs.writeFileSync(path.join(c.root, "openclaw.json"), '{"secret": "never readable"}\n');
  const settings = resolveMemorySettings({ config: config as never, agent: { id: "main", workspace: c.workspace }, memoryDir: path.join(c.stateDir, "memory"), env: {} });
  const index = MemoryIndex.open(settings, { create: true })!;
  indexes.push(index);
  await syncMemory(index);
  const port: MemoryPort = {
    enabled: () => settings.enabled,
    search: (_agent, query, o) => searchMemory(index, query, o),
    get: async (_agent, file, o) => readMemoryExcerpt(settings, file, o),
  };
  c.memory = port;
  return c;
}

describe("memory_search / memory_get", () => {
  test("memory_search finds the planted note and ends each snippet with a Source footer (citations auto, direct chat)", async () => {
    const c = await memoryCtx();
    const r = await memorySearchTool.run({ query: "billing database quokka" }, c);
    assert.equal(r.isError, undefined, r.content);
    const body = JSON.parse(r.content) as { results: Array<Obj>; mode: string };
    assert.equal(body.mode, "keyword");
    const top = body.results[0]!;
    assert.equal(top.path, "memory/2026-11-30.md");
    assert.ok((top.startLine as number) <= 20 && (top.endLine as number) >= 20, JSON.stringify(top));
    assert.match(String(top.snippet), /PostgreSQL 17/);
    assert.match(String(top.snippet), /\n\nSource: memory\/2026-11-30\.md#L\d+-L\d+$/);
    assert.equal(top.citation, `memory/2026-11-30.md#L${top.startLine}-L${top.endLine}`);
    assert.equal(r.details?.results, body.results.length);
  });

  test("citations: off drops the footer, auto drops it in group sessions, on keeps it there", async () => {
    const off = await memoryCtx({ memory: { citations: "off" } });
    const offBody = JSON.parse((await memorySearchTool.run({ query: "green tea" }, off)).content) as { results: Array<{ snippet: string }> };
    assert.ok(offBody.results.length > 0);
    assert.doesNotMatch(offBody.results[0]!.snippet, /Source:/);
    assert.equal(includeMemoryCitations({}, "agent:main:telegram:group:-100123"), false);
    assert.equal(includeMemoryCitations({}, "agent:main:discord:channel:42"), false);
    assert.equal(includeMemoryCitations({}, "agent:main:telegram:direct:42"), true);
    assert.equal(includeMemoryCitations({ memory: { citations: "on" } }, "agent:main:telegram:group:-100123"), true);
    const group = await memoryCtx({}, "agent:main:telegram:group:-100123");
    const groupBody = JSON.parse((await memorySearchTool.run({ query: "green tea" }, group)).content) as { results: Array<{ snippet: string }> };
    assert.doesNotMatch(groupBody.results[0]!.snippet, /Source:/);
  });

  test("maxResults narrows; bad arguments and other corpora are tool errors", async () => {
    const c = await memoryCtx();
    const one = JSON.parse((await memorySearchTool.run({ query: "deploy log line", maxResults: 1 }, c)).content) as { results: unknown[] };
    assert.equal(one.results.length, 1);
    assert.match((await memorySearchTool.run({}, c)).content, /query is required/);
    assert.match((await memorySearchTool.run({ query: "x", maxResults: 0 }, c)).content, /maxResults must be an integer ≥ 1/);
    assert.match((await memorySearchTool.run({ query: "x", minScore: "high" }, c)).content, /minScore must be a number/);
    assert.match((await memorySearchTool.run({ query: "x", corpus: "sessions" }, c)).content, /session transcript search is not enabled/);
    assert.match((await memorySearchTool.run({ query: "x", corpus: "bogus" }, c)).content, /corpus must be one of: memory, wiki, all, sessions/);
    const all = await memorySearchTool.run({ query: "green tea", corpus: "all" }, c);
    assert.equal(all.isError, undefined, all.content);
  });

  test("memory_get reads a window, says where to continue, and refuses paths outside memory naming the allowed ones", async () => {
    const c = await memoryCtx();
    const r = await memoryGetTool.run({ path: "memory/2026-11-30.md", from: 20, lines: 2 }, c);
    assert.equal(r.isError, undefined, r.content);
    const x = JSON.parse(r.content) as Obj;
    assert.equal(x.from, 20);
    assert.equal(x.to, 21);
    assert.equal(x.truncated, true);
    assert.equal(x.nextFrom, 22);
    assert.match(String(x.continue), /from=22/);
    assert.match(String(x.text), /^The billing database moved/);
    const whole = JSON.parse((await memoryGetTool.run({ path: "MEMORY.md" }, c)).content) as Obj;
    assert.equal(whole.truncated, false);
    assert.match(String(whole.text), /green tea/);
    for (const bad of ["../openclaw.json", "SOUL.md", "/etc/passwd", "memory/../../openclaw.json"]) {
      const refused = await memoryGetTool.run({ path: bad }, c);
      assert.equal(refused.isError, true, bad);
      assert.match(refused.content, /^memory_get: .*not a memory file \(allowed: MEMORY\.md, USER\.md, memory\/\*\*\/\*\.md\)/, bad);
      assert.doesNotMatch(refused.content, /never readable/);
    }
    const missing = await memoryGetTool.run({ path: "memory/nope.md" }, c);
    assert.equal(missing.isError, true);
    assert.match(missing.content, /does not exist.*memory_search/);
    assert.match((await memoryGetTool.run({ path: "MEMORY.md", from: 0 }, c)).content, /from must be an integer ≥ 1/);
    assert.match((await memoryGetTool.run({}, c)).content, /path is required/);
  });

  test("without a memory port both tools answer a tool error", async () => {
    const c = createTestToolContext();
    made.push(c);
    assert.match((await memorySearchTool.run({ query: "x" }, c)).content, /memory is not available/);
    assert.equal((await memoryGetTool.run({ path: "MEMORY.md" }, c)).isError, true);
  });

  test("schemas are OpenClaw's: required fields, closed objects, integer bounds and corpus enums", () => {
    const s = memorySearchTool.inputSchema as Obj;
    const g = memoryGetTool.inputSchema as Obj;
    assert.deepEqual(s.required, ["query"]);
    assert.equal(s.additionalProperties, false);
    assert.deepEqual((s.properties as Obj).maxResults, { type: "integer", minimum: 1, description: "Maximum number of snippets to return" });
    assert.deepEqual(((s.properties as Obj).corpus as Obj).enum, ["memory", "wiki", "all", "sessions"]);
    assert.deepEqual(g.required, ["path"]);
    assert.equal(g.additionalProperties, false);
    assert.deepEqual(((g.properties as Obj).corpus as Obj).enum, ["memory", "wiki", "all"]);
    assert.equal(((g.properties as Obj).from as Obj).minimum, 1);
  });

  test("offered only when memory is on for the agent, and the tool policy decides (group:memory)", () => {
    const names = (o: { memory: boolean; config?: Obj }) =>
      resolveAgentTools({ config: o.config ?? {}, agentId: "main", provider: "anthropic", tools: createBuiltinTools({ memory: o.memory }) }).map((t) => t.name);
    assert.ok(!names({ memory: false }).includes("memory_search"));
    assert.ok(names({ memory: true }).includes("memory_search") && names({ memory: true }).includes("memory_get"));
    assert.ok(names({ memory: true, config: { tools: { profile: "coding" } } }).includes("memory_get"));
    assert.ok(!names({ memory: true, config: { tools: { profile: "messaging" } } }).includes("memory_search"));
    assert.deepEqual(
      names({ memory: true, config: { tools: { deny: ["group:memory"] } } }).filter((n) => n.startsWith("memory_")),
      [],
    );
  });
});
