/** L4: the gateway daemon. The CLI imports this lazily (only `gateway run`). */
export { GatewayRuntime, type GatewayOptions, type GatewayOverrides } from "./runtime.js";
export { runGatewayForeground, type ForegroundOptions } from "./run.js";
