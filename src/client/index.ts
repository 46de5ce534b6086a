/** L2: the typed gateway client used by the CLI, probes and the UI. */
export { GatewayClient, GatewayCallError, type ConnectOptions } from "./gateway-client.js";
export { resolveGatewayTarget, type GatewayTarget, type ResolveTargetOptions, type TargetFlags } from "./target.js";
export { probeHealthz, probeReadyz, type ReadyzAnswer } from "./http-probe.js";
