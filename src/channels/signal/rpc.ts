/**
 * signal-cli's HTTP daemon as a client sees it: JSON-RPC 2.0 at `POST /api/v1/rpc`, `GET
 * /api/v1/check` (200 while up) and the Server-Sent Events stream at `GET /api/v1/events` (`event:
 * receive`, data = `{account, envelope}`, a `:` keep-alive every 15 s, event ids replayed after
 * `Last-Event-ID`). Every call has a deadline.
 */
import { AppError } from "../../shared/index.js";

/** A JSON-RPC error answer from signal-cli (`-1` user error, `-3` I/O error, `-32601` unknown method, …). */
export class SignalRpcError extends Error {
  constructor(
    readonly rpcCode: number,
    message: string,
  ) {
    super(message);
    this.name = "SignalRpcError";
  }
}

let nextId = 1;

/** The reason a fetch failed, with the network cause (`ECONNREFUSED`) when there is one. */
export function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError") return "timed out";
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code && cause.message && !cause.message.includes(cause.code)) return `${error.message}: ${cause.message} (${cause.code})`;
  return cause?.code ? `${error.message} (${cause.code})` : cause?.message ? `${error.message}: ${cause.message}` : error.message;
}

/** Calls one JSON-RPC method; throws SignalRpcError on an error answer, AppError UNAVAILABLE/TIMEOUT on transport failure. */
export async function signalRpc<T = unknown>(baseUrl: string, method: string, params: Record<string, unknown> | undefined, timeoutMs: number): Promise<T> {
  const id = nextId++;
  let res: Response;
  try {
    res = await fetch(`${baseUrl}/api/v1/rpc`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", method, id, ...(params ? { params } : {}) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    throw new AppError(timedOut ? "TIMEOUT" : "UNAVAILABLE", `signal-cli ${method} at ${baseUrl}: ${timedOut ? `timed out after ${timeoutMs} ms` : describeFetchError(error)}`, { hint: "check that the signal-cli daemon is running (signal-cli daemon --http) and the transport URL" });
  }
  const text = await res.text();
  if (res.status !== 200) throw new AppError("UNAVAILABLE", `signal-cli ${method} at ${baseUrl}: HTTP ${res.status}`, { hint: "is the URL a signal-cli daemon started with --http?" });
  let body: { result?: T; error?: { code?: number; message?: string } };
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("UNAVAILABLE", `signal-cli ${method} at ${baseUrl}: the answer is not JSON`, { hint: "is the URL a signal-cli daemon started with --http?" });
  }
  if (body.error) throw new SignalRpcError(body.error.code ?? 0, `signal-cli ${method}: ${body.error.message ?? "error"} (${body.error.code ?? "?"})`);
  return body.result as T;
}

/** `GET /api/v1/check` within `timeoutMs`: true on 200. */
export async function signalCheck(baseUrl: string, timeoutMs: number): Promise<{ ok: boolean; error?: string }> {
  try {
    const res = await fetch(`${baseUrl}/api/v1/check`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status === 200 ? { ok: true } : { ok: false, error: `check answered HTTP ${res.status}` };
  } catch (error) {
    return { ok: false, error: `check at ${baseUrl} failed: ${describeFetchError(error)}` };
  }
}

/** One SSE event from `/api/v1/events`. */
export interface SignalSseEvent {
  event: string | undefined;
  data: string;
  id: string | undefined;
}

export interface SignalEventStreamOptions {
  baseUrl: string;
  /** Multi-account daemons filter by `?account=`. */
  account?: string;
  lastEventId?: string;
  signal: AbortSignal;
  /** Called once the stream answered 200 (connected). */
  onOpen(): void;
  onEvent(event: SignalSseEvent): void;
  /** No bytes (not even the 15 s keep-alive) for this long → the connection is treated as dead. */
  idleTimeoutMs: number;
  connectTimeoutMs: number;
}

/** Reads the event stream until it ends or fails; always rejects with the reason (the caller reconnects). */
export async function readSignalEvents(options: SignalEventStreamOptions): Promise<never> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  options.signal.addEventListener("abort", abort, { once: true });
  let idleReason: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number, reason: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      idleReason = reason;
      controller.abort();
    }, ms);
  };
  try {
    arm(options.connectTimeoutMs, `connecting timed out after ${options.connectTimeoutMs} ms`);
    const query = options.account ? `?account=${encodeURIComponent(options.account)}` : "";
    let res: Response;
    try {
      res = await fetch(`${options.baseUrl}/api/v1/events${query}`, { headers: { accept: "text/event-stream", ...(options.lastEventId ? { "last-event-id": options.lastEventId } : {}) }, signal: controller.signal });
    } catch (error) {
      throw new Error(`events at ${options.baseUrl}: ${idleReason ?? describeFetchError(error)}`);
    }
    if (res.status !== 200 || !res.body) {
      await res.body?.cancel();
      throw new Error(`events at ${options.baseUrl}: HTTP ${res.status}${res.status === 400 ? " (the daemon does not know this account)" : ""}`);
    }
    arm(options.idleTimeoutMs, `no data for ${options.idleTimeoutMs} ms`);
    options.onOpen();
    // Loaded on first connect: status/doctor import this module without ever reading events.
    const { createParser } = await import("eventsource-parser");
    const parser = createParser({ onEvent: (e) => options.onEvent({ event: e.event, data: e.data, id: e.id }) });
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        arm(options.idleTimeoutMs, `no data for ${options.idleTimeoutMs} ms`);
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch (error) {
      throw new Error(`events at ${options.baseUrl}: ${idleReason ?? describeFetchError(error)}`);
    }
    throw new Error(`events at ${options.baseUrl}: the daemon closed the stream`);
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener("abort", abort);
  }
}
