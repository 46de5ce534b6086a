/** The backup schedule's doctor check and status line (pure), and flag validation. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type BackupSchedule, checkBackupSchedule, describeBackupSchedule, resolveBackupSchedule } from "./schedule-file.js";

const H = 3_600_000;
const now = Date.parse("2026-12-02T12:00:00Z");
const schedule: BackupSchedule = { every: "24h", everyMs: 24 * H, keep: 7, updatedAt: new Date(now - 100 * H).toISOString() };
const good = (agoH: number) => ({ at: new Date(now - agoH * H).toISOString(), archive: "/b/openclaw-x.tar.gz", bytes: 10 });

test("doctor: fine within 2× the interval, warns past it, warns on a failed run, says nothing without a schedule", () => {
  const ok = checkBackupSchedule({ schedule, run: { status: "ok", startedAt: "", finishedAt: "", durationMs: 1, lastGood: good(47) }, now });
  assert.deepEqual(ok.map((f) => f.checkId), ["backup.last_good"]);
  const stale = checkBackupSchedule({ schedule, run: { status: "ok", startedAt: "", finishedAt: "", durationMs: 1, lastGood: good(49) }, now });
  assert.deepEqual(stale.map((f) => [f.checkId, f.severity]), [["backup.schedule_stale", "warn"], ["backup.last_good", "info"]]);
  const failed = checkBackupSchedule({ schedule, run: { status: "error", startedAt: "", finishedAt: "t", durationMs: 1, error: "EACCES", lastGood: good(1) }, now });
  assert.equal(failed[0]?.checkId, "backup.schedule_failed");
  assert.match(failed[0]!.title, /EACCES/);
  const never = checkBackupSchedule({ schedule, run: undefined, now });
  assert.match(never[0]!.title, /no scheduled backup has succeeded/);
  assert.deepEqual(checkBackupSchedule({ schedule: undefined, run: undefined, now }), []);
});

test("status line and flags", () => {
  assert.equal(describeBackupSchedule(undefined, undefined, now), undefined);
  assert.match(describeBackupSchedule(schedule, { status: "ok", startedAt: "", finishedAt: "", durationMs: 1, lastGood: good(3) }, now)!, /^every 24h, keep 7; last good backup: .* \(3h ago\) \/b\/openclaw-x\.tar\.gz$/);
  assert.throws(() => resolveBackupSchedule({ every: "500ms", keep: 1, now: new Date() }), /at least 1s/);
  assert.throws(() => resolveBackupSchedule({ every: "1d", keep: 1.5, now: new Date() }), /--keep/);
  assert.equal(resolveBackupSchedule({ every: "2s", keep: undefined, now: new Date() }).keep, 7);
});
