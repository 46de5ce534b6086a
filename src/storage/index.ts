/** L2: storage — file-backed stores (SQLite arrives with the memory index). */
export { readSessionStore, type SessionEntry, type SessionsSummary, summarizeSessions } from "./session-store.js";
