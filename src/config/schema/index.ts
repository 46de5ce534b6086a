export { ConfigSchema, ROOT_KEYS, PASSTHROUGH_SECTIONS, type OpenClawConfig } from "./root.js";
