/**
 * The scheduler with a fake clock (no timers; the test drives `runDue`): recurring backoff after
 * consecutive errors (30 s → 1 m → 5 m → 15 m → 60 m, then 60 m), one-shot retry per `cron.retry`
 * and then disabled, success resets the streak, missed runs at start (catch-up on and off), and
 * every attempt in the run log.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { CronScheduler } from "./scheduler.js";
import { resolveCronSettings } from "./settings.js";
import { loadCronStore, saveCronStore } from "./store.js";
import type { CronExecution, CronSettings } from "./types.js";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

function setup(t: { after(fn: () => void): void }, outcome: () => CronExecution, config: Record<string, unknown> = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "openclaw-cron-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let now = T0;
  const settings: CronSettings = resolveCronSettings({ cron: config }, path.join(dir, "cron"), { HOME: dir });
  const executed: string[] = [];
  const scheduler = new CronScheduler({
    settings: () => settings,
    execute: async (job) => {
      executed.push(job.id);
      return outcome();
    },
    log: quiet,
    now: () => now,
    autoRun: false,
  });
  return { scheduler, settings, executed, advance: (ms: number) => (now += ms), at: () => now };
}

describe("cron scheduler backoff", () => {
  test("a failing recurring job backs off 30 s → 1 m → 5 m → 15 m → 60 m → 60 m and logs each attempt", async (t) => {
    const { scheduler, advance, at } = setup(t, () => ({ status: "error", error: "model overloaded" }));
    scheduler.start();
    const job = scheduler.add({ name: "flaky", schedule: { kind: "every", everyMs: 1000 }, payload: { kind: "systemEvent", text: "x" } });
    const deltas: number[] = [];
    for (let i = 0; i < 6; i++) {
      advance(scheduler.find(job.id).state.nextRunAtMs! - at());
      await scheduler.runDue();
      deltas.push(scheduler.find(job.id).state.nextRunAtMs! - at());
    }
    assert.deepEqual(deltas, [30_000, 60_000, 300_000, 900_000, 3_600_000, 3_600_000]);
    const runs = scheduler.runs(job.id);
    assert.equal(runs.total, 6);
    assert.deepEqual(runs.entries.map((e) => e.attempt).reverse(), [1, 2, 3, 4, 5, 6]);
    assert.ok(runs.entries.every((e) => e.status === "error" && e.error === "model overloaded"));
    assert.equal(scheduler.find(job.id).state.consecutiveErrors, 6);
    // Not due before its backoff ends: nothing runs.
    advance(1000);
    await scheduler.runDue();
    assert.equal(scheduler.runs(job.id).total, 6);
  });

  test("success resets the streak and the regular interval resumes", async (t) => {
    let fail = true;
    const { scheduler, advance, at } = setup(t, () => (fail ? { status: "error", error: "boom" } : { status: "ok" }));
    scheduler.start();
    const job = scheduler.add({ name: "recovering", schedule: { kind: "every", everyMs: 10_000 }, payload: { kind: "systemEvent", text: "x" } });
    advance(10_000);
    await scheduler.runDue();
    assert.equal(scheduler.find(job.id).state.nextRunAtMs! - at(), 30_000);
    fail = false;
    advance(30_000);
    await scheduler.runDue();
    assert.equal(scheduler.find(job.id).state.consecutiveErrors, 0);
    assert.ok(scheduler.find(job.id).state.nextRunAtMs! - at() <= 10_000);
  });

  test("a one-shot job retries per cron.retry and is disabled after its last attempt", async (t) => {
    const { scheduler, advance, at } = setup(t, () => ({ status: "error", error: "timeout" }), { retry: { maxAttempts: 3, backoffMs: [30_000, 60_000, 300_000] } });
    scheduler.start();
    const job = scheduler.add({ name: "once", schedule: { kind: "at", at: new Date(T0 + 5000).toISOString() }, payload: { kind: "systemEvent", text: "x" } });
    assert.equal(job.deleteAfterRun, true);
    advance(5000);
    await scheduler.runDue();
    assert.equal(scheduler.find(job.id).state.nextRunAtMs! - at(), 30_000);
    advance(30_000);
    await scheduler.runDue();
    assert.equal(scheduler.find(job.id).state.nextRunAtMs! - at(), 60_000);
    advance(60_000);
    await scheduler.runDue();
    assert.equal(scheduler.find(job.id).enabled, false);
    assert.equal(scheduler.find(job.id).state.nextRunAtMs, undefined);
    assert.equal(scheduler.runs(job.id).total, 3);
  });

  test("a one-shot job that succeeds is deleted", async (t) => {
    const { scheduler, advance } = setup(t, () => ({ status: "ok" }));
    scheduler.start();
    const job = scheduler.add({ name: "once", schedule: { kind: "at", at: new Date(T0 + 1000).toISOString() }, payload: { kind: "systemEvent", text: "x" } });
    advance(1000);
    await scheduler.runDue();
    assert.equal(scheduler.list({ includeDisabled: true }).length, 0);
    assert.equal(scheduler.runs(job.id).total, 1, "its run stays in the log");
  });
});

describe("cron scheduler start", () => {
  test("a run missed while down runs once at start; with catchUp false it is skipped and counted", async (t) => {
    for (const catchUp of [true, false]) {
      const { scheduler, settings, executed, advance } = setup(t, () => ({ status: "ok" }), { catchUp });
      saveCronStore(settings.storePath, [
        { id: "j1", name: "hourly", enabled: true, createdAtMs: T0 - 10 * 3_600_000, updatedAtMs: T0, schedule: { kind: "every", everyMs: 3_600_000 }, sessionTarget: "main", wakeMode: "now", payload: { kind: "systemEvent", text: "x" }, state: { nextRunAtMs: T0 - 5 * 3_600_000 }, custom: { kept: true } },
      ]);
      scheduler.start();
      await scheduler.runDue();
      assert.equal(executed.length, catchUp ? 1 : 0, `catchUp ${catchUp}`);
      if (!catchUp) assert.equal(scheduler.skipped.get("missed-while-down"), 1);
      advance(1);
      await scheduler.runDue();
      assert.equal(executed.length, catchUp ? 1 : 0, "once, not once per missed slot");
      const stored = loadCronStore(settings.storePath).jobs[0]!;
      assert.deepEqual(stored.custom, { kept: true }, "unknown fields survive a rewrite");
      await scheduler.stop();
    }
  });

  test("cron.enabled false: nothing runs", async (t) => {
    const { scheduler, executed, advance } = setup(t, () => ({ status: "ok" }), { enabled: false });
    scheduler.start();
    scheduler.add({ name: "tick", schedule: { kind: "every", everyMs: 1000 }, payload: { kind: "systemEvent", text: "x" } });
    advance(5000);
    await scheduler.runDue();
    assert.equal(executed.length, 0);
    assert.equal(scheduler.status().nextWakeAtMs, null);
  });
});
