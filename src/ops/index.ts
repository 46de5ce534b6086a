/** L3: operations logic that never prints — status collection, (later) doctor checks, audit rules, backup. */
export { collectGatewayServiceStatus, type GatewayServiceStatus, type StatusWarning, type OtherInstall, type ServiceState } from "./service-status.js";
export { resolveGatewayLogFile } from "./log-file.js";
