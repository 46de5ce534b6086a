/** L4: the gateway daemon. The CLI imports this lazily (only `gateway run`). */

export { buildDevicePayload, deriveDeviceId } from "./device-identity.js";
export { type ForegroundOptions, runGatewayForeground } from "./run.js";
export { type GatewayOptions, type GatewayOverrides, GatewayRuntime } from "./runtime.js";
