/**
 * The onboarding steps that touch disk or network, without prompts: preview the planned config
 * edit (comments kept, validated, a diff with every secret masked), commit it through the config's
 * whole-file write path (atomic, `.bak`), save the model credential to `auth-profiles.json`, probe
 * it with one request, check a Telegram bot token with `getMe`, and create the state dir (0700) and
 * the workspace with its bootstrap files.
 */
import { chmodSync, existsSync, statSync } from "node:fs";
import path from "node:path";
import { type AuthStore, BOOTSTRAP_FILES, ensureWorkspace, loadAuthStore, type ProbeResult, probeModelAuth, resolveAuthStoreLocation, updateAuthStore } from "../../agent/index.js";
import { resolveTelegramAccount, TelegramAccount } from "../../channels/index.js";
import { loadConfigRuntime, parseJson5, readConfigInput, setJson5Value } from "../../config/index.js";
import { type Env, ensureDir, type ResolvedPaths } from "../../infra/index.js";
import { AppError, collectSecretValues, diffLines, formatConfigPath, maskSecret, redactText } from "../../shared/index.js";
import type { ConfigSet } from "./plan.js";

export interface ConfigPreview {
  configPath: string;
  exists: boolean;
  /** The file as read (null when there is none) and as it would be written. */
  before: string | null;
  after: string;
  /** The config as written (`${VAR}` untouched), before the edit. */
  current: Record<string, unknown>;
  /** The edited config, env substituted (what the gateway would run with). */
  planned: Record<string, unknown>;
  hash: string | null;
  sets: ConfigSet[];
  /** Unified diff lines with secrets masked. */
  diff: string[];
  changed: boolean;
}

/** Reads the config as written; a file that does not parse is refused (nothing changes). */
export function readCurrentConfig(configPath: string, env: Env): { exists: boolean; raw: string | null; current: Record<string, unknown>; hash: string | null } {
  const input = readConfigInput({ configPath, env, lenientEnv: true });
  if (input.exists && !input.readable) {
    throw new AppError("CONFIG_PARSE", input.issues[0]?.message ?? `cannot read ${configPath}`, { hint: "Fix the file first (openclaw config validate); onboarding changed nothing." });
  }
  const raw = input.raw;
  const current = raw?.trim() ? (parseJson5(raw) as Record<string, unknown>) : {};
  return { exists: input.exists, raw, current, hash: input.hash };
}

/** Applies `sets` to the file's text in memory and validates the result; nothing is written. */
export async function previewConfig(o: { configPath: string; env: Env; sets: ConfigSet[] }): Promise<ConfigPreview> {
  const read = readCurrentConfig(o.configPath, o.env);
  let after = read.raw ?? "";
  for (const set of o.sets) after = setJson5Value(after, set.path, set.value);
  const { loadConfigSnapshot } = await loadConfigRuntime();
  const snap = loadConfigSnapshot({ configPath: o.configPath, env: o.env, raw: after, lenientEnv: true, allowEmpty: true });
  if (!snap.valid) {
    const issue = snap.issues[0];
    throw new AppError("CONFIG_INVALID", `the planned config is not valid: ${issue ? `${issue.path}: ${issue.message}` : "unknown problem"}`, { hint: "Nothing was written.", details: { issues: snap.issues } });
  }
  const changed = (read.raw ?? "") !== after;
  const literals = [...new Set([...collectSecretValues(read.current), ...collectSecretValues(snap.input), ...o.sets.flatMap((s) => (typeof s.value === "string" && isSecretPath(s.path) ? [s.value] : []))])].sort((a, b) => b.length - a.length);
  return {
    configPath: o.configPath,
    exists: read.exists,
    before: read.raw,
    after,
    current: read.current,
    planned: snap.input as Record<string, unknown>,
    hash: read.hash,
    sets: o.sets,
    diff: changed ? diffLines(read.raw ?? "", after).map((line) => redactText(line, { literals })) : [],
    changed,
  };
}

/** Paths whose values are secrets in onboarding's sets (masked in every summary). */
export function isSecretPath(path: ReadonlyArray<string | number>): boolean {
  const last = String(path.at(-1));
  return /token|password|secret|apikey|api_key/i.test(last);
}

/** Writes the previewed text (validated again, atomic, the old file kept as `.bak`); refuses if the file changed meanwhile. */
export async function commitConfig(preview: ConfigPreview, env: Env): Promise<{ written: boolean; backupPath?: string }> {
  if (!preview.changed) return { written: false };
  const { loadConfigSnapshot, replaceConfigRaw } = await loadConfigRuntime();
  // A missing file reads as empty text; its hash is the base the write path compares with.
  const baseHash = preview.exists ? preview.hash : loadConfigSnapshot({ configPath: preview.configPath, env, raw: "", lenientEnv: true, allowEmpty: true }).hash;
  const result = replaceConfigRaw({ configPath: preview.configPath, env, raw: preview.after, ...(baseHash ? { baseHash } : {}) });
  return { written: result.written, ...(result.backupPath ? { backupPath: result.backupPath } : {}) };
}

/** Creates the state dir at 0700 (or tightens it); what it did, for the summary. */
export function ensureStateDir(stateDir: string): "created" | "tightened" | "unchanged" {
  if (!existsSync(stateDir)) {
    ensureDir(stateDir);
    return "created";
  }
  if ((statSync(stateDir).mode & 0o077) !== 0) {
    chmodSync(stateDir, 0o700);
    return "tightened";
  }
  return "unchanged";
}

/** Creates the workspace and its missing bootstrap files (existing files are never touched). */
export function bootstrapWorkspace(workspace: string, skipBootstrap: boolean): { workspace: string; created: string[] } {
  const r = ensureWorkspace({ workspace, skipBootstrap });
  return { workspace: r.workspace, created: [...r.created] };
}

/** What `bootstrapWorkspace` would create: the directory and/or the missing bootstrap files. */
export function workspaceMissing(workspace: string, skipBootstrap: boolean): string[] {
  if (!existsSync(workspace)) return [workspace, ...(skipBootstrap ? [] : BOOTSTRAP_FILES.map((f) => path.join(workspace, f)))];
  return skipBootstrap ? [] : BOOTSTRAP_FILES.map((f) => path.join(workspace, f)).filter((f) => !existsSync(f));
}

export interface CredentialPlan {
  file: string;
  agentId: string;
  profileId: string;
  provider: string;
  /** The key differs from every stored one for this provider (a write is needed). */
  changed: boolean;
  /** The key shown masked. */
  masked: string;
}

/** Where the default agent's credential would go, and whether `key` is new there. */
export function planCredential(o: { config: Record<string, unknown>; paths: ResolvedPaths; env: Env; provider: string; key: string }): CredentialPlan {
  const location = resolveAuthStoreLocation({ config: o.config, agentDirOf: (id) => o.paths.layout.agentDir(id), env: o.env, home: o.paths.home });
  const store = loadAuthStore(location.file);
  const profileId = `${o.provider}:default`;
  const existing = store.profiles[profileId];
  const same = existing?.type === "api_key" && existing.provider === o.provider && existing.key === o.key;
  return { file: location.file, agentId: location.agentId, profileId, provider: o.provider, changed: !same, masked: maskSecret(o.key) };
}

/** The stored API key for `provider` (default profile first), if any. */
export function storedApiKey(o: { config: Record<string, unknown>; paths: ResolvedPaths; env: Env; provider: string }): string | undefined {
  const location = resolveAuthStoreLocation({ config: o.config, agentDirOf: (id) => o.paths.layout.agentDir(id), env: o.env, home: o.paths.home });
  const store = loadAuthStore(location.file);
  const own = store.profiles[`${o.provider}:default`];
  if (own?.type === "api_key" && own.provider === o.provider) return own.key;
  for (const cred of Object.values(store.profiles)) if (cred.type === "api_key" && cred.provider === o.provider) return cred.key;
  return undefined;
}

/** Saves the key as `<provider>:default` (locked, atomic, 0600); a fresh key starts without cooldowns. */
export function saveCredential(plan: CredentialPlan, key: string): void {
  if (!plan.changed) return;
  updateAuthStore(plan.file, (store) => {
    store.profiles[plan.profileId] = { type: "api_key", provider: plan.provider, key };
    if (store.usageStats?.[plan.profileId]) delete store.usageStats[plan.profileId];
  });
}

/** One probe request with `key` against the planned config (nothing saved yet); errors come back redacted. */
export async function probeCredential(o: { planned: Record<string, unknown>; env: Env; provider: string; key: string; signal?: AbortSignal; timeoutMs?: number }): Promise<ProbeResult> {
  const store: AuthStore = { version: 1, profiles: { [`${o.provider}:default`]: { type: "api_key", provider: o.provider, key: o.key } } };
  // Only the stored key: an env key or a config apiKey must not stand in for the one being tested.
  const env = Object.fromEntries(Object.entries(o.env).filter(([k]) => !/_API_KEY$|_OAUTH_TOKEN$/.test(k)));
  const results = await probeModelAuth({ config: o.planned, env, store, timeoutMs: o.timeoutMs ?? 8000, maxTokens: 8, provider: o.provider, ...(o.signal ? { signal: o.signal } : {}) });
  const result = results.find((r) => r.profileId === `${o.provider}:default`) ?? results[0] ?? { provider: o.provider, status: "no_model" as const, error: `no ${o.provider} model in the agent's chain` };
  return result.error ? { ...result, error: redactText(result.error, { literals: [o.key] }) } : result;
}

/** `getMe` against the Bot API root with a deadline; the token never appears in what comes back. */
export async function checkTelegramToken(o: { token: string; apiRoot?: string; env: Env; timeoutMs?: number }): Promise<{ ok: boolean; username?: string; error?: string }> {
  const resolved = resolveTelegramAccount({ botToken: o.token, ...(o.apiRoot ? { apiRoot: o.apiRoot } : {}) }, "default", o.env as NodeJS.ProcessEnv);
  const account = new TelegramAccount(resolved, { pollTimeoutSec: 1 });
  const r = await account.probe(o.timeoutMs ?? 10_000);
  return r.ok ? { ok: true, ...(r.bot?.username ? { username: r.bot.username } : {}) } : { ok: false, error: redactText(r.error ?? "getMe failed", { literals: [o.token] }) };
}

/** `a.b.c` for messages. */
export const showPath = (path: ReadonlyArray<string | number>) => formatConfigPath(path);
