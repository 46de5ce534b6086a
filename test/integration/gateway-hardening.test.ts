/**
 * The gateway's socket hardening against a real gateway: browser Origin checks, pre-auth frame cap
 * on the header, handshake/idle timeouts, unauthenticated-connection caps with /healthz kept
 * answerable, nesting depth, non-request frames, liveness of authenticated sockets, and a lockout
 * that never locks out the owner.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { describe, test } from "node:test";
import WebSocket from "ws";
import { pollUntil } from "../../src/infra/index.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { closeCodeOf, frameHeader, openTcp, rawUpgrade } from "../helpers/raw-ws.js";

type After = { after(fn: () => unknown): void };

interface Frame {
  type: string;
  id?: string;
  ok?: boolean;
  event?: string;
  payload?: unknown;
  error?: { code: string; message: string; retryAfterMs?: number; details?: { code?: string } };
}

/** A ws client that records frames and its close; waits are condition polls with a deadline. */
class Client {
  readonly frames: Frame[] = [];
  closeCode: number | undefined;
  unexpected: number | undefined;
  opened = false;

  constructor(readonly ws: WebSocket) {
    ws.on("open", () => (this.opened = true));
    ws.on("message", (d) => this.frames.push(JSON.parse(d.toString()) as Frame));
    ws.on("close", (code) => (this.closeCode = code));
    ws.on("unexpected-response", (_req, res) => {
      this.unexpected = res.statusCode;
      res.resume();
    });
    ws.on("error", () => undefined);
  }

  async until<T>(check: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
    let value: T | undefined;
    const ok = await pollUntil(
      () => {
        value = check();
        return value !== undefined;
      },
      timeoutMs,
      10,
    );
    assert.ok(ok, `timed out waiting for ${what}; frames: ${JSON.stringify(this.frames).slice(0, 400)}; close: ${this.closeCode}`);
    return value!;
  }

  send(frame: object | string): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  response(id: string, timeoutMs = 5000): Promise<Frame> {
    return this.until(() => this.frames.find((f) => f.type === "res" && f.id === id), `res ${id}`, timeoutMs);
  }

  async connect(token: string | undefined): Promise<Frame> {
    await this.until(() => this.frames.find((f) => f.event === "connect.challenge"), "challenge");
    const id = `connect-${randomUUID()}`;
    this.send({
      type: "req",
      id,
      method: "connect",
      params: { minProtocol: 3, maxProtocol: 4, client: { id: "test", mode: "test", version: "1", platform: process.platform }, scopes: ["operator.admin"], auth: token === undefined ? {} : { token } },
    });
    return this.response(id);
  }
}

function open(t: After, url: string, options: WebSocket.ClientOptions = {}): Client {
  const ws = new WebSocket(url, { maxPayload: 64 * 1024 * 1024, ...options });
  t.after(() => ws.terminate());
  return new Client(ws);
}

async function authed(t: After, gw: TestGateway, options: WebSocket.ClientOptions = {}): Promise<Client> {
  const c = open(t, gw.url, options);
  const res = await c.connect(gw.token);
  assert.equal(res.ok, true, JSON.stringify(res.error));
  return c;
}

async function upgradeStatus(t: After, gw: TestGateway, headers: Record<string, string>): Promise<number> {
  const c = open(t, gw.url, { headers });
  await c.until(() => (c.opened ? 101 : c.unexpected), "upgrade answer");
  return c.opened ? 101 : c.unexpected!;
}

describe("browser Origin", () => {
  test("foreign and null origins get 403 on upgrade; no Origin, the gateway's own origin and its loopback alias connect", async (t) => {
    const gw = await startTestGateway(t);
    const port = gw.rt.port;
    assert.equal(await upgradeStatus(t, gw, { origin: "https://evil.example" }), 403);
    assert.equal(await upgradeStatus(t, gw, { origin: "null" }), 403);
    // DNS rebinding: a page on evil.example resolved to 127.0.0.1 sends a matching Host.
    assert.equal(await upgradeStatus(t, gw, { origin: `http://evil.example:${port}`, host: `evil.example:${port}` }), 403);
    assert.equal(await upgradeStatus(t, gw, { origin: `http://127.0.0.1:${port + 1}`, "x-forwarded-for": "203.0.113.9" }), 403, "a proxied peer is not local: another port is another site");
    assert.equal(await upgradeStatus(t, gw, { origin: `http://127.0.0.1:${port + 1}` }), 101, "a local client on a loopback page passes on any port (OpenClaw)");
    assert.equal(await upgradeStatus(t, gw, { origin: `http://192.168.7.7:${port}`, host: `192.168.7.7:${port}` }), 101, "same-origin on a private IP");
    assert.equal(await upgradeStatus(t, gw, { origin: "https://box.tail9.ts.net", host: "box.tail9.ts.net" }), 101, "same-origin on a .ts.net name");
    assert.equal(await upgradeStatus(t, gw, { origin: `http://203.0.113.9:${port}`, host: `203.0.113.9:${port}`, "x-forwarded-for": "203.0.113.1" }), 403, "not on a public IP");
    assert.equal(await upgradeStatus(t, gw, {}), 101);
    assert.equal(await upgradeStatus(t, gw, { origin: `http://127.0.0.1:${port}` }), 101);
    assert.equal(await upgradeStatus(t, gw, { origin: `http://localhost:${port}` }), 101);
    assert.equal(gw.rt.metrics.originRefused, 5);
    const raw = openTcp(port);
    t.after(() => raw.socket.destroy());
    raw.socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: https://evil.example\r\n\r\n`);
    await pollUntil(() => raw.closed, 5000, 10);
    assert.match(Buffer.concat(raw.received).toString("utf8"), /^HTTP\/1\.1 403[\s\S]*origin not allowed .*gateway\.controlUi\.allowedOrigins/, "the refusal names the setting that fixes it");
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${gw.token}`, origin: "https://evil.example" } });
    assert.equal(metrics.status, 403, "HTTP routes check the Origin too");
    await metrics.body?.cancel();
    const log = await pollUntil(() => (gw.rt.logFile && existsSync(gw.rt.logFile) ? readFileSync(gw.rt.logFile, "utf8").includes("origin https://evil.example") : false), 3000, 20);
    assert.ok(log, "the refusal is logged with the origin");
  });

  test("gateway.controlUi.allowedOrigins admits a listed origin", async (t) => {
    const gw = await startTestGateway(t, { config: { gateway: { controlUi: { allowedOrigins: ["https://control.example.com"] } } } });
    assert.equal(await upgradeStatus(t, gw, { origin: "https://control.example.com" }), 101);
    assert.equal(await upgradeStatus(t, gw, { origin: "https://control.example.com.evil.example" }), 403);
  });

  test("a config reload that drops an origin from allowedOrigins closes its live sockets with 1008; other sockets stay", async (t) => {
    const gw = await startTestGateway(t, { config: { gateway: { controlUi: { allowedOrigins: ["https://control.example.com", "https://keep.example.com"] } } } });
    const dropped = await authed(t, gw, { headers: { origin: "https://control.example.com" } });
    const kept = await authed(t, gw, { headers: { origin: "https://keep.example.com" } });
    const cli = await authed(t, gw);
    const config = JSON.parse(readFileSync(gw.configPath, "utf8")) as { gateway: { controlUi: { allowedOrigins: string[] } } };
    config.gateway.controlUi.allowedOrigins = ["https://keep.example.com"];
    const tmp = `${gw.configPath}.${randomUUID()}.tmp`;
    writeFileSync(tmp, JSON.stringify(config));
    renameSync(tmp, gw.configPath);
    assert.equal(await dropped.until(() => dropped.closeCode, "close of the dropped origin", 10_000), 1008);
    assert.ok(await pollUntil(() => gw.rt.metrics.reloads > 0, 5000, 20));
    assert.equal(kept.closeCode, undefined, "a still-allowed origin stays connected");
    assert.equal(cli.closeCode, undefined, "a non-browser client stays connected");
  });
});

describe("pre-auth limits", () => {
  test("a pre-auth frame declaring 24 MiB is refused on its header (close 1009) before any payload", async (t) => {
    const gw = await startTestGateway(t, { gateway: { handshakeTimeoutMs: 60_000 } });
    const s = await rawUpgrade(gw.rt.port);
    t.after(() => s.socket.destroy());
    s.socket.write(frameHeader(24 * 1024 * 1024));
    const closed = await pollUntil(() => s.closed, 5000, 10);
    assert.ok(closed, "the socket is closed without the payload being sent");
    assert.equal(closeCodeOf(s), 1009);
    assert.equal(gw.rt.metrics.framesRefused, 1);
  });

  test("a binary first frame closes 1008 at once", async (t) => {
    const gw = await startTestGateway(t, { gateway: { handshakeTimeoutMs: 60_000 } });
    const c = open(t, gw.url);
    await c.until(() => c.frames[0], "challenge");
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    assert.equal(await c.until(() => c.closeCode, "close"), 1008);
    assert.equal(c.frames.filter((f) => f.type === "res").length, 0);
  });

  test("a TCP socket that never sends a byte is closed after the idle timeout; so is one stuck in its headers", async (t) => {
    const gw = await startTestGateway(t, { gateway: { handshakeTimeoutMs: 400 } });
    const silent = openTcp(gw.rt.port);
    const partial = openTcp(gw.rt.port);
    partial.socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    t.after(() => {
      silent.socket.destroy();
      partial.socket.destroy();
    });
    assert.ok(await pollUntil(() => silent.closed && partial.closed, 5000, 20), "both sockets closed");
  });

  test("unauthenticated sockets are capped per address; refused ones close at once; /healthz and a connected client keep working", async (t) => {
    const gw = await startTestGateway(t, {
      gateway: { handshakeTimeoutMs: 60_000, sockets: { maxUnauthenticatedPerAddress: 5, maxUnauthenticated: 50, healthReserve: 2, reserveTimeoutMs: 300 } },
    });
    const client = await gw.connect();
    t.after(() => client.close());
    const flood = Array.from({ length: 30 }, () => openTcp(gw.rt.port));
    t.after(() => {
      for (const s of flood) s.socket.destroy();
    });
    assert.ok(await pollUntil(() => flood.filter((s) => s.closed).length >= 23, 5000, 10), "all but the admitted and reserve sockets are refused (or evicted from the reserve)");
    assert.deepEqual(gw.rt.unauthenticated?.counts().unauthenticated, 5);
    assert.ok(gw.rt.metrics.connectionsRefused >= 23);
    const healthz = await pollUntil(
      async () => {
        try {
          const r = await fetch(`http://127.0.0.1:${gw.rt.port}/healthz`);
          await r.body?.cancel();
          return r.status === 200;
        } catch {
          return false;
        }
      },
      5000,
      50,
    );
    assert.ok(healthz, "/healthz answers while the caps are full");
    assert.equal(((await client.call("health", {})) as { ok: boolean }).ok, true);
    // Reserve sockets time out quickly; the admitted ones stay (long idle timeout).
    assert.ok(await pollUntil(() => flood.filter((s) => !s.closed).length === 5, 3000, 20), "the 5 admitted sockets stay open, the reserve drains");
  });
});

describe("authenticated frames", () => {
  test("a frame nested 1,000,000 deep gets INVALID_REQUEST naming the depth and the socket keeps serving", async (t) => {
    const gw = await startTestGateway(t);
    const c = await authed(t, gw);
    const depth = 1_000_000;
    c.send(`{"type":"req","id":"deep","method":"health","params":{"x":${"[".repeat(depth)}${"]".repeat(depth)}}}`);
    const res = await c.response("invalid", 10_000);
    assert.equal(res.ok, false);
    assert.equal(res.error!.code, "INVALID_REQUEST");
    assert.match(res.error!.message, /nested deeper than 64/);
    c.send({ type: "req", id: "after", method: "health", params: {} });
    assert.equal((await c.response("after")).ok, true);
  });

  test("res and event frames from a client get INVALID_REQUEST", async (t) => {
    const gw = await startTestGateway(t);
    const c = await authed(t, gw);
    c.send({ type: "res", id: "r1", ok: true, payload: {} });
    const r1 = await c.response("r1");
    assert.equal(r1.ok, false);
    assert.equal(r1.error!.code, "INVALID_REQUEST");
    c.send({ type: "event", event: "tick", payload: {} });
    const ev = await c.response("invalid");
    assert.equal(ev.error!.code, "INVALID_REQUEST");
    assert.match(ev.error!.message, /event frame is not a request/);
  });

  test("an authenticated socket that stops answering pings is closed; one that answers stays", async (t) => {
    const gw = await startTestGateway(t, { gateway: { sockets: { pingIntervalMs: 100 } } });
    const dead = await authed(t, gw, { autoPong: false });
    const alive = await authed(t, gw);
    await dead.until(() => dead.closeCode, "the silent socket closed");
    assert.equal(alive.closeCode, undefined);
    alive.send({ type: "req", id: "h", method: "health", params: {} });
    assert.equal((await alive.response("h")).ok, true);
  });
});

describe("auth lockout", () => {
  test("with exemptLoopback:false, 3 wrong tokens lock the source, yet the right token gets in; a guess then blocks the next try for a while", async (t) => {
    const gw = await startTestGateway(t, {
      config: { gateway: { auth: { rateLimit: { maxAttempts: 3, windowMs: 60_000, lockoutMs: 60_000, exemptLoopback: false } } } },
    });
    const wrong = async () => {
      const c = open(t, gw.url);
      const res = await c.connect(`wrong-${randomUUID()}`);
      await c.until(() => c.closeCode, "close");
      return res;
    };
    for (let i = 0; i < 3; i++) assert.equal((await wrong()).error!.details?.code, "AUTH_TOKEN_MISMATCH");
    const owner = open(t, gw.url);
    assert.equal((await owner.connect(gw.token)).ok, true, "the owner is not locked out by someone else's guesses");
    // The success cleared the entry; lock it again and let a guess take the lockout's check.
    for (let i = 0; i < 3; i++) await wrong();
    assert.equal((await wrong()).error!.details?.code, "AUTH_TOKEN_MISMATCH", "one guess per interval is checked");
    const limited = await open(t, gw.url).connect(gw.token);
    assert.equal(limited.ok, false);
    assert.equal(limited.error!.details?.code, "AUTH_RATE_LIMITED");
    assert.ok(limited.error!.retryAfterMs! > 0 && limited.error!.retryAfterMs! <= 20_000, String(limited.error!.retryAfterMs));
    const metrics = await fetch(`http://127.0.0.1:${gw.rt.port}/metrics`, { headers: { authorization: "Bearer wrong" } });
    assert.equal(metrics.status, 429);
    await metrics.body?.cancel();
  });

  test("missing credentials are not guesses: they never lock the source", async (t) => {
    const gw = await startTestGateway(t, {
      config: { gateway: { auth: { rateLimit: { maxAttempts: 3, windowMs: 60_000, lockoutMs: 60_000, exemptLoopback: false } } } },
    });
    for (let i = 0; i < 5; i++) {
      const c = open(t, gw.url);
      assert.equal((await c.connect(undefined)).error!.details?.code, "AUTH_TOKEN_MISSING");
    }
    const noAuth = await fetch(`http://127.0.0.1:${gw.rt.port}/metrics`);
    assert.equal(noAuth.status, 401);
    await noAuth.body?.cancel();
    assert.equal(gw.rt.limiter.lockedFor({ ip: "127.0.0.1" }, "token"), 0);
  });

  test("a browser page's failures are keyed by its origin and never loopback-exempt; the CLI's token still works", async (t) => {
    const gw = await startTestGateway(t, { config: { gateway: { auth: { rateLimit: { maxAttempts: 3, windowMs: 60_000, lockoutMs: 60_000 } } } } });
    const page = { headers: { origin: `http://127.0.0.1:${gw.rt.port}` } };
    for (let i = 0; i < 4; i++) {
      const c = open(t, gw.url, page);
      assert.equal((await c.connect(`guess-${i}`)).error!.details?.code, "AUTH_TOKEN_MISMATCH");
    }
    const pageRight = await open(t, gw.url, page).connect(gw.token);
    assert.equal(pageRight.error?.details?.code, "AUTH_RATE_LIMITED", "the page is limited even on loopback");
    const cli = await gw.connect();
    t.after(() => cli.close());
    assert.equal(((await cli.call("health", {})) as { ok: boolean }).ok, true);
  });
});
