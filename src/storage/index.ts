/** L2: storage — file-backed stores and OpenClaw's SQLite state (pairing tables). */

export {
  OPENCLAW_DB_BUSY_TIMEOUT_MS,
  type OpenClawPairingDb,
  openclawDbFile,
  openOpenClawPairingDb,
  type PairingAllowRow,
  type PairingRequestRow,
  pairingDbError,
} from "./openclaw-db.js";
export {
  acquireSessionLock,
  isSessionLockStale,
  readSessionLock,
  SESSION_LOCK_TIMEOUT_MS,
  type SessionLock,
  type SessionLockHolder,
  type SessionLockOptions,
  STALE_SESSION_LOCK_MS,
  sessionLockFile,
  tryAcquireSessionLock,
  withSessionLock,
} from "./session-lock.js";
export {
  type LoadedSessionStore,
  loadSessionStore,
  MAX_SESSION_STORE_BYTES,
  readSessionStore,
  type SessionEntry,
  type SessionStoreMap,
  type SessionsSummary,
  saveSessionStore,
  summarizeSessions,
  updateSessionStore,
} from "./session-store.js";
export { loadSqliteDriver, type SqliteDriver } from "./sqlite-driver.js";
export {
  checkSqliteIntegrity,
  hasSqliteHeader,
  isSqliteFile,
  SQLITE_HEADER,
  SQLITE_SIDECARS,
  SQLITE_SNAPSHOT_TIMEOUT_MS,
  type SqliteSnapshot,
  snapshotSqlite,
  sqliteSidecarOf,
  sqliteSnapshotUnavailable,
} from "./sqlite-snapshot.js";
export {
  appendTranscriptRecord,
  describeTranscriptProblems,
  encodeTranscriptLine,
  type LoadedTranscript,
  type LoadTranscriptOptions,
  loadTranscript,
  openTranscriptAppender,
  readTranscriptTail,
  type TranscriptAppender,
  type TranscriptProblems,
  type TranscriptRecord,
} from "./transcript.js";
