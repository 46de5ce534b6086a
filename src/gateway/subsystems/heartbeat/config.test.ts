/** Heartbeat settings, the active-hours window and the ack rule (pure). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { OpenClawConfig } from "../../../config/index.js";
import { classifyReply, DEFAULT_HEARTBEAT_PROMPT, isEffectivelyEmpty, parseEvery, resolveHeartbeats, withinActiveHours } from "./config.js";
import { composeHeartbeatMessage } from "./runner.js";

const cfg = (c: unknown) => c as OpenClawConfig;

test("defaults: 30m to the last chat with OpenClaw's prompt; 0m disables; per-agent blocks enrol only those agents", () => {
  const [main] = resolveHeartbeats(cfg({}));
  assert.equal(main!.agentId, "main");
  assert.equal(main!.enabled, true);
  assert.equal(main!.everyMs, 1_800_000);
  assert.equal(main!.target, "last");
  assert.equal(main!.prompt, DEFAULT_HEARTBEAT_PROMPT);
  assert.equal(main!.ackMaxChars, 300);
  assert.equal(main!.timeoutSeconds, 600);
  assert.equal(resolveHeartbeats(cfg({ agents: { defaults: { heartbeat: { every: "0m" } } } }))[0]!.enabled, false);
  const two = resolveHeartbeats(cfg({ agents: { defaults: { heartbeat: { every: "1h", target: "none" } }, list: [{ id: "main", default: true }, { id: "ops", heartbeat: { every: "5m", target: "telegram", to: 42 } }] } }));
  assert.deepEqual(
    two.map((h) => [h.agentId, h.enabled, h.everyMs, h.target, h.to]),
    [
      ["main", false, 3_600_000, "none", undefined],
      ["ops", true, 300_000, "telegram", "42"],
    ],
  );
  assert.equal(two[1]!.timeoutSeconds, 300, "the cadence caps the turn's timeout");
});

test("cadences as OpenClaw reads them: minutes by default, composite segments, junk is off", () => {
  assert.equal(parseEvery("30m"), 1_800_000);
  assert.equal(parseEvery("45"), 2_700_000);
  assert.equal(parseEvery("1h30m"), 5_400_000);
  assert.equal(parseEvery("1s"), 1000);
  assert.equal(parseEvery("0m"), 0);
  assert.equal(parseEvery(5), 300_000);
  assert.equal(parseEvery("soon"), undefined);
  assert.equal(parseEvery("1h30"), undefined, "each composite segment needs a unit");
  assert.equal(resolveHeartbeats(cfg({ agents: { defaults: { heartbeat: { every: "soon" } } } }))[0]!.enabled, false);
});

test("active hours: start inclusive, end exclusive, wrapping midnight, 24:00 as an end, equal ends never match", () => {
  const at = (hhmm: string) => Date.parse(`2026-12-02T${hhmm}:00Z`);
  const c = cfg({});
  const day = { start: "08:00", end: "24:00", timezone: "UTC" };
  assert.equal(withinActiveHours(c, day, at("08:00")), true);
  assert.equal(withinActiveHours(c, day, at("07:59")), false);
  assert.equal(withinActiveHours(c, day, at("23:59")), true);
  const night = { start: "22:00", end: "06:00", timezone: "UTC" };
  assert.equal(withinActiveHours(c, night, at("23:00")), true);
  assert.equal(withinActiveHours(c, night, at("05:59")), true);
  assert.equal(withinActiveHours(c, night, at("06:00")), false);
  assert.equal(withinActiveHours(c, { start: "09:00", end: "09:00", timezone: "UTC" }, at("09:00")), false);
  assert.equal(withinActiveHours(c, { start: "09:00", end: "17:00", timezone: "Asia/Tokyo" }, at("01:00")), true, "10:00 in Tokyo");
  assert.equal(withinActiveHours(c, undefined, at("03:00")), true);
});

test("HEARTBEAT_OK at either end with little else is an ack; anything else is an alert without the token", () => {
  assert.deepEqual(classifyReply("HEARTBEAT_OK", 300), { kind: "ok-token" });
  assert.deepEqual(classifyReply("  ", 300), { kind: "ok-empty" });
  assert.deepEqual(classifyReply("All quiet. HEARTBEAT_OK", 300), { kind: "ok-token" });
  assert.deepEqual(classifyReply("**HEARTBEAT_OK** nothing new", 300), { kind: "ok-token" });
  assert.deepEqual(classifyReply("HEARTBEAT_OK but the disk is full", 5), { kind: "alert", text: "but the disk is full" });
  assert.deepEqual(classifyReply("The HEARTBEAT_OK token in the middle does not count", 300), { kind: "alert", text: "The HEARTBEAT_OK token in the middle does not count" });
});

test("HEARTBEAT.md with only headings, comments and empty items is empty; events come first as System: lines", () => {
  assert.equal(isEffectivelyEmpty("# Heartbeat\n\n<!-- notes -->\n- [ ]\n"), true);
  assert.equal(isEffectivelyEmpty("# Heartbeat\n- check the inbox\n"), false);
  const message = composeHeartbeatMessage([{ text: "deploy done\nall green", ts: Date.parse("2026-12-02T10:00:00Z") }], "PROMPT", "# H\n- check backups");
  assert.equal(message, "System: [2026-12-02 10:00:00 UTC] deploy done\nSystem: all green\n\nPROMPT\n\nHEARTBEAT.md (workspace):\n# H\n- check backups");
});
