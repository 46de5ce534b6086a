/** The Docker sandbox: effective settings per agent/session, the Docker Engine API client, containers. */
export * from "./containers.js";
export * from "./docker.js";
export * from "./explain.js";
export * from "./manager.js";
export * from "./settings.js";
