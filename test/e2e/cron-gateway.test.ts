/**
 * The scheduler in a real gateway: an `every 1s` systemEvent job fires into `system-presence` and
 * its runs are logged; a hand edit of jobs.json (slower interval, then disabled) changes the
 * schedule without a restart; a corrupt jobs.json is never overwritten and mutations say why.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import type { GatewayClient } from "../../src/client/index.js";
import { pollUntil } from "../../src/infra/index.js";
import { startTestGateway } from "../helpers/gateway.js";

type Obj = Record<string, unknown>;
type Job = { id: string; enabled: boolean; schedule: Obj; state: { nextRunAtMs?: number; lastRunStatus?: string } };
type Runs = { entries: Array<{ status: string; jobId: string; durationMs: number; attempt: number }>; total: number };

const runs = async (client: GatewayClient, id: string) => (await client.call("cron.runs", { id, limit: 200 })) as Runs;

test("an every-1s systemEvent job fires into system-presence and its runs show ok", async (t) => {
  const gw = await startTestGateway(t);
  const client = await gw.connect();
  t.after(() => client.close());
  const events: Obj[] = [];
  client.onEvent((e) => {
    if (e.event === "cron") events.push(e.payload as Obj);
  });
  const job = (await client.call("cron.add", { name: "tick", schedule: { kind: "every", everyMs: 1000 }, sessionTarget: "main", wakeMode: "now", payload: { kind: "systemEvent", text: "cron-tick-42" } })) as Job;
  assert.ok(job.id && job.state.nextRunAtMs, "the job is scheduled");
  const presence = async () => (await client.call("system-presence", {})) as Obj[];
  assert.ok(await pollUntil(async () => (await presence()).some((p) => p.text === "cron-tick-42" && p.source === `cron:${job.id}`), 8000, 50), "the job's text is a presence line");
  assert.ok(await pollUntil(async () => (await runs(client, job.id)).entries.some((e) => e.status === "ok"), 5000, 50), "cron.runs lists an ok run");
  const status = (await client.call("cron.status", {})) as Obj;
  assert.equal(status.enabled, true);
  assert.equal(status.jobs, 1);
  assert.equal(status.storePath, path.join(gw.stateDir, "cron", "jobs.json"));
  const stored = JSON.parse(readFileSync(path.join(gw.stateDir, "cron", "jobs.json"), "utf8")) as { version: number; jobs: Job[] };
  assert.equal(stored.version, 1);
  assert.equal(stored.jobs[0]!.id, job.id);
  const list = (await client.call("cron.list", {})) as { jobs: Job[]; total: number };
  assert.equal(list.total, 1);
  const gwStatus = (await client.call("status", {})) as { cron?: Obj };
  assert.equal(gwStatus.cron?.jobs, 1);
  assert.ok(events.some((e) => e.action === "added" && e.jobId === job.id), "a cron event for the add");
  assert.ok(events.some((e) => e.action === "finished" && e.jobId === job.id && e.status === "ok"), "a cron event for a finished run");
});

test("hand edits of jobs.json change the schedule without a restart; a corrupt file is kept and named", async (t) => {
  const gw = await startTestGateway(t);
  const client = await gw.connect();
  t.after(() => client.close());
  const file = path.join(gw.stateDir, "cron", "jobs.json");
  const job = (await client.call("cron.add", { name: "fast", schedule: { kind: "every", everyMs: 1000 }, sessionTarget: "main", wakeMode: "now", payload: { kind: "systemEvent", text: "fast" } })) as Job;
  assert.ok(await pollUntil(async () => (await runs(client, job.id)).total >= 1, 8000, 50), "runs every second");

  // Hand edit: every hour. The next run moves out by about an hour.
  const edit = (fn: (j: Obj) => void) => {
    const store = JSON.parse(readFileSync(file, "utf8")) as { jobs: Obj[] };
    fn(store.jobs[0]!);
    writeFileSync(file, `${JSON.stringify(store, null, 2)}\n`);
  };
  edit((j) => {
    (j.schedule as Obj).everyMs = 3_600_000;
  });
  const get = async () => (await client.call("cron.get", { id: job.id })) as Job;
  assert.ok(await pollUntil(async () => (await get()).schedule.everyMs === 3_600_000 && ((await get()).state.nextRunAtMs ?? 0) - Date.now() > 30 * 60_000, 5000, 50), "the new interval is in effect");

  // Hand edit: disabled. It leaves the enabled list.
  edit((j) => {
    j.enabled = false;
  });
  assert.ok(await pollUntil(async () => ((await client.call("cron.list", {})) as { total: number }).total === 0, 5000, 50), "disabled by hand");
  const all = (await client.call("cron.list", { includeDisabled: true })) as { jobs: Job[] };
  assert.equal(all.jobs[0]!.enabled, false);

  // A broken file: never overwritten; mutations fail naming the file.
  writeFileSync(file, "{ not json");
  assert.ok(await pollUntil(async () => typeof ((await client.call("cron.status", {})) as Obj).storeError === "string", 5000, 50), "status shows the store error");
  await assert.rejects(client.call("cron.add", { name: "x", schedule: { kind: "every", everyMs: 1000 }, payload: { kind: "systemEvent", text: "x" } }), (e: Error) => e.message.includes(file));
  assert.equal(readFileSync(file, "utf8"), "{ not json", "the broken file is untouched");
});

test("bad job params are one-line errors naming the field", async (t) => {
  const gw = await startTestGateway(t);
  const client = await gw.connect();
  t.after(() => client.close());
  await assert.rejects(client.call("cron.add", { name: "bad", schedule: { kind: "cron", expr: "not a cron" }, payload: { kind: "systemEvent", text: "x" } }), /schedule\.expr/);
  await assert.rejects(client.call("cron.add", { name: "bad", schedule: { kind: "every", everyMs: 1000 }, payload: { kind: "agentTurn" } }), /payload\.message/);
  await assert.rejects(client.call("cron.run", { id: "nope" }), /cron job "nope" not found/);
});
