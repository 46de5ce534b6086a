/**
 * `openclaw sessions`, `sessions cleanup` and `sessions check` against real state in a temp home:
 * OpenClaw's --json shape, agent selection, --active/--limit, a dry run that writes nothing,
 * quarantine that deletes nothing, and one spawned run of the built binary.
 */
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runBinary, runInProcess, tempHome } from "../helpers/cli.js";

const DAY = 86_400_000;
const ERR = '{"type":"message","message":{"role":"toolResult","isError":true,"content":[{"type":"text","text":"boom"}]}}\n';

function setup(t: { after(fn: () => void): void }, config: object = {}) {
  const { home, env } = tempHome(t);
  const state = path.join(home, ".openclaw");
  const sessions = (id: string) => path.join(state, "agents", id, "sessions");
  mkdirSync(sessions("main"), { recursive: true });
  mkdirSync(sessions("work"), { recursive: true });
  writeFileSync(path.join(state, "openclaw.json"), JSON.stringify({ agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" } }, list: [{ id: "main", default: true }, { id: "work" }] }, ...config }));
  const now = Date.now();
  const store = {
    "agent:main:main": { sessionId: "m1", updatedAt: now - 60_000, inputTokens: 1200, outputTokens: 300, apiKey: "sk-ant-api03-PLANTEDsecretPLANTEDsecret" },
    "agent:main:telegram:group:-100": { sessionId: "g1", updatedAt: now - 3 * 3_600_000, chatType: "group", model: "gpt-6" },
    "cron:nightly": { sessionId: "c1", updatedAt: now - 40 * DAY },
    "hook:old": { sessionId: "h1", updatedAt: now - 45 * DAY },
  };
  writeFileSync(path.join(sessions("main"), "sessions.json"), JSON.stringify(store));
  writeFileSync(path.join(sessions("work"), "sessions.json"), JSON.stringify({ "agent:work:main": { sessionId: "w1", updatedAt: now - 10_000 } }));
  for (const id of ["m1", "g1", "c1", "h1"]) writeFileSync(path.join(sessions("main"), `${id}.jsonl`), `{"type":"session","id":"${id}"}\n`);
  return { home, env, state, sessions };
}

/** Every file under a dir with its bytes and mtime: equal snapshots mean nothing was written. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = `${statSync(full).mtimeMs}:${readFileSync(full, "base64")}`;
    }
  };
  walk(dir);
  return out;
}

test("sessions --json: OpenClaw's shape, newest first, the default agent's store, no unlisted entry fields", async (t) => {
  const { env, sessions } = setup(t);
  const r = await runInProcess(["sessions", "--json"], { env });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out), ["path", "count", "totalCount", "limitApplied", "hasMore", "activeMinutes", "sessions"]);
  assert.equal(out.path, path.join(sessions("main"), "sessions.json"));
  assert.equal(out.count, 4);
  assert.deepEqual(
    out.sessions.map((s: { key: string }) => s.key),
    ["agent:main:main", "agent:main:telegram:group:-100", "cron:nightly", "hook:old"],
  );
  const main = out.sessions[0];
  assert.equal(main.kind, "direct");
  assert.equal(main.agentId, "main");
  assert.equal(main.sessionId, "m1");
  assert.equal(main.totalTokens, 1500);
  assert.equal(main.modelProvider, "anthropic");
  assert.equal(main.model, "claude-sonnet-4-6");
  assert.equal(out.sessions[1].kind, "group");
  assert.equal(out.sessions[1].model, "gpt-6");
  assert.ok(main.ageMs >= 60_000);
  assert.doesNotMatch(r.stdout, /PLANTED/, "only allowlisted entry fields reach output");
});

test("sessions: --active, --limit, --agent, --all-agents; bad input is one clear error", async (t) => {
  const { env } = setup(t);
  const active = JSON.parse((await runInProcess(["sessions", "--active", "120", "--json"], { env })).stdout);
  assert.deepEqual(
    active.sessions.map((s: { key: string }) => s.key),
    ["agent:main:main"],
  );
  assert.equal(active.activeMinutes, 120);
  const limited = JSON.parse((await runInProcess(["sessions", "list", "--limit", "1", "--json"], { env })).stdout);
  assert.equal(limited.count, 1);
  assert.equal(limited.totalCount, 4);
  assert.equal(limited.hasMore, true);
  const work = JSON.parse((await runInProcess(["sessions", "--agent", "work", "--json"], { env })).stdout);
  assert.deepEqual(
    work.sessions.map((s: { key: string }) => s.key),
    ["agent:work:main"],
  );
  const all = JSON.parse((await runInProcess(["sessions", "--all-agents", "--json"], { env })).stdout);
  assert.equal(all.path, null);
  assert.equal(all.allAgents, true);
  assert.deepEqual(
    all.stores.map((s: { agentId: string }) => s.agentId),
    ["main", "work"],
  );
  assert.equal(all.sessions[0].key, "agent:work:main");
  const bad = await runInProcess(["sessions", "--agent", "nope", "--json"], { env });
  assert.equal(bad.code, 1);
  assert.equal(JSON.parse(bad.stdout).error.code, "NOT_FOUND");
  assert.match(JSON.parse(bad.stdout).error.hint, /Configured agents: main, work/);
  const human = await runInProcess(["sessions"], { env });
  assert.match(human.stdout, /Sessions listed: 4/);
  assert.match(human.stdout, /agent:main:main/);
});

test("sessions honours a session.store template; a broken config names file:line", async (t) => {
  const { env, state } = setup(t);
  const custom = path.join(state, "custom", "main");
  mkdirSync(custom, { recursive: true });
  writeFileSync(path.join(custom, "sessions.json"), JSON.stringify({ "agent:main:x": { sessionId: "x", updatedAt: 1 } }));
  writeFileSync(path.join(state, "openclaw.json"), JSON.stringify({ session: { store: "~/.openclaw/custom/{agentId}/sessions.json" } }));
  const out = JSON.parse((await runInProcess(["sessions", "--json"], { env })).stdout);
  assert.equal(out.path, path.join(custom, "sessions.json"));
  assert.equal(out.sessions[0].key, "agent:main:x");
  writeFileSync(path.join(state, "openclaw.json"), "{\n  session: {\n");
  const broken = await runInProcess(["sessions"], { env });
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /openclaw\.json:\d+:\d+/);
});

test("sessions cleanup --dry-run writes nothing; cleanup archives, keeps main and groups; warn mode needs --enforce", async (t) => {
  const { env, state, sessions } = setup(t, { session: { maintenance: { mode: "warn" } } });
  const before = snapshot(state);
  const dry = await runInProcess(["sessions", "cleanup", "--dry-run", "--json"], { env });
  assert.equal(dry.code, 0, dry.stderr);
  const plan = JSON.parse(dry.stdout);
  assert.equal(plan.dryRun, true);
  assert.deepEqual(plan.prunedKeys.sort(), ["cron:nightly", "hook:old"]);
  assert.equal(plan.afterCount, 2);
  assert.deepEqual(snapshot(state), before, "a dry run writes nothing");
  const warn = await runInProcess(["sessions", "cleanup"], { env });
  assert.match(warn.stdout, /mode is "warn": nothing changed/);
  assert.deepEqual(snapshot(state), before, "warn mode reports only");
  const applied = JSON.parse((await runInProcess(["sessions", "cleanup", "--enforce", "--json"], { env })).stdout);
  assert.equal(applied.applied, true);
  const left = JSON.parse(readFileSync(path.join(sessions("main"), "sessions.json"), "utf8"));
  assert.deepEqual(Object.keys(left).sort(), ["agent:main:main", "agent:main:telegram:group:-100"]);
  const names = readdirSync(sessions("main"));
  assert.ok(names.some((n) => n.startsWith("c1.jsonl.deleted.")) && names.some((n) => n.startsWith("h1.jsonl.deleted.")), names.join(","));
  assert.ok(names.includes("m1.jsonl") && names.includes("g1.jsonl"));
});

test("sessions check finds problems (exit 3, nothing changed); --fix quarantines and deletes nothing", async (t) => {
  const { env, state, sessions } = setup(t);
  const dir = sessions("main");
  writeFileSync(path.join(dir, "m1.jsonl"), `{"type":"session","id":"m1"}\n${ERR}${ERR}${ERR}`);
  writeFileSync(path.join(dir, "g1.jsonl"), '{"type":"session","id":"g1"}\n{"type":"mess');
  const before = snapshot(state);
  const check = await runInProcess(["sessions", "check", "--json"], { env });
  assert.equal(check.code, 3);
  const found = JSON.parse(check.stdout);
  assert.equal(found.ok, false);
  assert.deepEqual(found.findings.map((f: { kind: string }) => f.kind).sort(), ["poisoned", "torn"]);
  assert.deepEqual(snapshot(state), before, "check alone changes nothing");
  const fix = await runInProcess(["sessions", "check", "--fix"], { env });
  assert.equal(fix.code, 0, fix.stdout + fix.stderr);
  assert.match(fix.stdout, /m1\.jsonl: poisoned .* → quarantined/);
  assert.match(fix.stdout, /g1\.jsonl: torn .* → repaired/);
  assert.equal(readFileSync(path.join(dir, "quarantine", "m1.jsonl"), "utf8"), `{"type":"session","id":"m1"}\n${ERR}${ERR}${ERR}`);
  assert.equal(readFileSync(path.join(dir, "g1.jsonl"), "utf8"), '{"type":"session","id":"g1"}\n');
  const tornSaved = readdirSync(path.join(dir, "quarantine")).find((n) => n.startsWith("g1.jsonl.torn-"))!;
  assert.equal(readFileSync(path.join(dir, "quarantine", tornSaved), "utf8"), '{"type":"mess');
  assert.equal((await runInProcess(["sessions", "check"], { env })).code, 0);
});

test("the built binary: sessions --json and sessions check --json", async (t) => {
  const { env, sessions } = setup(t);
  const list = await runBinary(["sessions", "--json"], { env });
  assert.equal(list.code, 0, list.stderr);
  assert.equal(JSON.parse(list.stdout).totalCount, 4);
  writeFileSync(path.join(sessions("work"), "w1.jsonl"), `${ERR}${ERR}${ERR}`);
  const check = await runBinary(["sessions", "check", "--all-agents", "--json"], { env });
  assert.equal(check.code, 3);
  assert.equal(JSON.parse(check.stdout).findings[0].kind, "poisoned");
});
