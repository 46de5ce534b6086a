/** The turn engine: one turn (model calls, tools, transcript), and the runs around it (lanes, idempotency, timeouts, aborts). */

export { COMPACTION_SYSTEM_PROMPT, type CompactWithModelOptions, compactWithModel, shouldAutoCompact } from "./compact.js";
export { assistantMessage, contentText, messageRecord, newEntryId, recordsToMessages, toolResultMessage, userMessage } from "./messages.js";
export { AgentRuns, type AgentRunsDeps, DEFAULT_TURN_TIMEOUT_SECONDS, type RunEvent, type RunHandle, type RunRequest, type RunWaitResult } from "./service.js";
export { MAX_TOOL_RESULT_CHARS, MAX_TOOL_ROUNDS, runTurn, type TurnEvent, type TurnInput, type TurnResult } from "./turn.js";
export type { ProviderErrorRecord, TurnStatus, TurnSummary } from "./types.js";
