/** Reset triggers and the daily/idle freshness decision (local time, whichever expires first). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { evaluateSessionFreshness, lastDailyBoundary, parseResetTrigger, resolveResetPolicy } from "./index.js";

test("/new and /reset are recognised at the start, case-insensitively, keeping the rest", () => {
  assert.deepEqual(parseResetTrigger("/new"), { trigger: "/new", rest: "" });
  assert.deepEqual(parseResetTrigger("  /RESET tell me a joke"), { trigger: "/reset", rest: "tell me a joke" });
  assert.deepEqual(parseResetTrigger("/new\nline two"), { trigger: "/new", rest: "line two" });
  assert.equal(parseResetTrigger("/newer things"), undefined);
  assert.equal(parseResetTrigger("please /new"), undefined);
  assert.deepEqual(parseResetTrigger("/tell x", ["/tell"]), { trigger: "/tell", rest: "x" });
});

test("policy resolution: channel beats type beats reset; legacy idleMinutes means idle; default none", () => {
  assert.equal(resolveResetPolicy(undefined).mode, "none");
  assert.deepEqual(resolveResetPolicy({ idleMinutes: 30 }), { mode: "idle", atHour: 4, idleMinutes: 30 });
  const s = { reset: { mode: "daily", atHour: 5 }, resetByType: { dm: { mode: "idle", idleMinutes: 240 }, group: { mode: "idle", idleMinutes: 120 } }, resetByChannel: { discord: { mode: "idle", idleMinutes: 30 } } };
  assert.deepEqual(resolveResetPolicy(s), { mode: "daily", atHour: 5 });
  assert.equal(resolveResetPolicy(s, { chatType: "direct" }).idleMinutes, 240, "legacy dm = direct");
  assert.equal(resolveResetPolicy(s, { chatType: "group", channel: "discord" }).idleMinutes, 30);
  assert.equal(resolveResetPolicy({ reset: { mode: "daily", atHour: 99 } }).atHour, 4, "a bad hour keeps the default");
});

test("daily: a session started before today's boundary is stale; idle: past the window; first expiry wins", () => {
  const now = new Date(2026, 5, 10, 9, 0).getTime();
  const boundary = lastDailyBoundary(now, 4);
  assert.equal(boundary, new Date(2026, 5, 10, 4, 0).getTime());
  assert.equal(lastDailyBoundary(new Date(2026, 5, 10, 3, 0).getTime(), 4), new Date(2026, 5, 9, 4, 0).getTime());
  const daily = { mode: "daily" as const, atHour: 4 };
  assert.deepEqual(evaluateSessionFreshness({ sessionStartedAt: boundary - 1 }, daily, now), { fresh: false, reason: "daily", since: boundary });
  assert.deepEqual(evaluateSessionFreshness({ sessionStartedAt: boundary + 1 }, daily, now), { fresh: true });
  const idle = { mode: "idle" as const, atHour: 4, idleMinutes: 60 };
  assert.equal(evaluateSessionFreshness({ lastInteractionAt: now - 61 * 60_000, updatedAt: now }, idle, now).fresh, false, "bookkeeping updatedAt does not keep it fresh");
  assert.equal(evaluateSessionFreshness({ updatedAt: now - 59 * 60_000 }, idle, now).fresh, true);
  const both = { mode: "daily" as const, atHour: 4, idleMinutes: 60 };
  const r = evaluateSessionFreshness({ sessionStartedAt: boundary - 10, lastInteractionAt: boundary - 2 * 3_600_000 }, both, now);
  assert.deepEqual(r, { fresh: false, reason: "idle", since: boundary - 3_600_000 });
  assert.equal(evaluateSessionFreshness({ sessionStartedAt: 0 }, { mode: "none", atHour: 4 }, now).fresh, true);
});
