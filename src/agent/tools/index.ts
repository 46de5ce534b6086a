/** Agent tools: the built-ins, their policy, exec security and the host approvals file. */
export { type AllowlistEntry, type ApprovalsPolicy, addAllowlistPatterns, EXEC_APPROVALS_FILE, type ExecApprovalsDoc, execApprovalsPath, loadExecApprovals, saveExecApprovals } from "./approvals-file.js";
export {
  type CommandSegment,
  DEFAULT_EXEC_TIMEOUT_SECONDS,
  EXEC_ASK_VALUES,
  EXEC_SECURITY_VALUES,
  type ExecAsk,
  type ExecPolicy,
  type ExecSecurity,
  globToRegExp,
  matchAllowlist,
  parseCommandSegments,
  resolveBinary,
  resolveExecPolicy,
} from "./exec-policy.js";
export { resolveExecShell, runShellCommand, type ShellRunOptions, type ShellRunResult } from "./exec-run.js";
export { DEFAULT_APPROVAL_TIMEOUT_MS, exactArgsPattern, execTool } from "./exec-tool.js";
export { resolveToolPath, resolveWorkspaceOnly, ToolPathError } from "./fs-paths.js";
export { editTool, readTool, toolError, writeTool } from "./fs-tools.js";
export { includeMemoryCitations, memoryGetTool, memorySearchTool } from "./memory-tools.js";
export { capToolOutput, type OutputCap, TOOL_OUTPUT_MAX_BYTES, TOOL_OUTPUT_MAX_LINES } from "./output-cap.js";
export {
  createBuiltinTools,
  explainToolDenial,
  type ResolveAgentToolsOptions,
  resolveAgentTools,
  resolveToolPolicyLayers,
  TOOL_GROUPS,
  TOOL_PROFILES,
  type ToolPolicyLayer,
  type ToolProfile,
} from "./policy.js";
export { GATEWAY_SECRET_ENV_VARS, gatewaySecretValues, scrubToolResult, withoutGatewaySecrets } from "./secrets.js";
export { DEFAULT_SESSIONS_SEND_TIMEOUT_SECONDS, sessionStatusTool, sessionsHistoryTool, sessionsListTool, sessionsSendTool } from "./session-tools.js";
export type * from "./types.js";
