/**
 * L2: config — schema (source of truth), load → resolve → validate, public view, diff, write.
 * Everything that needs the schema library is behind `loadConfigRuntime()` (startup stays lazy).
 */

// Pure config helpers that live in shared/ (the Control UI uses them too), re-exported for config's users.
export { diffConfigPaths, planReload, RELOAD_RULES, type ReloadKind, type ReloadOwner, type ReloadPlan, reloadKindOf, reloadRuleOf } from "../shared/index.js";
export { normalizeControlUiBasePath } from "./control-ui.js";
export { collectEnvRefs } from "./env-subst.js";
export {
  type AuthMode,
  type BindMode,
  checkGatewayConfig,
  describeAuthDowngrade,
  type GatewayAuth,
  type GatewayGuardFinding,
  type GatewayGuardResult,
  isLoopbackBind,
  resolveGatewayAuth,
  toGuardError,
} from "./gateway-guards.js";
export { MAX_INCLUDE_DEPTH } from "./includes.js";
export { type ConfigIssue, formatIssue } from "./issues.js";
export { Json5SyntaxError, parseJson5, parseJson5Tree, setJson5Value, unsetJson5Value } from "./json5/index.js";
export type { ConfigSnapshot, LoadConfigOptions } from "./load.js";
export { assertConfigReadable, type ConfigInput, hashConfigFiles, type ReadConfigOptions, readConfigInput } from "./load-input.js";
export { type GatewayPortResolution, type GatewayPortSource, type ResolvePortOptions, resolveGatewayPort, resolveGatewayPortDetail } from "./port.js";
export { checkConfigText, MAX_CONFIG_BYTES, readConfigText } from "./read-text.js";
export { ENV_OVERRIDES, hasShapedSecret, REDACTED, type ResolvedConfig, resolveRuntimeConfig, toPublicConfig } from "./resolve.js";
export { CONFIG_DEFAULTS, tableDefaultAt } from "./schema/defaults.js";
export type { OpenClawConfig } from "./schema/index.js";
export type { ConfigEditResult } from "./write.js";

/** Validation, writes and schema lookups (loads the schema library). */
export const loadConfigRuntime = () => import("./runtime.js");
