/**
 * `openclaw memory index|search|status|reset` through the built binary on a temp home with a
 * keyword-only setup (no OPENAI_API_KEY): a planted note is the top hit, `--json` keeps stdout to
 * one value with NDJSON progress on stderr, a second run indexes nothing, reset keeps foreign
 * tables, and every bad input is one line with the right exit code.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { test } from "node:test";
import { runBinary, runInProcess, tempHome } from "../helpers/cli.js";

type Obj = Record<string, unknown>;

const TOPICS = ["deploy", "kubernetes", "coffee", "garden", "invoice", "travel", "guitar", "meeting", "backup", "python"];

/** A workspace with `notes` small daily notes and one planted note about a unique phrase. */
function seedWorkspace(workspace: string, notes: number): void {
  mkdirSync(path.join(workspace, "memory"), { recursive: true });
  writeFileSync(path.join(workspace, "MEMORY.md"), "# Long-term memory\n\n- The user prefers short answers.\n- Timezone: Europe/Berlin.\n");
  for (let i = 0; i < notes; i++) {
    const a = TOPICS[i % TOPICS.length]!;
    const b = TOPICS[(i * 7 + 3) % TOPICS.length]!;
    writeFileSync(path.join(workspace, "memory", `2026-10-${String(i).padStart(3, "0")}.md`), `# Note ${i}\n\nTalked about ${a} and ${b} today.\nFollow up on the ${a} item next week.\n`);
  }
  writeFileSync(path.join(workspace, "memory", "projects.md"), "# Projects\n\n## Zephyrine\n\nThe zephyrine rollout uses a blue-green switch on Thursdays.\nOwner: Dana.\n");
}

function setup(t: { after(fn: () => void): void }, config: Obj = {}) {
  const { home, env } = tempHome(t);
  const stateDir = path.join(home, ".openclaw");
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(path.join(stateDir, "openclaw.json"), JSON.stringify(config));
  const workspace = path.join(stateDir, "workspace");
  return { env, stateDir, workspace, db: path.join(stateDir, "memory", "main.sqlite") };
}

const ndjson = (text: string) =>
  text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Obj);

test("index → search → status → reset round trip; NDJSON progress and one JSON result; a second run indexes nothing", async (t) => {
  const s = setup(t);
  seedWorkspace(s.workspace, 40);

  const first = await runBinary(["memory", "index", "--json"], { env: s.env });
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout.trim().split("\n").length, 1, "stdout is exactly one JSON value");
  const result = JSON.parse(first.stdout) as { agents: Array<Obj> };
  assert.equal(result.agents.length, 1);
  const a = result.agents[0]!;
  assert.equal(a.agentId, "main");
  assert.equal(a.files, 42);
  assert.equal(a.indexed, 42);
  assert.equal(a.keywordOnly, true);
  assert.ok((a.maxRssBytes as number) > 10 * 1024 * 1024, `maxRssBytes is bytes: ${String(a.maxRssBytes)}`);
  const progress = ndjson(first.stderr);
  assert.ok(progress.length >= 3 && progress.every((p) => p.type === "progress"), first.stderr);
  assert.deepEqual([progress[0]!.phase, progress.at(-1)!.phase], ["scan", "done"]);
  assert.ok(progress.some((p) => p.phase === "index" && p.filesDone === 42 && p.filesTotal === 42));
  assert.match(first.stderr, /warning: main: no embedding provider/, "the provider note is a warning line");

  const second = await runBinary(["memory", "index", "--json"], { env: s.env });
  assert.equal(second.code, 0, second.stderr);
  const again = (JSON.parse(second.stdout) as { agents: Obj[] }).agents[0]!;
  assert.deepEqual([again.indexed, again.files, again.chunks], [0, 42, a.chunks]);

  const human = await runBinary(["memory", "index"], { env: s.env });
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /^main: indexed 0 of 42 file\(s\) — \d+ chunks in .*, keyword search only\n$/);

  const search = await runBinary(["memory", "search", "zephyrine rollout", "--json"], { env: s.env });
  assert.equal(search.code, 0, search.stderr);
  const r = JSON.parse(search.stdout) as { agentId: string; mode: string; results: Array<{ path: string; citation: string; score: number }>; stale?: boolean };
  assert.equal(r.agentId, "main");
  assert.equal(r.mode, "keyword");
  assert.equal(r.stale, undefined);
  assert.equal(r.results[0]?.path, "memory/projects.md", JSON.stringify(r.results));
  const humanSearch = await runBinary(["memory", "search", "--query", "zephyrine", "--max-results", "2"], { env: s.env });
  assert.equal(humanSearch.code, 0, humanSearch.stderr);
  assert.match(humanSearch.stdout, /^\d\.\d{3} {2}memory\/projects\.md#L1-L\d+\n {4}# Projects\n/);
  assert.match(humanSearch.stdout, / {4}The zephyrine rollout uses a blue-green switch on Thursdays\./);
  const none = await runBinary(["memory", "search", "quetzalcoatl"], { env: s.env });
  assert.equal(none.code, 0);
  assert.match(none.stdout, /no matches for "quetzalcoatl" in agent main's memory/);
  const all = await runBinary(["memory", "search", "follow up item", "--min-score", "0", "--max-results", "3", "--json"], { env: s.env });
  assert.equal((JSON.parse(all.stdout) as { results: unknown[] }).results.length, 3, "--min-score 0 and --max-results shape the answer");

  writeFileSync(path.join(s.workspace, "memory", "2026-10-000.md"), "# Note 0\n\nRewritten.\n");
  const status = await runBinary(["memory", "status", "--json"], { env: s.env });
  assert.equal(status.code, 0, status.stderr);
  const st = JSON.parse(status.stdout) as Array<Obj & { dirty: { changed: number; sample: string[] } }>;
  assert.ok(Array.isArray(st) && st.length === 1);
  assert.equal(st[0]!.state, "dirty");
  assert.equal(st[0]!.files, 42);
  assert.equal(st[0]!.chunks, a.chunks);
  assert.deepEqual([st[0]!.dirty.changed, st[0]!.dirty.sample], [1, ["memory/2026-10-000.md"]]);
  // OpenClaw's shape too (`[{ agentId, status: { files, chunks, dirty, dbPath, storage, provider } }]`).
  const oc = st[0]!.status as Obj & { storage: Obj };
  assert.deepEqual([oc.backend, oc.files, oc.chunks, oc.dirty, oc.provider, oc.dbPath], ["builtin", 42, a.chunks, true, "none", st[0]!.dbPath]);
  assert.equal(oc.storage.databaseBytes, st[0]!.dbBytes);
  const humanStatus = await runBinary(["memory", "status"], { env: s.env });
  assert.match(humanStatus.stdout, /Memory · agent main: out of date/);
  assert.match(humanStatus.stdout, /dirty: 0 added, 1 changed, 0 removed \(memory\/2026-10-000\.md\)/);
  assert.match(humanStatus.stdout, /last indexed: (just now|\d+s ago)/);
  assert.match(humanStatus.stdout, /search: keyword search only \(no embedding provider \(set OPENAI_API_KEY/);
  assert.match(humanStatus.stdout, new RegExp(`database: ${s.db.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(\\d+(\\.\\d)? KB`));
  assert.match(humanStatus.stdout, /fix: openclaw memory index --agent main/);
  const refreshed = await runBinary(["memory", "status", "--index", "--json"], { env: s.env });
  assert.equal(refreshed.code, 0, refreshed.stderr);
  assert.equal((JSON.parse(refreshed.stdout) as Obj[])[0]!.state, "ok", "--index reindexed the dirty file first");

  // A table that is not the memory engine's, in the same file: reset must leave it alone.
  const Database = createRequire(import.meta.url)("better-sqlite3") as new (f: string) => { exec(s: string): void; prepare(s: string): { get(): unknown; all(): unknown[] }; close(): void };
  const db = new Database(s.db);
  db.exec("CREATE TABLE sessions (id TEXT PRIMARY KEY, body TEXT); INSERT INTO sessions VALUES ('s1', 'keep me');");
  db.close();
  const refused = await runBinary(["memory", "reset"], { env: s.env });
  assert.equal(refused.code, 2, "no terminal and no --yes is a usage error");
  assert.match(refused.stderr, /needs --yes/);
  const reset = await runBinary(["memory", "reset", "--yes", "--json"], { env: s.env });
  assert.equal(reset.code, 0, reset.stderr);
  assert.deepEqual((JSON.parse(reset.stdout) as { reset: Obj[] }).reset.map((x) => [x.agentId, x.existed, x.generations]), [["main", true, 1]]);
  const check = new Database(s.db);
  assert.deepEqual(check.prepare("SELECT id, body FROM sessions").all(), [{ id: "s1", body: "keep me" }]);
  const leftover = check.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name LIKE 'memory_g%'").get() as { n: number };
  check.close();
  assert.equal(leftover.n, 0, "no generation tables left");
  assert.ok(existsSync(path.join(s.workspace, "memory", "projects.md")), "memory files untouched");
  const after = await runBinary(["memory", "search", "zephyrine", "--json"], { env: s.env });
  const afterR = JSON.parse(after.stdout) as { results: unknown[]; stale?: boolean; action?: string };
  assert.deepEqual([afterR.results.length, afterR.stale, afterR.action], [0, true, "openclaw memory index --agent main"]);
  const rebuilt = await runBinary(["memory", "index", "--json"], { env: s.env });
  assert.equal((JSON.parse(rebuilt.stdout) as { agents: Obj[] }).agents[0]!.chunks, a.chunks);
});

test("search without an index, without a query, with bad limits, with memory disabled; an empty corpus indexes fine", async (t) => {
  const s = setup(t);
  seedWorkspace(s.workspace, 2);
  const noIndex = await runBinary(["memory", "search", "zephyrine"], { env: s.env });
  assert.equal(noIndex.code, 0, "no index yet: an empty, stale answer (OpenClaw's contract), not a failure");
  assert.match(noIndex.stderr, /warning: agent main has no memory index yet/);
  assert.match(noIndex.stderr, /run openclaw memory index --agent main first/);
  assert.ok(!existsSync(s.db), "searching never creates the database");
  const noIndexJson = JSON.parse((await runBinary(["memory", "search", "zephyrine", "--json"], { env: s.env })).stdout) as Obj;
  assert.deepEqual([noIndexJson.results, noIndexJson.stale, noIndexJson.action], [[], true, "openclaw memory index --agent main"]);

  for (const [argv, pattern] of [
    [["memory", "search"], /error: memory search needs a query/],
    [["memory", "search", "   "], /error: memory search needs a query/],
    [["memory", "search", "x", "--max-results", "0"], /--max-results must be a whole number from 1 to 1000, got 0/],
    [["memory", "search", "x", "--min-score", "2"], /--min-score must be between 0 and 1, got 2/],
  ] as const) {
    const r = await runBinary([...argv], { env: s.env });
    assert.equal(r.code, 2, `${argv.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
  }
  const json = await runBinary(["memory", "search", "--json"], { env: s.env });
  assert.equal(json.code, 2);
  assert.equal((JSON.parse(json.stdout) as { error: { code: string } }).error.code, "USAGE");
  const unknown = await runBinary(["memory", "status", "--agent", "nobody"], { env: s.env });
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /unknown agent "nobody".*\nhint: Configured agents: main/);

  const off = setup(t, { agents: { defaults: { memorySearch: { enabled: false } } } });
  const disabled = await runBinary(["memory", "search", "anything", "--json"], { env: off.env });
  assert.equal(disabled.code, 0);
  assert.deepEqual(JSON.parse(disabled.stdout), { agentId: "main", status: "disabled" });

  // One file: an exact match is found with the default min score (raw BM25 would score it near 0);
  // a match of half the words scores under it, and the CLI says how to see it.
  const tiny = setup(t);
  mkdirSync(tiny.workspace, { recursive: true });
  writeFileSync(path.join(tiny.workspace, "MEMORY.md"), "# Memory\n\nThe zephyrine key is blue.\n");
  assert.equal((await runBinary(["memory", "index"], { env: tiny.env })).code, 0);
  const exact = await runBinary(["memory", "search", "zephyrine"], { env: tiny.env });
  assert.equal(exact.code, 0);
  assert.match(exact.stdout, /^\d\.\d{3} {2}MEMORY\.md#L1-L3\n/);
  const weak = await runBinary(["memory", "search", "zephyrine crimson"], { env: tiny.env });
  assert.equal(weak.code, 0);
  assert.match(weak.stdout, /^no matches for "zephyrine crimson"/);
  assert.match(weak.stderr, /1 weaker match\(es\) scored below --min-score 0\.35 \(best [\d.]+\); rerun with --min-score 0 to see them/);
  const shown = await runBinary(["memory", "search", "zephyrine crimson", "--min-score", "0"], { env: tiny.env });
  assert.match(shown.stdout, /^\d\.\d{3} {2}MEMORY\.md#L1-L\d+\n/);

  const empty = setup(t);
  const idx = await runBinary(["memory", "index"], { env: empty.env });
  assert.equal(idx.code, 0, idx.stderr);
  assert.match(idx.stdout, new RegExp(`main: nothing to index — no MEMORY.md, USER.md or memory/\\*\\*/\\*.md in ${empty.workspace.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
});

test("--help for every memory command shows its examples", async (t) => {
  for (const verb of ["status", "index", "search", "reset"]) {
    const r = await runBinary(["memory", verb, "--help"], { env: tempHome(t).env });
    assert.equal(r.code, 0);
    assert.match(r.stdout, new RegExp(`openclaw memory ${verb}`));
    assert.match(r.stdout, /Examples?:/i, r.stdout);
  }
});

test("errors go through the table: an unreachable embeddings endpoint is MEMORY_EMBEDDING naming the batch (keyword work kept); a broken database is MEMORY_STORE with the fix", async (t) => {
  // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
  const s = setup(t, { agents: { defaults: { memorySearch: { provider: "openai-compatible", remote: { baseUrl: "http://127.0.0.1:9/v1", apiKey: "sk-test-memory-cli-0000000000000000" } } } } });
  seedWorkspace(s.workspace, 3);
  const idx = await runBinary(["memory", "index", "--json"], { env: s.env });
  assert.equal(idx.code, 1, idx.stderr);
  const err = (JSON.parse(idx.stdout) as { error: { code: string; message: string; hint: string } }).error;
  assert.equal(err.code, "MEMORY_EMBEDDING");
  assert.match(err.message, /^embedding batch 1 \(chunks 1–\d+ of .+\): openai-compatible\/text-embedding-3-small .*\(3 attempts\)$/);
  assert.match(err.hint, /rerun the same command to resume/);
  assert.ok(!`${idx.stdout}${idx.stderr}`.includes("sk-test-memory-cli"), "the key never shows");
  const st = (JSON.parse((await runBinary(["memory", "status", "--json"], { env: s.env })).stdout) as Array<{ state: string; files: number; pendingEmbeddings: number }>)[0]!;
  assert.deepEqual([st.state, st.files], ["pending", 5], "the keyword part was committed; vectors are pending");
  assert.ok(st.pendingEmbeddings > 0);
  const search = await runBinary(["memory", "search", "zephyrine", "--json"], { env: s.env });
  assert.equal((JSON.parse(search.stdout) as { results: Array<{ path: string }> }).results[0]?.path, "memory/projects.md", "keyword search answers meanwhile");

  writeFileSync(s.db, "this is not a database");
  for (const sub of [["status"], ["search", "x"], ["index"], ["reset", "--yes"]]) {
    const r = await runBinary(["memory", ...sub], { env: s.env });
    assert.equal(r.code, 1, `${sub.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, /^error: .*main\.sqlite is not a usable SQLite database \(file is not a database\)\nhint: It holds only derived data: move it aside \(mv .*main\.sqlite .*main\.sqlite\.broken\) and rebuild with openclaw memory index\.\n$/);
  }
});

test("Ctrl-C (the shell's abort signal) stops indexing with exit 130 and says how to continue", async (t) => {
  const s = setup(t);
  seedWorkspace(s.workspace, 5);
  const controller = new AbortController();
  controller.abort();
  const r = await runInProcess(["memory", "index"], { env: s.env, signal: controller.signal });
  assert.equal(r.code, 130);
  assert.match(r.stderr, /memory index of agent main interrupted; rerun to continue from the last committed batch\nhint: openclaw memory index\n/);
  const rerun = await runInProcess(["memory", "index", "--json"], { env: s.env });
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.equal((JSON.parse(rerun.stdout) as { agents: Obj[] }).agents[0]!.indexed, 7);
});

test("every configured agent: index and status cover all, search the default or --agent; one broken index does not hide the others", async (t) => {
  const s = setup(t);
  const workWs = path.join(s.stateDir, "workspace-work");
  writeFileSync(path.join(s.stateDir, "openclaw.json"), JSON.stringify({ agents: { list: [{ id: "main", default: true }, { id: "work", workspace: workWs }] } }));
  seedWorkspace(s.workspace, 3);
  mkdirSync(path.join(workWs, "memory"), { recursive: true });
  writeFileSync(path.join(workWs, "MEMORY.md"), "# Work\n\n- Standup at nine.\n");
  writeFileSync(path.join(workWs, "memory", "ops.md"), "# Ops\n\nThe zephyrine pager rotation is weekly.\n");
  writeFileSync(path.join(workWs, "memory", "misc.md"), "# Misc\n\nNothing else today.\n");

  const idx = await runBinary(["memory", "index", "--json"], { env: s.env });
  assert.equal(idx.code, 0, idx.stderr);
  assert.deepEqual((JSON.parse(idx.stdout) as { agents: Obj[] }).agents.map((a) => [a.agentId, a.indexed]), [["main", 5], ["work", 3]]);
  const main = JSON.parse((await runBinary(["memory", "search", "zephyrine", "--min-score", "0", "--json"], { env: s.env })).stdout) as { agentId: string; results: Array<{ path: string }> };
  assert.deepEqual([main.agentId, main.results[0]?.path], ["main", "memory/projects.md"], "search uses the default agent only");
  const work = JSON.parse((await runBinary(["memory", "search", "zephyrine", "--agent", "work", "--min-score", "0", "--json"], { env: s.env })).stdout) as { agentId: string; results: Array<{ path: string }> };
  assert.deepEqual([work.agentId, work.results[0]?.path], ["work", "memory/ops.md"]);
  const both = JSON.parse((await runBinary(["memory", "status", "--json"], { env: s.env })).stdout) as Obj[];
  assert.deepEqual(both.map((x) => [x.agentId, x.state]), [["main", "ok"], ["work", "ok"]]);

  writeFileSync(path.join(s.stateDir, "memory", "work.sqlite"), "not a database");
  const st = await runBinary(["memory", "status", "--json"], { env: s.env });
  assert.equal(st.code, 1);
  const rows = JSON.parse(st.stdout) as Array<Obj & { error?: { code: string } }>;
  assert.deepEqual(rows.map((x) => [x.agentId, x.state, x.error?.code]), [["main", "ok", undefined], ["work", "error", "MEMORY_STORE"]]);
  const human = await runBinary(["memory", "status"], { env: s.env });
  assert.match(human.stdout, /Memory · agent main: ok[\s\S]*\n\nMemory · agent work: unreadable\n {2}error: .*work\.sqlite is not a usable SQLite database.*\n {2}fix: It holds only derived data: move it aside/);
  writeFileSync(path.join(s.workspace, "memory", "new.md"), "# New\n\nA new note.\n");
  const again = await runBinary(["memory", "index"], { env: s.env });
  assert.equal(again.code, 1);
  assert.match(again.stdout, /^main: indexed 1 of 6 file\(s\)/, "main was indexed although work failed");
  assert.match(again.stderr, /error: work: .*work\.sqlite is not a usable SQLite database/);
  const reset = await runBinary(["memory", "reset", "--yes", "--json"], { env: s.env });
  assert.equal(reset.code, 1);
  assert.deepEqual((JSON.parse(reset.stdout) as { reset: Array<Obj & { error?: { code: string } }> }).reset.map((x) => [x.agentId, x.generations, x.error?.code]), [["main", 1, undefined], ["work", 0, "MEMORY_STORE"]]);
});
