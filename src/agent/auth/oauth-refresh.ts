/**
 * OAuth refresh before use: an `oauth` profile (`access`, `refresh`, `expires`) that has expired or
 * expires within 5 minutes is renewed with a `refresh_token` grant at its provider's token
 * endpoint, and the new tokens are written back to `auth-profiles.json` under the store's lock. A
 * failed refresh records an auth failure (cooldown) on the profile and raises AUTH_EXPIRED naming
 * `openclaw models auth setup-token`. Concurrent callers in this process share one refresh per
 * profile; a refresh another process wrote meanwhile is adopted rather than overwritten.
 */
import { AppError, redactText } from "../../shared/index.js";
import { recordProfileFailure, resolveCooldownPolicy, unusableUntil } from "./cooldown.js";
import { type AuthStore, type OAuthCredential, updateAuthStore } from "./store.js";

/** Refresh this long before expiry. */
export const OAUTH_REFRESH_SKEW_MS = 5 * 60_000;
const REFRESH_TIMEOUT_MS = 15_000;

/** Public token endpoints and client ids of the providers whose OAuth logins OpenClaw supports. */
const TOKEN_ENDPOINTS: Readonly<Record<string, { url: string; clientId: string }>> = {
  anthropic: { url: "https://console.anthropic.com/v1/oauth/token", clientId: "9d1c250a-e61b-44d9-88ed-5944d1962f5e" },
  openai: { url: "https://auth.openai.com/oauth/token", clientId: "app_EMoamEEZ73f0CkXaXp7hrann" },
};

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** `OPENCLAW_OAUTH_TOKEN_URL_<PROVIDER>` (upper case, other characters as `_`). */
export const oauthTokenUrlEnvVar = (provider: string): string => `OPENCLAW_OAUTH_TOKEN_URL_${provider.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;

/**
 * Where a provider's tokens are refreshed: env `OPENCLAW_OAUTH_TOKEN_URL_<PROVIDER>`, then config
 * `auth.oauth.<provider>.tokenUrl` (and `.clientId`), then the built-in table; undefined when the
 * provider has no known endpoint.
 */
export function resolveOAuthTokenEndpoint(provider: string, config: Record<string, unknown>, env: Record<string, string | undefined>): { url: string; clientId?: string } | undefined {
  const configured = obj(obj(obj(config.auth).oauth)[provider]);
  const builtin = TOKEN_ENDPOINTS[provider];
  const url = env[oauthTokenUrlEnvVar(provider)]?.trim() || (typeof configured.tokenUrl === "string" && configured.tokenUrl) || builtin?.url;
  if (!url) return undefined;
  const clientId = (typeof configured.clientId === "string" && configured.clientId) || builtin?.clientId;
  return { url, ...(clientId ? { clientId } : {}) };
}

/** Whether a stored profile is due for a refresh at `now`. */
export function needsOAuthRefresh(cred: { type: string; refresh?: unknown; expires?: unknown }, now: number): boolean {
  // No recorded expiry reads as "does not expire" (as credentialExpiry does): never refreshed blindly.
  const expires = Number(cred.expires) || 0;
  return cred.type === "oauth" && typeof cred.refresh === "string" && cred.refresh.length > 0 && expires > 0 && expires - now <= OAUTH_REFRESH_SKEW_MS;
}

export interface RefreshOAuthOptions {
  /** `<agentDir>/auth-profiles.json`. */
  storeFile: string;
  profileId: string;
  config: Record<string, unknown>;
  env: Record<string, string | undefined>;
  now?: () => number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

const inFlight = new Map<string, Promise<OAuthCredential>>();

function refreshFailed(profileId: string, provider: string, detail: string): AppError {
  return new AppError("AUTH_EXPIRED", `OAuth refresh for ${profileId} failed (${redactText(detail).slice(0, 200)}) — run \`openclaw models auth setup-token --provider ${provider}\``, {
    hint: `Or paste a key: openclaw models auth paste-token --provider ${provider}`,
  });
}

async function requestTokens(o: RefreshOAuthOptions, cred: OAuthCredential): Promise<{ access: string; refresh?: string; expires: number }> {
  const endpoint = resolveOAuthTokenEndpoint(cred.provider, o.config, o.env);
  if (!endpoint) throw refreshFailed(o.profileId, cred.provider, "no token endpoint is known for this provider");
  const now = o.now ?? Date.now;
  const signal = o.signal ? AbortSignal.any([o.signal, AbortSignal.timeout(REFRESH_TIMEOUT_MS)]) : AbortSignal.timeout(REFRESH_TIMEOUT_MS);
  let res: Response;
  try {
    res = await (o.fetch ?? fetch)(endpoint.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ grant_type: "refresh_token", refresh_token: cred.refresh, ...(endpoint.clientId ? { client_id: endpoint.clientId } : {}) }),
      signal,
    });
  } catch (error) {
    throw refreshFailed(o.profileId, cred.provider, `token endpoint unreachable: ${(error as Error).message}`);
  }
  const text = await res.text().catch(() => "");
  let body: Record<string, unknown> = {};
  try {
    body = obj(JSON.parse(text));
  } catch {
    // reported below
  }
  if (!res.ok) {
    const reason = typeof body.error === "string" ? body.error : typeof obj(body.error).type === "string" ? String(obj(body.error).type) : "";
    throw refreshFailed(o.profileId, cred.provider, `HTTP ${res.status}${reason ? ` ${reason}` : ""}`);
  }
  if (typeof body.access_token !== "string" || !body.access_token) throw refreshFailed(o.profileId, cred.provider, "the token endpoint answered without an access_token");
  const expiresIn = typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in : 3600;
  return { access: body.access_token, ...(typeof body.refresh_token === "string" && body.refresh_token ? { refresh: body.refresh_token } : {}), expires: now() + expiresIn * 1000 };
}

async function refreshOnce(o: RefreshOAuthOptions, cred: OAuthCredential): Promise<OAuthCredential> {
  const now = o.now ?? Date.now;
  let tokens: { access: string; refresh?: string; expires: number };
  try {
    tokens = await requestTokens(o, cred);
  } catch (error) {
    const policy = resolveCooldownPolicy(obj(o.config.auth).cooldowns);
    updateAuthStore(o.storeFile, (s) => {
      if (s.profiles[o.profileId]) recordProfileFailure({ store: s, profileId: o.profileId, provider: cred.provider, reason: "auth", now: now(), policy });
    });
    throw error;
  }
  return updateAuthStore(o.storeFile, (s: AuthStore) => {
    const current = s.profiles[o.profileId];
    // Another process refreshed (or the user replaced the login) while we were asking: keep theirs.
    if (current?.type === "oauth" && current.access !== cred.access && !needsOAuthRefresh(current, now())) return current;
    const next: OAuthCredential = { ...(current?.type === "oauth" ? current : cred), access: tokens.access, expires: tokens.expires, ...(tokens.refresh ? { refresh: tokens.refresh } : {}) };
    s.profiles[o.profileId] = next;
    return next;
  });
}

/**
 * Refreshes one stored OAuth profile now (callers check `needsOAuthRefresh` first). Resolves to
 * the credential to use; AUTH_EXPIRED (and a cooldown on the profile) when the refresh failed.
 */
export function refreshOAuthProfile(o: RefreshOAuthOptions, cred: OAuthCredential): Promise<OAuthCredential> {
  const key = `${o.storeFile}\0${o.profileId}`;
  const pending = inFlight.get(key);
  if (pending) return pending;
  const p = refreshOnce(o, cred).finally(() => inFlight.delete(key));
  inFlight.set(key, p);
  return p;
}

/**
 * Refreshes every due OAuth profile of `provider` in `store` (in place on success), skipping those in
 * cooldown. Returns the failures (one AppError per profile); the profiles stay in the store, cooling.
 */
export async function refreshDueOAuthProfiles(o: Omit<RefreshOAuthOptions, "profileId"> & { store: AuthStore; provider: string }): Promise<AppError[]> {
  const now = (o.now ?? Date.now)();
  const failures: AppError[] = [];
  for (const [profileId, cred] of Object.entries(o.store.profiles)) {
    if (cred.provider !== o.provider || cred.type !== "oauth" || !needsOAuthRefresh(cred, now)) continue;
    // A profile cooling down after a failed refresh is not hammered again until the cooldown ends.
    if (unusableUntil(o.store.usageStats?.[profileId], now) !== undefined) continue;
    try {
      o.store.profiles[profileId] = await refreshOAuthProfile({ ...o, profileId }, cred);
    } catch (error) {
      failures.push(error instanceof AppError ? error : refreshFailed(profileId, o.provider, (error as Error).message));
    }
  }
  return failures;
}
