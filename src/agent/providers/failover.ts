/**
 * One completion with failover (spec §9.4): for each model of the chain (primary, then fallbacks)
 * and each credential of its provider (§9.3 order), stream until one answers. An auth, rate-limit,
 * billing, overload, timeout or 5xx failure before the first output records the profile's cooldown
 * in `auth-profiles.json` and moves on within the same call; a failure after output has been
 * streamed cannot be replayed and is raised. OAuth profiles due for renewal are refreshed first
 * (`auth/oauth-refresh.ts`); a failed refresh cools the profile down like an auth error.
 */
import { AppError, redactText } from "../../shared/index.js";
import { recordProfileFailure, recordProfileSuccess, resolveCooldownPolicy } from "../auth/cooldown.js";
import { type AuthCandidate, missingCredentialError, resolveAuthCandidates } from "../auth/credentials.js";
import { needsOAuthRefresh, refreshDueOAuthProfiles } from "../auth/oauth-refresh.js";
import { type AuthStore, loadAuthStore, updateAuthStore } from "../auth/store.js";
import { streamAnthropic } from "./anthropic.js";
import { classifyProviderError, cooldownReasonOf, type FailureClass, isFailoverWorthy } from "./classify.js";
import { formatModelRef, type ModelConfig, type ModelRef, type ProviderSettings, resolveModelChain, resolveProviderSettings } from "./model-ref.js";
import { streamOpenAi } from "./openai.js";
import type { CompletionRequest, ProviderApi, StreamCompletion, StreamEvent } from "./types.js";

/** Default time to first response / between chunks. */
export const DEFAULT_PROVIDER_TIMEOUT_MS = 120_000;

const IMPLEMENTATIONS: Record<ProviderApi, StreamCompletion> = { "anthropic-messages": streamAnthropic, "openai-completions": streamOpenAi };

/** One completion request (minus the model: failover picks it) plus where credentials and the chain come from. */
export interface FailoverRequest extends Omit<CompletionRequest, "model"> {
  /** The resolved config (models, agents, auth sections are read). */
  config: ModelConfig;
  env: Record<string, string | undefined>;
  /** `<agentDir>/auth-profiles.json` of the agent making the call. */
  authStoreFile: string;
  agentId?: string;
  /** Overrides the agent's configured chain (e.g. a session's `/model`). */
  chain?: ModelRef[];
  timeoutMs?: number;
  now?: () => number;
}

interface Step {
  ref: ModelRef;
  settings: ProviderSettings;
  cand: AuthCandidate;
  store: AuthStore;
}

/** What was tried, for `failover` events, logs and metrics. */
export interface AttemptRecord {
  model: string;
  profileId: string;
  outcome: "ok" | FailureClass | "skipped";
  status?: number;
}

/** The error raised when every candidate failed: the last provider error, secrets redacted. */
function exhaustedError(attempts: AttemptRecord[], last: unknown): AppError {
  const tried = attempts.map((a) => `${a.model} (${a.profileId}): ${a.outcome}`).join("; ");
  const detail = redactText(String((last as Error)?.message ?? last ?? "no candidate"));
  return new AppError("PROVIDER_ERROR", `all model candidates failed — ${tried}. Last error: ${detail}`, {
    hint: "Check `openclaw models status --probe`; cooldowns clear by themselves (1 min → 1 h).",
  });
}

/**
 * Streams a completion, failing over across profiles and models. Yields the provider's events plus
 * a `failover` event each time it moves on. Throws AUTH_MISSING when no model of the chain has any
 * credential, PROVIDER_ERROR when every candidate failed.
 */
export async function* streamWithFailover(req: FailoverRequest): AsyncIterable<StreamEvent> {
  const now = req.now ?? Date.now;
  const chain = req.chain ?? resolveModelChain(req.config, req.agentId);
  const authConfig = (req.config.auth ?? {}) as { profiles?: Record<string, unknown>; order?: Record<string, unknown>; cooldowns?: unknown };
  const policy = resolveCooldownPolicy(authConfig.cooldowns);
  const attempts: AttemptRecord[] = [];
  let lastError: unknown;
  let anyCredential = false;
  let previous: string | undefined;
  // The plan: every ready credential of every model, in chain order. Cooling profiles go in only
  // when nothing else is left (soonest back first), so one cooled key cannot block every turn.
  const ready: Step[] = [];
  const cooling: Step[] = [];
  const unknownProviders = new Map<string, unknown>();
  const refreshFailures: AppError[] = [];
  const refreshed = new Set<string>();
  for (const ref of chain) {
    let settings: ProviderSettings;
    try {
      settings = resolveProviderSettings(req.config, ref.provider, req.env);
    } catch (error) {
      // An unknown fallback provider must not break a working primary; it is reported if all fail.
      attempts.push({ model: formatModelRef(ref), profileId: "-", outcome: "skipped" });
      unknownProviders.set(ref.provider, error);
      lastError = error;
      continue;
    }
    let store = loadAuthStore(req.authStoreFile);
    // OAuth logins due within 5 minutes are renewed before use (once per provider per call).
    if (!refreshed.has(ref.provider) && Object.values(store.profiles).some((c) => c.provider === ref.provider && needsOAuthRefresh(c, now()))) {
      refreshed.add(ref.provider);
      refreshFailures.push(...(await refreshDueOAuthProfiles({ storeFile: req.authStoreFile, store, provider: ref.provider, config: req.config, env: req.env, now, signal: req.signal })));
      store = loadAuthStore(req.authStoreFile);
    }
    const candidates: AuthCandidate[] = resolveAuthCandidates({ provider: ref.provider, store, authConfig, configApiKey: settings.apiKey, env: req.env, now: now() });
    if (candidates.length > 0) anyCredential = true;
    for (const cand of candidates) (cand.unusableUntil === undefined ? ready : cooling).push({ ref, settings, cand, store });
  }
  cooling.sort((a, b) => (a.cand.unusableUntil ?? 0) - (b.cand.unusableUntil ?? 0));
  const plan = ready.length > 0 ? ready : cooling;
  if (ready.length > 0) for (const c of cooling) attempts.push({ model: formatModelRef(c.ref), profileId: c.cand.profileId, outcome: "skipped" });
  for (const { ref, settings, cand, store } of plan) {
    const label = `${formatModelRef(ref)} (${cand.profileId})`;
    if (previous) yield { type: "failover", from: previous, to: label, reason: attempts[attempts.length - 1]?.outcome ?? "unknown" };
    previous = label;
    yield { type: "attempt", provider: ref.provider, model: ref.model, profileId: cand.profileId };
    let emitted = false;
    try {
      const stream = IMPLEMENTATIONS[settings.api](
        { id: settings.id, api: settings.api, baseUrl: settings.baseUrl, headers: settings.headers, credential: { kind: cand.kind, secret: cand.secret }, timeoutMs: req.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS },
        { model: ref.model, system: req.system, messages: req.messages, tools: req.tools, maxTokens: req.maxTokens, thinking: req.thinking, signal: req.signal },
      );
      for await (const ev of stream) {
        emitted = true;
        yield ev;
      }
      attempts.push({ model: formatModelRef(ref), profileId: cand.profileId, outcome: "ok" });
      if (cand.source === "profile") {
        const stats = store.usageStats?.[cand.profileId];
        // Written only when something changed, so a healthy turn costs no disk write.
        if (stats?.errorCount || stats?.cooldownUntil || store.lastGood?.[ref.provider] !== cand.profileId) {
          updateAuthStore(req.authStoreFile, (s) => recordProfileSuccess({ store: s, profileId: cand.profileId, provider: ref.provider, now: now() }));
        }
      }
      return;
    } catch (error) {
      const cls = classifyProviderError(error, req.signal?.aborted === true);
      const status = (error as { status?: number })?.status;
      attempts.push({ model: formatModelRef(ref), profileId: cand.profileId, outcome: cls, status });
      lastError = error;
      if (cls === "aborted") throw new AppError("INTERRUPTED", "the model request was aborted");
      if (emitted || !isFailoverWorthy(cls)) throw exhaustedError(attempts, error);
      if (cand.source === "profile") {
        updateAuthStore(req.authStoreFile, (s) => recordProfileFailure({ store: s, profileId: cand.profileId, provider: ref.provider, reason: cooldownReasonOf(cls), now: now(), policy }));
      }
    }
  }
  if (!anyCredential) {
    if (refreshFailures[0]) throw refreshFailures[0];
    const first = chain[0]?.provider ?? "anthropic";
    if (unknownProviders.has(first)) throw unknownProviders.get(first);
    throw missingCredentialError(chain.find((r) => !unknownProviders.has(r.provider))?.provider ?? first);
  }
  throw exhaustedError(attempts, lastError ?? refreshFailures[0]);
}
