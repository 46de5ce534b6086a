/**
 * `channels.discord` → one resolved account: its bot token (and where it came from) and the REST
 * base it talks to. Token order: the account's `token`, the section's `token`, then
 * `DISCORD_BOT_TOKEN` for the default account only. The REST base is Discord's unless the process
 * sets `DISCORD_API_URL` (OpenClaw's documented override, e.g. a proxy: a versioned base such as
 * `https://discord.example.com/api/v10`; plain http only on loopback). The token never leaves this
 * object except into discord.js.
 */

export type DiscordTokenSource = "config" | "env" | "none";

/** One Discord bot account, ready to start. */
export interface ResolvedDiscordAccount {
  accountId: string;
  enabled: boolean;
  token: string | undefined;
  tokenSource: DiscordTokenSource;
  /** Why no token could be resolved (never contains the token). */
  tokenError?: string;
  /** REST API root without the version (`https://discord.com/api`). */
  apiRoot: string;
  /** REST API version (`10`). */
  apiVersion: string;
  /** Where `apiRoot` came from. */
  apiSource: "default" | "env";
  /** Why `DISCORD_API_URL` was refused (the account does not start). */
  apiError?: string;
  /** The guild-side policy keys (`groupPolicy`, `allowBots`, `guilds`), account over section. */
  access: Record<string, unknown>;
}

/**
 * Keys the adapter reads per guild message (the router reads `dmPolicy`/`allowFrom` itself).
 * `requireMention` lives only in guild and channel entries: OpenClaw rejects it on `channels.discord`.
 */
export const DISCORD_ACCESS_KEYS = ["groupPolicy", "allowBots", "guilds"] as const;

type Section = Record<string, unknown>;

/** Discord's REST root and the API version discord.js 14 speaks. */
export const DISCORD_API_ROOT = "https://discord.com/api";
export const DISCORD_API_VERSION = "10";

/** The account ids configured under `channels.discord` (`default` when none are named). */
export function listDiscordAccountIds(section: Section | undefined): string[] {
  const accounts = section?.accounts;
  const ids = accounts && typeof accounts === "object" && !Array.isArray(accounts) ? Object.keys(accounts) : [];
  return ids.length > 0 ? ids : ["default"];
}

/** The default account id: `defaultAccount`, else `default` when present, else the first. */
export function resolveDefaultDiscordAccountId(section: Section | undefined): string {
  const ids = listDiscordAccountIds(section);
  const preferred = section?.defaultAccount;
  if (typeof preferred === "string" && ids.includes(preferred)) return preferred;
  return ids.includes("default") ? "default" : (ids[0] as string);
}

/** A token as Discord's portal shows it, without an accidental `Bot ` prefix. */
function cleanToken(raw: string): string {
  return raw.trim().replace(/^Bot\s+/i, "");
}

function pickToken(layer: Section | undefined, where: string): { token?: string; error?: string } {
  if (!layer) return {};
  const value = layer.token ?? layer.botToken;
  if (typeof value === "string" && cleanToken(value)) return { token: cleanToken(value) };
  if (value !== undefined && typeof value !== "string") return { error: `${where}.token is a secret reference that was not resolved; check the secrets provider` };
  return {};
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** Parses `DISCORD_API_URL` (a versioned REST base); plain http is accepted only on loopback. */
export function parseDiscordApiUrl(raw: string | undefined): { apiRoot: string; apiVersion: string; source: "default" | "env"; error?: string } {
  const fallback = { apiRoot: DISCORD_API_ROOT, apiVersion: DISCORD_API_VERSION };
  if (!raw?.trim()) return { ...fallback, source: "default" };
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ...fallback, source: "env", error: "DISCORD_API_URL is not a URL; set it to a versioned REST base such as https://discord.example.com/api/v10" };
  }
  if (url.username || url.password) return { ...fallback, source: "env", error: "DISCORD_API_URL must not carry credentials; the bot token is sent as a header" };
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
    return { ...fallback, source: "env", error: `DISCORD_API_URL uses ${url.protocol.replace(":", "")} on ${url.hostname}; use https (plain http is accepted only on loopback)` };
  }
  const trimmed = `${url.origin}${url.pathname}`.replace(/\/+$/, "");
  const versioned = /^(.*)\/v(\d+)$/.exec(trimmed);
  return versioned ? { apiRoot: versioned[1] as string, apiVersion: versioned[2] as string, source: "env" } : { apiRoot: trimmed, apiVersion: DISCORD_API_VERSION, source: "env" };
}

/** Resolves one account of `channels.discord` (account keys override the section's). */
export function resolveDiscordAccount(section: Section | undefined, accountId: string, env: NodeJS.ProcessEnv = process.env): ResolvedDiscordAccount {
  const accounts = (section?.accounts ?? {}) as Record<string, Section>;
  const account = accounts[accountId];
  const isDefault = accountId === resolveDefaultDiscordAccountId(section);
  let picked: { token?: string; error?: string; source?: DiscordTokenSource } = pickToken(account, `channels.discord.accounts.${accountId}`);
  if (!picked.token && !picked.error) picked = pickToken(section, "channels.discord");
  if (!picked.token && !picked.error && isDefault && typeof env.DISCORD_BOT_TOKEN === "string" && cleanToken(env.DISCORD_BOT_TOKEN)) {
    picked = { token: cleanToken(env.DISCORD_BOT_TOKEN), source: "env" };
  }
  const api = parseDiscordApiUrl(env.DISCORD_API_URL);
  const where = account ? `channels.discord.accounts.${accountId}` : "channels.discord";
  const merged: Section = { ...(section ?? {}), ...(account ?? {}) };
  const access: Record<string, unknown> = {};
  for (const key of DISCORD_ACCESS_KEYS) if (merged[key] !== undefined) access[key] = merged[key];
  return {
    accountId,
    enabled: section?.enabled !== false && account?.enabled !== false,
    token: picked.token,
    tokenSource: picked.token ? (picked.source ?? "config") : "none",
    ...(picked.token ? {} : { tokenError: picked.error ?? `no bot token for discord account "${accountId}"; set ${where}.token${isDefault ? " (or DISCORD_BOT_TOKEN)" : ""}` }),
    apiRoot: api.apiRoot,
    apiVersion: api.apiVersion,
    apiSource: api.source,
    ...(api.error ? { apiError: api.error } : {}),
    access,
  };
}
