/**
 * Memory in a real gateway: the initial background sync indexes the workspace's memory files, the
 * watcher picks up a new note (also in a new sub-directory) and `memory.search` finds it,
 * `doctor.memory.status` answers per agent with the watcher's view, a failing index is reported
 * (never fatal), `health`/`status` carry the summary, and an agent turn through the loopback model
 * calls `memory_search` / `memory_get` and sees the planted note / the refusal.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import type { GatewayClient } from "../../src/client/index.js";
import { type FakeReply, lastToolResult, startFakeLlm } from "../helpers/fake-llm.js";
import { startTestGateway, waitUntil } from "../helpers/gateway.js";

type Obj = Record<string, unknown>;
const KEY = "sk-ant-api03-MEMORYkey00000000000000000000000000000";
const PLANTED = "The billing database moved to PostgreSQL 17 on the quokka cluster.";

/** A workspace with MEMORY.md, a daily note and unrelated errands (BM25 needs the searched words to be rare). */
function workspace(t: { after(fn: () => unknown): void }): string {
  const ws = mkdtempSync(path.join(os.tmpdir(), "openclaw-memws-"));
  t.after(() => rmSync(ws, { recursive: true, force: true }));
  mkdirSync(path.join(ws, "memory"));
  writeFileSync(path.join(ws, "MEMORY.md"), "# Long-term\n\nThe user prefers green tea in the morning.\n");
  writeFileSync(path.join(ws, "memory", "2026-11-30.md"), `# 2026-11-30\n\n${PLANTED}\n`);
  for (let i = 1; i <= 8; i++) writeFileSync(path.join(ws, "memory", `errand-${i}.md`), `# Errand ${i}\n\nPick up parcel ${i} and water the plants.\n`);
  return ws;
}

async function memoryStatus(c: GatewayClient, params: Obj = {}): Promise<{ agentId: string; provider: string; embedding: Obj; agents: Array<Obj & { watcher: Obj }> }> {
  return (await c.call("doctor.memory.status", params)) as never;
}

async function search(c: GatewayClient, query: string): Promise<Array<{ path: string; snippet: string }>> {
  return ((await c.call("memory.search", { query })) as { results: Array<{ path: string; snippet: string }> }).results;
}

describe("memory in the gateway", () => {
  test("initial sync, watcher, memory.search, doctor.memory.status, health and status", async (t) => {
    const ws = workspace(t);
    const gw = await startTestGateway(t, { memory: true, config: { agents: { defaults: { workspace: ws } } } });
    const c = await gw.connect();
    t.after(() => c.close());

    // The initial background sync indexes the 11 files (ours and the bootstrap's USER.md) without anyone asking.
    await waitUntil(async () => (await memoryStatus(c)).agents[0]!.files === 11, 15_000, "the initial sync");
    const status = await memoryStatus(c);
    assert.equal(status.agentId, "main");
    assert.equal(status.provider, "none");
    assert.deepEqual({ ok: status.embedding.ok, checked: status.embedding.checked }, { ok: false, checked: true });
    assert.match(String(status.embedding.error), /keyword search only/);
    const main = status.agents[0]!;
    assert.equal(main.state, "ok");
    assert.equal(main.keywordOnly, true);
    assert.ok((main.chunks as number) >= 11);
    assert.equal(main.dbPath, path.join(gw.stateDir, "memory", "main.sqlite"));
    assert.equal(main.watcher.dirty, false);
    assert.equal(main.watcher.lastError, null);
    assert.equal(typeof main.watcher.lastSyncAt, "number");
    assert.ok((main.watcher.syncs as number) >= 1);

    assert.equal((await search(c, "quokka billing"))[0]?.path, "memory/2026-11-30.md");

    // A new note in a new sub-directory: the watcher sees it and the next search finds it.
    mkdirSync(path.join(ws, "memory", "projects", "q4"), { recursive: true });
    writeFileSync(path.join(ws, "memory", "projects", "q4", "launch.md"), "# Launch\n\nThe zeppelin launch is booked for the third of March.\n");
    // doctor.memory.status never syncs: the watcher's debounced sync alone brings the file in.
    await waitUntil(async () => (await memoryStatus(c)).agents[0]!.files === 12, 15_000, "the watcher's sync of the new note");
    assert.ok((await search(c, "zeppelin launch")).some((h) => h.path === "memory/projects/q4/launch.md"));
    // An edit and a removal: a search right away syncs the dirty index first (bounded), then answers.
    writeFileSync(path.join(ws, "MEMORY.md"), "# Long-term\n\nThe user switched to oolong tea.\n");
    rmSync(path.join(ws, "memory", "errand-8.md"));
    await waitUntil(async () => (await search(c, "oolong")).length > 0 && (await memoryStatus(c)).agents[0]!.files === 11, 15_000, "the edit and the removal");

    // health and status carry the compact summary.
    await waitUntil(async () => ((await c.call("health", { probe: true })) as { memory: { agents: Obj[] } }).memory.agents[0]!.state === "ok", 10_000, "health memory ok");
    const health = (await c.call("health", { probe: true })) as { memory: { watching: boolean; agents: Obj[] } };
    assert.equal(health.memory.watching, true);
    const h = health.memory.agents[0]!;
    assert.deepEqual(
      { agentId: h.agentId, state: h.state, files: h.files, dirty: h.dirty, keywordOnly: h.keywordOnly, failures: h.failures },
      { agentId: "main", state: "ok", files: 11, dirty: false, keywordOnly: true, failures: 0 },
    );
    assert.equal(typeof h.lastIndexedAt, "number");
    const summary = (await c.call("status", {})) as { memory: { agents: Obj[] } };
    assert.equal(summary.memory.agents[0]!.files, 11);
    const metrics = await (await fetch(`http://127.0.0.1:${gw.rt.port}/metrics`, { headers: { authorization: `Bearer ${gw.token}` } })).text();
    assert.match(metrics, /^openclaw_memory_files\{agent="main"\} 11$/m);
    assert.match(metrics, /^openclaw_memory_sync_failures_total\{agent="main"\} 0$/m);

    // Bad input is a clear error.
    await assert.rejects(c.call("memory.search", { query: "x", agentId: "nobody" }), /unknown agent id "nobody"/);
    await assert.rejects(c.call("doctor.memory.status", { agentId: "nobody" }), /unknown agent id "nobody"/);
  });

  test("a sync that fails is logged, counted and shown; the gateway keeps serving", async (t) => {
    const ws = workspace(t);
    const blocker = path.join(ws, "not-a-dir");
    writeFileSync(blocker, "a file where the index directory should be\n");
    const gw = await startTestGateway(t, { memory: true, config: { agents: { defaults: { workspace: ws, memorySearch: { store: { path: path.join(blocker, "{agentId}.sqlite") } } } } } });
    const c = await gw.connect();
    t.after(() => c.close());
    await waitUntil(async () => ((await c.call("health", { probe: true })) as { memory: { agents: Obj[] } }).memory.agents[0]!.state === "error", 15_000, "the failure in health");
    const h = ((await c.call("health", { probe: true })) as { memory: { agents: Obj[] } }).memory.agents[0]!;
    assert.match(String(h.lastError), /not-a-dir/);
    assert.ok((h.failures as number) >= 1);
    const status = await memoryStatus(c);
    assert.match(String(status.agents[0]!.watcher.lastError), /not-a-dir/);
    // The log names the agent and the reason.
    await waitUntil(async () => ((await c.call("logs.tail", { limit: 500 })) as { lines: string[] }).lines.some((l) => l.includes("memory sync failed for agent main") && l.includes("not-a-dir")), 10_000, "the warning in the log");
    // A search still answers (an error naming the index), and the gateway is fine.
    await assert.rejects(c.call("memory.search", { query: "quokka" }), /not-a-dir/);
    assert.equal(((await c.call("health", {})) as { ok: boolean }).ok, true);
  });

  test("doctor.memory.status with an embedding provider: not checked unless asked; probe reports the failure; no key in the answer", async (t) => {
    const ws = workspace(t);
    const secret = "sk-proj-MEMORYPROBEsecret0000000000000000";
    const gw = await startTestGateway(t, {
      config: { agents: { defaults: { workspace: ws } }, memory: { search: { provider: "openai-compatible", model: "embed-small", remote: { baseUrl: "http://127.0.0.1:9/v1", apiKey: secret } } } },
    });
    const c = await gw.connect();
    t.after(() => c.close());
    const quick = await memoryStatus(c);
    assert.equal(quick.provider, "openai-compatible");
    assert.deepEqual({ ok: quick.embedding.ok, checked: quick.embedding.checked }, { ok: false, checked: false });
    assert.match(String(quick.embedding.error), /not checked; run `openclaw memory status --deep`/);
    const probed = await memoryStatus(c, { probe: true });
    assert.equal(probed.embedding.checked, true);
    assert.equal(probed.embedding.ok, false);
    assert.ok(String(probed.embedding.error).length > 0);
    assert.ok(!JSON.stringify([quick, probed]).includes(secret), "the embedding key never leaves the gateway");
  });

  test("OPENCLAW_SKIP_MEMORY (the test default) runs no watcher and no sync, and creates no index", async (t) => {
    const ws = workspace(t);
    const gw = await startTestGateway(t, { config: { agents: { defaults: { workspace: ws } } } });
    const c = await gw.connect();
    t.after(() => c.close());
    const health = (await c.call("health", { probe: true })) as { memory: { watching: boolean; agents: Obj[] } };
    assert.equal(health.memory.watching, false);
    assert.equal(health.memory.agents[0]!.state, "unknown");
    const status = await memoryStatus(c);
    assert.equal(status.agents[0]!.state, "missing");
    assert.equal(status.agents[0]!.watcher.watching, false);
    assert.deepEqual(await search(c, "quokka"), []);
    assert.equal(existsSync(path.join(gw.stateDir, "memory", "main.sqlite")), false);
  });

  test("memory settings reload: the agent's index is reopened with the new settings", async (t) => {
    const ws = workspace(t);
    const gw = await startTestGateway(t, { memory: true, config: { agents: { defaults: { workspace: ws } } } });
    const c = await gw.connect();
    t.after(() => c.close());
    await waitUntil(async () => (await memoryStatus(c)).agents[0]!.files === 11, 15_000, "the initial sync");
    const other = path.join(gw.home, "elsewhere", "{agentId}.sqlite");
    const config = JSON.parse(readFileSync(gw.configPath, "utf8")) as Obj;
    (config.agents as { defaults: Obj }).defaults.memorySearch = { store: { path: other } };
    writeFileSync(gw.configPath, JSON.stringify(config, null, 2));
    const moved = path.join(gw.home, "elsewhere", "main.sqlite");
    await waitUntil(async () => existsSync(moved) && (await memoryStatus(c)).agents[0]!.files === 11, 15_000, "the index at its new path");
    assert.equal((await memoryStatus(c)).agents[0]!.dbPath, moved);
    assert.equal(gw.rt.reloadStatus().lastError, null);
    assert.equal(gw.rt.metrics.restarts, 0, "a memory setting never restarts the gateway");

    // The agent's workspace (owned by the agents subsystem) moves: memory follows it.
    const ws2 = workspace(t);
    writeFileSync(path.join(ws2, "memory", "moved.md"), "# Moved\n\nThe narwhal archive lives in the new workspace.\n");
    (config.agents as { defaults: Obj }).defaults.workspace = ws2;
    writeFileSync(gw.configPath, JSON.stringify(config, null, 2));
    await waitUntil(async () => (await search(c, "narwhal archive")).some((h) => h.path === "memory/moved.md"), 15_000, "the new workspace's note");
  });
});

describe("memory tools in an agent turn", () => {
  test("the model calls memory_search and gets the planted note; memory_get refuses ../openclaw.json", async (t) => {
    const ws = workspace(t);
    let call: { name: string; input: unknown } = { name: "memory_search", input: { query: "which database does billing use on quokka" } };
    const seen: Array<{ text: string; isError: boolean }> = [];
    const llm = await startFakeLlm((req): FakeReply => {
      const result = lastToolResult(req);
      if (!result) return { text: "", toolCalls: [{ id: "toolu_m1", ...call }] };
      seen.push(result);
      return { text: `${result.isError ? "TOOL ERROR: " : "TOOL SAID: "}${result.text}` };
    });
    t.after(() => llm.close());
    const gw = await startTestGateway(t, {
      memory: true,
      config: { agents: { defaults: { workspace: ws, model: { primary: "anthropic/claude-sonnet-4-6" } } }, models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: KEY } } } },
    });
    const c = await gw.connect();
    t.after(() => c.close());
    const run = async (message: string) =>
      (await c.call("agent", { message, agentId: "main", idempotencyKey: `k-${message}-${Date.now()}` }, { expectFinal: true, timeoutMs: 30_000 })) as { status: string; result: { payloads: Array<{ text: string }> } };

    const final = await run("what database does billing use?");
    assert.equal(final.status, "ok");
    const offered = (llm.requests[0]!.body.tools as Array<{ name: string; input_schema: Obj }>).map((x) => x.name);
    assert.ok(offered.includes("memory_search") && offered.includes("memory_get"), offered.join(","));
    assert.equal(seen[0]!.isError, false, seen[0]!.text);
    const body = JSON.parse(seen[0]!.text) as { results: Array<{ path: string; snippet: string }>; mode: string };
    assert.equal(body.results[0]!.path, "memory/2026-11-30.md");
    assert.ok(body.results[0]!.snippet.includes(PLANTED));
    assert.match(body.results[0]!.snippet, /Source: memory\/2026-11-30\.md#L\d+-L\d+/);
    assert.ok(final.result.payloads[0]!.text.includes("PostgreSQL 17"));

    call = { name: "memory_get", input: { path: "../openclaw.json" } };
    const refused = await run("read the config");
    assert.equal(refused.status, "ok", "a refused path is a tool error, not a failed turn");
    assert.equal(seen[1]!.isError, true);
    assert.match(seen[1]!.text, /memory_get: \.\.\/openclaw\.json is not a memory file \(allowed: MEMORY\.md, USER\.md, memory\/\*\*\/\*\.md\)/);
    assert.ok(!seen[1]!.text.includes(gw.token), "nothing of the config leaks");
  });

  test("memory disabled for the agent: the memory tools are not offered", async (t) => {
    const ws = workspace(t);
    const llm = await startFakeLlm(() => ({ text: "fine" }));
    t.after(() => llm.close());
    const gw = await startTestGateway(t, {
      config: {
        agents: { defaults: { workspace: ws, model: { primary: "anthropic/claude-sonnet-4-6" }, memorySearch: { enabled: false } } },
        models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: KEY } } },
      },
    });
    const c = await gw.connect();
    t.after(() => c.close());
    await c.call("agent", { message: "hi", agentId: "main", idempotencyKey: "k-off" }, { expectFinal: true, timeoutMs: 30_000 });
    const offered = (llm.requests[0]!.body.tools as Array<{ name: string }>).map((x) => x.name);
    assert.ok(offered.includes("read"), offered.join(","));
    assert.ok(!offered.some((n) => n.startsWith("memory_")), offered.join(","));
  });
});
