/**
 * The config-only view of channels that `channels list`, `channels status` (gateway down) and
 * `message send` share: every configured channel account with where its credential comes from
 * (never the credential), its DM policy and whether it is enabled. Reads the file; no gateway.
 */
import { CHANNEL_LABELS, listTelegramAccountIds, NON_CHANNEL_KEYS, resolveDmPolicy, resolveTelegramAccount } from "../../../channels/index.js";
import { assertConfigReadable, type ConfigInput, readConfigInput } from "../../../config/index.js";
import { AppError } from "../../../shared/index.js";
import type { CommandContext } from "../../types.js";

/** Where an account's credential comes from: the config file, an env var, a file, or nowhere. */
export type TokenSource = "config" | "env" | "file" | "none";

/** One configured channel account as the config describes it. */
export interface ConfiguredAccount {
  channel: string;
  label: string;
  accountId: string;
  name?: string;
  enabled: boolean;
  configured: boolean;
  tokenSource: TokenSource;
  dmPolicy: string;
  isDefault: boolean;
}

type Section = Record<string, unknown>;

const ID_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

function obj(v: unknown): Section {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Section) : {};
}

/** The config file's input (`{}` when it does not exist); an unreadable file is a clear error. */
export function loadChannelsInput(ctx: CommandContext): ConfigInput {
  const snapshot = readConfigInput({ configPath: ctx.paths().configPath, env: ctx.env, lenientEnv: true });
  if (snapshot.exists) assertConfigReadable(snapshot);
  return snapshot;
}

/** A channel id from `--channel` (lowercased); a blank or malformed value is a usage error. */
export function parseChannelId(raw: unknown, example = "openclaw channels status --channel telegram"): string | undefined {
  if (raw === undefined) return undefined;
  const id = typeof raw === "string" ? raw.trim().toLowerCase() : "";
  if (!id) throw new AppError("USAGE", "--channel must not be blank", { hint: `Name the channel, e.g. ${example}` });
  if (!ID_RE.test(id)) throw new AppError("USAGE", `invalid channel id ${JSON.stringify(raw)}`, { hint: "A channel id is letters, digits, - and _ (for example telegram)." });
  return id;
}

/** `--account <id>`: a blank value is refused rather than silently meaning the default account. */
export function parseAccountId(raw: unknown, example = "--account work"): string | undefined {
  if (raw === undefined) return undefined;
  const id = typeof raw === "string" ? raw.trim() : "";
  if (!id) throw new AppError("USAGE", "--account must not be blank", { hint: `Omit --account for the default account, or name one: ${example}` });
  if (!ID_RE.test(id)) throw new AppError("USAGE", `invalid account id ${JSON.stringify(raw)}`, { hint: "An account id is letters, digits, - and _ (for example work)." });
  return id;
}

/** Configured channel ids (`channels.defaults` and `channels.modelByChannel` are settings, not channels). */
export function configuredChannelIds(input: Record<string, unknown>): string[] {
  return Object.keys(obj(input.channels))
    .filter((id) => !NON_CHANNEL_KEYS.has(id))
    .sort();
}

function accountIds(section: Section): string[] {
  return listTelegramAccountIds(section);
}

function defaultAccountId(section: Section, ids: string[]): string {
  const preferred = section.defaultAccount;
  if (typeof preferred === "string" && ids.includes(preferred)) return preferred;
  return ids.includes("default") ? "default" : (ids[0] ?? "default");
}

const FILE_KEYS = ["tokenFile", "serviceAccountFile"];
const SECRET_KEYS = ["botToken", "token", "appToken", "serviceAccount", "password", "accessToken", "privateKey"];
/** Env vars a channel's default account reads its credential from (OpenClaw's names). */
const DEFAULT_ENV: Record<string, string[]> = {
  telegram: ["TELEGRAM_BOT_TOKEN"],
  googlechat: ["GOOGLE_CHAT_SERVICE_ACCOUNT_FILE", "GOOGLE_CHAT_SERVICE_ACCOUNT"],
  discord: ["DISCORD_BOT_TOKEN"],
  slack: ["SLACK_BOT_TOKEN"],
};

/** The credential source of one layer (account or channel section), by key; `undefined` when it has none. */
function layerSource(layer: Section, at: string, envRefs: ReadonlySet<string>): TokenSource | undefined {
  for (const key of FILE_KEYS) if (typeof layer[key] === "string" && (layer[key] as string).trim()) return envRefs.has(`${at}.${key}`) ? "env" : "file";
  for (const key of SECRET_KEYS) {
    const v = layer[key];
    if (typeof v === "string" ? v.trim() !== "" : v !== undefined && v !== null) return envRefs.has(`${at}.${key}`) ? "env" : "config";
  }
  return undefined;
}

function tokenSourceFor(channel: string, section: Section, accountId: string, isDefault: boolean, input: ConfigInput, ctx: CommandContext): TokenSource {
  const envRefs = new Set(input.envRefs.map((r) => r.path));
  const account = obj(obj(section.accounts)[accountId]);
  const own = layerSource(account, `channels.${channel}.accounts.${accountId}`, envRefs) ?? layerSource(section, `channels.${channel}`, envRefs);
  if (channel === "telegram") {
    // The Telegram resolver is the one the gateway uses (tokenFile is read to see that it holds a token).
    const resolved = resolveTelegramAccount(section, accountId, ctx.env as NodeJS.ProcessEnv);
    if (resolved.tokenSource === "none") return "none";
    return resolved.tokenSource === "env" ? "env" : (own ?? resolved.tokenSource);
  }
  if (own) return own;
  const envNames = DEFAULT_ENV[channel] ?? [];
  return isDefault && envNames.some((name) => ctx.env[name]?.trim()) ? "env" : "none";
}

/** Every account of every configured channel (or of `only`), in channel then account order. */
export function listConfiguredAccounts(ctx: CommandContext, input: ConfigInput, only?: string): ConfiguredAccount[] {
  const channels = obj(input.input.channels);
  const out: ConfiguredAccount[] = [];
  for (const channel of configuredChannelIds(input.input)) {
    if (only && channel !== only) continue;
    const section = obj(channels[channel]);
    const ids = accountIds(section);
    const def = defaultAccountId(section, ids);
    for (const accountId of ids) {
      const account = obj(obj(section.accounts)[accountId]);
      const isDefault = accountId === def;
      const tokenSource = tokenSourceFor(channel, section, accountId, isDefault, input, ctx);
      const name = typeof account.name === "string" ? account.name : typeof section.name === "string" && ids.length === 1 ? section.name : undefined;
      out.push({
        channel,
        label: CHANNEL_LABELS[channel] ?? channel,
        accountId,
        ...(name ? { name } : {}),
        enabled: section.enabled !== false && account.enabled !== false,
        // WebChat rides the gateway's own connection and needs no credential.
        configured: tokenSource !== "none" || channel === "webchat",
        tokenSource,
        dmPolicy: resolveDmPolicy({ ...section, ...account }),
        isDefault,
      });
    }
  }
  return out;
}

/** One human line for a configured account: `- Telegram work: enabled, configured, token:file, dm:pairing`. */
export function renderConfiguredAccount(a: ConfiguredAccount): string {
  const bits = [a.enabled ? "enabled" : "disabled", a.configured ? "configured" : "not configured", `token:${a.tokenSource}`, `dm:${a.dmPolicy}`];
  return `- ${a.label} ${a.accountId}${a.name ? ` (${a.name})` : ""}: ${bits.join(", ")}`;
}
