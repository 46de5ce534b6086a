/** The control protocol over raw WebSockets: handshake, auth, frame limits, wire errors, rate limits, events. */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, test } from "node:test";
import WebSocket from "ws";
import type { ErrorShape, HelloOk } from "../../src/protocol/index.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

interface Frame {
  type: string;
  id?: string;
  ok?: boolean;
  event?: string;
  seq?: number;
  payload?: unknown;
  error?: ErrorShape;
}

type After = { after(fn: () => unknown): void };

/** A raw socket that records every frame and its close, with event-driven waits (no sleeps). */
class Raw {
  readonly frames: Frame[] = [];
  /** Frames and the close, in arrival order ("close" marks the close). */
  readonly timeline: string[] = [];
  closeInfo: { code: number; reason: string } | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      this.frames.push(frame);
      this.timeline.push(frame.type === "event" ? `event:${frame.event}` : `res:${frame.id}`);
      this.notify();
    });
    ws.on("close", (code, reason) => {
      this.closeInfo = { code, reason: reason.toString() };
      this.timeline.push("close");
      this.notify();
    });
    ws.on("error", () => undefined);
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }

  until<T>(check: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
      const listener = () => {
        const value = check();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const waitDeadline = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}; timeline: ${this.timeline.join(", ")}; close: ${JSON.stringify(this.closeInfo)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(waitDeadline);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
      listener();
    });
  }

  closed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    return this.until(() => this.closeInfo, "close", timeoutMs);
  }

  response(id: string): Promise<Frame> {
    return this.until(() => this.frames.find((f) => f.type === "res" && f.id === id), `res ${id}`);
  }

  send(frame: object | string): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  request(method: string, params: unknown = {}): Promise<Frame> {
    const id = randomUUID();
    this.send({ type: "req", id, method, params });
    return this.response(id);
  }

  events(name: string): Frame[] {
    return this.frames.filter((f) => f.type === "event" && f.event === name);
  }
}

async function openRaw(t: After, url: string): Promise<Raw> {
  const ws = new WebSocket(url, { maxPayload: 64 * 1024 * 1024 });
  const raw = new Raw(ws);
  t.after(() => ws.terminate());
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return raw;
}

interface HandshakeOptions {
  token?: string | undefined;
  minProtocol?: number;
  maxProtocol?: number;
  scopes?: string[];
  extra?: Record<string, unknown>;
}

/** Waits for the challenge, sends a connect request and returns its response. */
async function handshake(raw: Raw, o: HandshakeOptions): Promise<Frame> {
  await raw.until(() => raw.events("connect.challenge")[0], "connect.challenge");
  const id = `connect-${randomUUID()}`;
  raw.send({
    type: "req",
    id,
    method: "connect",
    params: {
      minProtocol: o.minProtocol ?? 3,
      maxProtocol: o.maxProtocol ?? 4,
      client: { id: "test", mode: "test", version: "1.0.0", platform: process.platform },
      role: "operator",
      scopes: o.scopes ?? ["operator.read", "operator.write", "operator.admin"],
      caps: [],
      auth: o.token === undefined ? {} : { token: o.token },
      ...o.extra,
    },
  });
  return raw.response(id);
}

/** An authenticated raw connection. */
async function connected(t: After, gw: TestGateway, o: Omit<HandshakeOptions, "token"> = {}): Promise<{ raw: Raw; hello: HelloOk }> {
  const raw = await openRaw(t, gw.url);
  const res = await handshake(raw, { ...o, token: gw.token });
  assert.equal(res.ok, true, JSON.stringify(res.error));
  return { raw, hello: res.payload as HelloOk };
}

const MiB = 1024 * 1024;

describe("handshake", () => {
  test("the server speaks first with connect.challenge {nonce, ts}", async (t) => {
    const gw = await startTestGateway(t);
    const before = Date.now();
    const a = await openRaw(t, gw.url);
    const b = await openRaw(t, gw.url);
    const first = await a.until(() => a.frames[0], "first frame");
    assert.equal(first.type, "event");
    assert.equal(first.event, "connect.challenge");
    const payload = first.payload as { nonce: unknown; ts: unknown };
    assert.equal(typeof payload.nonce, "string");
    assert.ok((payload.nonce as string).length >= 16, "nonce has some entropy");
    assert.equal(typeof payload.ts, "number");
    assert.ok((payload.ts as number) >= before - 1000 && (payload.ts as number) <= Date.now() + 1000, "ts is now-ish");
    const other = await b.until(() => b.frames[0], "first frame of b");
    assert.notEqual((other.payload as { nonce: string }).nonce, payload.nonce, "each connection gets its own nonce");
  });

  test("protocol negotiation: 3..3 → 3, 3..4 → 4, 4..4 → 4; 5..6 → protocol mismatch and close 1008", async (t) => {
    const gw = await startTestGateway(t);
    for (const [min, max, expected] of [
      [3, 3, 3],
      [3, 4, 4],
      [4, 4, 4],
    ] as const) {
      const raw = await openRaw(t, gw.url);
      const res = await handshake(raw, { token: gw.token, minProtocol: min, maxProtocol: max });
      assert.equal(res.ok, true, `${min}..${max}: ${JSON.stringify(res.error)}`);
      assert.equal((res.payload as HelloOk).protocol, expected, `${min}..${max}`);
      raw.ws.close();
    }
    const raw = await openRaw(t, gw.url);
    const res = await handshake(raw, { token: gw.token, minProtocol: 5, maxProtocol: 6 });
    assert.equal(res.ok, false);
    assert.match(res.error!.message, /protocol mismatch/);
    assert.equal((await raw.closed()).code, 1008);
  });

  test("hello-ok carries type, protocol, server, features, snapshot, policy and auth", async (t) => {
    const gw = await startTestGateway(t);
    const { hello } = await connected(t, gw, { scopes: ["operator.read", "operator.admin"] });
    assert.equal(hello.type, "hello-ok");
    assert.equal(hello.protocol, 4);
    assert.equal(hello.server.version, "0.0.0-test");
    assert.equal(typeof hello.server.connId, "string");
    assert.ok(hello.server.connId.length > 0);
    for (const m of ["health", "status", "logs.tail", "config.get", "config.apply"]) assert.ok(hello.features.methods.includes(m), `features.methods has ${m}`);
    for (const e of ["connect.challenge", "tick", "shutdown"]) assert.ok(hello.features.events.includes(e), `features.events has ${e}`);
    assert.equal(typeof hello.snapshot, "object");
    assert.ok(Array.isArray(hello.snapshot.presence), "snapshot.presence");
    assert.equal(typeof hello.snapshot.uptimeMs, "number");
    assert.equal(hello.snapshot.authMode, "token");
    assert.equal(hello.policy.maxPayload, 25 * MiB);
    assert.equal(hello.policy.maxBufferedBytes, 50 * MiB);
    assert.equal(hello.policy.tickIntervalMs, 60_000);
    assert.equal(hello.auth.role, "operator");
    // Token auth is trusted operator access: the full scope set, whatever the client declared.
    assert.deepEqual(hello.auth.scopes, ["operator.read", "operator.write", "operator.admin", "operator.approvals", "operator.pairing"]);
  });

  test("a wrong token is refused (ok:false, close 1008 'unauthorized')", async (t) => {
    const gw = await startTestGateway(t);
    const raw = await openRaw(t, gw.url);
    const res = await handshake(raw, { token: "not-the-token" });
    assert.equal(res.ok, false);
    assert.match(res.error!.message, /unauthorized/);
    assert.equal((res.error!.details as { code?: string }).code, "AUTH_TOKEN_MISMATCH");
    const close = await raw.closed();
    assert.equal(close.code, 1008);
    assert.match(close.reason, /unauthorized/);
    assert.ok(!JSON.stringify(raw.frames).includes(gw.token), "the refusal never echoes the token");
  });

  test("a missing token closes 1008 with 'gateway token missing'", async (t) => {
    const gw = await startTestGateway(t);
    const raw = await openRaw(t, gw.url);
    const res = await handshake(raw, { token: undefined });
    assert.equal(res.ok, false);
    assert.equal((res.error!.details as { code?: string }).code, "AUTH_TOKEN_MISSING");
    const close = await raw.closed();
    assert.equal(close.code, 1008);
    assert.match(close.reason, /gateway token missing/);
  });

  test("a forged device block is refused even with a valid token (OpenClaw verifies it; a signed one is covered in control-ui-device.test.ts)", async (t) => {
    const gw = await startTestGateway(t);
    const raw = await openRaw(t, gw.url);
    const challenge = await raw.until(() => raw.events("connect.challenge")[0], "challenge");
    const device = { id: "a".repeat(64), publicKey: "AAAA", signature: "BBBB", signedAt: Date.now(), nonce: (challenge.payload as { nonce: string }).nonce };
    const res = await handshake(raw, { token: gw.token, extra: { device } });
    assert.equal(res.ok, false);
    assert.match(String((res.error!.details as { code?: string }).code), /^DEVICE_AUTH_/);
  });
});

describe("frames and errors", () => {
  test("a first frame that is not a connect closes 1008 (garbage text, or a health request)", async (t) => {
    const gw = await startTestGateway(t);
    const garbage = await openRaw(t, gw.url);
    await garbage.until(() => garbage.frames[0], "challenge");
    garbage.send("this is {not json");
    assert.equal((await garbage.closed()).code, 1008);
    const early = await openRaw(t, gw.url);
    await early.until(() => early.frames[0], "challenge");
    early.send({ type: "req", id: "h1", method: "health", params: {} });
    const close = await early.closed();
    assert.equal(close.code, 1008);
    assert.match(close.reason, /connect/);
    assert.equal(early.frames.filter((f) => f.type === "res").length, 0, "no answer to a pre-auth request");
  });

  test("a pre-auth frame over 64 KiB closes 1009, even when it is a connect request", async (t) => {
    const gw = await startTestGateway(t);
    const raw = await openRaw(t, gw.url);
    await raw.until(() => raw.frames[0], "challenge");
    raw.send({
      type: "req",
      id: "big",
      method: "connect",
      params: { minProtocol: 3, maxProtocol: 4, client: { id: "test", mode: "test" }, auth: { token: gw.token }, padding: "x".repeat(65 * 1024) },
    });
    assert.equal((await raw.closed()).code, 1009);
    assert.equal(raw.frames.filter((f) => f.type === "res").length, 0);
  });

  test("after auth, a frame over policy.maxPayload (26 MiB) closes 1009", async (t) => {
    const gw = await startTestGateway(t);
    const { raw, hello } = await connected(t, gw);
    const size = 26 * MiB;
    assert.ok(size > hello.policy.maxPayload);
    raw.send(JSON.stringify({ type: "req", id: "huge", method: "system-event", params: { text: "x".repeat(size) } }));
    assert.equal((await raw.closed(10_000)).code, 1009);
  });

  test("after auth, malformed JSON gets an INVALID_REQUEST error and the socket keeps serving", async (t) => {
    const gw = await startTestGateway(t);
    const { raw } = await connected(t, gw);
    raw.send("{ this is not json");
    const err = await raw.until(() => raw.frames.find((f) => f.type === "res" && f.ok === false), "error res");
    assert.equal(err.error!.code, "INVALID_REQUEST");
    assert.match(err.error!.message, /JSON/);
    const health = await raw.request("health");
    assert.equal(health.ok, true);
    assert.equal((health.payload as { ok: boolean }).ok, true);
    assert.equal(raw.closeInfo, undefined);
  });

  test("an unknown method is INVALID_REQUEST naming the method", async (t) => {
    const gw = await startTestGateway(t);
    const { raw } = await connected(t, gw);
    const res = await raw.request("no.such.method");
    assert.equal(res.ok, false);
    assert.equal(res.error!.code, "INVALID_REQUEST");
    assert.match(res.error!.message, /no\.such\.method/);
    assert.equal((await raw.request("health")).ok, true);
  });

  test("bad params (logs.tail limit 0, or an unknown param) are INVALID_REQUEST", async (t) => {
    const gw = await startTestGateway(t);
    const { raw } = await connected(t, gw);
    const zero = await raw.request("logs.tail", { limit: 0 });
    assert.equal(zero.ok, false);
    assert.equal(zero.error!.code, "INVALID_REQUEST");
    assert.match(zero.error!.message, /limit/);
    const unknown = await raw.request("logs.tail", { limit: 5, bogus: true });
    assert.equal(unknown.ok, false);
    assert.equal(unknown.error!.code, "INVALID_REQUEST");
    assert.match(unknown.error!.message, /bogus/);
    const fine = await raw.request("logs.tail", { limit: 5 });
    assert.equal(fine.ok, true, JSON.stringify(fine.error));
  });

  test("token auth grants the full operator scope set even when the client declares only [operator.read] (OpenClaw's CLI does)", async (t) => {
    const gw = await startTestGateway(t);
    const { raw, hello } = await connected(t, gw, { scopes: ["operator.read"] });
    assert.deepEqual(hello.auth.scopes, ["operator.read", "operator.write", "operator.admin", "operator.approvals", "operator.pairing"]);
    const res = await raw.request("config.get");
    assert.equal(res.ok, true, JSON.stringify(res.error));
    assert.equal((await raw.request("health")).ok, true, "read methods still work");
  });

  test("without a shared secret (auth.mode none) declared scopes still narrow: [operator.read] gets FORBIDDEN for config.get", async (t) => {
    const gw = await startTestGateway(t, { config: { gateway: { auth: { mode: "none" } } } });
    const raw = await openRaw(t, gw.url);
    const res0 = await handshake(raw, { scopes: ["operator.read"] });
    assert.equal(res0.ok, true, JSON.stringify(res0.error));
    assert.deepEqual((res0.payload as HelloOk).auth.scopes, ["operator.read"]);
    const res = await raw.request("config.get");
    assert.equal(res.ok, false);
    assert.equal(res.error!.code, "FORBIDDEN");
    assert.match(res.error!.message, /operator\.admin/);
    assert.equal((await raw.request("health")).ok, true, "read methods still work");
  });

  test("a client sending garbage and oversized frames does not disturb another connected client", async (t) => {
    const gw = await startTestGateway(t);
    const { raw: good } = await connected(t, gw);
    const preauth = await openRaw(t, gw.url);
    await preauth.until(() => preauth.frames[0], "challenge");
    const { raw: bad } = await connected(t, gw);
    preauth.send("garbage");
    for (let i = 0; i < 20; i++) bad.send(`{ garbage ${i}`);
    bad.send(JSON.stringify({ type: "req", id: "huge", method: "system-event", params: { text: "x".repeat(26 * MiB) } }));
    const answers = await Promise.all(Array.from({ length: 5 }, () => good.request("health")));
    for (const a of answers) assert.equal(a.ok, true);
    assert.equal((await preauth.closed()).code, 1008);
    assert.equal((await bad.closed(10_000)).code, 1009);
    assert.equal((await good.request("status")).ok, true);
    assert.equal(good.closeInfo, undefined, "the well-behaved client stays connected");
  });
});

describe("auth rate limit", () => {
  test("after 3 wrong tokens and a 4th guess, the right one waits with UNAVAILABLE + AUTH_RATE_LIMITED + retryAfterMs; HTTP /metrics is 429", async (t) => {
    const gw = await startTestGateway(t, {
      config: { gateway: { auth: { rateLimit: { maxAttempts: 3, windowMs: 60_000, lockoutMs: 60_000, exemptLoopback: false } } } },
    });
    // Three wrong tokens lock the source; the 4th guess takes the one check a lockout allows per interval.
    for (let i = 0; i < 4; i++) {
      const raw = await openRaw(t, gw.url);
      const res = await handshake(raw, { token: `wrong-${i}` });
      assert.equal(res.ok, false);
      assert.match(res.error!.message, /unauthorized/);
      assert.equal((await raw.closed()).code, 1008);
    }
    const raw = await openRaw(t, gw.url);
    const res = await handshake(raw, { token: gw.token });
    assert.equal(res.ok, false, "the right token waits for the next check slot");
    assert.equal(res.error!.code, "UNAVAILABLE");
    assert.equal((res.error!.details as { code?: string }).code, "AUTH_RATE_LIMITED");
    assert.equal(typeof res.error!.retryAfterMs, "number");
    assert.ok(res.error!.retryAfterMs! > 0 && res.error!.retryAfterMs! <= 60_000, String(res.error!.retryAfterMs));
    assert.equal((await raw.closed()).code, 1008);
    const metrics = await fetch(`http://127.0.0.1:${gw.rt.port}/metrics`, { headers: { authorization: "Bearer wrong" } });
    assert.equal(metrics.status, 429);
    assert.ok(Number(metrics.headers.get("retry-after")) > 0);
    await metrics.body?.cancel();
    const live = await fetch(`http://127.0.0.1:${gw.rt.port}/healthz`);
    assert.equal(live.status, 200, "liveness stays open during a lockout");
    await live.body?.cancel();
  });
});

describe("events", () => {
  test("tick events arrive with an increasing per-connection seq", async (t) => {
    const gw = await startTestGateway(t, { gateway: { tickIntervalMs: 50 } });
    const { raw: a, hello } = await connected(t, gw);
    assert.equal(hello.policy.tickIntervalMs, 50);
    await a.until(() => (a.events("tick").length >= 3 ? true : undefined), "3 ticks on a");
    const { raw: b } = await connected(t, gw);
    await b.until(() => (b.events("tick").length >= 3 ? true : undefined), "3 ticks on b");
    for (const raw of [a, b]) {
      const seqs = raw.frames.filter((f) => f.type === "event").map((f) => f.seq);
      for (const s of seqs) assert.equal(typeof s, "number");
      for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1]! + 1, `consecutive seq: ${seqs.join(",")}`);
      for (const tick of raw.events("tick")) assert.equal(typeof (tick.payload as { ts: unknown }).ts, "number");
    }
    // Each socket has its own counter: b started later, so its counter restarted.
    assert.equal(b.frames[0]!.seq, 0);
    assert.ok(a.events("tick").at(-1)!.seq! > b.events("tick")[0]!.seq!);
  });

  test("stop sends a shutdown event before the socket closes", async (t) => {
    const gw = await startTestGateway(t);
    const { raw } = await connected(t, gw);
    await gw.rt.stop("test stop");
    await raw.closed();
    const shutdown = raw.events("shutdown");
    assert.equal(shutdown.length, 1);
    assert.equal((shutdown[0]!.payload as { reason: string }).reason, "test stop");
    assert.ok(raw.timeline.indexOf("event:shutdown") < raw.timeline.indexOf("close"), raw.timeline.join(", "));
    assert.equal(raw.closeInfo!.code, 1001);
  });
});
