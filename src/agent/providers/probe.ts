/**
 * `models status --probe`: one tiny real request per provider credential, sorted into OpenClaw's
 * buckets (ok, auth, rate_limit, billing, timeout, format, unknown, no_model). Probes never record
 * cooldowns; they report.
 */
import { type AuthCandidate, resolveAuthCandidates } from "../auth/credentials.js";
import type { AuthStore } from "../auth/store.js";
import { streamAnthropic } from "./anthropic.js";
import { classifyProviderError } from "./classify.js";
import { type ModelConfig, type ModelRef, resolveModelChain, resolveProviderSettings } from "./model-ref.js";
import { streamOpenAi } from "./openai.js";

export type ProbeBucket = "ok" | "auth" | "rate_limit" | "billing" | "timeout" | "format" | "unknown" | "no_model";

export interface ProbeResult {
  provider: string;
  model?: string;
  profileId?: string;
  status: ProbeBucket;
  httpStatus?: number;
  latencyMs?: number;
  /** The error message, secrets redacted by the caller's renderer. */
  error?: string;
}

export interface ProbeOptions {
  config: ModelConfig;
  env: Record<string, string | undefined>;
  store: AuthStore;
  agentId?: string;
  timeoutMs: number;
  maxTokens: number;
  provider?: string;
  signal?: AbortSignal;
  now?: () => number;
}

async function probeOne(ref: ModelRef, cand: AuthCandidate, o: ProbeOptions): Promise<ProbeResult> {
  const settings = resolveProviderSettings(o.config, ref.provider, o.env);
  const stream = settings.api === "anthropic-messages" ? streamAnthropic : streamOpenAi;
  const started = performance.now();
  try {
    for await (const _ of stream(
      { id: settings.id, api: settings.api, baseUrl: settings.baseUrl, headers: settings.headers, credential: { kind: cand.kind, secret: cand.secret }, timeoutMs: o.timeoutMs },
      { model: ref.model, messages: [{ role: "user", content: "Reply with OK." }], maxTokens: o.maxTokens, signal: o.signal },
    )) {
      // draining is the probe
    }
    return { provider: ref.provider, model: `${ref.provider}/${ref.model}`, profileId: cand.profileId, status: "ok", latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const cls = classifyProviderError(error, o.signal?.aborted === true);
    const status: ProbeBucket = cls === "overloaded" || cls === "server" || cls === "aborted" ? "unknown" : cls;
    const httpStatus = (error as { status?: number }).status;
    return { provider: ref.provider, model: `${ref.provider}/${ref.model}`, profileId: cand.profileId, status: httpStatus === 404 ? "no_model" : status, httpStatus, error: String((error as Error).message ?? error).split("\n")[0] };
  }
}

/** Probes every credential of every provider in the agent's chain (or just `provider`), in parallel. */
export async function probeModelAuth(o: ProbeOptions): Promise<ProbeResult[]> {
  const chain = resolveModelChain(o.config, o.agentId);
  const byProvider = new Map<string, ModelRef>();
  for (const ref of chain) if (!byProvider.has(ref.provider)) byProvider.set(ref.provider, ref);
  const authConfig = (o.config.auth ?? {}) as { profiles?: Record<string, unknown>; order?: Record<string, unknown> };
  const jobs: Array<Promise<ProbeResult>> = [];
  for (const [provider, ref] of byProvider) {
    if (o.provider && provider !== o.provider) continue;
    let configApiKey: string | undefined;
    try {
      configApiKey = resolveProviderSettings(o.config, provider, o.env).apiKey;
    } catch (error) {
      jobs.push(Promise.resolve({ provider, status: "no_model", error: (error as Error).message }));
      continue;
    }
    const candidates = resolveAuthCandidates({ provider, store: o.store, authConfig, configApiKey, env: o.env, now: (o.now ?? Date.now)() });
    if (candidates.length === 0) jobs.push(Promise.resolve({ provider, model: `${ref.provider}/${ref.model}`, status: "auth", error: "missing credential" }));
    for (const cand of candidates) jobs.push(probeOne(ref, cand, o));
  }
  return Promise.all(jobs);
}
