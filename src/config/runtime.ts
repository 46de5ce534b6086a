/**
 * The schema-backed half of the config module: validation, writes and schema lookups. It pulls in
 * the schema library, so the public face exposes it through `loadConfigRuntime()` and fast paths
 * (`--help`, `config get`, `config file`) never pay for it.
 */
export { loadConfigSnapshot } from "./load.js";
export { runConfigSet, runConfigUnset, parseCliValue } from "./write.js";
export { replaceConfigRaw, mergePatchConfig, type WholeWriteResult } from "./write-whole.js";
export { suggestConfigPath, defaultValueAt, configJsonSchema } from "./lookup.js";
export { ConfigSchema, ROOT_KEYS, PASSTHROUGH_SECTIONS } from "./schema/index.js";
