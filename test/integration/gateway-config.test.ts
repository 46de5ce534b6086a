/** config.* RPC and hot reload against a real gateway on real files; every wait is on a condition. */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { GatewayCallError } from "../../src/client/index.js";
import { onLogRecord } from "../../src/logging/index.js";
import type { ErrorShape } from "../../src/protocol/index.js";
import { freePort, startTestGateway, type TestGateway, waitUntil } from "../helpers/gateway.js";

const REDACTED = "__OPENCLAW_REDACTED__";

interface ConfigGet {
  path: string;
  exists: boolean;
  raw: string | null;
  hash: string;
  valid: boolean;
  config: { gateway: { auth: { token: string } } };
}

interface HealthReply {
  ok: boolean;
  configReload: { lastError: string | null; lastChangedPaths: string[] };
  process: { pid: number };
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/** Atomic replace: write a temp file in the same directory, then rename it over the config. */
function replaceFile(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.edit-${randomBytes(4).toString("hex")}.tmp`);
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

function readJson(file: string): Record<string, unknown> & { gateway: Record<string, unknown> } {
  return JSON.parse(readFileSync(file, "utf8"));
}

async function wireError(call: Promise<unknown>): Promise<ErrorShape> {
  try {
    await call;
  } catch (error) {
    if (error instanceof GatewayCallError) return error.wire;
    throw error;
  }
  assert.fail("expected the call to be refused");
}

function allowFrom(gw: TestGateway): unknown {
  return (gw.rt.config.channels as Record<string, { allowFrom?: unknown }> | undefined)?.telegram?.allowFrom;
}

async function client(t: { after(fn: () => unknown): void }, gw: TestGateway) {
  const c = await gw.connect();
  t.after(() => c.close());
  return c;
}

describe("config RPC", () => {
  test("config.get returns path, exists, sha256 hash, valid, and redacts the token in config and raw", async (t) => {
    const gw = await startTestGateway(t);
    const c = await client(t, gw);
    const got = (await c.call("config.get")) as ConfigGet;
    assert.equal(got.path, gw.configPath);
    assert.equal(got.exists, true);
    assert.equal(got.valid, true);
    assert.match(got.hash, /^[0-9a-f]{64}$/);
    assert.equal(got.hash, sha256(readFileSync(gw.configPath)));
    assert.equal(got.config.gateway.auth.token, REDACTED);
    assert.equal(typeof got.raw, "string");
    assert.ok(!got.raw!.includes(gw.token), "raw is redacted");
    assert.ok(!JSON.stringify(got).includes(gw.token), "the token appears nowhere in the answer");
  });

  test("refused writes (stale baseHash, no baseHash, redacted placeholders) leave the file byte-identical", async (t) => {
    const gw = await startTestGateway(t);
    const c = await client(t, gw);
    const got = (await c.call("config.get")) as ConfigGet;
    const edited = readJson(gw.configPath);
    edited.channels = { telegram: { allowFrom: ["7"] } };
    replaceFile(gw.configPath, `${JSON.stringify(edited, null, 2)}\n`);
    const onDisk = readFileSync(gw.configPath);
    const proposal = readJson(gw.configPath);
    proposal.gateway.bind = "loopback";
    const raw = JSON.stringify(proposal);

    const stale = await wireError(c.call("config.apply", { raw, baseHash: got.hash }));
    assert.equal(stale.code, "INVALID_REQUEST");
    assert.match(stale.message, /channels\.telegram\.allowFrom/, "names the key that changed since config.get");
    assert.ok(readFileSync(gw.configPath).equals(onDisk), "byte-identical after a stale write");

    const unguarded = await wireError(c.call("config.apply", { raw }));
    assert.equal(unguarded.code, "INVALID_REQUEST");
    assert.match(unguarded.message, /baseHash/);
    assert.ok(readFileSync(gw.configPath).equals(onDisk));

    const fresh = (await c.call("config.get")) as ConfigGet;
    // A placeholder with no current value to keep is refused (a mask never becomes a secret).
    const placeholderRaw = JSON.stringify({ gateway: { mode: "local", auth: { mode: "password", password: REDACTED } } });
    const placeholder = await wireError(c.call("config.apply", { raw: placeholderRaw, baseHash: fresh.hash }));
    assert.equal(placeholder.code, "INVALID_REQUEST");
    assert.match(placeholder.message, new RegExp(REDACTED));
    assert.ok(readFileSync(gw.configPath).equals(onDisk));
    assert.equal(existsSync(`${gw.configPath}.bak`), false, "nothing was written, so no backup either");
    assert.equal(gw.rt.metrics.restarts, 0);
  });

  test("config.apply with the right hash replaces the file (0600, .bak kept) and restarts in process", async (t) => {
    const gw = await startTestGateway(t);
    const c = await client(t, gw);
    const shutdowns: unknown[] = [];
    c.onEvent((e) => {
      if (e.event === "shutdown") shutdowns.push(e.payload);
    });
    const original = readFileSync(gw.configPath, "utf8");
    const got = (await c.call("config.get")) as ConfigGet;
    const next = readJson(gw.configPath);
    next.channels = { telegram: { allowFrom: ["1", "2"] } };
    // discovery.* is a restart-kind key: this apply restarts (a hot-only change would not).
    next.discovery = { mdns: { mode: "off" } };
    const raw = `${JSON.stringify(next, null, 2)}\n`;
    const res = (await c.call("config.apply", { raw, baseHash: got.hash })) as { ok: boolean; hash: string; changed: boolean; restart?: { delayMs: number } };
    assert.equal(res.ok, true);
    assert.equal(res.changed, true);
    assert.equal(res.hash, sha256(raw));
    assert.equal(res.restart?.delayMs, 50);
    assert.equal(readFileSync(gw.configPath, "utf8"), raw);
    assert.equal(statSync(gw.configPath).mode & 0o777, 0o600);
    assert.equal(readFileSync(`${gw.configPath}.bak`, "utf8"), original);
    await waitUntil(() => gw.rt.metrics.restarts >= 1, 5000, "the in-process restart");
    await waitUntil(() => shutdowns.length > 0, 5000, "a shutdown event on the old connection");
    assert.equal(typeof (shutdowns[0] as { restartExpectedMs?: unknown }).restartExpectedMs, "number");
    const after = await client(t, gw);
    const health = (await after.call("health")) as HealthReply;
    assert.equal(health.ok, true);
    assert.equal(health.process.pid, process.pid, "same process");
    assert.deepEqual(allowFrom(gw), ["1", "2"]);
  });

  test("config.patch keeps the comments of a commented JSON5 file", async (t) => {
    const gw = await startTestGateway(t);
    const current = readJson(gw.configPath);
    const commented = [
      "// my gateway config",
      "{",
      "  // the gateway itself",
      "  gateway: {",
      '    mode: "local", // keep me',
      `    auth: { token: ${JSON.stringify(gw.token)} },`,
      "    reload: { debounceMs: 50 },",
      "  },",
      `  logging: ${JSON.stringify(current.logging)}, // where logs go`,
      "}",
      "",
    ].join("\n");
    replaceFile(gw.configPath, commented);
    const c = await client(t, gw);
    const got = (await c.call("config.get")) as ConfigGet;
    assert.equal(got.hash, sha256(commented));
    const res = (await c.call("config.patch", { raw: '{"channels":{"telegram":{"allowFrom":["42"]}}}', baseHash: got.hash })) as { ok: boolean };
    assert.equal(res.ok, true);
    const text = readFileSync(gw.configPath, "utf8");
    for (const comment of ["// my gateway config", "// the gateway itself", "// keep me", "// where logs go"]) assert.ok(text.includes(comment), `keeps ${comment}:\n${text}`);
    assert.match(text, /allowFrom/);
    assert.match(text, /"?42"?/);
    await waitUntil(() => JSON.stringify(allowFrom(gw)) === '["42"]', 5000, "the patched value to be running");
    assert.equal((res as { restart?: unknown }).restart, undefined, "allowFrom is hot: applied in place, no restart");
  });

  test("a 4th config.apply/patch within a minute from one client is UNAVAILABLE with retryAfterMs", async (t) => {
    const gw = await startTestGateway(t);
    const c = await client(t, gw);
    const raw = readFileSync(gw.configPath, "utf8");
    for (let i = 0; i < 3; i++) {
      const got = (await c.call("config.get")) as ConfigGet;
      // Identical text: accepted, nothing changes, so no restart closes this connection.
      const res = (await c.call("config.apply", { raw, baseHash: got.hash })) as { ok: boolean; changed: boolean };
      assert.equal(res.ok, true);
      assert.equal(res.changed, false);
    }
    const got = (await c.call("config.get")) as ConfigGet;
    const limited = await wireError(c.call("config.patch", { raw: '{"channels":{"telegram":{"allowFrom":["9"]}}}', baseHash: got.hash }));
    assert.equal(limited.code, "UNAVAILABLE");
    assert.equal(typeof limited.retryAfterMs, "number");
    assert.ok(limited.retryAfterMs! > 0 && limited.retryAfterMs! <= 60_000, String(limited.retryAfterMs));
    assert.equal(readFileSync(gw.configPath, "utf8"), raw, "the limited write changed nothing");
    assert.equal(((await c.call("config.get")) as ConfigGet).valid, true, "reads are not limited");
  });

  test("writing back config.get's raw must not replace the real token with its mask", async (t) => {
    const gw = await startTestGateway(t);
    const c = await client(t, gw);
    const got = (await c.call("config.get")) as ConfigGet;
    // Regression (fixed in 5e559e8): raw used to mask the token as "test-x…yyyy", config.apply wrote that mask
    // as the new token and the restart locked every client out. Refusing or keeping the real token are both fine.
    let written = false;
    try {
      written = ((await c.call("config.apply", { raw: got.raw!, baseHash: got.hash, restartDelayMs: 0 })) as { changed: boolean }).changed;
    } catch (error) {
      assert.ok(error instanceof GatewayCallError, String(error));
    }
    if (written) await waitUntil(() => gw.rt.metrics.restarts >= 1, 5000, "the scheduled restart");
    const onDisk = readFileSync(gw.configPath, "utf8");
    assert.ok(onDisk.includes(gw.token), `the real token is still in the file:\n${onDisk}`);
  });
});

describe("hot reload", () => {
  test("an atomic edit of channels.telegram.allowFrom is hot-applied; connections stay open", async (t) => {
    const gw = await startTestGateway(t);
    const c = await client(t, gw);
    const events: string[] = [];
    c.onEvent((e) => events.push(e.event));
    const messages: string[] = [];
    t.after(onLogRecord((entry) => messages.push(entry.message)));
    const rt = gw.rt;
    const edited = readJson(gw.configPath);
    edited.channels = { telegram: { allowFrom: ["100", "200"] } };
    replaceFile(gw.configPath, `${JSON.stringify(edited, null, 2)}\n`);
    await waitUntil(() => JSON.stringify(allowFrom(gw)) === '["100","200"]', 5000, "allowFrom to update");
    await waitUntil(() => messages.some((m) => m.includes("config hot reload applied")), 5000, "the hot reload log line");
    assert.equal(gw.rt, rt, "same runtime");
    assert.equal(rt.metrics.restarts, 0, "no restart");
    const health = (await c.call("health")) as HealthReply;
    assert.equal(health.ok, true, "the existing connection still answers");
    assert.ok(health.configReload.lastChangedPaths.includes("channels.telegram.allowFrom"), JSON.stringify(health.configReload));
    assert.equal(health.configReload.lastError, null);
    assert.ok(!events.includes("shutdown"), "no shutdown was broadcast");
  });

  test("editing gateway.port moves the listener in process", async (t) => {
    const oldPort = await freePort();
    const gw = await startTestGateway(t, { config: { gateway: { port: oldPort } }, gateway: { overrides: {} } });
    assert.equal(gw.rt.port, oldPort);
    const newPort = await freePort();
    const edited = readJson(gw.configPath);
    edited.gateway.port = newPort;
    replaceFile(gw.configPath, `${JSON.stringify(edited, null, 2)}\n`);
    await waitUntil(() => gw.rt.port === newPort && gw.rt.readiness().ok, 5000, "the listener to move");
    const live = await fetch(`http://127.0.0.1:${newPort}/healthz`);
    assert.equal(live.status, 200);
    await live.body?.cancel();
    const c = await client(t, gw);
    const health = (await c.call("health")) as HealthReply;
    assert.equal(health.ok, true);
    assert.equal(health.process.pid, process.pid, "same process");
    await assert.rejects(fetch(`http://127.0.0.1:${oldPort}/healthz`), "the old port refuses");
  });

  test("invalid JSON5 keeps the gateway serving with configReload.lastError; fixing the file clears it", async (t) => {
    const gw = await startTestGateway(t);
    const c = await client(t, gw);
    const original = readFileSync(gw.configPath, "utf8");
    replaceFile(gw.configPath, "{ gateway: { mode: 'local', ");
    let health = (await c.call("health")) as HealthReply;
    await waitUntil(
      async () => {
        health = (await c.call("health")) as HealthReply;
        return health.configReload.lastError !== null;
      },
      5000,
      "lastError to be set",
    );
    assert.equal(health.ok, true);
    assert.ok(health.configReload.lastError!.length > 0);
    const live = await fetch(`http://127.0.0.1:${gw.rt.port}/healthz`);
    assert.equal(live.status, 200, "still serving HTTP");
    await live.body?.cancel();
    assert.equal(gw.rt.auth.token, gw.token, "the running config is kept");
    replaceFile(gw.configPath, original);
    await waitUntil(async () => ((await c.call("health")) as HealthReply).configReload.lastError === null, 5000, "lastError to clear");
    assert.equal(gw.rt.metrics.restarts, 0);
  });
});

describe("in-process restart (SIGUSR1 equivalent)", () => {
  test("rt.restart keeps serving on the same port", async (t) => {
    const port = await freePort();
    const gw = await startTestGateway(t, { port });
    const before = await client(t, gw);
    const closed = new Promise<void>((resolve) => before.onEvent((e) => e.event === "shutdown" && resolve()));
    await gw.rt.restart("test");
    await closed;
    assert.equal(gw.rt.metrics.restarts, 1);
    assert.equal(gw.rt.port, port);
    assert.equal(gw.rt.readiness().ok, true);
    const after = await client(t, gw);
    assert.equal(((await after.call("health")) as HealthReply).ok, true);
  });

  test("a restart requested after stop does not bring the listener back", async (t) => {
    const port = await freePort();
    const gw = await startTestGateway(t, { port });
    await gw.rt.stop("test");
    // Regression (fixed in 5e559e8): a restart landing after stop() (e.g. config.apply's timer) used to
    // re-listen and set the state back to "ready".
    await gw.rt.restart("late");
    assert.equal(gw.rt.readiness().status, "stopped");
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), "nothing listens after stop");
  });

  test("a gateway started on port 0 keeps its port across an in-process restart", async (t) => {
    const gw = await startTestGateway(t);
    const port = gw.rt.port;
    await gw.rt.restart("test");
    // Regression (fixed in 5e559e8): a restart used to re-listen on port 0 and move to another ephemeral port;
    // spec §3.5 says an in-process restart keeps the port.
    assert.equal(gw.rt.port, port);
  });
});
