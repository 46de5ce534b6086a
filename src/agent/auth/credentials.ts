/**
 * Which credentials a request to a provider may use, in the order to try them (spec §9.3): the
 * agent store's `order` override, else `auth.order.<provider>`, else the configured
 * `auth.profiles`, else every stored profile (OAuth/tokens before API keys, least recently used
 * first); profiles in cooldown go last, soonest back first. After the stored profiles come the
 * provider's environment variable and `models.providers.<id>.apiKey`.
 */
import { AppError } from "../../shared/index.js";
import { unusableUntil } from "./cooldown.js";
import { type AuthStore, credentialExpiry, credentialSecret } from "./store.js";

/** Built-in providers and the variables their key is read from (first non-empty wins). */
export const PROVIDER_ENV_VARS: Readonly<Record<string, readonly string[]>> = {
  anthropic: ["ANTHROPIC_API_KEY", "ANTHROPIC_OAUTH_TOKEN"],
  openai: ["OPENAI_API_KEY"],
  "openai-codex": [],
  google: ["GEMINI_API_KEY", "GOOGLE_API_KEY"],
  "google-vertex": ["GOOGLE_APPLICATION_CREDENTIALS"],
  openrouter: ["OPENROUTER_API_KEY"],
  groq: ["GROQ_API_KEY"],
  mistral: ["MISTRAL_API_KEY"],
  xai: ["XAI_API_KEY"],
  deepseek: ["DEEPSEEK_API_KEY"],
  cerebras: ["CEREBRAS_API_KEY"],
  together: ["TOGETHER_API_KEY"],
  fireworks: ["FIREWORKS_API_KEY"],
  moonshot: ["MOONSHOT_API_KEY", "KIMI_API_KEY"],
  kimi: ["KIMI_API_KEY", "MOONSHOT_API_KEY"],
  zai: ["ZAI_API_KEY", "Z_AI_API_KEY"],
  minimax: ["MINIMAX_API_KEY"],
  venice: ["VENICE_API_KEY"],
  nvidia: ["NVIDIA_API_KEY"],
  perplexity: ["PERPLEXITY_API_KEY"],
  cohere: ["COHERE_API_KEY"],
  deepinfra: ["DEEPINFRA_API_KEY"],
  huggingface: ["HF_TOKEN", "HUGGINGFACE_HUB_TOKEN"],
  qwen: ["QWEN_API_KEY", "DASHSCOPE_API_KEY"],
  litellm: ["LITELLM_API_KEY"],
  opencode: ["OPENCODE_API_KEY", "OPENCODE_ZEN_API_KEY"],
  kilocode: ["KILOCODE_API_KEY"],
  "vercel-ai-gateway": ["AI_GATEWAY_API_KEY"],
  "github-copilot": ["COPILOT_GITHUB_TOKEN", "GH_TOKEN", "GITHUB_TOKEN"],
  "amazon-bedrock": ["AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_BEARER_TOKEN_BEDROCK"],
};

/** Providers served locally that need no credential. */
export const LOCAL_PROVIDERS: ReadonlySet<string> = new Set(["ollama", "lmstudio", "vllm", "sglang"]);

/** One credential to try, with where it came from. `secret` never leaves this process. */
export interface AuthCandidate {
  /** `provider:name` for stored profiles, `env:VAR` or `config:models.providers.<id>.apiKey` otherwise. */
  profileId: string;
  provider: string;
  source: "profile" | "env" | "config" | "none";
  kind: "api_key" | "token" | "oauth" | "none";
  secret: string;
  expires?: number;
  /** Set when the profile is cooling down or disabled. */
  unusableUntil?: number;
}

export interface ResolveAuthOptions {
  provider: string;
  store: AuthStore;
  /** The resolved config's `auth` section (metadata and order only). */
  authConfig?: { profiles?: Record<string, unknown>; order?: Record<string, unknown> };
  /** `models.providers.<provider>.apiKey`, already resolved from `${VAR}`/SecretRef. */
  configApiKey?: string;
  env: Record<string, string | undefined>;
  now: number;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** The ordered stored-profile ids for a provider (§9.3), cooldowns last. */
export function resolveProfileOrder(o: Omit<ResolveAuthOptions, "env" | "configApiKey">): string[] {
  const { provider, store, now } = o;
  const explicit = store.order?.[provider] ?? strings(o.authConfig?.order?.[provider]);
  let ids: string[];
  if (explicit.length > 0) ids = explicit.filter((id) => store.profiles[id]);
  else {
    const configured = Object.entries(o.authConfig?.profiles ?? {})
      .filter(([id, meta]) => ((meta as { provider?: string })?.provider ?? id.split(":")[0]) === provider && store.profiles[id])
      .map(([id]) => id);
    ids = configured.length > 0 ? configured : Object.keys(store.profiles).filter((id) => store.profiles[id]!.provider === provider);
    const rank = (id: string) => (store.profiles[id]!.type === "api_key" ? 1 : 0);
    const used = (id: string) => store.usageStats?.[id]?.lastUsed ?? 0;
    ids.sort((a, b) => rank(a) - rank(b) || used(a) - used(b));
  }
  const ready = ids.filter((id) => unusableUntil(store.usageStats?.[id], now) === undefined);
  const cooling = ids.filter((id) => unusableUntil(store.usageStats?.[id], now) !== undefined);
  cooling.sort((a, b) => (unusableUntil(store.usageStats?.[a], now) ?? 0) - (unusableUntil(store.usageStats?.[b], now) ?? 0));
  return [...ready, ...cooling];
}

/** Every credential for the provider, in the order to try them. Expired ones are left out. */
export function resolveAuthCandidates(o: ResolveAuthOptions): AuthCandidate[] {
  const out: AuthCandidate[] = [];
  for (const id of resolveProfileOrder(o)) {
    const cred = o.store.profiles[id]!;
    const expires = credentialExpiry(cred);
    if (expires !== undefined && expires <= o.now) continue;
    out.push({ profileId: id, provider: o.provider, source: "profile", kind: cred.type, secret: credentialSecret(cred), expires, unusableUntil: unusableUntil(o.store.usageStats?.[id], o.now) });
  }
  for (const name of PROVIDER_ENV_VARS[o.provider] ?? []) {
    const value = o.env[name]?.trim();
    if (!value) continue;
    out.push({ profileId: `env:${name}`, provider: o.provider, source: "env", kind: name.includes("OAUTH") ? "token" : "api_key", secret: value });
    break;
  }
  if (o.configApiKey?.trim()) {
    out.push({ profileId: `config:models.providers.${o.provider}.apiKey`, provider: o.provider, source: "config", kind: "api_key", secret: o.configApiKey.trim() });
  }
  if (out.length === 0 && LOCAL_PROVIDERS.has(o.provider)) out.push({ profileId: `${o.provider}:local`, provider: o.provider, source: "none", kind: "none", secret: "" });
  return out;
}

/** The one-line error for a provider with no usable credential. */
export function missingCredentialError(provider: string): AppError {
  const vars = PROVIDER_ENV_VARS[provider];
  return new AppError("AUTH_MISSING", `No credentials found for profile ${provider}:default — run \`openclaw models auth paste-token --provider ${provider}\``, {
    hint: vars?.length ? `Or set ${vars[0]} in the environment or <state>/.env.` : `Or set models.providers.${provider}.apiKey in openclaw.json.`,
  });
}
