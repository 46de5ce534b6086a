/**
 * The Node face of the gateway client: the browser-safe protocol client over the Node socket
 * (`ws-lite`), reporting this process's platform.
 */
import { type ConnectOptions, listenerSlot, ProtocolClient, type TransportFactory } from "./core/index.js";
import { LiteWebSocket } from "./ws-lite.js";

/** A transport over the Node socket (`ws-lite`): no dependency, TLS for wss://. */
export const nodeTransport: TransportFactory = (url, options) => {
  const ws = new LiteWebSocket(url, { handshakeTimeout: options.handshakeTimeoutMs, maxPayload: 64 * 1024 * 1024 });
  const listeners = listenerSlot();
  ws.on("message", (data: Buffer) => listeners.current.message(data.toString()));
  ws.on("close", (code: number, reason: Buffer) => listeners.current.close(code, reason.toString()));
  ws.on("error", (error: NodeJS.ErrnoException) => listeners.current.error(error.code ?? error.message));
  return { send: (text) => ws.send(text), close: (code, reason) => ws.close(code, reason), terminate: () => ws.terminate(), listen: listeners.set };
};

/** The client the CLI, probes and tests use. */
export type GatewayClient = ProtocolClient;

export const GatewayClient = {
  /** Opens a socket, completes the handshake and returns a ready client. */
  connect(options: ConnectOptions): Promise<GatewayClient> {
    return ProtocolClient.connect({ platform: process.platform, ...options }, nodeTransport);
  },
};
