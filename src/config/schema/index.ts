export { ConfigSchema, type OpenClawConfig, PASSTHROUGH_SECTIONS, ROOT_KEYS } from "./root.js";
