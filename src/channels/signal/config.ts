/**
 * `channels.signal` → one resolved account: the bot number, the transport (a signal-cli daemon this
 * gateway spawns, or one already running), and the daemon's endpoint. Both shapes OpenClaw has
 * written are read: the account-owned `transport` object and the older flat keys (`httpUrl`,
 * `httpHost`, `httpPort`, `cliPath`, `autoStart`, `startupTimeoutMs`, `configPath`, `receiveMode`).
 * Named accounts own their transport; the section's `transport` belongs to the default account only.
 */
import { isE164 } from "../allowlist-entries.js";

export type SignalTransportKind = "managed-native" | "external-native" | "container";

/** Where the transport settings came from (shown in status; doctor can suggest the migration). */
export type SignalTransportSource = "transport" | "legacy" | "default";

/** One Signal account, ready to start. */
export interface ResolvedSignalAccount {
  accountId: string;
  enabled: boolean;
  /** The bot's number (E.164), passed to signal-cli as `-a` and as the RPC `account`. */
  account: string | undefined;
  /** The bot's ACI, for native @mention detection alongside the number. */
  accountUuid: string | undefined;
  kind: SignalTransportKind;
  transportSource: SignalTransportSource;
  /** The daemon's HTTP root (`http://127.0.0.1:8080`), no trailing slash. */
  baseUrl: string;
  /** managed-native: the executable (`signal-cli` from PATH unless set). */
  cliPath: string;
  /** managed-native: `signal-cli --config <dir>`. */
  configPath: string | undefined;
  httpHost: string;
  httpPort: number;
  /** managed-native: how long to wait for `/api/v1/check` after spawning (1 s … 120 s, default 30 s). */
  startupTimeoutMs: number;
  receiveMode: "on-start" | "manual" | undefined;
  textChunkLimit: number;
  /** Why this account cannot start (names the key and the fix); undefined when it can. */
  configError: string | undefined;
}

type Section = Record<string, unknown>;

export const SIGNAL_DEFAULT_HTTP_HOST = "127.0.0.1";
export const SIGNAL_DEFAULT_HTTP_PORT = 8080;
export const SIGNAL_DEFAULT_STARTUP_TIMEOUT_MS = 30_000;
/** OpenClaw's default for `channels.signal.textChunkLimit`. */
export const SIGNAL_TEXT_LIMIT = 4000;

const obj = (v: unknown): Section => (v && typeof v === "object" && !Array.isArray(v) ? (v as Section) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/** The account ids configured under `channels.signal` (`default` when none are named). */
export function listSignalAccountIds(section: Section | undefined): string[] {
  const ids = Object.keys(obj(section?.accounts));
  return ids.length > 0 ? ids : ["default"];
}

/** The default account id: `defaultAccount`, else `default` when present, else the first. */
export function resolveDefaultSignalAccountId(section: Section | undefined): string {
  const ids = listSignalAccountIds(section);
  const preferred = section?.defaultAccount;
  if (typeof preferred === "string" && ids.includes(preferred)) return preferred;
  return ids.includes("default") ? "default" : (ids[0] as string);
}

/** `http://host:port` from a URL or a bare `host:port`; undefined when it is not an http(s) URL. */
export function normalizeSignalUrl(raw: string): string | undefined {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    if (url.username || url.password) return undefined;
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
  } catch {
    return undefined;
  }
}

function hostForUrl(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

/** Resolves one account of `channels.signal` (account keys override the section's). */
export function resolveSignalAccount(section: Section | undefined, accountId: string): ResolvedSignalAccount {
  const base = obj(section);
  const own = obj(obj(base.accounts)[accountId]);
  const named = Object.keys(obj(base.accounts)).length > 0;
  const at = named ? `channels.signal.accounts.${accountId}` : "channels.signal";
  const merged: Section = { ...base, ...own };
  const isDefault = accountId === resolveDefaultSignalAccountId(base);
  // The section's transport belongs to the implicit default account only.
  const transportRaw = own.transport ?? (isDefault ? base.transport : undefined);
  const transport = obj(transportRaw);
  const hasTransport = transportRaw !== undefined;
  const legacyKeys = ["httpUrl", "httpHost", "httpPort", "cliPath", "autoStart", "startupTimeoutMs", "configPath", "receiveMode"];
  const hasLegacy = legacyKeys.some((k) => merged[k] !== undefined);
  const errors: string[] = [];

  const pick = (key: string): unknown => (hasTransport ? transport[key] : merged[key]);
  const rawKind = hasTransport ? transport.kind : undefined;
  let kind: SignalTransportKind;
  const legacyUrl = str(merged.httpUrl);
  if (hasTransport) {
    if (rawKind === undefined || rawKind === "managed-native" || rawKind === "external-native" || rawKind === "container") kind = (rawKind as SignalTransportKind | undefined) ?? "managed-native";
    else {
      kind = "managed-native";
      errors.push(`${at}.transport.kind is ${JSON.stringify(rawKind)}; use "managed-native", "external-native" or "container"`);
    }
  } else if (merged.autoStart === false || (legacyUrl && merged.autoStart !== true)) kind = "external-native";
  else kind = "managed-native";

  const hostRaw = pick("httpHost");
  const httpHost = str(hostRaw) ?? SIGNAL_DEFAULT_HTTP_HOST;
  const portRaw = pick("httpPort");
  let httpPort = SIGNAL_DEFAULT_HTTP_PORT;
  if (portRaw !== undefined) {
    const n = typeof portRaw === "string" && /^\d+$/.test(portRaw.trim()) ? Number(portRaw) : portRaw;
    if (typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 65_535) httpPort = n;
    else errors.push(`${at}${hasTransport ? ".transport" : ""}.httpPort is ${JSON.stringify(portRaw)}; use a port number between 1 and 65535`);
  }
  const urlKey = hasTransport ? "url" : "httpUrl";
  const urlRaw = str(pick(urlKey));
  let url: string | undefined;
  if (urlRaw) {
    url = normalizeSignalUrl(urlRaw);
    // A URL with user:password@ is refused without echoing it (signal-cli's daemon has no auth to send).
    const shown = urlRaw.replace(/\/\/[^/@]*@/, "//<redacted>@");
    if (!url) errors.push(`${at}${hasTransport ? ".transport" : ""}.${urlKey} ${JSON.stringify(shown)} ${shown !== urlRaw ? "carries credentials, which signal-cli's daemon does not take; remove the user:password@ part" : "is not an http(s) URL; use e.g. http://127.0.0.1:8080"}`);
  } else if (kind !== "managed-native" && hasTransport) errors.push(`${at}.transport.url is not set; an ${kind} transport needs the daemon's URL, e.g. http://127.0.0.1:8080`);
  if (kind === "container") errors.push(`${at}.transport.kind "container" (bbernhard/signal-cli-rest-api) is not supported by this gateway; run signal-cli's native daemon and use kind "external-native" (or "managed-native")`);

  const timeoutRaw = pick("startupTimeoutMs");
  const startupTimeoutMs = typeof timeoutRaw === "number" && Number.isFinite(timeoutRaw) ? Math.min(120_000, Math.max(1000, Math.round(timeoutRaw))) : SIGNAL_DEFAULT_STARTUP_TIMEOUT_MS;
  const receiveRaw = pick("receiveMode");
  const receiveMode = receiveRaw === "on-start" || receiveRaw === "manual" ? receiveRaw : undefined;

  const account = str(merged.account);
  if (!account) errors.push(`${at}.account is not set; set it to the bot's Signal number in E.164, e.g. openclaw config set ${at}.account +15551234567`);
  else if (!isE164(account)) errors.push(`${at}.account ${JSON.stringify(account)} is not an E.164 number; write it as +<country code><number>, e.g. +15551234567`);

  const limitRaw = merged.textChunkLimit;
  const textChunkLimit = typeof limitRaw === "number" && Number.isInteger(limitRaw) && limitRaw >= 20 ? limitRaw : SIGNAL_TEXT_LIMIT;

  return {
    accountId,
    enabled: base.enabled !== false && own.enabled !== false,
    account,
    accountUuid: str(merged.accountUuid),
    kind,
    transportSource: hasTransport ? "transport" : hasLegacy ? "legacy" : "default",
    baseUrl: url ?? `http://${hostForUrl(httpHost)}:${httpPort}`,
    cliPath: str(pick("cliPath")) ?? "signal-cli",
    configPath: str(pick("configPath")),
    httpHost,
    httpPort,
    startupTimeoutMs,
    receiveMode,
    textChunkLimit,
    configError: errors.length ? errors.join("; ") : undefined,
  };
}
