/**
 * `channels.googlechat` → one resolved account: the service account (from `serviceAccountFile`,
 * inline `serviceAccount`, or `GOOGLE_CHAT_SERVICE_ACCOUNT_FILE` / `GOOGLE_CHAT_SERVICE_ACCOUNT` for
 * the default account only), how inbound bearer tokens are checked (`audienceType` + `audience`, the
 * issuer and key set that go with the type, `appPrincipal` for Workspace add-on tokens), the webhook
 * path, `botUser`/`allowBots`, and the endpoints. Keys beyond OpenClaw's, usable to point at a proxy or
 * a loopback server: `certsUrl` (Google's keys), `apiBaseUrl` (the Chat API), `timeoutMs` (per request,
 * default 15 s); the token endpoint is the key file's `token_uri`.
 * Problems are kept as one-line `configError` text naming the key and the fix (thrown as
 * CONFIG_INVALID at start); the private key never appears in them.
 */
import { readConfigText } from "../../config/index.js";

type Section = Record<string, unknown>;

/** `app-url`: Google's OIDC ID token for the webhook URL; `project-number`: a token from chat@system.gserviceaccount.com for the project. */
export type GoogleChatAudienceType = "app-url" | "project-number";
/** Where the service account came from (status; never the key). */
export type GoogleChatCredentialSource = "file" | "inline" | "env-file" | "env" | "none";

/** The fields of a service-account JSON key we use. */
export interface GoogleServiceAccount {
  clientEmail: string;
  privateKey: string;
  privateKeyId?: string;
  tokenUri: string;
  projectId?: string;
}

/** One Google Chat account, ready to start. Holds the private key: never log or serialise it. */
export interface ResolvedGoogleChatAccount {
  accountId: string;
  enabled: boolean;
  serviceAccount?: GoogleServiceAccount;
  credentialSource: GoogleChatCredentialSource;
  audienceType?: GoogleChatAudienceType;
  audience?: string;
  webhookPath: string;
  webhookUrl?: string;
  /** Key set for inbound tokens: x509 PEM map (`{kid: cert}`) or JWKS (`{keys: [...]}`). */
  certsUrl: string;
  /** Accepted `iss` values for the audience type. */
  issuers: string[];
  /** For app-url tokens: the `email` claim Google Chat's tokens carry. */
  expectedEmail?: string;
  /** `appPrincipal`: the app's numeric OAuth client id, required to accept Workspace add-on tokens (app-url). */
  appPrincipal?: string;
  apiBaseUrl: string;
  /** The app's user resource name (`users/…`), for mention detection. */
  botUser?: string;
  allowBots: boolean;
  /** Per-request deadline for Google APIs (ms). */
  requestTimeoutMs: number;
  /** Why the account cannot run, one line naming the key and the fix (never a secret). */
  configError?: string;
}

/** Google Chat's own issuer (project-number tokens) and the `email` of its app-url ID tokens. */
export const GOOGLE_CHAT_ISSUER = "chat@system.gserviceaccount.com";
/** Google Chat's signing certificates (`{kid: PEM}`), for project-number tokens. */
export const GOOGLE_CHAT_X509_URL = "https://www.googleapis.com/service_accounts/v1/metadata/x509/chat@system.gserviceaccount.com";
/** Google's OIDC keys (JWKS), for app-url ID tokens. */
export const GOOGLE_OIDC_JWKS_URL = "https://www.googleapis.com/oauth2/v3/certs";
/** The issuers of Google ID tokens. */
export const GOOGLE_OIDC_ISSUERS = ["https://accounts.google.com", "accounts.google.com"];
/** The Chat API (`apiBaseUrl` default). */
export const GOOGLE_CHAT_API_BASE = "https://chat.googleapis.com";
/** Google's OAuth2 token endpoint (used when the key file has no `token_uri`). */
export const GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token";
/** Where Google Chat POSTs when neither `webhookPath` nor `webhookUrl` says otherwise. */
export const DEFAULT_GOOGLE_CHAT_WEBHOOK_PATH = "/googlechat";
const SERVICE_ACCOUNT_MAX_BYTES = 64 * 1024;

const str = (value: unknown): string | undefined => (typeof value === "string" && value.trim() ? value.trim() : undefined);
const obj = (value: unknown): Section => (value && typeof value === "object" && !Array.isArray(value) ? (value as Section) : {});

/** The account ids configured under `channels.googlechat` (`default` when none are named). */
export function listGoogleChatAccountIds(section: Section | undefined): string[] {
  const ids = Object.keys(obj(section?.accounts));
  return ids.length > 0 ? ids : ["default"];
}

/** The default account id: `defaultAccount`, else `default` when present, else the first. */
export function resolveDefaultGoogleChatAccountId(section: Section | undefined): string {
  const ids = listGoogleChatAccountIds(section);
  const preferred = section?.defaultAccount;
  if (typeof preferred === "string" && ids.includes(preferred)) return preferred;
  return ids.includes("default") ? "default" : (ids[0] as string);
}

/**
 * Parses a service-account JSON key (text or object). Throws a one-line message naming `where`
 * (never the key material) when it is not JSON or lacks `client_email` / `private_key`.
 */
export function parseGoogleServiceAccount(raw: unknown, where: string): GoogleServiceAccount {
  let value: unknown = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new Error(`${where} is not valid JSON; use the JSON key downloaded from Google Cloud (Service Accounts → Keys → Add key → JSON)`);
    }
  }
  const o = obj(value);
  if (o.type !== undefined && o.type !== "service_account") throw new Error(`${where} has type "${String(o.type)}", not "service_account"; create a service-account JSON key`);
  const clientEmail = str(o.client_email);
  const privateKey = str(o.private_key);
  if (!clientEmail || !privateKey) throw new Error(`${where} lacks ${!clientEmail ? "client_email" : "private_key"}; use the complete service-account JSON key file`);
  if (!/-----BEGIN PRIVATE KEY-----/.test(privateKey)) throw new Error(`${where}: private_key is not a PEM "PRIVATE KEY" block; use the JSON key file as Google issued it`);
  const tokenUri = str(o.token_uri) ?? GOOGLE_TOKEN_URI;
  if (!/^https?:\/\//.test(tokenUri)) throw new Error(`${where}: token_uri is not an http(s) URL; use the JSON key file as Google issued it`);
  return { clientEmail, privateKey, tokenUri, ...(str(o.private_key_id) ? { privateKeyId: str(o.private_key_id) } : {}), ...(str(o.project_id) ? { projectId: str(o.project_id) } : {}) };
}

function readServiceAccountFile(file: string, where: string): GoogleServiceAccount {
  let text: string;
  try {
    text = readConfigText(file, { label: "service account file", maxBytes: SERVICE_ACCOUNT_MAX_BYTES });
  } catch (error) {
    throw new Error(`${where} ${file} cannot be read (${error instanceof Error ? error.message.replace(/\s+/g, " ") : "error"}); check the path and permissions`);
  }
  return parseGoogleServiceAccount(text, `${where} ${file}`);
}

interface Picked {
  serviceAccount?: GoogleServiceAccount;
  source?: GoogleChatCredentialSource;
  error?: string;
}

function pickServiceAccount(layer: Section | undefined, at: string): Picked {
  if (!layer) return {};
  try {
    const file = str(layer.serviceAccountFile);
    if (file) return { serviceAccount: readServiceAccountFile(file, `${at}.serviceAccountFile`), source: "file" };
    const inline = layer.serviceAccount;
    if (typeof inline === "string" && inline.trim()) return { serviceAccount: parseGoogleServiceAccount(inline, `${at}.serviceAccount`), source: "inline" };
    if (inline && typeof inline === "object") {
      const o = inline as Section;
      // A SecretRef ({source, provider, id}) the secrets layer did not resolve.
      if (o.source !== undefined && o.client_email === undefined) return { error: `${at}.serviceAccount is a secret reference that was not resolved; check the secrets provider` };
      return { serviceAccount: parseGoogleServiceAccount(inline, `${at}.serviceAccount`), source: "inline" };
    }
  } catch (error) {
    return { error: (error as Error).message };
  }
  return {};
}

/** Resolves one account of `channels.googlechat` (account keys override the section's). */
export function resolveGoogleChatAccount(section: Section | undefined, accountId: string, env: NodeJS.ProcessEnv = process.env): ResolvedGoogleChatAccount {
  const account = obj(section?.accounts)[accountId] as Section | undefined;
  const merged: Section = { ...(section ?? {}), ...(account ?? {}) };
  const accountAt = account ? `channels.googlechat.accounts.${accountId}` : "channels.googlechat";
  const isDefault = accountId === resolveDefaultGoogleChatAccountId(section);
  let picked = pickServiceAccount(account, accountAt);
  if (!picked.serviceAccount && !picked.error) picked = pickServiceAccount(section, "channels.googlechat");
  if (!picked.serviceAccount && !picked.error && isDefault) {
    try {
      const envFile = str(env.GOOGLE_CHAT_SERVICE_ACCOUNT_FILE);
      const envInline = str(env.GOOGLE_CHAT_SERVICE_ACCOUNT);
      if (envFile) picked = { serviceAccount: readServiceAccountFile(envFile, "GOOGLE_CHAT_SERVICE_ACCOUNT_FILE"), source: "env-file" };
      else if (envInline) picked = { serviceAccount: parseGoogleServiceAccount(envInline, "GOOGLE_CHAT_SERVICE_ACCOUNT"), source: "env" };
    } catch (error) {
      picked = { error: (error as Error).message };
    }
  }
  const errors: string[] = [];
  if (picked.error) errors.push(picked.error);
  else if (!picked.serviceAccount) errors.push(`no service account for googlechat account "${accountId}"; set ${accountAt}.serviceAccountFile (path to the JSON key) or serviceAccount${isDefault ? " (or GOOGLE_CHAT_SERVICE_ACCOUNT_FILE)" : ""}`);

  const rawType = str(merged.audienceType);
  let audienceType: GoogleChatAudienceType | undefined;
  if (rawType === "app-url" || rawType === "project-number") audienceType = rawType;
  else if (rawType) errors.push(`${accountAt}.audienceType is "${rawType}"; use "app-url" (audience = the webhook URL) or "project-number" (audience = the Cloud project number)`);
  else errors.push(`${accountAt}.audienceType is not set; set it to "app-url" or "project-number" as in the Chat app's connection settings`);

  const webhookUrl = str(merged.webhookUrl);
  let urlPath: string | undefined;
  if (webhookUrl) {
    try {
      urlPath = new URL(webhookUrl).pathname;
    } catch {
      errors.push(`${accountAt}.webhookUrl "${webhookUrl}" is not a URL; use the public https URL Google Chat posts to`);
    }
  }
  let webhookPath = str(merged.webhookPath) ?? (urlPath && urlPath !== "/" ? urlPath : DEFAULT_GOOGLE_CHAT_WEBHOOK_PATH);
  if (!webhookPath.startsWith("/")) webhookPath = `/${webhookPath}`;

  const audience = str(merged.audience) ?? (typeof merged.audience === "number" ? String(merged.audience) : undefined) ?? (audienceType === "app-url" ? webhookUrl : undefined);
  if (audienceType && !audience) errors.push(`${accountAt}.audience is not set; set it to ${audienceType === "app-url" ? "the webhook URL configured in the Chat app" : "the Google Cloud project number"}`);
  else if (audienceType === "project-number" && audience && !/^\d+$/.test(audience)) errors.push(`${accountAt}.audience "${audience}" is not a project number; use the numeric project number from the Cloud console (not the project id)`);

  const appPrincipal = str(merged.appPrincipal) ?? (typeof merged.appPrincipal === "number" ? String(merged.appPrincipal) : undefined);
  if (appPrincipal && !/^\d+$/.test(appPrincipal)) errors.push(`${accountAt}.appPrincipal "${appPrincipal}" is not a numeric OAuth client id; use the app's 21-digit client id, not an email`);
  const timeout = typeof merged.timeoutMs === "number" && merged.timeoutMs > 0 ? merged.timeoutMs : 15_000;
  const appUrl = audienceType !== "project-number";
  return {
    accountId,
    enabled: section?.enabled !== false && account?.enabled !== false,
    ...(picked.serviceAccount ? { serviceAccount: picked.serviceAccount } : {}),
    credentialSource: picked.serviceAccount ? (picked.source ?? "inline") : "none",
    ...(audienceType ? { audienceType } : {}),
    ...(audience ? { audience } : {}),
    webhookPath,
    ...(webhookUrl ? { webhookUrl } : {}),
    certsUrl: str(merged.certsUrl) ?? (appUrl ? GOOGLE_OIDC_JWKS_URL : GOOGLE_CHAT_X509_URL),
    issuers: appUrl ? GOOGLE_OIDC_ISSUERS : [GOOGLE_CHAT_ISSUER],
    ...(appUrl ? { expectedEmail: GOOGLE_CHAT_ISSUER } : {}),
    ...(appUrl && appPrincipal ? { appPrincipal } : {}),
    apiBaseUrl: (str(merged.apiBaseUrl) ?? GOOGLE_CHAT_API_BASE).replace(/\/+$/, ""),
    ...(str(merged.botUser) ? { botUser: str(merged.botUser) } : {}),
    allowBots: merged.allowBots === true,
    requestTimeoutMs: timeout,
    ...(errors.length ? { configError: errors.join("; ") } : {}),
  };
}
