/**
 * Model refs (`provider/model`, split on the first `/`), aliases from
 * `agents.defaults.models.<ref>.alias`, the primary + fallbacks chain for an agent, and how to
 * reach each provider (built-in table, overridden or extended by `models.providers.<id>`).
 */
import { AppError } from "../../shared/index.js";
import type { ProviderApi } from "./types.js";

/** OpenClaw's built-in default when no primary is configured. */
export const DEFAULT_MODEL_REF = "anthropic/claude-opus-4-6";

export interface ModelRef {
  provider: string;
  model: string;
}

const BUILTIN_PROVIDERS: Readonly<Record<string, { api: ProviderApi; baseUrl: string }>> = {
  anthropic: { api: "anthropic-messages", baseUrl: "https://api.anthropic.com" },
  openai: { api: "openai-completions", baseUrl: "https://api.openai.com/v1" },
  openrouter: { api: "openai-completions", baseUrl: "https://openrouter.ai/api/v1" },
  groq: { api: "openai-completions", baseUrl: "https://api.groq.com/openai/v1" },
  mistral: { api: "openai-completions", baseUrl: "https://api.mistral.ai/v1" },
  xai: { api: "openai-completions", baseUrl: "https://api.x.ai/v1" },
  deepseek: { api: "openai-completions", baseUrl: "https://api.deepseek.com/v1" },
  together: { api: "openai-completions", baseUrl: "https://api.together.xyz/v1" },
  fireworks: { api: "openai-completions", baseUrl: "https://api.fireworks.ai/inference/v1" },
  cerebras: { api: "openai-completions", baseUrl: "https://api.cerebras.ai/v1" },
  ollama: { api: "openai-completions", baseUrl: "http://127.0.0.1:11434/v1" },
  lmstudio: { api: "openai-completions", baseUrl: "http://127.0.0.1:1234/v1" },
  vllm: { api: "openai-completions", baseUrl: "http://127.0.0.1:8000/v1" },
  sglang: { api: "openai-completions", baseUrl: "http://127.0.0.1:30000/v1" },
};

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** The slice of the config this module reads (any validated or raw config object will do). */
export type ModelConfig = Record<string, unknown>;

/** `agents.defaults.models` aliases: alias → ref. */
export function resolveAliases(config: ModelConfig): Map<string, string> {
  const out = new Map<string, string>();
  for (const [ref, entry] of Object.entries(obj(obj(obj(config.agents).defaults).models))) {
    const alias = obj(entry).alias;
    if (typeof alias === "string" && alias) out.set(alias, ref);
  }
  return out;
}

/** Parses `provider/model` or an alias; a bad ref is a usage error naming it. */
export function parseModelRef(ref: string, config: ModelConfig = {}): ModelRef {
  const resolved = resolveAliases(config).get(ref.trim()) ?? ref.trim();
  const slash = resolved.indexOf("/");
  if (slash <= 0 || slash === resolved.length - 1) {
    throw new AppError("USAGE", `model "${ref}" is not a provider/model ref or a configured alias`, { hint: "Use provider/model, e.g. anthropic/claude-opus-4-6 or openai/gpt-5." });
  }
  return { provider: resolved.slice(0, slash), model: resolved.slice(slash + 1) };
}

/** Formats a ref back to `provider/model`. */
export const formatModelRef = (ref: ModelRef): string => `${ref.provider}/${ref.model}`;

function modelSetting(v: unknown): { primary?: string; fallbacks?: string[] } {
  if (typeof v === "string") return { primary: v };
  const o = obj(v);
  return {
    primary: typeof o.primary === "string" ? o.primary : undefined,
    fallbacks: Array.isArray(o.fallbacks) ? o.fallbacks.filter((x): x is string => typeof x === "string") : undefined,
  };
}

/** The agent's entry from `agents.list[]` or `agents.entries.<id>`, if any. */
function agentEntry(config: ModelConfig, agentId: string | undefined): Record<string, unknown> {
  if (!agentId) return {};
  const agents = obj(config.agents);
  if (Array.isArray(agents.list)) for (const a of agents.list) if (obj(a).id === agentId) return obj(a);
  return obj(obj(agents.entries)[agentId]);
}

/** Primary and fallbacks (as written) for an agent: its own `model`, then `agents.defaults.model`. */
export function resolveModelSelection(config: ModelConfig, agentId?: string): { primary: string; fallbacks: string[]; primarySource: "agent" | "defaults" | "builtin" } {
  const own = modelSetting(agentEntry(config, agentId).model);
  const defaults = modelSetting(obj(obj(config.agents).defaults).model);
  const primary = own.primary ?? defaults.primary;
  return {
    primary: primary ?? DEFAULT_MODEL_REF,
    fallbacks: own.fallbacks ?? defaults.fallbacks ?? [],
    primarySource: own.primary ? "agent" : defaults.primary ? "defaults" : "builtin",
  };
}

/** The parsed chain to try in order: primary, then each fallback (duplicates dropped). */
export function resolveModelChain(config: ModelConfig, agentId?: string): ModelRef[] {
  const sel = resolveModelSelection(config, agentId);
  const seen = new Set<string>();
  const out: ModelRef[] = [];
  for (const ref of [sel.primary, ...sel.fallbacks]) {
    const parsed = parseModelRef(ref, config);
    const key = formatModelRef(parsed);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(parsed);
    }
  }
  return out;
}

export interface ProviderSettings {
  id: string;
  api: ProviderApi;
  baseUrl: string;
  headers?: Record<string, string>;
  /** `models.providers.<id>.apiKey` when it resolved to a string. */
  apiKey?: string;
  /** `models.providers.<id>.models[]` ids. */
  models: string[];
  builtin: boolean;
}

/** Resolves `${VAR}` leftovers and env SecretRefs; other SecretRef sources are resolved by config loading. */
function resolveSecretInput(v: unknown, env: Record<string, string | undefined>): string | undefined {
  if (typeof v === "string") {
    const m = /^\$\{([A-Z_][A-Z0-9_]*)\}$/.exec(v);
    return m ? env[m[1]!] : v;
  }
  const ref = obj(v);
  if (ref.source === "env" && typeof ref.id === "string") return env[ref.id];
  return undefined;
}

/** How to reach a provider; unknown providers are an error naming the fix. */
export function resolveProviderSettings(config: ModelConfig, providerId: string, env: Record<string, string | undefined> = {}): ProviderSettings {
  const custom = obj(obj(obj(config.models).providers)[providerId]);
  const builtin = BUILTIN_PROVIDERS[providerId];
  const hasCustom = Object.keys(custom).length > 0;
  if (!builtin && !hasCustom) {
    throw new AppError("MODEL_UNKNOWN", `provider "${providerId}" is not built in and not defined under models.providers`, {
      hint: `Add models.providers.${providerId} with baseUrl and api ("openai-completions" or "anthropic-messages"), or use one of: ${Object.keys(BUILTIN_PROVIDERS).join(", ")}.`,
    });
  }
  const api = custom.api === "anthropic-messages" || custom.api === "openai-completions" ? custom.api : (builtin?.api ?? "openai-completions");
  const baseUrl = typeof custom.baseUrl === "string" && custom.baseUrl ? custom.baseUrl : builtin?.baseUrl;
  if (!baseUrl) throw new AppError("MODEL_UNKNOWN", `models.providers.${providerId}.baseUrl is not set`, { hint: `Set it: openclaw config set models.providers.${providerId}.baseUrl http://127.0.0.1:8000/v1` });
  const headers = Object.fromEntries(Object.entries(obj(custom.headers)).filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const models = Array.isArray(custom.models) ? custom.models.map((m) => obj(m).id).filter((x): x is string => typeof x === "string") : [];
  return { id: providerId, api, baseUrl, headers: Object.keys(headers).length ? headers : undefined, apiKey: resolveSecretInput(custom.apiKey, env), models, builtin: Boolean(builtin) };
}

/** Ids of the built-in providers. */
export const builtinProviderIds = (): string[] => Object.keys(BUILTIN_PROVIDERS);
