/** Agents and workspaces: config → resolved agents, bootstrap files, the system prompt's workspace part, identity and config edits. */

export { type AgentEditOptions, type AgentFields, type AgentRemoval, addAgentToConfig, parseAgentId, removeAgentFromConfig, updateAgentInConfig } from "./config-edit.js";
export { parseIdentityMarkdown, resolveAgentIdentity } from "./identity.js";
export { buildSystemPrompt, type PromptFileReport, type SystemPrompt, TRUNCATION_NOTICE, truncateMiddle } from "./prompt.js";
export {
  type AgentIdentity,
  type AgentRef,
  DEFAULT_BOOTSTRAP_MAX_CHARS,
  DEFAULT_BOOTSTRAP_TOTAL_MAX_CHARS,
  defaultAgentId,
  findAgent,
  isValidAgentId,
  listAgents,
  normalizeAgentId,
  type ResolvedAgent,
  resolveAgent,
  resolveAgents,
} from "./resolve.js";
export { BOOTSTRAP_FILES, BOOTSTRAP_TEMPLATES, type BootstrapFileName } from "./templates.js";
export {
  type BootstrapResult,
  ensureWorkspace,
  listWorkspaceFiles,
  MAX_WORKSPACE_FILE_BYTES,
  parseWorkspaceFileName,
  readWorkspaceFile,
  readWorkspaceText,
  WORKSPACE_FILES,
  type WorkspaceFileInfo,
  type WorkspaceFileName,
  type WorkspaceRead,
  writeWorkspaceFile,
} from "./workspace.js";
