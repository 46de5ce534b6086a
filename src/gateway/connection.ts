/**
 * One WebSocket connection through its life: challenge → connect (protocol, auth, rate limit) →
 * requests and events. After auth, bad frames (malformed, too deeply nested, `res`/`event` from the
 * client) get an INVALID_REQUEST error and the connection keeps serving; a bad handshake closes with
 * 1008; an oversized frame closes with 1009 (pre-auth on its header via the socket guard, after
 * auth by the socket's maxPayload).
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { WebSocket } from "ws";
import type { GatewayAuth, OpenClawConfig } from "../config/index.js";
import type { Logger } from "../logging/index.js";
import {
  ALL_OPERATOR_SCOPES,
  ConnectParams,
  type ConnectParamsT,
  type ErrorShape,
  type HelloOk,
  MAX_PREAUTH_PAYLOAD_BYTES,
  negotiateProtocol,
  ParamsError,
  parseFrame,
  type RequestFrame,
  SUPPORTED_PROTOCOLS,
} from "../protocol/index.js";
import { ERROR_TABLE, redactText, redactValue, toAppError } from "../shared/index.js";
import { type AuthRateLimiter, checkCredentials } from "./auth.js";
import { checkDeviceIdentity } from "./device-identity.js";
import { type EventBus, type EventSubscriber, SLOW_CONSUMER_CLOSE } from "./events.js";
import type { GatewayMetrics } from "./metrics.js";
import { printableOrigin } from "./origin.js";

/** What a connection needs of the gateway (the core implements it; no import of the runtime). */
/** How long a closed peer has to read its close frame before the socket is dropped. */
const CLOSE_GRACE_MS = 5000;

export interface ConnectionHost {
  readonly log: Logger;
  readonly metrics: GatewayMetrics;
  readonly events: EventBus;
  readonly connections: Set<Connection>;
  runningAuth(): GatewayAuth;
  runningConfig(): OpenClawConfig;
  authLimiter(): AuthRateLimiter;
  handshakeTimeoutMs(): number;
  /** Bound on bytes queued for one peer (hello-ok.policy.maxBufferedBytes). */
  maxBufferedBytes(): number;
  /** Asks for memory freed by a dropped queue to go back to the system. */
  releaseMemory(): void;
  hello(conn: Connection): HelloOk;
  presenceChanged(): void;
  dispatch(conn: Connection, frame: RequestFrame): Promise<void>;
}

/** Bytes handed to the socket at a time; the rest of a burst waits in the connection's own queue. */
const SOCKET_HIGH_WATER = 1024 * 1024;

export class Connection {
  readonly id = randomUUID();
  readonly connectedAt = Date.now();
  authed = false;
  scopes: string[] = [];
  client: ConnectParamsT["client"] | undefined;
  protocol = 0;
  /** The page's origin when a browser opened this socket. */
  origin: string | undefined;
  /** What the origin was checked against at upgrade (Host header, direct local peer), for re-checks on reload. */
  originContext: { host: string | undefined; isLocalClient: boolean } | undefined;
  /** Last time the peer sent anything (a frame or a pong). */
  lastSeenAt = Date.now();
  private closed = false;

  constructor(
    readonly ws: WebSocket,
    readonly ip: string,
    private readonly maxBufferedBytes: number,
    /** Called once when the peer is closed for not reading, with the bytes that were waiting for it. */
    private readonly onSlowConsumer: (droppedBytes: number) => void,
  ) {}

  /** The connection as the event bus sees it: broadcasts only once authenticated. */
  subscriber(): EventSubscriber {
    const conn = this;
    return {
      id: this.id,
      get scopes() {
        return conn.scopes;
      },
      receivesBroadcasts: () => this.authed,
      bufferedBytes: () => this.bufferedBytes(),
      write: (text) => this.write(text),
      close: (code, reason) => this.close(code, reason),
    };
  }

  /** Bytes waiting for this peer: our queue plus what the socket holds. */
  bufferedBytes(): number {
    return this.queuedBytes + this.ws.bufferedAmount;
  }

  /**
   * Queues a serialized frame. The socket gets at most `SOCKET_HIGH_WATER` bytes at a time; the rest
   * waits here as strings, bounded by `maxBufferedBytes`: past it the peer is a slow consumer, its
   * queue is dropped at once (memory comes back) and it is closed with 1008.
   */
  write(text: string): boolean {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return !this.slow;
    if (this.queue.length === this.queueHead && this.ws.bufferedAmount < SOCKET_HIGH_WATER) {
      this.corkForThisTick();
      this.ws.send(text, this.onSent);
      return true;
    }
    if (this.bufferedBytes() + text.length > this.maxBufferedBytes) {
      const dropped = this.bufferedBytes();
      this.slow = true;
      this.close(SLOW_CONSUMER_CLOSE.code, SLOW_CONSUMER_CLOSE.reason);
      this.onSlowConsumer(dropped);
      return false;
    }
    this.queue.push(text);
    this.queuedBytes += text.length;
    return true;
  }

  /** Set once the peer was closed for not reading. */
  private slow = false;

  /** The TCP socket under the WebSocket, when the listener handed it over (to batch writes). */
  socket: { cork(): void; uncork(): void } | undefined;
  private corked = false;

  /** Frames written in one turn of the event loop leave in one write, not one system call each. */
  private corkForThisTick(): void {
    if (this.corked || !this.socket) return;
    this.corked = true;
    this.socket.cork();
    process.nextTick(() => {
      this.corked = false;
      this.socket?.uncork();
    });
  }

  private queue: string[] = [];
  private queueHead = 0;
  private queuedBytes = 0;

  /** Moves queued frames to the socket as it drains. */
  private readonly onSent = (): void => {
    while (this.queueHead < this.queue.length && this.ws.bufferedAmount < SOCKET_HIGH_WATER && !this.closed) {
      const text = this.queue[this.queueHead]!;
      this.queue[this.queueHead++] = "";
      this.queuedBytes -= text.length;
      this.ws.send(text, this.onSent);
    }
    if (this.queueHead === this.queue.length && this.queueHead > 0) {
      this.queue = [];
      this.queueHead = 0;
    }
  };

  /**
   * Closes with a code and reason; a peer that does not read its close frame is dropped 5 s later
   * (the queue is already freed, so waiting costs nothing but a socket, and a peer catching up on
   * its backlog still learns why it was closed).
   */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.queueHead = 0;
    this.queuedBytes = 0;
    this.ws.close(code, reason);
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  seen(): void {
    this.lastSeenAt = Date.now();
  }

  reply(id: string, payload: unknown): void {
    this.write(JSON.stringify({ type: "res", id, ok: true, payload }));
  }

  fail(id: string, error: ErrorShape): void {
    this.write(JSON.stringify({ type: "res", id, ok: false, error }));
  }
}

/** The wire error for anything thrown by a handler (secrets redacted). */
export function toWireError(error: unknown): ErrorShape {
  if (error instanceof ParamsError) return { code: "INVALID_REQUEST", message: error.message };
  const app = toAppError(error);
  const spec = ERROR_TABLE[app.code];
  const out: ErrorShape = { code: spec.wire, message: redactText(app.message), retryable: spec.retryable };
  // Details carry code frames and issue lists: they are masked like the message.
  const hint = app.hint ? { hint: redactText(app.hint) } : {};
  if (app.details && app.code !== "INTERNAL") out.details = { ...redactValue(app.details), code: app.code, ...hint };
  else out.details = { code: app.code, ...hint };
  if (typeof app.details?.retryAfterMs === "number") out.retryAfterMs = app.details.retryAfterMs;
  return out;
}

function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? "unknown";
}

/** What the listener tells a new socket: its checked browser origin and what to do once authenticated. */
export interface SocketHooks {
  /** The request's Origin when it passed the origin check (browsers only). */
  origin?: string | undefined;
  /** The Host header and direct-local flag the origin was checked with. */
  originContext?: { host: string | undefined; isLocalClient: boolean } | undefined;
  /** Called once after a successful connect (lifts pre-auth limits and caps). */
  onAuthenticated(): void;
  /** The TCP socket under the WebSocket (writes in one tick are corked into one). */
  socket?: { cork(): void; uncork(): void };
}

/** Wires a new socket to the gateway. */
export function handleSocket(ws: WebSocket, req: IncomingMessage, rt: ConnectionHost, hooks: SocketHooks): void {
  const conn = new Connection(ws, clientIp(req), rt.maxBufferedBytes(), (droppedBytes) => {
    rt.events.stats.slowConsumerCloses++;
    rt.log.warn(`closed slow consumer ${conn.ip} with 1008: ${droppedBytes} bytes were queued (limit ${rt.maxBufferedBytes()})`, { conn: conn.id });
    rt.releaseMemory();
  });
  conn.origin = hooks.origin;
  conn.originContext = hooks.originContext;
  conn.socket = hooks.socket;
  rt.metrics.connectionsOpen++;
  rt.metrics.connectionsTotal++;
  rt.connections.add(conn);
  const nonce = randomBytes(16).toString("hex");
  const handshakeTimer = setTimeout(() => conn.close(1008, "handshake timeout: send connect within the time limit"), rt.handshakeTimeoutMs());
  handshakeTimer.unref();
  const unsubscribe = rt.events.subscribe(conn.subscriber());
  ws.on("close", () => {
    clearTimeout(handshakeTimer);
    unsubscribe();
    rt.connections.delete(conn);
    rt.metrics.connectionsOpen--;
    if (conn.authed) rt.presenceChanged();
  });
  ws.on("error", () => undefined);
  ws.on("pong", () => conn.seen());
  ws.on("message", (data, isBinary) => {
    conn.seen();
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer | ArrayBuffer).byteLength;
    if (!conn.authed) {
      // Pre-auth: anything but a small connect request ends the connection.
      if (size > MAX_PREAUTH_PAYLOAD_BYTES) {
        conn.close(1009, "frame too large before authentication");
        return;
      }
      const parsed = isBinary ? undefined : parseFrame(toText(data));
      if (!parsed?.ok || parsed.frame.type !== "req" || parsed.frame.method !== "connect") {
        conn.close(1008, "invalid handshake: the first frame must be a connect request");
        return;
      }
      clearTimeout(handshakeTimer);
      if (handleConnect(conn, parsed.frame, rt, nonce)) hooks.onAuthenticated();
      return;
    }
    if (isBinary) {
      conn.fail("invalid", { code: "INVALID_REQUEST", message: "binary frames are not supported; send JSON text" });
      return;
    }
    const parsed = parseFrame(toText(data));
    if (!parsed.ok) {
      conn.fail(parsed.id ?? "invalid", { code: "INVALID_REQUEST", message: parsed.error });
      return;
    }
    if (parsed.frame.type !== "req") {
      const id = parsed.frame.type === "res" ? parsed.frame.id : "invalid";
      conn.fail(id, { code: "INVALID_REQUEST", message: `clients send req frames; a ${parsed.frame.type} frame is not a request` });
      return;
    }
    void rt.dispatch(conn, parsed.frame);
  });
  rt.events.sendTo(conn.id, "connect.challenge", { nonce, ts: Date.now() });
}

function toText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString("utf8");
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.from(data).toString("utf8");
}

/** Checks a connect request; true when the connection is now authenticated. */
function handleConnect(conn: Connection, frame: RequestFrame, rt: ConnectionHost, nonce: string): boolean {
  const auth = rt.runningAuth();
  const limiter = rt.authLimiter();
  const refuse = (message: string, details?: Record<string, unknown>) => {
    conn.fail(frame.id, { code: "INVALID_REQUEST", message, ...(details ? { details } : {}) });
    conn.close(1008, message.slice(0, 120));
  };
  let params: ConnectParamsT;
  try {
    params = ConnectParams(frame.params, "");
  } catch (error) {
    refuse(`invalid connect params: ${(error as Error).message}`);
    return false;
  }
  const protocol = negotiateProtocol(params.minProtocol, params.maxProtocol);
  if (protocol === undefined) {
    refuse(`protocol mismatch: client speaks ${params.minProtocol}..${params.maxProtocol}, gateway speaks ${SUPPORTED_PROTOCOLS.join(", ")}`, {
      code: "PROTOCOL_MISMATCH",
      supported: SUPPORTED_PROTOCOLS,
    });
    return false;
  }
  const allowInsecureAuth = rt.runningConfig().gateway.controlUi?.allowInsecureAuth === true;
  const device = checkDeviceIdentity({ params, origin: conn.origin, nonce, authMode: auth.mode, allowInsecureAuth });
  if (!device.ok) {
    rt.metrics.authFailures++;
    rt.log.warn(`refused ${params.client.id} from ${conn.ip}${conn.origin ? ` (origin ${printableOrigin(conn.origin)})` : ""}: ${device.refusal.message}`, {
      hint: device.refusal.code === "CONTROL_UI_DEVICE_IDENTITY_REQUIRED" ? "open the Control UI over HTTPS (tailscale serve) or on localhost, or set gateway.controlUi.allowInsecureAuth" : undefined,
    });
    refuse(device.refusal.message, { code: device.refusal.code, ...(device.refusal.reason ? { reason: device.refusal.reason } : {}) });
    return false;
  }
  if (device.insecure) {
    rt.log.warn(`admitting ${params.client.id} from ${conn.origin ? printableOrigin(conn.origin) : conn.ip} without device identity: gateway.controlUi.allowInsecureAuth is on (retired in OpenClaw 2026.9, still honoured here)`);
  }
  const given = { token: params.auth?.token ?? params.auth?.deviceToken, password: params.auth?.password };
  const kind = auth.mode === "password" ? "password" : "token";
  const source = { ip: conn.ip, origin: conn.origin };
  const presented = kind === "password" ? given.password : given.token;
  if (auth.mode !== "none" && presented) {
    const decision = limiter.check(source, kind);
    if (!decision.allowed) {
      rt.log.warn(`auth rate limited from ${conn.ip}${conn.origin ? ` (origin ${printableOrigin(conn.origin)})` : ""}`);
      conn.fail(frame.id, {
        code: "UNAVAILABLE",
        message: "unauthorized: too many failed authentication attempts (retry later)",
        retryable: true,
        retryAfterMs: decision.retryAfterMs,
        details: { code: "AUTH_RATE_LIMITED", authReason: "rate_limited", recommendedNextStep: "wait_then_retry" },
      });
      conn.close(1008, "rate limited: too many failed auth attempts");
      return false;
    }
  }
  const problem = checkCredentials(auth, given);
  if (problem) {
    const missing = problem.includes("missing");
    // Only wrong credentials count; a client that sent none is not guessing.
    if (!missing) limiter.recordFailure(source, kind);
    rt.metrics.authFailures++;
    rt.log.warn(`auth failed from ${conn.ip}: ${problem}`);
    refuse(problem, { code: missing ? "AUTH_TOKEN_MISSING" : auth.mode === "password" ? "AUTH_PASSWORD_MISMATCH" : "AUTH_TOKEN_MISMATCH" });
    return false;
  }
  limiter.recordSuccess(source, kind);
  conn.authed = true;
  conn.protocol = protocol;
  conn.client = params.client;
  conn.scopes = grantedScopes(auth.mode, params.scopes);
  conn.reply(frame.id, rt.hello(conn));
  rt.presenceChanged();
  return true;
}

/**
 * The scopes a connection gets. Shared-secret auth (token or password) is trusted operator access:
 * the full operator scope set whatever the client declares, as in OpenClaw (its OpenClaw CLI declares
 * only `operator.read` and then calls `config.get`). Without a shared secret (`auth.mode: "none"`)
 * the declared scopes are honoured, defaulting to read-only.
 */
export function grantedScopes(authMode: string, declared: readonly string[] | undefined): string[] {
  if (authMode === "token" || authMode === "password") return [...ALL_OPERATOR_SCOPES];
  return declared && declared.length > 0 ? [...declared] : ["operator.read"];
}
