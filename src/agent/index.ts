/** L3: agent runtime — sessions now; agents, providers, turns and tools arrive with issue 13. */
export * from "./sessions/index.js";
