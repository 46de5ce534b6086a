/**
 * `channels.telegram` → one resolved account: its token (and where it came from), API root,
 * transport mode and webhook settings. Token order (OpenClaw's): the account's `tokenFile`, its
 * `botToken`, the section's `tokenFile`/`botToken`, then `TELEGRAM_BOT_TOKEN` for the default
 * account only. The token itself never leaves this object except into grammy.
 */
import { lstatSync, readFileSync } from "node:fs";

export type TelegramTokenSource = "config" | "env" | "file" | "none";

/** One Telegram account, ready to start. */
export interface ResolvedTelegramAccount {
  accountId: string;
  enabled: boolean;
  token: string | undefined;
  tokenSource: TelegramTokenSource;
  /** Why no token could be resolved (never contains the token). */
  tokenError?: string;
  /** Bot API root without a trailing `/bot<TOKEN>` (default https://api.telegram.org). */
  apiRoot: string;
  /** Set when `apiRoot` carried a `/bot<TOKEN>` suffix that was stripped. */
  apiRootStripped: boolean;
  mode: "polling" | "webhook";
  webhookUrl?: string;
  webhookSecret?: string;
  webhookPath: string;
}

type Section = Record<string, unknown>;

const DEFAULT_API_ROOT = "https://api.telegram.org";
const TOKEN_FILE_MAX = 4096;

/** Strips an accidental `/bot<TOKEN>` (and anything after it) and trailing slashes from an API root. */
export function normalizeApiRoot(raw: string | undefined): { apiRoot: string; stripped: boolean } {
  if (!raw?.trim()) return { apiRoot: DEFAULT_API_ROOT, stripped: false };
  const trimmed = raw.trim();
  const cut = trimmed.replace(/\/bot[^/]*(\/.*)?$/i, "");
  return { apiRoot: cut.replace(/\/+$/, ""), stripped: cut !== trimmed };
}

/** The account ids configured under `channels.telegram` (`default` when none are named). */
export function listTelegramAccountIds(section: Section | undefined): string[] {
  const accounts = section?.accounts;
  const ids = accounts && typeof accounts === "object" ? Object.keys(accounts) : [];
  return ids.length > 0 ? ids : ["default"];
}

/** The default account id: `defaultAccount`, else `default` when present, else the first. */
export function resolveDefaultTelegramAccountId(section: Section | undefined): string {
  const ids = listTelegramAccountIds(section);
  const preferred = section?.defaultAccount;
  if (typeof preferred === "string" && ids.includes(preferred)) return preferred;
  return ids.includes("default") ? "default" : (ids[0] as string);
}

function readTokenFile(file: string): { token?: string; error?: string } {
  try {
    const stat = lstatSync(file);
    if (!stat.isFile()) return { error: `tokenFile ${file} is not a regular file (symlinks are rejected); point it at the file itself` };
    if (stat.size > TOKEN_FILE_MAX) return { error: `tokenFile ${file} is larger than ${TOKEN_FILE_MAX} bytes; it should hold only the bot token` };
    const token = readFileSync(file, "utf8").trim();
    return token ? { token } : { error: `tokenFile ${file} is empty; write the bot token from @BotFather into it` };
  } catch (error) {
    return { error: `tokenFile ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}); check the path and permissions` };
  }
}

function pickToken(layer: Section | undefined): { token?: string; source?: TelegramTokenSource; error?: string } {
  if (!layer) return {};
  if (typeof layer.tokenFile === "string" && layer.tokenFile.trim()) {
    const read = readTokenFile(layer.tokenFile.trim());
    return read.token ? { token: read.token, source: "file" } : { ...(read.error ? { error: read.error } : {}) };
  }
  if (typeof layer.botToken === "string" && layer.botToken.trim()) return { token: layer.botToken.trim(), source: "config" };
  if (layer.botToken !== undefined && typeof layer.botToken !== "string") return { error: "botToken is a secret reference that was not resolved; check the secrets provider" };
  return {};
}

const str = (value: unknown): string | undefined => (typeof value === "string" && value.trim() ? value.trim() : undefined);

/** Resolves one account of `channels.telegram` (account keys override the section's). */
export function resolveTelegramAccount(section: Section | undefined, accountId: string, env: NodeJS.ProcessEnv = process.env): ResolvedTelegramAccount {
  const accounts = (section?.accounts ?? {}) as Record<string, Section>;
  const account = accounts[accountId];
  const merged: Section = { ...(section ?? {}), ...(account ?? {}) };
  let picked = pickToken(account);
  if (!picked.token && !picked.error) picked = pickToken(section);
  if (!picked.token && !picked.error && accountId === resolveDefaultTelegramAccountId(section)) {
    const fromEnv = str(env.TELEGRAM_BOT_TOKEN);
    if (fromEnv) picked = { token: fromEnv, source: "env" };
  }
  const { apiRoot, stripped } = normalizeApiRoot(str(merged.apiRoot));
  const webhookUrl = str(merged.webhookUrl);
  const webhookSecret = str(merged.webhookSecret);
  return {
    accountId,
    enabled: section?.enabled !== false && account?.enabled !== false,
    token: picked.token,
    tokenSource: picked.token ? (picked.source ?? "config") : "none",
    ...(picked.token ? {} : { tokenError: picked.error ?? `no bot token for telegram account "${accountId}"; set channels.telegram${account ? `.accounts.${accountId}` : ""}.botToken or tokenFile${accountId === resolveDefaultTelegramAccountId(section) ? " (or TELEGRAM_BOT_TOKEN)" : ""}` }),
    apiRoot,
    apiRootStripped: stripped,
    mode: webhookUrl ? "webhook" : "polling",
    ...(webhookUrl ? { webhookUrl } : {}),
    ...(webhookSecret ? { webhookSecret } : {}),
    webhookPath: str(merged.webhookPath) ?? "/telegram-webhook",
  };
}
