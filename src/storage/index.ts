/** L2: storage — file-backed stores (SQLite arrives with the memory index). */
export { readSessionStore, summarizeSessions, type SessionEntry, type SessionsSummary } from "./session-store.js";
