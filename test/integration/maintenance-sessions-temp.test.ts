/**
 * The gateway's maintenance pass (OPENCLAW_MAINTENANCE_EVERY_MS=1000): `session.maintenance` in
 * enforce mode prunes old entries and archives their transcripts as `<id>.jsonl.deleted.<ts>`
 * (nothing lost); in warn mode nothing changes. Temp cleanup removes old files under
 * `<state>/tmp` and `<state>/media` only: new files, symlinks and everything outside the state
 * dir (even when a symlink inside points there) stay.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runTempCleanup } from "../../src/ops/index.js";
import { tempHome } from "../helpers/cli.js";
import { startTestGateway, waitUntil } from "../helpers/gateway.js";

const DAY = 86_400_000;

function oldFile(file: string, days: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, "x");
  const t = (Date.now() - days * DAY) / 1000;
  utimesSync(file, t, t);
}

function seedSessions(stateDir: string): { dir: string; store: string } {
  const dir = path.join(stateDir, "agents", "main", "sessions");
  mkdirSync(dir, { recursive: true });
  const now = Date.now();
  const store = path.join(dir, "sessions.json");
  writeFileSync(
    store,
    JSON.stringify({
      "agent:main:main": { sessionId: "m1", updatedAt: now - 90 * DAY },
      "agent:main:telegram:direct:1": { sessionId: "d1", updatedAt: now - 40 * DAY },
      "cron:old": { sessionId: "c1", updatedAt: now - 35 * DAY },
      "agent:main:telegram:direct:2": { sessionId: "d2", updatedAt: now - DAY },
    }),
  );
  for (const id of ["m1", "d1", "c1", "d2"]) writeFileSync(path.join(dir, `${id}.jsonl`), `{"type":"session","id":"${id}"}\n`);
  return { dir, store };
}

test("session maintenance (enforce) in the gateway prunes old entries and archives their transcripts; temp cleanup stays inside the state dir", async (t) => {
  const gw = await startTestGateway(t, { config: { session: { maintenance: { mode: "enforce", pruneAfter: "30d" } } }, env: { OPENCLAW_MAINTENANCE_EVERY_MS: "1000" } });
  const { dir, store } = seedSessions(gw.stateDir);
  const outside = path.join(gw.home, "outside");
  oldFile(path.join(outside, "keep-me.png"), 30);
  oldFile(path.join(gw.stateDir, "tmp", "old.png"), 10);
  oldFile(path.join(gw.stateDir, "media", "inbound", "old.jpg"), 8);
  oldFile(path.join(gw.stateDir, "media", "inbound", "new.jpg"), 1);
  oldFile(path.join(gw.stateDir, "agents", "main", "agent", "old-but-not-temp.json"), 60);
  symlinkSync(outside, path.join(gw.stateDir, "media", "linked"));
  symlinkSync(outside, path.join(gw.stateDir, "tmp-link"));

  await waitUntil(() => !Object.keys(JSON.parse(readFileSync(store, "utf8"))).includes("cron:old"), 15_000, "the old sessions pruned");
  const left = Object.keys(JSON.parse(readFileSync(store, "utf8"))).sort();
  // The main session is protected; a direct chat and a cron run past pruneAfter go; the recent one stays.
  assert.deepEqual(left, ["agent:main:main", "agent:main:telegram:direct:2"]);
  const files = readdirSync(dir);
  for (const id of ["d1", "c1"]) {
    assert.ok(!files.includes(`${id}.jsonl`), `${id}.jsonl still in place`);
    const archived = files.find((f) => f.startsWith(`${id}.jsonl.deleted.`));
    assert.ok(archived, `${id} transcript not archived: ${files.join(", ")}`);
    assert.match(readFileSync(path.join(dir, archived!), "utf8"), new RegExp(`"id":"${id}"`));
  }
  assert.ok(files.includes("m1.jsonl") && files.includes("d2.jsonl"));

  await waitUntil(() => !existsSync(path.join(gw.stateDir, "tmp", "old.png")) && !existsSync(path.join(gw.stateDir, "media", "inbound", "old.jpg")), 15_000, "old temp files removed");
  assert.ok(existsSync(path.join(gw.stateDir, "media", "inbound", "new.jpg")), "a new media file was removed");
  assert.ok(existsSync(path.join(outside, "keep-me.png")), "a file outside the state dir was removed");
  assert.ok(existsSync(path.join(gw.stateDir, "media", "linked")), "a symlink was removed");
  assert.ok(existsSync(path.join(gw.stateDir, "agents", "main", "agent", "old-but-not-temp.json")), "a non-temp state file was removed");

  const health = (await (await gw.connect()).call("health", {})) as { maintenance?: { sessions: { runs: number; failures: number }; temp: { runs: number } } };
  assert.ok((health.maintenance?.sessions.runs ?? 0) >= 1 && health.maintenance?.sessions.failures === 0, JSON.stringify(health.maintenance));
});

test("session maintenance in warn mode only reports: nothing is pruned", async (t) => {
  const gw = await startTestGateway(t, { config: { session: { maintenance: { mode: "warn", pruneAfter: "30d" } } }, env: { OPENCLAW_MAINTENANCE_EVERY_MS: "1000" } });
  const { store } = seedSessions(gw.stateDir);
  const client = await gw.connect();
  type H = { maintenance: { sessions: { runs: number } } };
  const runs0 = ((await client.call("health", {})) as H).maintenance.sessions.runs;
  await waitUntil(async () => ((await client.call("health", { probe: true })) as H).maintenance.sessions.runs >= runs0 + 2, 15_000, "two more maintenance passes");
  assert.equal(Object.keys(JSON.parse(readFileSync(store, "utf8"))).length, 4);
});

test("temp cleanup refuses a temp dir that is a symlink out of the state dir", (t) => {
  const { home } = tempHome(t);
  const state = path.join(home, ".openclaw");
  const outside = path.join(home, "elsewhere");
  oldFile(path.join(outside, "old.png"), 30);
  mkdirSync(state, { recursive: true });
  symlinkSync(outside, path.join(state, "tmp"));
  oldFile(path.join(state, "media", "x", "old.png"), 30);
  const r = runTempCleanup({ stateDir: state, now: Date.now() });
  assert.ok(existsSync(path.join(outside, "old.png")));
  assert.deepEqual(r.removed, [path.join(state, "media", "x", "old.png")]);
  assert.deepEqual(r.removedDirs, [path.join(state, "media", "x")]);
  assert.equal(r.skipped[0]?.reason, "a symlink (never followed)");
});
