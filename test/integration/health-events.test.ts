/**
 * `health` events: a connected client hears the health snapshot (with `stateVersion`) within about a
 * second of a change — here a config reload that fails — without polling, and no event is sent when
 * nothing changed between two checks.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { test } from "node:test";
import { healthChangeKey } from "../../src/gateway/subsystems/health/index.js";
import type { EventFrame } from "../../src/protocol/index.js";
import { startTestGateway, waitUntil } from "../helpers/gateway.js";

test("a failed config reload reaches connected clients as a health event with a bumped stateVersion", async (t) => {
  const gw = await startTestGateway(t);
  const client = await gw.connect({ timeoutMs: 10_000 });
  t.after(() => client.close());
  const events: EventFrame[] = [];
  client.onEvent((e) => {
    if (e.event === "health") events.push(e);
  });
  // The first check after a client connects broadcasts the current snapshot.
  await waitUntil(() => events.length >= 1, 5000, "a first health event");
  const first = events[0]!;
  assert.equal((first.payload as { ok?: boolean }).ok, true);
  assert.ok(first.stateVersion && first.stateVersion.health >= 1, "health events carry stateVersion");

  writeFileSync(gw.configPath, '{ "gateway": { "mode": "local", "port": "not-a-port" } }\n');
  await waitUntil(
    () => events.some((e) => Boolean((e.payload as { configReload?: { lastError?: unknown } }).configReload?.lastError)),
    10_000,
    "a health event naming the failed reload",
  );
  const failed = events.find((e) => (e.payload as { configReload?: { lastError?: unknown } }).configReload?.lastError)!;
  assert.ok(failed.stateVersion!.health > first.stateVersion!.health, "the state version rose");
});

test("the change key ignores timing fields and sees everything else", () => {
  const base = { ok: true, ts: 1, durationMs: 3, eventLoop: { p99: 1 }, process: { rssBytes: 1 }, channels: { telegram: { running: true } } };
  assert.equal(healthChangeKey(base), healthChangeKey({ ...base, ts: 2, durationMs: 9, eventLoop: { p99: 5 }, process: { rssBytes: 2 } }));
  assert.notEqual(healthChangeKey(base), healthChangeKey({ ...base, channels: { telegram: { running: false } } }));
});
