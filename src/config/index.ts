/** L2: config — schema (source of truth), load → resolve → validate, public view, diff, write. */
export { ConfigSchema, ROOT_KEYS, PASSTHROUGH_SECTIONS, type OpenClawConfig } from "./schema/index.js";
export { loadConfigSnapshot, hashConfigFiles, type ConfigSnapshot, type LoadConfigOptions } from "./load.js";
export { resolveRuntimeConfig, toPublicConfig, REDACTED, ENV_OVERRIDES, type ResolvedConfig } from "./resolve.js";
export { runConfigSet, runConfigUnset, parseCliValue, type ConfigEditResult } from "./write.js";
export { reloadKindOf, planReload, RELOAD_RULES, type ReloadKind } from "./reload-rules.js";
export { diffConfigPaths } from "./diff.js";
export { formatIssue, type ConfigIssue } from "./issues.js";
export { collectEnvRefs } from "./env-subst.js";
export { MAX_INCLUDE_DEPTH } from "./includes.js";
export { parseJson5, parseJson5Tree, Json5SyntaxError } from "./json5/index.js";
