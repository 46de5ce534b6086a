/**
 * `channels.whatsapp` → one resolved account: where its Baileys auth state lives
 * (`<credentialsDir>/whatsapp/<accountId>/` unless `authDir` overrides it), self-chat and read-receipt
 * settings. Named accounts inherit from `accounts.default`, then the root — except `authDir`,
 * `enabled`, `name` and `selfChatMode`, which the default account keeps to itself (OpenClaw's rule).
 */
import path from "node:path";

type Section = Record<string, unknown>;

/** One WhatsApp account, ready to start. */
export interface ResolvedWhatsAppAccount {
  accountId: string;
  enabled: boolean;
  name?: string;
  /** The Baileys multi-file auth state directory (absolute). */
  authDir: string;
  authDirSource: "default" | "config";
  /** `true`/unset: same-number DMs reach the agent; `false`: they are ignored. */
  selfChatMode: boolean | undefined;
  /** Mark accepted messages read (default true; self-chat never gets receipts). */
  sendReadReceipts: boolean;
  /** Why the account cannot run (bad account id or authDir), when it cannot. */
  configError?: string;
}

const obj = (v: unknown): Section => (v && typeof v === "object" && !Array.isArray(v) ? (v as Section) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/** The account ids under `channels.whatsapp.accounts` (`default` when none are named). */
export function listWhatsAppAccountIds(section: Section | undefined): string[] {
  const ids = Object.keys(obj(section?.accounts));
  return ids.length > 0 ? ids : ["default"];
}

/** `defaultAccount` when it names an account, else `default` when present, else the first id alphabetically. */
export function resolveDefaultWhatsAppAccountId(section: Section | undefined): string {
  const ids = listWhatsAppAccountIds(section);
  const preferred = section?.defaultAccount;
  if (typeof preferred === "string" && ids.includes(preferred)) return preferred;
  return ids.includes("default") ? "default" : ([...ids].sort()[0] as string);
}

/** An account id is a single path segment (it names the auth directory). */
export function isSafeWhatsAppAccountId(accountId: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(accountId) && !accountId.includes("..");
}

/** The default auth directory of an account: `<credentialsDir>/whatsapp/<accountId>`. */
export function defaultWhatsAppAuthDir(credentialsDir: string, accountId: string): string {
  return path.join(credentialsDir, "whatsapp", accountId);
}

function pick<T>(key: string, layers: Section[], test: (v: unknown) => v is T): T | undefined {
  for (const layer of layers) if (test(layer[key])) return layer[key] as T;
  return undefined;
}
const isBool = (v: unknown): v is boolean => typeof v === "boolean";

/** Resolves one account of `channels.whatsapp` (account → `accounts.default` → root). */
export function resolveWhatsAppAccount(section: Section | undefined, accountId: string, credentialsDir: string, env: NodeJS.ProcessEnv = process.env): ResolvedWhatsAppAccount {
  const root = obj(section);
  const accounts = obj(root.accounts);
  const account = obj(accounts[accountId]);
  const inherited = accountId === "default" ? [] : [obj(accounts.default)];
  const shared = [account, ...inherited, root];
  const own = [account, ...(accountId === resolveDefaultWhatsAppAccountId(section) ? [root] : [])];
  const rawAuthDir = str(account.authDir) ?? (accountId === resolveDefaultWhatsAppAccountId(section) ? str(root.authDir) : undefined);
  let configError: string | undefined;
  if (!isSafeWhatsAppAccountId(accountId)) configError = `whatsapp account id "${accountId}" cannot name a directory; use letters, digits, ".", "_" or "-" (channels.whatsapp.accounts)`;
  let authDir = defaultWhatsAppAuthDir(credentialsDir, accountId);
  if (rawAuthDir) {
    const expanded = rawAuthDir.startsWith("~") ? path.join(env.HOME ?? "", rawAuthDir.slice(1)) : rawAuthDir;
    if (!path.isAbsolute(expanded)) configError ??= `channels.whatsapp${account.authDir ? `.accounts.${accountId}` : ""}.authDir "${rawAuthDir}" is relative; give an absolute path (or ~/…)`;
    else authDir = path.resolve(expanded);
  }
  const name = str(account.name) ?? (accountId === resolveDefaultWhatsAppAccountId(section) ? str(root.name) : undefined);
  return {
    accountId,
    enabled: root.enabled !== false && account.enabled !== false,
    ...(name ? { name } : {}),
    authDir,
    authDirSource: rawAuthDir && !configError ? "config" : "default",
    selfChatMode: pick("selfChatMode", own, isBool),
    sendReadReceipts: pick("sendReadReceipts", shared, isBool) ?? true,
    ...(configError ? { configError } : {}),
  };
}
