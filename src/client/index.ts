/** L2: the typed gateway client used by the CLI, probes and the UI (the UI imports `client/core` only). */
export { type CallOptions, type ConnectOptions, fromWebSocket, GatewayCallError, ProtocolClient, type Transport, type TransportFactory } from "./core/index.js";
export { GatewayClient, nodeTransport } from "./gateway-client.js";
export { probeHealthz, probeReadyz, type ReadyzAnswer } from "./http-probe.js";
export { type GatewayTarget, type ResolveTargetOptions, resolveGatewayTarget, type TargetFlags } from "./target.js";
