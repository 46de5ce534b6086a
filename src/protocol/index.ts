/** L1: the wire contract — frames, handshake, method table, events, versions. */

export * from "./frames.js";
export * from "./handshake.js";
export * from "./methods.js";
export * from "./scopes.js";
export * from "./validate.js";
export * from "./version.js";
