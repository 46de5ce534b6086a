/** L3: OS supervisors behind one interface (systemd, launchd, Task Scheduler, detached supervisor). */
export type { ServiceKind, ServiceDefinition, RenderedFile, InstalledService, ServiceRuntime, RuntimeStatus, Preflight, PreflightProblem, ServiceContext, ServiceManager, Exec, ExecResult } from "./types.js";
export { resolveServiceNames, normalizeProfile, serviceDescription, isLegacyServiceName, GATEWAY_NAME_PATTERNS, type ServiceNames } from "./names.js";
export { buildServiceDefinition, diffDefinitions, portFromArgs, serviceConfigPath, serviceStateDir, serviceName, servicePath, type Drift } from "./definition.js";
export { renderSystemdUnit, parseSystemdUnit, parseSystemctlShow, NO_RESTART_EXIT_CODES } from "./systemd.js";
export { renderLaunchdPlist, parseLaunchctlPrint } from "./launchd.js";
export { renderPlist, parsePlist } from "./plist.js";
export { renderGatewayCmd, parseGatewayCmd, renderTaskXml, parseSchtasksQuery, parseNetstatListeners } from "./schtasks.js";
export { createServiceContext, createServiceManager, findInstalledService, installedServicePort, nativeServiceKind, resolveServiceManager, type ResolvedManager } from "./select.js";
export { collectServiceSecrets, planInstall, writeInstallFiles, maskSecretAssignments, type InstallPlan } from "./lifecycle.js";
export { resolveInstallRoot, resolveCliEntry, resolveSupervisorScript } from "./install-root.js";
export { supervisorStateFile, type SupervisorState } from "./supervisor-state.js";
export { renderEnvFile } from "./env-file.js";
export { describeGatewayExit, gatewayExitFix, lastLoggedError, LIMITED_RESTART_EXIT_CODES, LIMITED_RESTART_TRIES } from "./exit-codes.js";
