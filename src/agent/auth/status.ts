/**
 * The model-auth overview behind `openclaw models status` (and later `status`, `health`, doctor):
 * for every provider the agent's model chain uses, where its credential comes from, which stored
 * profiles are expired, expiring or cooling down, and the `--check` verdict. Pure over its inputs;
 * secrets appear only masked.
 */
import { maskSecret } from "../../shared/index.js";
import { type ModelConfig, resolveModelSelection, resolveProviderSettings } from "../providers/model-ref.js";
import { unusableUntil } from "./cooldown.js";
import { LOCAL_PROVIDERS, resolveAuthCandidates } from "./credentials.js";
import { type AuthStore, credentialExpiry, credentialSecret } from "./store.js";

/** OpenClaw warns about credentials expiring within a day. */
export const EXPIRY_WARN_MS = 24 * 60 * 60 * 1000;

export type ProfileHealth = "ok" | "expiring" | "expired" | "static";

export interface ProfileStatus {
  profileId: string;
  provider: string;
  type: "api_key" | "token" | "oauth";
  status: ProfileHealth;
  source: "store";
  label: string;
  expiresAt?: number;
  remainingMs?: number;
}

export interface ProviderAuthStatus {
  provider: string;
  /** The credential a request would use first. */
  effective: { kind: "profiles" | "env" | "config" | "local" | "missing"; detail: string };
  status: ProfileHealth | "missing";
  profiles: { count: number; oauth: number; token: number; apiKey: number; labels: string[] };
}

export interface UnusableProfile {
  profileId: string;
  provider: string;
  kind: "cooldown" | "disabled";
  reason?: string;
  until: number;
  remainingMs: number;
  recoveryHint: string;
}

export interface ModelAuthStatus {
  defaultModel: string;
  resolvedDefault: string;
  fallbacks: string[];
  aliases: Record<string, string>;
  auth: {
    storePath: string;
    providers: ProviderAuthStatus[];
    missingProvidersInUse: string[];
    unusableProfiles: UnusableProfile[];
    oauth: { warnAfterMs: number; profiles: ProfileStatus[] };
  };
  /** `--check` verdict: 0 ok, 1 missing/expired, 2 expiring within 24 h. */
  check: { exitCode: 0 | 1 | 2; problems: string[] };
}

export interface CollectModelAuthOptions {
  config: ModelConfig;
  env: Record<string, string | undefined>;
  store: AuthStore;
  storePath: string;
  agentId?: string;
  now: number;
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function profileHealth(expires: number | undefined, now: number): ProfileHealth {
  if (expires === undefined) return "static";
  if (expires <= now) return "expired";
  return expires - now <= EXPIRY_WARN_MS ? "expiring" : "ok";
}

const providerOf = (ref: string, aliases: Map<string, string>) => {
  const r = aliases.get(ref) ?? ref;
  const i = r.indexOf("/");
  return i > 0 ? r.slice(0, i) : undefined;
};

/** Collects the overview. Never throws for a bad ref or unknown provider: it becomes a problem. */
export function collectModelAuthStatus(o: CollectModelAuthOptions): ModelAuthStatus {
  const sel = resolveModelSelection(o.config, o.agentId);
  const aliasMap = new Map<string, string>();
  for (const [ref, e] of Object.entries(obj(obj(obj(o.config.agents).defaults).models))) if (typeof obj(e).alias === "string") aliasMap.set(obj(e).alias as string, ref);
  const authConfig = obj(o.config.auth) as { profiles?: Record<string, unknown>; order?: Record<string, unknown> };
  const problems: string[] = [];
  let exitCode: 0 | 1 | 2 = 0;

  const profiles: ProfileStatus[] = Object.entries(o.store.profiles).map(([profileId, cred]) => {
    const expires = credentialExpiry(cred);
    return {
      profileId,
      provider: cred.provider,
      type: cred.type,
      status: profileHealth(expires, o.now),
      source: "store" as const,
      label: profileId,
      ...(expires !== undefined ? { expiresAt: expires, remainingMs: expires - o.now } : {}),
    };
  });
  const unusable: UnusableProfile[] = [];
  for (const [profileId, stats] of Object.entries(o.store.usageStats ?? {})) {
    const until = unusableUntil(stats, o.now);
    if (until === undefined) continue;
    const disabled = (stats.disabledUntil ?? 0) > o.now;
    unusable.push({
      profileId,
      provider: o.store.profiles[profileId]?.provider ?? profileId.split(":")[0]!,
      kind: disabled ? "disabled" : "cooldown",
      reason: stats.disabledReason,
      until,
      remainingMs: until - o.now,
      recoveryHint: disabled ? "Check the provider account's billing, then wait or switch provider." : "Wait for the cooldown or switch provider.",
    });
  }

  const inUse = [...new Set([sel.primary, ...sel.fallbacks].map((r) => providerOf(r, aliasMap)).filter((p): p is string => Boolean(p)))];
  const providers: ProviderAuthStatus[] = [];
  const missing: string[] = [];
  for (const provider of inUse) {
    let configApiKey: string | undefined;
    try {
      configApiKey = resolveProviderSettings(o.config, provider, o.env).apiKey;
    } catch (error) {
      problems.push((error as Error).message);
      exitCode = 1;
      continue;
    }
    const stored = Object.entries(o.store.profiles).filter(([, c]) => c.provider === provider);
    const labels = stored.map(([id, c]) => {
      const until = unusableUntil(o.store.usageStats?.[id], o.now);
      const health = profileHealth(credentialExpiry(c), o.now);
      const tag = until ? ` [${(o.store.usageStats?.[id]?.disabledUntil ?? 0) > o.now ? "disabled" : "cooldown"} ${Math.ceil((until - o.now) / 60_000)}m]` : health === "expired" || health === "expiring" ? ` [${health}]` : "";
      return `${id}=${c.type === "oauth" ? "OAuth" : maskSecret(credentialSecret(c))}${tag}`;
    });
    const counts = { count: stored.length, oauth: stored.filter(([, c]) => c.type === "oauth").length, token: stored.filter(([, c]) => c.type === "token").length, apiKey: stored.filter(([, c]) => c.type === "api_key").length, labels };
    const candidates = resolveAuthCandidates({ provider, store: o.store, authConfig, configApiKey, env: o.env, now: o.now });
    const first = candidates[0];
    if (!first) {
      const expired = stored.some(([, c]) => profileHealth(credentialExpiry(c), o.now) === "expired");
      missing.push(provider);
      providers.push({ provider, effective: { kind: "missing", detail: expired ? "every stored credential has expired" : "missing" }, status: expired ? "expired" : "missing", profiles: counts });
      problems.push(expired ? `${provider}: every stored credential has expired — run \`openclaw models auth paste-token --provider ${provider}\`` : `No credentials found for profile ${provider}:default — run \`openclaw models auth paste-token --provider ${provider}\``);
      exitCode = 1;
      continue;
    }
    const kind = first.source === "profile" ? "profiles" : first.source === "none" ? "local" : first.source;
    const detail = first.source === "profile" ? first.profileId : first.source === "env" ? first.profileId.slice(4) : first.source === "config" ? first.profileId.slice(7) : LOCAL_PROVIDERS.has(provider) ? "no credential needed" : "";
    const status = profileHealth(first.expires, o.now);
    providers.push({ provider, effective: { kind, detail }, status, profiles: counts });
    if (status === "expiring") {
      problems.push(`${provider}: ${first.profileId} expires within 24 h (${new Date(first.expires!).toISOString()})`);
      if (exitCode === 0) exitCode = 2;
    }
  }

  return {
    defaultModel: sel.primary,
    resolvedDefault: aliasMap.get(sel.primary) ?? sel.primary,
    fallbacks: sel.fallbacks,
    aliases: Object.fromEntries(aliasMap),
    auth: { storePath: o.storePath, providers, missingProvidersInUse: missing, unusableProfiles: unusable, oauth: { warnAfterMs: EXPIRY_WARN_MS, profiles } },
    check: { exitCode, problems },
  };
}
