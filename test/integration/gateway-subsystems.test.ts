/**
 * The gateway's seams (issue 12): only what must restart restarts — clients stay connected across a
 * safe edit, a channel credential edit and an invalid edit, while a port edit restarts the listeners
 * in process; one event bus with a bounded queue per connection closes a consumer that reads nothing.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import WebSocket from "ws";
import type { GatewayClient } from "../../src/client/index.js";
import { freePort, startTestGateway, type TestGateway, waitUntil } from "../helpers/gateway.js";

function replaceFile(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.edit-${randomBytes(4).toString("hex")}.tmp`);
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

/** A config as these tests edit it (the test helper writes gateway, logging and channels). */
type EditableConfig = { gateway: Record<string, unknown>; logging: Record<string, unknown>; channels: { telegram: Record<string, unknown> } };

function edit(gw: TestGateway, change: (cfg: EditableConfig) => void): void {
  const cfg = JSON.parse(readFileSync(gw.configPath, "utf8"));
  change(cfg);
  replaceFile(gw.configPath, JSON.stringify(cfg, null, 2));
}

interface Watched {
  client: GatewayClient;
  ticks: number;
  closed: boolean;
}

async function watchers(t: { after(fn: () => unknown): void }, gw: TestGateway, n: number): Promise<Watched[]> {
  const out: Watched[] = [];
  for (let i = 0; i < n; i++) {
    const client = await gw.connect();
    t.after(() => client.close());
    const w: Watched = { client, ticks: 0, closed: false };
    client.onEvent((e) => {
      if (e.event === "tick") w.ticks++;
      if (e.event === "shutdown") w.closed = true;
    });
    out.push(w);
  }
  return out;
}

async function healthOf(c: GatewayClient): Promise<{ configReload: { lastError: string | null; lastChangedPaths: string[] }; process: { pid: number } }> {
  return (await c.call("health", { probe: true })) as never;
}

describe("only what must restart restarts", () => {
  test("3 clients stay connected (same PID, ticks keep arriving) across a safe edit, a channel credential edit and an invalid edit", async (t) => {
    const gw = await startTestGateway(t, { config: { channels: { telegram: { botToken: "111111:old-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaa", dmPolicy: "pairing" } } }, gateway: { tickIntervalMs: 50 } });
    const clients = await watchers(t, gw, 3);
    const ticksNow = () => clients.map((c) => c.ticks);
    const ticksAdvance = async (what: string) => {
      const before = ticksNow();
      await waitUntil(() => ticksNow().every((n, i) => n > before[i]! + 1), 5000, `ticks after ${what}`);
    };
    await ticksAdvance("start");

    edit(gw, (cfg) => {
      cfg.logging.level = "debug";
    });
    await waitUntil(async () => (await healthOf(clients[0]!.client)).configReload.lastChangedPaths.includes("logging.level"), 5000, "the safe edit");
    await ticksAdvance("a safe edit");

    edit(gw, (cfg) => {
      cfg.channels.telegram.botToken = "222222:new-token-bbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    });
    await waitUntil(async () => (await healthOf(clients[0]!.client)).configReload.lastChangedPaths.includes("channels.telegram.botToken"), 5000, "the credential edit");
    await ticksAdvance("a channel credential edit");

    replaceFile(gw.configPath, "{ gateway: { mode: 'local', ");
    await waitUntil(async () => (await healthOf(clients[0]!.client)).configReload.lastError !== null, 5000, "the invalid edit");
    await ticksAdvance("an invalid edit");

    for (const c of clients) {
      assert.equal(c.closed, false, "no shutdown event reached the client");
      assert.equal((await healthOf(c.client)).process.pid, process.pid);
    }
    assert.equal(gw.rt.metrics.restarts, 0, "the gateway never restarted");
  });

  test("an edit of gateway.port restarts the listeners in process (same PID) and clients are told", async (t) => {
    const gw = await startTestGateway(t, { config: { gateway: { port: await freePort() } }, gateway: { overrides: {} } });
    const clients = await watchers(t, gw, 3);
    const next = await freePort();
    edit(gw, (cfg) => {
      cfg.gateway.port = next;
    });
    await waitUntil(() => gw.rt.port === next && gw.rt.readiness().ok, 10_000, "the listener to move");
    assert.equal(gw.rt.metrics.restarts, 1);
    await waitUntil(() => clients.every((c) => c.closed), 5000, "shutdown events (restart expected)");
    const again = await gw.connect();
    t.after(() => again.close());
    assert.equal((await healthOf(again)).process.pid, process.pid);
  });
});

describe("event bus", () => {
  test("a client that reads nothing is closed with 1008 under a burst of 10,000 events; a normal client gets them all and keeps answering", async (t) => {
    const maxBufferedBytes = 256 * 1024;
    const gw = await startTestGateway(t, { gateway: { maxBufferedBytes } });
    const normal = await gw.connect();
    t.after(() => normal.close());
    let received = 0;
    normal.onEvent((e) => {
      if (e.event === "system-event") received++;
    });

    // A raw client that completes the handshake, then stops reading its socket.
    const slow = new WebSocket(`ws://127.0.0.1:${gw.rt.port}`);
    t.after(() => slow.terminate());
    let hello: { policy: { maxBufferedBytes: number } } | undefined;
    slow.on("message", (data) => {
      const f = JSON.parse(data.toString());
      if (f.event === "connect.challenge") {
        slow.send(JSON.stringify({ type: "req", id: "c1", method: "connect", params: { minProtocol: 3, maxProtocol: 4, client: { id: "slow", mode: "test", version: "0", platform: "linux" }, auth: { token: gw.token } } }));
      } else if (f.id === "c1") hello = f.payload;
    });
    const closed = new Promise<number>((resolve) => slow.on("close", (code) => resolve(code)));
    await waitUntil(() => hello !== undefined, 5000, "the slow client's hello");
    assert.equal(hello!.policy.maxBufferedBytes, maxBufferedBytes, "hello-ok.policy announces the bound");
    (slow as unknown as { _socket: { pause(): void } })._socket.pause();

    // The burst arrives as events do, over many turns of the event loop (100 per turn).
    const pad = "x".repeat(1000);
    for (let i = 0; i < 10_000; i++) {
      gw.rt.events.publish("system-event", { text: `burst ${i} ${pad}`, ts: i });
      if (i % 100 === 99) await new Promise((r) => setImmediate(r));
    }
    await waitUntil(() => gw.rt.events.stats.slowConsumerCloses >= 1, 10_000, "the slow consumer to be closed");
    (slow as unknown as { _socket: { resume(): void } })._socket.resume();
    assert.equal(await closed, 1008);
    await waitUntil(() => received === 10_000, 20_000, `all 10,000 events at the normal client (got ${received})`);
    assert.equal(((await normal.call("health")) as { ok: boolean }).ok, true);
    const metrics = await fetch(`http://127.0.0.1:${gw.rt.port}/metrics`, { headers: { authorization: `Bearer ${gw.token}` } });
    const text = await metrics.text();
    assert.match(text, /^openclaw_slow_consumer_closes_total 1$/m);
    assert.match(text, /^openclaw_events_sent_total \d+$/m);
  });

  test("each connection's events carry their own gap-free seq, and presence events a rising stateVersion", async (t) => {
    const gw = await startTestGateway(t);
    const watcher = await gw.connect();
    t.after(() => watcher.close());
    const seqs: number[] = [];
    const presenceVersions: number[] = [];
    watcher.onEvent((e) => {
      if (typeof e.seq === "number") seqs.push(e.seq);
      if (e.event === "presence") presenceVersions.push(e.stateVersion!.presence);
    });
    for (let i = 0; i < 3; i++) {
      const c = await gw.connect();
      c.close();
    }
    await waitUntil(() => presenceVersions.length >= 6, 5000, "presence events for 3 connects and 3 leaves");
    assert.deepEqual(
      seqs,
      seqs.map((_, i) => seqs[0]! + i),
      "gap-free",
    );
    assert.deepEqual(
      presenceVersions,
      [...presenceVersions].sort((a, b) => a - b),
    );
    assert.equal(new Set(presenceVersions).size, presenceVersions.length, "strictly rising");
  });
});
