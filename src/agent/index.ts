/** L3: agent runtime — agents and workspaces (sessions, turns, tools, providers and auth profiles join here). */
export * from "./agents/index.js";
