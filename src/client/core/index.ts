/** The browser-safe client core: protocol client and transports (imports only protocol and shared). */
export { type CallOptions, type ConnectOptions, GatewayCallError, ProtocolClient } from "./protocol-client.js";
export { fromWebSocket, listenerSlot, type Transport, type TransportFactory, type TransportListeners, type WebSocketLike } from "./transport.js";
