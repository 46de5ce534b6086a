/** L3: the agent runtime — agents and workspaces, credentials and model providers (sessions, turns and tools join here). */
export * from "./agents/index.js";

// --- credentials and model providers (issue 13: auth profiles, providers, failover) ---
export { type CooldownPolicy, cooldownMs, recordProfileFailure, recordProfileSuccess, resolveCooldownPolicy, unusableUntil } from "./auth/cooldown.js";
export { type AuthCandidate, LOCAL_PROVIDERS, missingCredentialError, PROVIDER_ENV_VARS, resolveAuthCandidates, resolveProfileOrder } from "./auth/credentials.js";
export { needsOAuthRefresh, OAUTH_REFRESH_SKEW_MS, oauthTokenUrlEnvVar, refreshDueOAuthProfiles, refreshOAuthProfile, resolveOAuthTokenEndpoint } from "./auth/oauth-refresh.js";
export { collectModelAuthStatus, EXPIRY_WARN_MS, type ModelAuthStatus, type ProfileStatus, type ProviderAuthStatus } from "./auth/status.js";
export {
  type AuthCredential,
  type AuthStore,
  createAuthStore,
  credentialExpiry,
  credentialSecret,
  type FailureReason,
  loadAuthStore,
  type ProfileUsageStats,
  saveAuthStore,
  updateAuthStore,
} from "./auth/store.js";
export { type AuthStoreLocation, normalizeAgentId, resolveAuthStoreLocation } from "./auth/store-path.js";
export { type AgentModelAuth, type AuthState, authFixCommand, summarizeAgentModelAuth } from "./auth/summary.js";
export {
  builtinCatalog,
  type CatalogModel,
  type CatalogView,
  contextWindowOf,
  DEFAULT_CONTEXT_WINDOW,
  findCatalogModel,
  listCatalog,
  resolveModelCatalog,
} from "./providers/catalog.js";
export { classifyProviderError, type FailureClass, isFailoverWorthy, ProviderTimeoutError } from "./providers/classify.js";
export { DEFAULT_PROVIDER_TIMEOUT_MS, type FailoverRequest, streamWithFailover } from "./providers/failover.js";
export {
  builtinProviderIds,
  DEFAULT_MODEL_REF,
  formatModelRef,
  type ModelRef,
  type ProviderSettings,
  parseModelRef,
  resolveAliases,
  resolveModelChain,
  resolveModelSelection,
  resolveProviderSettings,
} from "./providers/model-ref.js";
export { type ProbeBucket, type ProbeResult, probeModelAuth } from "./providers/probe.js";
export type { ChatMessage, CompletionRequest, ProviderEndpoint, StopReason, StreamEvent, ToolCall, ToolSpec } from "./providers/types.js";

// --- end credentials and model providers ---


// --- turns (the engine and its runs) ---
export * from "./runtime/index.js";
// --- sessions (keys, reset, maintenance, checks, store operations) ---
export * from "./sessions/index.js";

// --- tools (read/write/edit/exec/sessions_*, tool policy, exec security and approvals file) ---
export * from "./tools/index.js";
// --- end tools ---
