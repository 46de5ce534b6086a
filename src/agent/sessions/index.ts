/** Sessions: keys and dmScope, reset triggers and policies, maintenance, transcript checks. */

export {
  checkSessionTranscripts,
  checkTranscript,
  fixTranscriptFinding,
  listTranscripts,
  quarantineTranscript,
  type TranscriptFinding,
  type TranscriptFixResult,
  type TranscriptIssueKind,
} from "./check.js";
export {
  type CompactionResult,
  type CompactSessionOptions,
  compactSession,
  contextMessages,
  DEFAULT_KEEP_RECENT_TOKENS,
  estimateContextTokens,
  estimateTokens,
  recordText,
} from "./compaction.js";
export {
  agentIdOfSessionKey,
  type ChatType,
  classifySessionKind,
  DM_SCOPES,
  type DmScope,
  isDurableSessionKey,
  isPeerDirectKey,
  isSyntheticSessionKey,
  mainSessionKey,
  resolveLinkedPeer,
  resolveSessionKey,
  type SessionKeyOptions,
  type SessionKind,
  type SessionRoute,
} from "./keys.js";
export {
  type AppliedMaintenance,
  DEFAULT_MAINTENANCE,
  type MaintenanceMode,
  type MaintenancePlan,
  type MaintenanceSettings,
  parseDurationMs,
  planSessionMaintenance,
  resolveMaintenanceSettings,
  runSessionMaintenance,
  transcriptPathOf,
} from "./maintenance.js";
export { POISON_ERROR_RUN, poisonReason, poisonReasonOfRecords } from "./poison.js";
export {
  DEFAULT_RESET_POLICY,
  DEFAULT_RESET_TRIGGERS,
  evaluateSessionFreshness,
  type Freshness,
  type FreshnessInput,
  lastDailyBoundary,
  parseResetTrigger,
  type ResetMode,
  type ResetPolicy,
  type ResetTriggerMatch,
  resolveResetPolicy,
} from "./reset.js";
export {
  buildSessionRows,
  deleteSession,
  type OpenedSession,
  openSessionForMessage,
  PATCHABLE_SESSION_FIELDS,
  patchSession,
  previewSession,
  resetSession,
  SESSION_ROW_FIELDS,
  type SessionRow,
} from "./store-ops.js";
