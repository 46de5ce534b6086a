import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { pollUntil } from "../../../infra/index.js";
import { createLogger } from "../../../logging/index.js";
import { resolveMemorySettings } from "../../../memory/index.js";
import { AgentMemory, hasMemorySource } from "./agent-memory.js";
import { MemoryWatcher } from "./watcher.js";

const roots: string[] = [];
const closers: Array<() => unknown> = [];
after(async () => {
  for (const c of closers) await c();
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

function tempRoot(): { root: string; ws: string } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-agentmem-")));
  roots.push(root);
  const ws = path.join(root, "workspace");
  fs.mkdirSync(path.join(ws, "memory"), { recursive: true });
  return { root, ws };
}

function agentMemory(root: string, ws: string, options: { background?: boolean; extraPaths?: string[]; store?: string } = {}): AgentMemory {
  const config = { memory: { search: { ...(options.extraPaths ? { extraPaths: options.extraPaths } : {}), ...(options.store ? { store: { path: options.store } } : {}) } } };
  const settings = resolveMemorySettings({ config: config as never, agent: { id: "main", workspace: ws }, memoryDir: path.join(root, "state", "memory"), env: {} });
  const a = new AgentMemory(settings, { log: createLogger("test/memory"), background: options.background ?? true, debounceMs: 20, retryBaseMs: 50 });
  closers.push(() => a.close());
  return a;
}

describe("MemoryWatcher", () => {
  test("sees root files, notes in new nested directories and an extra file; ignores unrelated files", async () => {
    const { root, ws } = tempRoot();
    const extra = path.join(root, "shared-notes.md");
    const seen: string[] = [];
    const w = new MemoryWatcher({ workspace: ws, extraPaths: [{ path: extra }] }, { onChange: (f) => seen.push(f), onError: (dir, e) => assert.fail(`${dir}: ${e.message}`) });
    closers.push(() => w.close());
    w.start();
    fs.writeFileSync(path.join(ws, "notes.txt"), "not memory");
    fs.writeFileSync(path.join(ws, "MEMORY.md"), "# m\n");
    assert.ok(await pollUntil(() => seen.includes(path.join(ws, "MEMORY.md")), 5000, 10), `MEMORY.md: ${seen.join(", ")}`);
    assert.ok(!seen.includes(path.join(ws, "notes.txt")), "an unrelated workspace file is ignored");
    const deep = path.join(ws, "memory", "a", "b");
    fs.mkdirSync(deep, { recursive: true });
    assert.ok(await pollUntil(() => w.directories.includes(deep), 5000, 10), `the new directory is watched: ${w.directories.join(", ")}`);
    fs.writeFileSync(path.join(deep, "note.md"), "# n\n");
    assert.ok(await pollUntil(() => seen.includes(path.join(deep, "note.md")), 5000, 10), `nested note: ${seen.join(", ")}`);
    fs.writeFileSync(extra, "# shared\n");
    assert.ok(await pollUntil(() => seen.includes(extra), 5000, 10), `extra file: ${seen.join(", ")}`);
    fs.rmSync(path.join(ws, "memory", "a"), { recursive: true });
    assert.ok(await pollUntil(() => !w.directories.includes(deep), 5000, 10), "a removed directory is no longer watched");
  });
});

describe("MemoryWatcher without a memory/ directory yet", () => {
  test("memory/ appearing later is watched, and its notes are seen", async () => {
    const { ws } = tempRoot();
    fs.rmSync(path.join(ws, "memory"), { recursive: true });
    const seen: string[] = [];
    const w = new MemoryWatcher({ workspace: ws, extraPaths: [] }, { onChange: (f) => seen.push(f), onError: (dir, e) => assert.fail(`${dir}: ${e.message}`) });
    closers.push(() => w.close());
    w.start();
    assert.deepEqual(w.directories, [ws]);
    fs.mkdirSync(path.join(ws, "memory"));
    assert.ok(await pollUntil(() => w.directories.includes(path.join(ws, "memory")), 5000, 10), "memory/ is watched once it exists");
    fs.writeFileSync(path.join(ws, "memory", "later.md"), "# later\n");
    assert.ok(await pollUntil(() => seen.includes(path.join(ws, "memory", "later.md")), 5000, 10), seen.join(", "));
  });
});

describe("AgentMemory", () => {
  test("hasMemorySource: root files, a .md anywhere under memory/, extra paths; not other files", () => {
    const { root, ws } = tempRoot();
    const s = { workspace: ws, extraPaths: [] as Array<{ path: string }> };
    fs.mkdirSync(path.join(ws, "memory", "a", ".hidden"), { recursive: true });
    fs.writeFileSync(path.join(ws, "memory", "a", "notes.txt"), "x");
    fs.writeFileSync(path.join(ws, "memory", "a", ".hidden", "secret.md"), "x");
    assert.equal(hasMemorySource(s), false);
    const extra = path.join(root, "extra.md");
    fs.writeFileSync(extra, "x");
    assert.equal(hasMemorySource({ ...s, extraPaths: [{ path: extra }] }), true);
    fs.mkdirSync(path.join(ws, "memory", "a", "b"));
    fs.writeFileSync(path.join(ws, "memory", "a", "b", "deep.MD"), "x");
    assert.equal(hasMemorySource(s), true);
    fs.rmSync(path.join(ws, "memory"), { recursive: true });
    fs.writeFileSync(path.join(ws, "USER.md"), "x");
    assert.equal(hasMemorySource(s), true);
  });

  test("one sync at a time: calls during a sync join it and run it once more", async () => {
    const { root, ws } = tempRoot();
    for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(ws, "memory", `n${i}.md`), `# Note ${i}\n\n${"word ".repeat(200)}${i}\n`);
    // Not started: no watcher, no initial sync; sync() is what the watcher's timer calls.
    const a = agentMemory(root, ws);
    const first = a.sync();
    const second = a.sync();
    const third = a.sync();
    assert.equal(a.watchState().syncing, true);
    assert.equal(first, second);
    assert.equal(second, third);
    await first;
    const s = a.watchState();
    assert.equal(s.syncs, 2, "the running sync plus exactly one more for the calls made during it");
    assert.equal(s.files, 30);
    assert.equal(s.syncing, false);
    assert.equal(s.dirty, false);
  });

  test("no memory files and no index: nothing is created, search says why; the first note creates the index", async () => {
    const { root, ws } = tempRoot();
    const a = agentMemory(root, ws);
    a.start();
    await pollUntil(() => a.watchState().syncs >= 1, 5000, 10);
    assert.equal(fs.existsSync(a.settings.dbPath), false, "no empty database is left behind");
    const empty = await a.search("anything", {});
    assert.deepEqual(empty.results, []);
    assert.match(String(empty.warning), /no memory files yet/);
    fs.writeFileSync(path.join(ws, "memory", "first.md"), "# First\n\nThe quokka migration finished.\n");
    for (let i = 0; i < 4; i++) fs.writeFileSync(path.join(ws, "memory", `other-${i}.md`), `# Other ${i}\n\nGroceries and errands ${i}.\n`);
    assert.ok(await pollUntil(async () => (await a.search("quokka migration", {})).results.length > 0, 10_000, 20), "the new note is indexed (watcher or search-time sync)");
    assert.equal(fs.existsSync(a.settings.dbPath), true);
  });

  test("a failed sync is kept as lastError and retried in the background until it works", async () => {
    const { root, ws } = tempRoot();
    fs.writeFileSync(path.join(ws, "MEMORY.md"), "# m\n\nsomething\n");
    const blocker = path.join(root, "blocker");
    fs.writeFileSync(blocker, "a file where the index directory should be");
    const a = agentMemory(root, ws, { store: path.join(blocker, "{agentId}.sqlite") });
    a.start();
    assert.ok(await pollUntil(() => a.watchState().failures >= 1, 5000, 10), "the first sync fails");
    assert.match(String(a.watchState().lastError), /blocker/);
    assert.equal(a.watchState().dirty, true);
    fs.rmSync(blocker);
    assert.ok(await pollUntil(() => a.watchState().syncs >= 1 && a.watchState().lastError === undefined, 10_000, 20), "a retry succeeds once the path is usable");
    assert.equal(a.watchState().files, 1, "MEMORY.md is indexed");
  });

  test("close stops the watcher and leaves no sync running", async () => {
    const { root, ws } = tempRoot();
    fs.writeFileSync(path.join(ws, "MEMORY.md"), "# m\n\nsomething\n");
    const a = agentMemory(root, ws);
    a.start();
    await a.close();
    const s = a.watchState();
    assert.equal(s.watching, false);
    assert.equal(s.syncing, false);
    fs.writeFileSync(path.join(ws, "MEMORY.md"), "# m\n\nchanged\n");
    await a.sync();
    assert.equal(a.watchState().syncing, false, "a closed agent memory does not sync");
  });
});
