/** L0: pure helpers, no I/O. */

export * from "./config-diff.js";
export * from "./config-path.js";
export * from "./env.js";
export * from "./errors.js";
export * from "./json5-parse.js";
export * from "./redact.js";
export * from "./reload-rules.js";
export * from "./suggest.js";
export * from "./text-diff.js";
