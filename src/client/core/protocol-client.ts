/**
 * The typed gateway client, browser-safe: connects over any `Transport` (the Node part's socket, or
 * a browser `WebSocket` through `fromWebSocket`), answers the server's challenge, calls methods with a
 * timeout each, and delivers events. Imports only the protocol tables and shared helpers; every wait
 * is bounded, so nothing here can hang a command or a page.
 */
import {
  type ErrorShape,
  type EventFrame,
  type HelloOk,
  METHODS,
  type MethodName,
  type MethodParams,
  PROTOCOL_VERSION,
  parseFrame,
  SUPPORTED_PROTOCOLS,
} from "../../protocol/index.js";
import { AppError, ERROR_TABLE, type ErrorCode } from "../../shared/index.js";
import type { Transport, TransportFactory } from "./transport.js";

type Timer = ReturnType<typeof setTimeout>;

const newId = (): string => globalThis.crypto.randomUUID();

export interface ConnectOptions {
  url: string;
  token?: string | undefined;
  password?: string | undefined;
  /** Bound on the whole connect + handshake (default 10 s). */
  timeoutMs?: number;
  clientId?: string;
  clientMode?: string;
  version?: string;
  scopes?: string[];
  minProtocol?: number;
  maxProtocol?: number;
  /** Reported in `connect.client.platform` (the Node part passes process.platform). */
  platform?: string;
}

function detailsOf(wire: ErrorShape): Record<string, unknown> {
  return wire.details && typeof wire.details === "object" ? (wire.details as Record<string, unknown>) : {};
}

/**
 * The local code for a gateway failure: the gateway's own AppError code when it sent a known one
 * (so NOT_FOUND stays NOT_FOUND, exit 1), else one derived from the wire code.
 */
function callErrorCode(wire: ErrorShape): ErrorCode {
  const sent = detailsOf(wire).code;
  if (typeof sent === "string" && sent !== "INTERNAL" && Object.hasOwn(ERROR_TABLE, sent)) return sent as ErrorCode;
  return wire.code === "FORBIDDEN" ? "FORBIDDEN" : wire.retryAfterMs !== undefined ? "RATE_LIMITED" : wire.code === "UNAVAILABLE" ? "UNAVAILABLE" : "USAGE";
}

/** A failure answered by the gateway (`res` with `ok:false`). */
export class GatewayCallError extends AppError {
  constructor(
    readonly method: string,
    readonly wire: ErrorShape,
  ) {
    super(callErrorCode(wire), `${method}: ${wire.message}`, { details: { wire }, ...(typeof detailsOf(wire).hint === "string" ? { hint: detailsOf(wire).hint as string } : {}) });
  }
}

function unreachable(url: string, why: string): AppError {
  return new AppError("UNREACHABLE", `gateway connect failed: ${url}: ${why}`, {
    hint: "Is the gateway running? Start it with openclaw gateway, or check the port/URL (openclaw gateway status).",
  });
}

/** Per-call options: a timeout, and for two-stage methods, waiting past the `accepted` answer. */
export interface CallOptions {
  timeoutMs?: number;
  /** Resolve with the final answer, not the first `{ status: "accepted" }` one. */
  expectFinal?: boolean;
  /** Called with the `accepted` answer when `expectFinal` is set. */
  onAccepted?: (payload: unknown) => void;
}

export class ProtocolClient {
  private readonly pending = new Map<string, { resolve(v: unknown): void; reject(e: unknown): void; timer: Timer; method: string; onAccepted?: (payload: unknown) => void }>();
  private readonly listeners = new Set<(event: EventFrame) => void>();
  private closedReason: string | undefined;

  private constructor(
    private readonly ws: Transport,
    readonly hello: HelloOk,
    readonly url: string,
  ) {
    ws.listen({
      message: (text) => this.onMessage(text),
      close: (code, reason) => this.onClose(`closed (${code}${reason.length ? `: ${reason}` : ""})`),
      error: () => undefined,
    });
  }

  /** Opens a transport, completes the handshake and returns a ready client. */
  static connect(options: ConnectOptions, open: TransportFactory): Promise<ProtocolClient> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      let settled = false;
      let ws: Transport;
      try {
        ws = open(options.url, { handshakeTimeoutMs: timeoutMs });
      } catch (error) {
        reject(new AppError("USAGE", `invalid gateway URL ${options.url}: ${(error as Error).message}`, { hint: "Use ws://host:port or wss://host:port." }));
        return;
      }
      const finish = (error: unknown, client?: ProtocolClient) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          ws.listen({ message: () => undefined, close: () => undefined, error: () => undefined });
          ws.terminate();
          reject(error);
        } else resolve(client!);
      };
      const timer = setTimeout(() => finish(new AppError("TIMEOUT", `gateway connect timed out after ${timeoutMs} ms: ${options.url}`, { hint: "Check that the gateway is running and reachable." })), timeoutMs);
      const connectId = newId();
      const onClose = (code: number, text: string) => {
        if (code === 1008) {
          finish(new AppError("UNAUTHORIZED", `gateway refused the connection: ${text || "policy violation"}`, {
            hint: "Check the token or password (OPENCLAW_GATEWAY_TOKEN, gateway.auth.token, or --token).",
          }));
        } else finish(unreachable(options.url, `closed during handshake (${code}${text ? `: ${text}` : ""})`));
      };
      const onMessage = (data: string) => {
        const parsed = parseFrame(data);
        if (!parsed.ok) return finish(unreachable(options.url, `bad frame from server: ${parsed.error}`));
        const frame = parsed.frame;
        if (frame.type === "event" && frame.event === "connect.challenge") {
          const auth: Record<string, string> = {};
          if (options.token) auth.token = options.token;
          if (options.password) auth.password = options.password;
          ws.send(
            JSON.stringify({
              type: "req",
              id: connectId,
              method: "connect",
              params: {
                minProtocol: options.minProtocol ?? SUPPORTED_PROTOCOLS[0],
                maxProtocol: options.maxProtocol ?? PROTOCOL_VERSION,
                client: { id: options.clientId ?? "cli", mode: options.clientMode ?? "cli", version: options.version ?? "0", platform: options.platform ?? "web" },
                role: "operator",
                scopes: options.scopes ?? ["operator.read", "operator.write", "operator.admin"],
                caps: [],
                auth,
              },
            }),
          );
          return;
        }
        if (frame.type === "res" && frame.id === connectId) {
          if (!frame.ok) {
            const e = frame.error ?? { code: "INVALID_REQUEST", message: "connect refused" };
            return finish(new AppError(e.code === "FORBIDDEN" ? "UNAUTHORIZED" : "UNREACHABLE", `gateway refused the connection: ${e.message}`, { details: { wire: e } }));
          }
          return finish(undefined, new ProtocolClient(ws, frame.payload as HelloOk, options.url));
        }
      };
      ws.listen({ message: onMessage, close: onClose, error: (why) => finish(unreachable(options.url, why)) });
    });
  }

  private onMessage(text: string): void {
    const parsed = parseFrame(text);
    if (!parsed.ok) return;
    const frame = parsed.frame;
    if (frame.type === "res") {
      const p = this.pending.get(frame.id);
      if (!p) return;
      // Two-stage methods (`agent`): the first answer says the run was accepted; the final one follows on the same id.
      if (p.onAccepted && frame.ok && (frame.payload as { status?: unknown } | undefined)?.status === "accepted") {
        p.onAccepted(frame.payload);
        return;
      }
      this.pending.delete(frame.id);
      clearTimeout(p.timer);
      if (frame.ok) p.resolve(frame.payload);
      else p.reject(new GatewayCallError(p.method, frame.error ?? { code: "UNAVAILABLE", message: "unknown error" }));
    } else if (frame.type === "event") {
      for (const l of this.listeners) l(frame);
    }
  }

  private onClose(reason: string): void {
    this.closedReason = reason;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(unreachable(this.url, `connection ${reason} while waiting for ${p.method}`));
      this.pending.delete(id);
    }
  }

  /** Calls a method from the table; params are checked before sending, and the result's keys after. */
  call<M extends MethodName>(method: M, params?: MethodParams<M> | Record<string, unknown>, options?: CallOptions): Promise<unknown>;
  call(method: string, params?: unknown, options?: CallOptions): Promise<unknown>;
  call(method: string, params: unknown = {}, options: CallOptions = {}): Promise<unknown> {
    if (this.closedReason) return Promise.reject(unreachable(this.url, `connection ${this.closedReason}`));
    const spec = Object.hasOwn(METHODS, method) ? METHODS[method as MethodName] : undefined;
    const timeoutMs = options.timeoutMs ?? 30_000;
    const id = newId();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new AppError("TIMEOUT", `${method} timed out after ${timeoutMs} ms`, { hint: "The gateway is connected but did not answer; see openclaw logs." }));
      }, timeoutMs);
      this.pending.set(id, {
        method,
        timer,
        reject,
        onAccepted: options.expectFinal ? (payload) => options.onAccepted?.(payload) : undefined,
        resolve: (payload) => {
          const missing = spec?.resultKeys.filter((k) => payload === null || typeof payload !== "object" || !(k in (payload as object))) ?? [];
          if (missing.length > 0) reject(new AppError("UNAVAILABLE", `${method}: malformed response (missing ${missing.join(", ")})`));
          else resolve(payload);
        },
      });
      this.ws.send(JSON.stringify({ type: "req", id, method, params }));
    });
  }

  /** Subscribe to events; returns unsubscribe. */
  onEvent(listener: (event: EventFrame) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.ws.close(1000, "client closing");
  }
}
