/** L2: Node adapters — paths, profiles, safe file writes. */
export * from "./paths.js";
export * from "./profile.js";
export * from "./fs-safe.js";
export * from "./dotenv.js";
export * from "./ports.js";
export * from "./lock.js";
export * from "./wait.js";
