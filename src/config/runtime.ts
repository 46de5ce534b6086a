/**
 * The schema-backed half of the config module: validation, writes and schema lookups. It pulls in
 * the schema library, so the public face exposes it through `loadConfigRuntime()` and fast paths
 * (`--help`, `config get`, `config file`) never pay for it.
 */
export { loadConfigSnapshot } from "./load.js";
export { configJsonSchema, defaultValueAt, suggestConfigPath } from "./lookup.js";
export { ConfigSchema, PASSTHROUGH_SECTIONS, ROOT_KEYS } from "./schema/index.js";
export { parseCliValue, runConfigSet, runConfigUnset } from "./write.js";
export { mergePatchConfig, replaceConfigRaw, type WholeWriteResult } from "./write-whole.js";
