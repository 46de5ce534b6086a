/** L2: Node adapters — paths, profiles, safe file writes. */

export * from "./dotenv.js";
export * from "./fs-safe.js";
export { fingerprintSecret, sha256Hex } from "./hash.js";
export * from "./lock.js";
export * from "./paths.js";
export * from "./ports.js";
export * from "./profile.js";
export * from "./wait.js";
