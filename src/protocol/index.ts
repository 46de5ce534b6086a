/** L1: the wire contract — frames, handshake, method table, events, versions. */
export * from "./version.js";
export * from "./frames.js";
export * from "./validate.js";
export * from "./scopes.js";
export * from "./methods.js";
export * from "./handshake.js";
