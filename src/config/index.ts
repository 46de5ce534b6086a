/**
 * L2: config — schema (source of truth), load → resolve → validate, public view, diff, write.
 * Everything that needs the schema library is behind `loadConfigRuntime()` (startup stays lazy).
 */
export type { ConfigSnapshot, LoadConfigOptions } from "./load.js";
export type { ConfigEditResult } from "./write.js";
export type { OpenClawConfig } from "./schema/index.js";
export { resolveGatewayPort, resolveGatewayPortDetail, type GatewayPortResolution, type GatewayPortSource, type ResolvePortOptions } from "./port.js";
export { readConfigInput, assertConfigReadable, hashConfigFiles, type ConfigInput, type ReadConfigOptions } from "./load-input.js";
export { resolveRuntimeConfig, toPublicConfig, hasShapedSecret, REDACTED, ENV_OVERRIDES, type ResolvedConfig } from "./resolve.js";
export { reloadKindOf, reloadRuleOf, planReload, RELOAD_RULES, type ReloadKind, type ReloadOwner, type ReloadPlan } from "./reload-rules.js";
export { diffConfigPaths } from "./diff.js";
export {
  checkGatewayConfig,
  describeAuthDowngrade,
  isLoopbackBind,
  resolveGatewayAuth,
  toGuardError,
  type AuthMode,
  type BindMode,
  type GatewayAuth,
  type GatewayGuardFinding,
  type GatewayGuardResult,
} from "./gateway-guards.js";
export { formatIssue, type ConfigIssue } from "./issues.js";
export { collectEnvRefs } from "./env-subst.js";
export { MAX_INCLUDE_DEPTH } from "./includes.js";
export { readConfigText, checkConfigText, MAX_CONFIG_BYTES } from "./read-text.js";
export { parseJson5, parseJson5Tree, Json5SyntaxError, setJson5Value, unsetJson5Value } from "./json5/index.js";

/** Validation, writes and schema lookups (loads the schema library). */
export const loadConfigRuntime = () => import("./runtime.js");
