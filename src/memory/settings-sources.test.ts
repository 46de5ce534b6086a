import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { AppError } from "../shared/index.js";
import { readMemoryExcerpt } from "./read.js";
import { resolveMemorySettings } from "./settings.js";
import { scanSources } from "./sources.js";
import { memoryFixture } from "./test-fixture.js";

const settingsFor = (config: Record<string, unknown>, env: Record<string, string> = {}, entry: Record<string, unknown> = {}) =>
  resolveMemorySettings({ config: config as never, agent: { id: "ops", workspace: "/ws", entry }, memoryDir: "/state/memory", env });

test("settings merge agents.defaults.memorySearch < memory.search < the agent's block, and resolve the provider without leaking its key", () => {
  const s = settingsFor(
    {
      agents: { defaults: { memorySearch: { provider: "openai", query: { maxResults: 3, minScore: 0.2 }, chunking: { tokens: 300 } } } },
      memory: { search: { query: { maxResults: 9 }, store: { path: "~/idx/{agentId}.db", fts: { tokenizer: "trigram" } } } },
      models: { providers: { openai: { apiKey: "sk-config-123" } } },
    },
    { HOME: "/home/u" },
    { memorySearch: { model: "text-embedding-3-large" } },
  );
  assert.equal(s.query.maxResults, 9);
  assert.equal(s.query.minScore, 0.2);
  assert.equal(s.chunking.tokens, 300);
  assert.equal(s.tokenizer, "trigram");
  assert.equal(s.dbPath, "/home/u/idx/ops.db");
  assert.deepEqual([s.provider?.id, s.provider?.model, s.provider?.baseUrl, s.provider?.apiKey], ["openai", "text-embedding-3-large", "https://api.openai.com/v1", "sk-config-123"]);

  const none = settingsFor({});
  assert.equal(none.provider, undefined);
  assert.equal(none.dbPath, "/state/memory/ops.sqlite");
  assert.match(none.providerNote!, /keyword search only/);
  assert.equal(none.providerBroken, undefined, "no provider configured is not an error");

  const explicit = settingsFor({ memory: { search: { provider: "openai" } } });
  assert.equal(explicit.providerBroken, true);
  assert.match(explicit.providerNote!, /OPENAI_API_KEY/);

  const ollama = settingsFor({ memory: { search: { provider: "ollama", remote: { baseUrl: "http://gpu:11434" } } } });
  assert.deepEqual([ollama.provider?.baseUrl, ollama.provider?.model], ["http://gpu:11434/v1", "nomic-embed-text"]);

  const custom = settingsFor({ memory: { search: { provider: "ollama-5080", model: "qwen3-embedding:0.6b" } }, models: { providers: { "ollama-5080": { baseUrl: "http://box:11435/v1", apiKey: "k" } } } });
  assert.deepEqual([custom.provider?.id, custom.provider?.baseUrl], ["ollama-5080", "http://box:11435/v1"]);

  const unknown = settingsFor({ memory: { search: { provider: "bedrock" } } });
  assert.equal(unknown.provider, undefined);
  assert.match(unknown.providerNote!, /not supported/);

  assert.equal(settingsFor({ memory: { search: { enabled: false } } }).enabled, false);
  assert.equal(settingsFor({ plugins: { slots: { memory: "none" } } }).enabled, false);
  assert.equal(settingsFor({ memory: { search: { provider: "none" } } }, { OPENAI_API_KEY: "sk-env" }).provider, undefined);
  assert.equal(settingsFor({}, { OPENAI_API_KEY: "sk-env" }).provider?.apiKey, "sk-env");
});

test("sources: MEMORY.md, USER.md, memory/**.md, extra paths with a pattern; symlinks and dot-dirs skipped", (t) => {
  const f = memoryFixture(t);
  f.write("MEMORY.md", "m");
  f.write("USER.md", "u");
  f.write("AGENTS.md", "not memory");
  f.write("memory/a/b/deep.md", "d");
  f.write("memory/notes.txt", "not markdown");
  f.write("memory/.dreams/x.md", "hidden");
  const outside = path.join(f.dir, "outside.md");
  fs.writeFileSync(outside, "secret");
  fs.symlinkSync(outside, path.join(f.workspace, "memory", "link.md"));
  const team = path.join(f.dir, "team");
  fs.mkdirSync(path.join(team, "runbooks"), { recursive: true });
  fs.writeFileSync(path.join(team, "runbooks", "db.md"), "r");
  fs.writeFileSync(path.join(team, "other.md"), "o");
  const s = f.settings({ extraPaths: [{ path: team, pattern: "runbooks/**/*.md" }, path.join(f.dir, "missing")] });
  const scan = scanSources(s);
  assert.deepEqual(
    scan.files.map((x) => x.key),
    [path.join(team, "runbooks", "db.md"), "MEMORY.md", "USER.md", "memory/a/b/deep.md"].sort(),
  );
  assert.deepEqual(scan.skipped.map((x) => x.reason), ["does not exist"]);
});

test("memory_get reads bounded excerpts of memory files only", (t) => {
  const f = memoryFixture(t);
  f.write("memory/log.md", Array.from({ length: 300 }, (_, i) => `entry ${i + 1}`).join("\n"));
  const s = f.settings();
  const part = readMemoryExcerpt(s, "memory/log.md", { from: 10, lines: 5 });
  assert.deepEqual([part.from, part.to, part.text.split("\n")[0], part.truncated, part.nextFrom], [10, 14, "entry 10", true, 15]);
  const dflt = readMemoryExcerpt(s, "memory/log.md#L1-L3");
  assert.equal(dflt.to, 200, "default excerpt is bounded");
  assert.equal(dflt.nextFrom, 201);
  f.write("AGENTS.md", "x");
  fs.writeFileSync(path.join(f.dir, "openclaw.json"), "{}");
  for (const bad of ["AGENTS.md", "../openclaw.json", "memory/../../openclaw.json", "/etc/passwd"]) {
    assert.throws(() => readMemoryExcerpt(s, bad), (e: unknown) => e instanceof AppError && e.code === "FORBIDDEN" && /allowed: MEMORY.md/.test(e.message), bad);
  }
  fs.symlinkSync(path.join(f.dir, "openclaw.json"), path.join(f.workspace, "memory", "evil.md"));
  assert.throws(() => readMemoryExcerpt(s, "memory/evil.md"), /symlinks are not followed/);
  assert.throws(() => readMemoryExcerpt(s, "memory/nope.md"), (e: unknown) => e instanceof AppError && e.code === "NOT_FOUND");
});
