/** Schedule math: durations, `at` parsing (no offset = UTC), the `every` grid, cron with a time zone. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { nextRunAfter, parseAtMs, parseDurationMs } from "./schedule.js";

test("durations", () => {
  assert.equal(parseDurationMs("10s"), 10_000);
  assert.equal(parseDurationMs("5m"), 300_000);
  assert.equal(parseDurationMs("1h30m"), 5_400_000);
  assert.equal(parseDurationMs("24h"), 86_400_000);
  assert.equal(parseDurationMs("soon"), undefined);
  assert.equal(parseDurationMs("10"), undefined);
});

test("at without an offset is UTC", () => {
  assert.equal(parseAtMs("2026-03-01T08:00:00"), Date.UTC(2026, 2, 1, 8));
  assert.equal(parseAtMs("2026-03-01T08:00:00+02:00"), Date.UTC(2026, 2, 1, 6));
  assert.equal(parseAtMs("tomorrow"), undefined);
});

test("every runs on its anchor grid; cron honours the time zone", () => {
  const base = { id: "j", createdAtMs: 1000, state: {} };
  assert.equal(nextRunAfter({ ...base, schedule: { kind: "every", everyMs: 1000 } }, 5500), 6000);
  assert.equal(nextRunAfter({ ...base, schedule: { kind: "every", everyMs: 1000, anchorMs: 10_000 } }, 5500), 10_000);
  const now = Date.UTC(2026, 0, 1, 0, 0);
  // 07:00 in Berlin (UTC+1 in January) is 06:00 UTC.
  assert.equal(nextRunAfter({ ...base, schedule: { kind: "cron", expr: "0 7 * * *", tz: "Europe/Berlin" } }, now), Date.UTC(2026, 0, 1, 6, 0));
});
