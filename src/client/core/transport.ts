/**
 * What the protocol client needs of a socket: send text, close, and tell it about messages, closes
 * and errors. The Node part adapts its own socket; `fromWebSocket` adapts the standard `WebSocket`
 * (browsers, and Node ≥ 22's global), so the UI and the CLI share one client.
 */

export interface TransportListeners {
  message(text: string): void;
  close(code: number, reason: string): void;
  /** A connection-level failure (refused, reset, TLS), as one short reason. */
  error(reason: string): void;
}

export interface Transport {
  send(text: string): void;
  close(code: number, reason: string): void;
  /** Drops the connection without a close handshake. */
  terminate(): void;
  /** Replaces the listeners (one set at a time). */
  listen(listeners: TransportListeners): void;
}

export type TransportFactory = (url: string, options: { handshakeTimeoutMs: number }) => Transport;

/** The subset of the standard WebSocket API the adapter uses. */
export interface WebSocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** Listeners that can be replaced later (a transport holds one set at a time); starts with no-ops. */
export function listenerSlot(): { current: TransportListeners; set(next: TransportListeners): void } {
  const slot = {
    current: { message: () => undefined, close: () => undefined, error: () => undefined } as TransportListeners,
    set(next: TransportListeners) {
      slot.current = next;
    },
  };
  return slot;
}

/** A transport over a standard WebSocket constructor. */
export function fromWebSocket(WebSocketImpl: new (url: string) => WebSocketLike): TransportFactory {
  return (url) => {
    const ws = new WebSocketImpl(url);
    const listeners = listenerSlot();
    ws.onmessage = (event) => listeners.current.message(typeof event.data === "string" ? event.data : String(event.data));
    ws.onclose = (event) => listeners.current.close(event.code, event.reason);
    ws.onerror = () => listeners.current.error("connection error");
    return { send: (text) => ws.send(text), close: (code, reason) => ws.close(code, reason), terminate: () => ws.close(), listen: listeners.set };
  };
}
