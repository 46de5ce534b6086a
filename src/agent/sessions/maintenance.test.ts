/** session.maintenance: age prune and count cap, protected keys, transcripts archived not deleted. */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { tempDirFactory } from "../../../test/helpers/temp.js";
import { loadSessionStore, saveSessionStore } from "../../storage/index.js";
import { parseDurationMs, planSessionMaintenance, resolveMaintenanceSettings, runSessionMaintenance } from "./index.js";

const tmp = tempDirFactory("maintenance");
const DAY = 86_400_000;
const now = 1_800_000_000_000;

test("settings: durations parse, bad values are named and keep the default", () => {
  assert.equal(parseDurationMs("30d"), 30 * DAY);
  assert.equal(parseDurationMs("90m"), 90 * 60_000);
  assert.equal(parseDurationMs("soon"), undefined);
  const r = resolveMaintenanceSettings({ maintenance: { mode: "warn", pruneAfter: "7d", maxEntries: 0 } });
  assert.deepEqual(r.settings, { mode: "warn", pruneAfterMs: 7 * DAY, maxEntries: 5000 });
  assert.deepEqual(r.problems, ["session.maintenance.maxEntries must be a positive integer (got 0)"]);
});

test("plan: old entries pruned, then the oldest capped; main, groups and active keys kept", () => {
  const entries = {
    "agent:main:main": { sessionId: "m", updatedAt: now - 90 * DAY },
    "agent:main:telegram:group:1": { sessionId: "g", updatedAt: now - 90 * DAY },
    "cron:job": { sessionId: "c", updatedAt: now - 40 * DAY },
    "agent:main:direct:a": { sessionId: "a", updatedAt: now - 3 * DAY },
    "agent:main:direct:b": { sessionId: "b", updatedAt: now - 2 * DAY },
    "agent:main:direct:c": { sessionId: "c2", updatedAt: now - 1 * DAY },
  };
  const plan = planSessionMaintenance(entries, { settings: { mode: "enforce", pruneAfterMs: 30 * DAY, maxEntries: 3 }, now, mainKeys: ["agent:main:main"], activeKeys: ["agent:main:direct:a"] });
  assert.deepEqual(plan.pruned, ["cron:job"]);
  assert.deepEqual(plan.capped, ["agent:main:direct:b", "agent:main:direct:c"], "protected rows still count toward the cap");
  assert.deepEqual(plan.kept.sort(), ["agent:main:direct:a", "agent:main:main", "agent:main:telegram:group:1"]);
  assert.equal(plan.beforeCount, 6);
  assert.equal(plan.afterCount, 3);
});

test("apply: entries leave sessions.json atomically, their transcripts become .deleted archives", async () => {
  const dir = tmp();
  const store = path.join(dir, "sessions.json");
  saveSessionStore(store, {
    "agent:main:main": { sessionId: "keep", updatedAt: now },
    "hook:x": { sessionId: "old", updatedAt: now - 60 * DAY },
  });
  writeFileSync(path.join(dir, "keep.jsonl"), '{"type":"session"}\n');
  writeFileSync(path.join(dir, "old.jsonl"), '{"type":"session","id":"old"}\n');
  const r = await runSessionMaintenance(store, { settings: { mode: "enforce", pruneAfterMs: 30 * DAY, maxEntries: 500 }, now });
  assert.deepEqual(r.pruned, ["hook:x"]);
  assert.deepEqual(Object.keys(loadSessionStore(store).entries), ["agent:main:main"]);
  assert.equal(existsSync(path.join(dir, "old.jsonl")), false);
  assert.equal(r.archived.length, 1);
  assert.match(r.archived[0]!.to, /old\.jsonl\.deleted\./);
  assert.equal(readFileSync(r.archived[0]!.to, "utf8"), '{"type":"session","id":"old"}\n', "history kept byte for byte");
  assert.ok(readdirSync(dir).includes("keep.jsonl"));
});
