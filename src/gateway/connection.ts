/**
 * One WebSocket connection through its life: challenge → connect (protocol, auth, rate limit) →
 * requests and events. Bad frames get an error and the connection keeps serving; a bad handshake
 * closes with 1008; an oversized frame closes with 1009 (enforced by the socket's maxPayload).
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { WebSocket } from "ws";
import {
  ConnectParams,
  type ConnectParamsT,
  type ErrorShape,
  type EventFrame,
  hasScope,
  isMethodName,
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
import type { GatewayRuntime } from "./runtime.js";

export class Connection {
  readonly id = randomUUID();
  readonly connectedAt = Date.now();
  authed = false;
  scopes: string[] = [];
  client: ConnectParamsT["client"] | undefined;
  protocol = 0;
  private seq = 0;

  constructor(
    readonly ws: WebSocket,
    readonly ip: string,
  ) {}

  send(frame: object): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(frame));
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

/** Wires a new socket to the runtime. */
export function handleSocket(ws: WebSocket, req: IncomingMessage, rt: GatewayRuntime): void {
  const conn = new Connection(ws, clientIp(req));
  rt.metrics.connectionsOpen++;
  rt.metrics.connectionsTotal++;
  rt.connections.add(conn);
  const nonce = randomBytes(16).toString("hex");
  const handshakeTimer = setTimeout(() => ws.close(1008, "handshake timeout: send connect within the time limit"), rt.policy.handshakeTimeoutMs);
  handshakeTimer.unref();
  ws.on("close", () => {
    clearTimeout(handshakeTimer);
    rt.connections.delete(conn);
    rt.metrics.connectionsOpen--;
    if (conn.authed) rt.presenceChanged();
  });
  ws.on("error", () => undefined);
  ws.on("message", (data, isBinary) => {
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer | ArrayBuffer).byteLength;
    if (!conn.authed && size > MAX_PREAUTH_PAYLOAD_BYTES) {
      ws.close(1009, "frame too large before authentication");
      return;
    }
    if (isBinary) {
      conn.fail("invalid", { code: "INVALID_REQUEST", message: "binary frames are not supported; send JSON text" });
      return;
    }
    const text = Buffer.isBuffer(data) ? data.toString("utf8") : Buffer.from(data as ArrayBuffer).toString("utf8");
    const parsed = parseFrame(text);
    if (!conn.authed) {
      if (!parsed.ok || parsed.frame.type !== "req" || parsed.frame.method !== "connect") {
        ws.close(1008, "invalid handshake: the first frame must be a connect request");
        return;
      }
      clearTimeout(handshakeTimer);
      handleConnect(conn, parsed.frame, rt);
      return;
    }
    if (!parsed.ok) {
      conn.fail(parsed.id ?? "invalid", { code: "INVALID_REQUEST", message: parsed.error });
      return;
    }
    if (parsed.frame.type !== "req") return;
    void dispatch(conn, parsed.frame, rt);
  });
  conn.event("connect.challenge", { nonce, ts: Date.now() });
}

function handleConnect(conn: Connection, frame: RequestFrame, rt: GatewayRuntime): void {
  const refuse = (message: string, details?: Record<string, unknown>) => {
    conn.fail(frame.id, { code: "INVALID_REQUEST", message, ...(details ? { details } : {}) });
    conn.ws.close(1008, message.slice(0, 120));
  };
  let params: ConnectParamsT;
  try {
    params = ConnectParams(frame.params, "");
  } catch (error) {
    refuse(`invalid connect params: ${(error as Error).message}`);
    return;
  }
  const protocol = negotiateProtocol(params.minProtocol, params.maxProtocol);
  if (protocol === undefined) {
    refuse(`protocol mismatch: client speaks ${params.minProtocol}..${params.maxProtocol}, gateway speaks ${SUPPORTED_PROTOCOLS.join(", ")}`, {
      code: "PROTOCOL_MISMATCH",
      supported: SUPPORTED_PROTOCOLS,
    });
    return;
  }
  const wait = rt.limiter.retryAfter(conn.ip);
  if (wait > 0) {
    conn.fail(frame.id, { code: "UNAVAILABLE", message: "too many failed auth attempts; try again later", retryable: true, retryAfterMs: wait });
    conn.ws.close(1008, "rate limited: too many failed auth attempts");
    return;
  }
  const problem = checkCredentials(rt.auth, { token: params.auth?.token ?? params.auth?.deviceToken, password: params.auth?.password });
  if (problem) {
    rt.limiter.recordFailure(conn.ip);
    rt.metrics.authFailures++;
    rt.log.warn(`auth failed from ${conn.ip}: ${problem}`);
    refuse(problem, { code: problem.includes("missing") ? "AUTH_TOKEN_MISSING" : rt.auth.mode === "password" ? "AUTH_PASSWORD_MISMATCH" : "AUTH_TOKEN_MISMATCH" });
    return;
  }
  rt.limiter.recordSuccess(conn.ip);
  conn.authed = true;
  conn.protocol = protocol;
  conn.client = params.client;
  // Shared-secret (or loopback no-auth) operators get the scopes they ask for.
  conn.scopes = params.scopes && params.scopes.length > 0 ? params.scopes : ["operator.read"];
  conn.reply(frame.id, rt.buildHello(conn));
  rt.presenceChanged();
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
