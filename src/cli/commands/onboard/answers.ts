/**
 * Answers for each first-run step, from flags (`--non-interactive`, `setup`) or from prompts whose
 * defaults are what the config already holds, so pressing Enter through a re-run keeps everything.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { expandUserPath, type ResolvedPaths } from "../../../infra/index.js";
import {
  currentPrimary,
  DEFAULT_GATEWAY_PORT,
  DEFAULT_TELEGRAM_API_ROOT,
  GATEWAY_BINDS,
  type GatewayAnswers,
  type ModelAnswers,
  ONBOARD_PROVIDERS,
  providerOf,
  storedApiKey,
  type TelegramAnswers,
} from "../../../ops/index.js";
import { AppError, maskSecret } from "../../../shared/index.js";
import type { CommandContext } from "../../types.js";
import { askConfirm, askSecret, askSelect, askText, say } from "./prompts.js";

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose => (v && typeof v === "object" && !Array.isArray(v) ? (v as Loose) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

export const newToken = (): string => randomBytes(24).toString("hex");

function opt(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.options[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !v.trim()) throw new AppError("USAGE", `--${name} must not be blank`);
  return v.trim();
}

export function resolveWorkspace(ctx: CommandContext, raw: string): string {
  return raw.startsWith("~") ? expandUserPath(raw, ctx.env) : path.resolve(ctx.cwd, raw);
}

// ---- flags -------------------------------------------------------------------------------------

export function gatewayFromFlags(ctx: CommandContext): GatewayAnswers | undefined {
  const port = ctx.options["gateway-port"];
  const g: GatewayAnswers = {
    ...(typeof port === "number" ? { port } : {}),
    ...(opt(ctx, "gateway-bind") ? { bind: opt(ctx, "gateway-bind") } : {}),
    ...(opt(ctx, "gateway-auth") ? { auth: opt(ctx, "gateway-auth") as "token" } : {}),
    ...(opt(ctx, "gateway-token") ? { token: opt(ctx, "gateway-token") } : {}),
    ...(opt(ctx, "gateway-password") ? { password: opt(ctx, "gateway-password") } : {}),
  };
  return Object.keys(g).length ? g : undefined;
}

const CHOICES: Record<string, string | null> = { apikey: "anthropic", "anthropic-api-key": "anthropic", "openai-api-key": "openai", openai: "openai", skip: null };

export function modelFromFlags(ctx: CommandContext): ModelAnswers | undefined {
  const choice = opt(ctx, "auth-choice");
  if (choice !== undefined && !(choice.toLowerCase() in CHOICES)) {
    throw new AppError("USAGE", `--auth-choice ${choice} is not supported here`, { hint: "Use apiKey (Anthropic), openai-api-key or skip." });
  }
  if (choice?.toLowerCase() === "skip") return undefined;
  const anthropic = opt(ctx, "anthropic-api-key");
  const openai = opt(ctx, "openai-api-key");
  const model = opt(ctx, "model");
  const baseUrl = opt(ctx, "custom-base-url");
  const provider = (choice ? CHOICES[choice.toLowerCase()] : undefined) ?? (anthropic ? "anthropic" : openai ? "openai" : providerOf(model));
  if (!provider) {
    if (baseUrl) throw new AppError("USAGE", "--custom-base-url needs a provider", { hint: "Add --auth-choice apiKey --anthropic-api-key <key>, or --model <provider/model>." });
    return undefined;
  }
  const apiKey = provider === "anthropic" ? anthropic : provider === "openai" ? openai : undefined;
  if (choice && !apiKey) throw new AppError("USAGE", `--auth-choice ${choice} needs --${ONBOARD_PROVIDERS[provider]?.keyFlag ?? "anthropic-api-key"} <key>`);
  return { provider, ...(apiKey ? { apiKey } : {}), ...(baseUrl ? { baseUrl } : {}), ...(model ? { primary: model } : {}) };
}

export function telegramFromFlags(ctx: CommandContext, current: Loose): TelegramAnswers | undefined {
  if (ctx.options["skip-channels"] === true) return undefined;
  const botToken = opt(ctx, "telegram-bot-token");
  const apiRoot = opt(ctx, "telegram-api-root");
  const allow = opt(ctx, "telegram-allow-from");
  if (!botToken && !apiRoot && !allow) return undefined;
  if (!botToken && obj(obj(current.channels).telegram).botToken === undefined && obj(obj(current.channels).telegram).tokenFile === undefined) {
    throw new AppError("USAGE", "Telegram needs --telegram-bot-token <token>");
  }
  return { ...(botToken ? { botToken } : {}), ...(apiRoot ? { apiRoot } : {}), ...(allow ? { allowFrom: splitIds(allow) } : {}) };
}

const splitIds = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

// ---- prompts -----------------------------------------------------------------------------------

const portCheck = (v: string) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : "a port between 1 and 65535");

export async function askGateway(current: Loose): Promise<GatewayAnswers> {
  const g = obj(current.gateway);
  const auth = obj(g.auth);
  const port = Number(await askText("Gateway port", { fallback: String(typeof g.port === "number" ? g.port : DEFAULT_GATEWAY_PORT), validate: portCheck }));
  const bind = await askSelect(
    "Gateway bind",
    GATEWAY_BINDS.map((b) => ({ value: b, label: b, ...(b === "loopback" ? { hint: "this machine only (safest)" } : {}) })),
    (str(g.bind) as (typeof GATEWAY_BINDS)[number] | undefined) ?? "loopback",
  );
  const mode = await askSelect("Gateway auth", [{ value: "token", label: "token", hint: "a shared secret (recommended)" }, { value: "password", label: "password" }], str(auth.mode) === "password" ? "password" : "token");
  const out: GatewayAnswers = { port, bind, auth: mode };
  if (mode === "token") {
    const existing = str(auth.token);
    if (existing && !(await askConfirm(`Keep the existing gateway token (${maskSecret(existing)})?`, true))) {
      const typed = await askText("New gateway token (leave empty to generate one)", { fallback: "" });
      out.token = typed || newToken();
    }
  } else {
    const existing = str(auth.password);
    if (!existing || !(await askConfirm("Keep the existing gateway password?", true))) out.password = await askSecret("Gateway password");
  }
  return out;
}

export async function askWorkspace(ctx: CommandContext, current: Loose, paths: ResolvedPaths): Promise<string> {
  const now = str(obj(obj(current.agents).defaults).workspace);
  const typed = await askText("Agent workspace", { fallback: now ?? paths.layout.defaultWorkspaceDir });
  return typed === now ? typed : resolveWorkspace(ctx, typed);
}

export async function askModel(ctx: CommandContext, current: Loose, paths: ResolvedPaths): Promise<ModelAnswers | undefined> {
  const now = currentPrimary(current);
  const known = providerOf(now);
  const provider = await askSelect(
    "Model provider",
    [...Object.entries(ONBOARD_PROVIDERS).map(([value, p]) => ({ value, label: p.label })), { value: "skip", label: "Skip for now" }],
    known && known in ONBOARD_PROVIDERS ? known : "anthropic",
  );
  if (provider === "skip") return undefined;
  const info = ONBOARD_PROVIDERS[provider]!;
  const stored = storedApiKey({ config: current, paths, env: ctx.env, provider });
  const apiKey = stored && (await askConfirm(`Keep the saved ${provider} API key (${maskSecret(stored)})?`, true)) ? stored : await askSecret(`${info.label.replace(/ \(API key\)$/, "")} API key`);
  const baseNow = str(obj(obj(obj(current.models).providers)[provider]).baseUrl);
  const baseUrl = await askText("API base URL (Enter keeps it)", { fallback: baseNow ?? info.baseUrl, validate: (v) => (/^https?:\/\//.test(v) ? undefined : "an http(s) URL") });
  const primary = await askText("Primary model", { fallback: known === provider && now ? now : info.defaultModel, validate: (v) => (v.includes("/") ? undefined : "provider/model") });
  return { provider, apiKey, baseUrl, primary };
}

/** `check` tests a new token (getMe) and returns the problem, or undefined when it works. */
export async function askChannel(current: Loose, check?: (token: string, apiRoot: string) => Promise<string | undefined>): Promise<TelegramAnswers | undefined> {
  const tg = obj(obj(current.channels).telegram);
  const configured = tg.botToken !== undefined || tg.tokenFile !== undefined;
  const choice = await askSelect(
    "Connect a chat channel",
    [
      { value: "telegram", label: "Telegram", hint: configured ? "configured" : "bot token from @BotFather" },
      { value: "whatsapp", label: "WhatsApp", hint: "QR link after setup" },
      { value: "skip", label: "Skip for now" },
    ],
    configured ? "telegram" : "telegram",
  );
  if (choice === "whatsapp") {
    say.note("WhatsApp links by scanning a QR code once the gateway runs:\n  openclaw channels login --channel whatsapp", "WhatsApp");
    return undefined;
  }
  if (choice === "skip") return undefined;
  const existing = str(tg.botToken);
  const keep = configured && (await askConfirm(`Keep the configured Telegram bot token${existing ? ` (${maskSecret(existing)})` : ""}?`, true));
  let botToken: string | undefined;
  let apiRoot: string;
  for (;;) {
    botToken = keep ? undefined : await askSecret("Telegram bot token", (v) => (/^\d{3,}:[A-Za-z0-9_-]{10,}$/.test(v) ? undefined : "<digits>:<secret>, as @BotFather gave it"));
    apiRoot = await askText("Telegram Bot API root (Enter keeps it)", { fallback: str(tg.apiRoot) ?? DEFAULT_TELEGRAM_API_ROOT, validate: (v) => (/^https?:\/\//.test(v) ? undefined : "an http(s) URL") });
    // A new token is checked with getMe here, so a typo is asked again instead of ending the run.
    const problem = botToken && check ? await check(botToken, apiRoot) : undefined;
    if (!problem) break;
    say.warn(`Telegram rejected the bot token: ${problem}. Paste it again (Ctrl-C stops; nothing is written).`);
  }
  const allowNow = Array.isArray(tg.allowFrom) ? tg.allowFrom.map((x) => String(x).replace(/^tg:/, "")).join(",") : "";
  const allow = await askText("Your Telegram user id(s) allowed to DM the bot (comma-separated; empty: pairing codes)", { fallback: allowNow });
  return { ...(botToken ? { botToken } : {}), apiRoot, ...(allow ? { allowFrom: splitIds(allow) } : {}) };
}
