/** L3: OS supervisors behind one interface (systemd, launchd, Task Scheduler, detached supervisor). */

export { buildServiceDefinition, type Drift, diffDefinitions, portFromArgs, serviceConfigPath, serviceName, servicePath, serviceStateDir } from "./definition.js";
export { renderEnvFile } from "./env-file.js";
export { describeGatewayExit, gatewayExitFix, LIMITED_RESTART_EXIT_CODES, LIMITED_RESTART_TRIES, lastLoggedError } from "./exit-codes.js";
export { resolveCliEntry, resolveInstallRoot, resolveSupervisorScript } from "./install-root.js";
export { parseLaunchctlPrint, renderLaunchdPlist } from "./launchd.js";
export { collectServiceSecrets, type InstallPlan, maskSecretAssignments, planInstall, writeInstallFiles } from "./lifecycle.js";
export { GATEWAY_NAME_PATTERNS, isLegacyServiceName, normalizeProfile, resolveServiceNames, type ServiceNames, serviceDescription } from "./names.js";
export { parsePlist, renderPlist } from "./plist.js";
export { parseGatewayCmd, parseNetstatListeners, parseSchtasksQuery, renderGatewayCmd, renderTaskXml } from "./schtasks.js";
export { createServiceContext, createServiceManager, findInstalledService, installedServicePort, nativeServiceKind, type ResolvedManager, resolveServiceManager } from "./select.js";
export { type SupervisorState, supervisorStateFile } from "./supervisor-state.js";
export { NO_RESTART_EXIT_CODES, parseSystemctlShow, parseSystemdUnit, renderSystemdUnit } from "./systemd.js";
export type { Exec, ExecResult, InstalledService, Preflight, PreflightProblem, RenderedFile, RuntimeStatus, ServiceContext, ServiceDefinition, ServiceKind, ServiceManager, ServiceRuntime } from "./types.js";
