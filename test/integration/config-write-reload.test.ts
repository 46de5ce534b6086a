/**
 * config.patch / config.apply restart only for restart-kind changes (spec §3.6 reload rules): a hot
 * change is applied in place and the result carries no `restart`; a restart-kind change restarts once.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { onLogRecord } from "../../src/logging/index.js";
import { startTestGateway, type TestGateway, waitUntil } from "../helpers/gateway.js";

interface WriteReply {
  ok: boolean;
  changed: boolean;
  reload: { kind: string };
  restart?: { delayMs: number; reason: string };
}

function allowFrom(gw: TestGateway): unknown {
  return (gw.rt.config.channels as Record<string, { allowFrom?: unknown }> | undefined)?.telegram?.allowFrom;
}

describe("config writes restart only when a change needs it", () => {
  test("config.patch of a hot key applies in place: no restart scheduled, connection kept", async (t) => {
    const gw = await startTestGateway(t);
    const restarts: string[] = [];
    t.after(onLogRecord((e) => e.message.startsWith("restarting in process") && restarts.push(e.message)));
    const c = await gw.connect();
    t.after(() => c.close());
    const closed: unknown[] = [];
    c.onEvent((e) => e.event === "shutdown" && closed.push(e.payload));
    const got = (await c.call("config.get")) as { hash: string };
    const res = (await c.call("config.patch", { raw: '{"channels":{"telegram":{"allowFrom":["42"]}}}', baseHash: got.hash, restartDelayMs: 0 })) as WriteReply;
    assert.equal(res.ok, true);
    assert.equal(res.changed, true);
    assert.equal(res.reload.kind, "hot");
    assert.equal(res.restart, undefined, `a hot change must not schedule a restart: ${JSON.stringify(res)}`);
    assert.match(readFileSync(gw.configPath, "utf8"), /"42"/);
    await waitUntil(() => JSON.stringify(allowFrom(gw)) === '["42"]', 5000, "the patched value to be running");
    // The file watcher sees the same change; it has nothing left to do.
    await waitUntil(() => gw.rt.reloadState.lastChangedPaths.includes("channels.telegram.allowFrom"), 5000, "the reload record");
    assert.deepEqual(restarts, []);
    assert.equal(gw.rt.metrics.restarts, 0);
    assert.deepEqual(closed, []);
    assert.equal(((await c.call("health")) as { ok: boolean }).ok, true, "the same connection still works");
  });

  test("config.apply of a hot change does not restart either", async (t) => {
    const gw = await startTestGateway(t);
    const c = await gw.connect();
    t.after(() => c.close());
    const got = (await c.call("config.get")) as { hash: string };
    const next = JSON.parse(readFileSync(gw.configPath, "utf8")) as Record<string, unknown>;
    next.channels = { telegram: { allowFrom: ["7"] } };
    const res = (await c.call("config.apply", { raw: `${JSON.stringify(next, null, 2)}\n`, baseHash: got.hash, restartDelayMs: 0 })) as WriteReply;
    assert.equal(res.reload.kind, "hot");
    assert.equal(res.restart, undefined, JSON.stringify(res));
    await waitUntil(() => JSON.stringify(allowFrom(gw)) === '["7"]', 5000, "the applied value to be running");
    // Wait until the file watcher has seen the same change too, then nothing may have restarted.
    await waitUntil(() => gw.rt.reloadState.lastChangedPaths.includes("channels.telegram.allowFrom"), 5000, "the reload record");
    assert.equal(gw.rt.metrics.restarts, 0);
  });

  test("config.patch of a restart-kind key restarts once, even when the file watcher gets there first", async (t) => {
    const gw = await startTestGateway(t);
    const skipped: string[] = [];
    t.after(onLogRecord((e) => e.message.includes("restart already applied") && skipped.push(e.message)));
    const c = await gw.connect();
    t.after(() => c.close());
    const got = (await c.call("config.get")) as { hash: string };
    // The watcher (debounce 50 ms) restarts first; the scheduled restart comes after it.
    const res = (await c.call("config.patch", { raw: '{"discovery":{"mdns":{"mode":"off"}}}', baseHash: got.hash, restartDelayMs: 400 })) as WriteReply;
    assert.equal(res.reload.kind, "restart");
    assert.equal(res.restart?.delayMs, 400);
    await waitUntil(() => gw.rt.metrics.restarts >= 1, 5000, "the restart");
    await waitUntil(() => skipped.length > 0 || gw.rt.metrics.restarts >= 2, 5000, "the scheduled restart to fire");
    assert.equal(gw.rt.metrics.restarts, 1, "one change, one restart");
  });
});
