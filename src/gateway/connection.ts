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
import {
  ALL_OPERATOR_SCOPES,
  ConnectParams,
  type ConnectParamsT,
  type ErrorShape,
  type EventFrame,
  hasScope,
  isMethodName,
  MAX_BUFFERED_BYTES,
  MAX_PREAUTH_PAYLOAD_BYTES,
  METHODS,
  negotiateProtocol,
  ParamsError,
  parseFrame,
  type RequestFrame,
  type Scope,
  SUPPORTED_PROTOCOLS,
} from "../protocol/index.js";
import { AppError, ERROR_TABLE, redactText, redactValue, toAppError } from "../shared/index.js";
import { checkCredentials } from "./auth.js";
import { printableOrigin } from "./origin.js";
import type { GatewayRuntime } from "./runtime.js";

export class Connection {
  readonly id = randomUUID();
  readonly connectedAt = Date.now();
  authed = false;
  scopes: string[] = [];
  client: ConnectParamsT["client"] | undefined;
  protocol = 0;
  /** The page's origin when a browser opened this socket. */
  origin: string | undefined;
  /** Last time the peer sent anything (a frame or a pong). */
  lastSeenAt = Date.now();
  private seq = 0;

  constructor(
    readonly ws: WebSocket,
    readonly ip: string,
  ) {}

  send(frame: object): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    // A peer that stops reading must not make the gateway buffer without bound (hello-ok.policy).
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.ws.terminate();
      return;
    }
    this.ws.send(JSON.stringify(frame));
  }

  seen(): void {
    this.lastSeenAt = Date.now();
  }

  event(event: string, payload: unknown, extra: Partial<EventFrame> = {}): void {
    this.send({ type: "event", event, payload, seq: this.seq++, ...extra });
  }

  reply(id: string, payload: unknown): void {
    this.send({ type: "res", id, ok: true, payload });
  }

  fail(id: string, error: ErrorShape): void {
    this.send({ type: "res", id, ok: false, error });
  }
}

/** The wire error for anything thrown by a handler (secrets redacted). */
export function toWireError(error: unknown): ErrorShape {
  if (error instanceof ParamsError) return { code: "INVALID_REQUEST", message: error.message };
  const app = toAppError(error);
  const spec = ERROR_TABLE[app.code];
  const out: ErrorShape = { code: spec.wire, message: redactText(app.message), retryable: spec.retryable };
  // Details carry code frames and issue lists: they are masked like the message.
  if (app.details && app.code !== "INTERNAL") out.details = { ...redactValue(app.details), code: app.code };
  else out.details = { code: app.code };
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
  /** Called once after a successful connect (lifts pre-auth limits and caps). */
  onAuthenticated(): void;
}

/** Wires a new socket to the runtime. */
export function handleSocket(ws: WebSocket, req: IncomingMessage, rt: GatewayRuntime, hooks: SocketHooks): void {
  const conn = new Connection(ws, clientIp(req));
  conn.origin = hooks.origin;
  rt.metrics.connectionsOpen++;
  rt.metrics.connectionsTotal++;
  rt.connections.add(conn);
  const nonce = randomBytes(16).toString("hex");
  const handshakeTimer = setTimeout(() => ws.close(1008, "handshake timeout: send connect within the time limit"), rt.sockets.handshakeTimeoutMs);
  handshakeTimer.unref();
  ws.on("close", () => {
    clearTimeout(handshakeTimer);
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
        ws.close(1009, "frame too large before authentication");
        return;
      }
      const parsed = isBinary ? undefined : parseFrame(toText(data));
      if (!parsed?.ok || parsed.frame.type !== "req" || parsed.frame.method !== "connect") {
        ws.close(1008, "invalid handshake: the first frame must be a connect request");
        return;
      }
      clearTimeout(handshakeTimer);
      if (handleConnect(conn, parsed.frame, rt)) hooks.onAuthenticated();
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
    void dispatch(conn, parsed.frame, rt);
  });
  conn.event("connect.challenge", { nonce, ts: Date.now() });
}

function toText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString("utf8");
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.from(data).toString("utf8");
}

/** Checks a connect request; true when the connection is now authenticated. */
function handleConnect(conn: Connection, frame: RequestFrame, rt: GatewayRuntime): boolean {
  const refuse = (message: string, details?: Record<string, unknown>) => {
    conn.fail(frame.id, { code: "INVALID_REQUEST", message, ...(details ? { details } : {}) });
    conn.ws.close(1008, message.slice(0, 120));
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
  const given = { token: params.auth?.token ?? params.auth?.deviceToken, password: params.auth?.password };
  const kind = rt.auth.mode === "password" ? "password" : "token";
  const source = { ip: conn.ip, origin: conn.origin };
  const presented = kind === "password" ? given.password : given.token;
  if (rt.auth.mode !== "none" && presented) {
    const decision = rt.limiter.check(source, kind);
    if (!decision.allowed) {
      rt.log.warn(`auth rate limited from ${conn.ip}${conn.origin ? ` (origin ${printableOrigin(conn.origin)})` : ""}`);
      conn.fail(frame.id, {
        code: "UNAVAILABLE",
        message: "unauthorized: too many failed authentication attempts (retry later)",
        retryable: true,
        retryAfterMs: decision.retryAfterMs,
        details: { code: "AUTH_RATE_LIMITED", authReason: "rate_limited", recommendedNextStep: "wait_then_retry" },
      });
      conn.ws.close(1008, "rate limited: too many failed auth attempts");
      return false;
    }
  }
  const problem = checkCredentials(rt.auth, given);
  if (problem) {
    const missing = problem.includes("missing");
    // Only wrong credentials count; a client that sent none is not guessing.
    if (!missing) rt.limiter.recordFailure(source, kind);
    rt.metrics.authFailures++;
    rt.log.warn(`auth failed from ${conn.ip}: ${problem}`);
    refuse(problem, { code: missing ? "AUTH_TOKEN_MISSING" : rt.auth.mode === "password" ? "AUTH_PASSWORD_MISMATCH" : "AUTH_TOKEN_MISMATCH" });
    return false;
  }
  rt.limiter.recordSuccess(source, kind);
  conn.authed = true;
  conn.protocol = protocol;
  conn.client = params.client;
  conn.scopes = grantedScopes(rt.auth.mode, params.scopes);
  conn.reply(frame.id, rt.buildHello(conn));
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

async function dispatch(conn: Connection, frame: RequestFrame, rt: GatewayRuntime): Promise<void> {
  const started = performance.now();
  const method = frame.method;
  let ok = false;
  try {
    if (!isMethodName(method)) {
      throw new AppError("USAGE", `unknown method: ${method}`, { hint: "See hello-ok.features.methods for the methods this gateway serves." });
    }
    const spec = METHODS[method];
    if (!hasScope(conn.scopes, spec.scope as Scope)) {
      conn.fail(frame.id, { code: "FORBIDDEN", message: `missing scope: ${spec.scope}`, details: { code: "MISSING_SCOPE", missingScope: spec.scope } });
      return;
    }
    const params = spec.params(frame.params, "");
    const result = await rt.handle(method, params, conn);
    ok = true;
    conn.reply(frame.id, result);
  } catch (error) {
    const wire = toWireError(error);
    if (wire.details && (wire.details as { code?: string }).code === "INTERNAL") rt.log.error(`${method} failed: ${(error as Error).message}`);
    conn.fail(frame.id, wire);
  } finally {
    const ms = performance.now() - started;
    rt.metrics.observeRpc(isMethodName(method) ? method : "unknown", ms, ok);
    // Quiet by default: failures and slow calls only; --verbose (debug) logs every call.
    if (!ok || ms >= 50) rt.log.info(`ws ${method} ${ok ? "ok" : "failed"} ${ms.toFixed(1)} ms`, { conn: conn.id, ip: conn.ip });
    else if (rt.log.isEnabled("debug")) rt.log.debug(`ws ${method} ok ${ms.toFixed(1)} ms`, { conn: conn.id });
  }
}
