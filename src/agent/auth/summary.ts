/**
 * One agent's model-auth state in the compact, secret-free shape `status`, `health` and doctor
 * show: the default model and fallbacks, each provider the chain uses with its state
 * (ok / missing / expiring / expired / cooldown), stored profiles that expire, profiles cooling
 * down, and the problems with the command that fixes each. Built on `collectModelAuthStatus`.
 */
import { type ModelConfig, resolveModelSelection } from "../providers/model-ref.js";
import { collectModelAuthStatus, EXPIRY_WARN_MS } from "./status.js";
import { type AuthStore, createAuthStore, loadAuthStore } from "./store.js";

export type AuthState = "ok" | "missing" | "expiring" | "expired" | "cooldown";

export interface AgentModelAuth {
  agentId: string;
  defaultModel: string;
  fallbacks: string[];
  /** The worst provider state of the chain. */
  status: AuthState;
  providers: Array<{ provider: string; status: AuthState; source: string }>;
  /** Stored profiles with an expiry (OAuth and tokens). */
  expiring: Array<{ profileId: string; provider: string; type: string; status: "ok" | "expiring" | "expired"; expiresAt: string; remainingMs: number }>;
  cooldowns: Array<{ profileId: string; provider: string; kind: "cooldown" | "disabled"; reason?: string; until: string }>;
  /** One line each, ending with the fix. */
  problems: string[];
  /** `models status --check` verdict: 0 ok, 1 missing/expired, 2 expiring within 24 h. */
  checkExitCode: 0 | 1 | 2;
}

/**
 * The command that renews a provider's credential: Anthropic logins are renewed with a setup-token,
 * everything else by pasting a key or token.
 */
export function authFixCommand(provider: string): string {
  return provider === "anthropic" ? "openclaw models auth setup-token --provider anthropic" : `openclaw models auth paste-token --provider ${provider}`;
}

const RANK: Record<AuthState, number> = { ok: 0, expiring: 1, cooldown: 2, expired: 3, missing: 4 };

/**
 * Summarises an agent's model auth from its store file. Never throws: an unreadable store becomes
 * a problem (and an empty store).
 */
export function summarizeAgentModelAuth(o: { config: ModelConfig; env: Record<string, string | undefined>; storeFile: string; agentId: string; now: number }): AgentModelAuth {
  let store: AuthStore;
  const problems: string[] = [];
  try {
    store = loadAuthStore(o.storeFile);
  } catch (error) {
    store = createAuthStore();
    problems.push((error as Error).message);
  }
  let status: ReturnType<typeof collectModelAuthStatus>;
  try {
    status = collectModelAuthStatus({ config: o.config, env: o.env, store, storePath: o.storeFile, agentId: o.agentId, now: o.now });
  } catch (error) {
    const sel = resolveModelSelection(o.config, o.agentId);
    return { agentId: o.agentId, defaultModel: sel.primary, fallbacks: sel.fallbacks, status: "missing", providers: [], expiring: [], cooldowns: [], problems: [...problems, (error as Error).message], checkExitCode: 1 };
  }
  const cooling = new Set(status.auth.unusableProfiles.map((u) => u.profileId));
  const providers = status.auth.providers.map((p) => {
    let state: AuthState = p.status === "static" ? "ok" : p.status;
    // Every stored profile of a provider that relies on them is cooling down: the provider waits.
    const stored = Object.entries(store.profiles).filter(([, c]) => c.provider === p.provider);
    if (state === "ok" && p.effective.kind === "profiles" && stored.length > 0 && stored.every(([id]) => cooling.has(id))) state = "cooldown";
    return { provider: p.provider, status: state, source: p.effective.kind === "missing" ? "none" : `${p.effective.kind}${p.effective.detail ? `:${p.effective.detail}` : ""}` };
  });
  const expiring = status.auth.oauth.profiles
    .filter((p) => p.expiresAt !== undefined)
    .map((p) => ({ profileId: p.profileId, provider: p.provider, type: p.type, status: p.status === "expired" ? ("expired" as const) : p.status === "expiring" ? ("expiring" as const) : ("ok" as const), expiresAt: new Date(p.expiresAt!).toISOString(), remainingMs: p.remainingMs ?? 0 }));
  for (const p of expiring) {
    if (p.status === "expired") problems.push(`${p.profileId} expired at ${p.expiresAt} — run \`${authFixCommand(p.provider)}\``);
    else if (p.status === "expiring") problems.push(`${p.profileId} expires within ${Math.round(EXPIRY_WARN_MS / 3_600_000)} h (${p.expiresAt}) — run \`${authFixCommand(p.provider)}\``);
  }
  // The check's own "expires within 24 h" lines are replaced by the per-profile ones above (with the fix).
  for (const line of status.check.problems) if (!/ expires within 24 h /.test(line)) problems.push(line);
  const cooldowns = status.auth.unusableProfiles.map((u) => ({ profileId: u.profileId, provider: u.provider, kind: u.kind, ...(u.reason ? { reason: u.reason } : {}), until: new Date(u.until).toISOString() }));
  const worst = providers.reduce<AuthState>((w, p) => (RANK[p.status] > RANK[w] ? p.status : w), "ok");
  return {
    agentId: o.agentId,
    defaultModel: status.resolvedDefault,
    fallbacks: status.fallbacks,
    status: worst,
    providers,
    expiring,
    cooldowns,
    problems: [...new Set(problems)],
    checkExitCode: status.check.exitCode,
  };
}
