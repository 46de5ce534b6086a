/**
 * First-run planning for `setup`, `onboard` and `configure`: from the current config (as written,
 * `${VAR}` references untouched) and the answers given (flags or prompts), the list of config
 * values to set. Pure: nothing is read or written here. A re-run keeps what exists — the gateway
 * token, the workspace, channel credentials — unless an answer replaces it (openclaw/openclaw#67821:
 * a re-onboard that regenerated the token took running clients down).
 */
import { AppError, getAtPath } from "../../shared/index.js";

export type ConfigPathSegments = Array<string | number>;

/** One value to write at a config path. */
export interface ConfigSet {
  path: ConfigPathSegments;
  value: unknown;
}

export const GATEWAY_BINDS = ["loopback", "lan", "tailnet", "auto", "custom"] as const;
export const GATEWAY_AUTHS = ["token", "password"] as const;
export const DEFAULT_GATEWAY_PORT = 18789;
export const DEFAULT_TELEGRAM_API_ROOT = "https://api.telegram.org";

/** The model providers onboarding offers, with the model it picks when none is named. */
export const ONBOARD_PROVIDERS: Readonly<Record<string, { label: string; defaultModel: string; keyFlag: string; baseUrl: string }>> = {
  anthropic: { label: "Anthropic (API key)", defaultModel: "anthropic/claude-opus-4-6", keyFlag: "anthropic-api-key", baseUrl: "https://api.anthropic.com" },
  openai: { label: "OpenAI (API key)", defaultModel: "openai/gpt-5.1", keyFlag: "openai-api-key", baseUrl: "https://api.openai.com/v1" },
};

export interface GatewayAnswers {
  port?: number;
  bind?: string;
  auth?: "token" | "password";
  /** A token to use; absent keeps the existing one (or generates one when there is none). */
  token?: string;
  password?: string;
}

export interface ModelAnswers {
  provider: string;
  /** Written to auth-profiles.json, never to the config. */
  apiKey?: string;
  baseUrl?: string;
  /** `provider/model`; absent keeps the current primary when it is this provider's, else the provider's default. */
  primary?: string;
}

export interface TelegramAnswers {
  /** Absent keeps the configured token. */
  botToken?: string;
  apiRoot?: string;
  /** Telegram user ids allowed to DM (sets dmPolicy allowlist); absent keeps the current policy. */
  allowFrom?: string[];
}

export interface OnboardAnswers {
  workspace?: string;
  gateway?: GatewayAnswers;
  model?: ModelAnswers;
  telegram?: TelegramAnswers;
}

export interface PlanContext {
  /** Where the workspace goes when none is configured or asked for. */
  defaultWorkspace: string;
  /** Makes a fresh gateway token (only called when there is none to keep). */
  generateToken(): string;
  /** Plan the gateway section (mode, auth) even without gateway answers (setup/onboard: yes; configure: only its section). */
  baseline: boolean;
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The primary model as written (`agents.defaults.model` may be a string or `{ primary }`). */
export function currentPrimary(config: Record<string, unknown>): string | undefined {
  const model = obj(obj(config.agents).defaults).model;
  return typeof model === "string" ? model : str(obj(model).primary);
}

/** The provider of a `provider/model` reference. */
export function providerOf(ref: string | undefined): string | undefined {
  return ref?.includes("/") ? ref.slice(0, ref.indexOf("/")) : undefined;
}

/** The config values to write so the config matches the answers, keeping everything else. */
export function planConfigSets(current: Record<string, unknown>, answers: OnboardAnswers, ctx: PlanContext): ConfigSet[] {
  const sets: ConfigSet[] = [];
  const put = (path: ConfigPathSegments, value: unknown) => {
    if (!same(getAtPath(current, path), value)) sets.push({ path, value });
  };
  const gateway = obj(current.gateway);
  const auth = obj(gateway.auth);
  if (ctx.baseline || answers.gateway) {
    if (gateway.mode === undefined) put(["gateway", "mode"], "local");
    const g = answers.gateway ?? {};
    if (g.port !== undefined) {
      if (!Number.isInteger(g.port) || g.port < 1 || g.port > 65535) throw new AppError("USAGE", `invalid gateway port ${g.port}`, { hint: "Use a port between 1 and 65535." });
      put(["gateway", "port"], g.port);
    }
    if (g.bind !== undefined) {
      if (!(GATEWAY_BINDS as readonly string[]).includes(g.bind)) throw new AppError("USAGE", `invalid gateway bind "${g.bind}"`, { hint: `Use one of ${GATEWAY_BINDS.join(", ")}.` });
      put(["gateway", "bind"], g.bind);
    }
    const existingMode = str(auth.mode);
    // An explicit "none" (or trusted-proxy) stays unless an answer names a mode.
    const mode = g.auth ?? (g.password !== undefined ? "password" : g.token !== undefined ? "token" : (existingMode ?? (str(auth.password) ? "password" : "token")));
    if (g.auth !== undefined && !(GATEWAY_AUTHS as readonly string[]).includes(g.auth)) throw new AppError("USAGE", `invalid gateway auth "${g.auth}"`, { hint: "Use token or password." });
    put(["gateway", "auth", "mode"], mode);
    if (mode === "token") put(["gateway", "auth", "token"], g.token ?? str(auth.token) ?? ctx.generateToken());
    if (mode === "password") {
      const password = g.password ?? str(auth.password);
      if (!password) throw new AppError("USAGE", "password auth needs a password", { hint: "Pass --gateway-password <password> (or use --gateway-auth token)." });
      put(["gateway", "auth", "password"], password);
    }
  }
  const defaults = obj(obj(current.agents).defaults);
  if (answers.workspace !== undefined) put(["agents", "defaults", "workspace"], answers.workspace);
  else if (ctx.baseline && defaults.workspace === undefined) put(["agents", "defaults", "workspace"], ctx.defaultWorkspace);
  if (answers.model) sets.push(...planModel(current, answers.model));
  if (answers.telegram) sets.push(...planTelegram(current, answers.telegram));
  return sets;
}

function planModel(current: Record<string, unknown>, m: ModelAnswers): ConfigSet[] {
  const sets: ConfigSet[] = [];
  const put = (path: ConfigPathSegments, value: unknown) => {
    if (!same(getAtPath(current, path), value)) sets.push({ path, value });
  };
  const info = ONBOARD_PROVIDERS[m.provider];
  const now = currentPrimary(current);
  const primary = m.primary ?? (providerOf(now) === m.provider ? now : info?.defaultModel);
  if (!primary) throw new AppError("USAGE", `no model named for provider ${m.provider}`, { hint: "Pass --model <provider/model>." });
  if (!primary.includes("/")) throw new AppError("USAGE", `model "${primary}" is not provider/model`, { hint: `For example ${info?.defaultModel ?? "anthropic/claude-opus-4-6"}.` });
  const model = obj(current.agents).defaults !== undefined ? obj(obj(current.agents).defaults).model : undefined;
  if (typeof model === "string") put(["agents", "defaults", "model"], { primary });
  else put(["agents", "defaults", "model", "primary"], primary);
  const configured = str(obj(obj(obj(current.models).providers)[m.provider]).baseUrl);
  if (m.baseUrl !== undefined && m.baseUrl !== configured && !(configured === undefined && m.baseUrl === info?.baseUrl)) {
    try {
      new URL(m.baseUrl);
    } catch {
      throw new AppError("USAGE", `base URL "${m.baseUrl}" is not a URL`, { hint: `For example ${info?.baseUrl ?? "https://api.example.com/v1"}.` });
    }
    put(["models", "providers", m.provider, "baseUrl"], m.baseUrl);
  }
  return sets;
}

const TELEGRAM_TOKEN_SHAPE = /^\d{3,}:[A-Za-z0-9_-]{10,}$/;

function planTelegram(current: Record<string, unknown>, t: TelegramAnswers): ConfigSet[] {
  const sets: ConfigSet[] = [];
  const section = obj(obj(current.channels).telegram);
  const put = (key: string, value: unknown) => {
    if (!same(section[key], value)) sets.push({ path: ["channels", "telegram", key], value });
  };
  if (t.botToken !== undefined && !TELEGRAM_TOKEN_SHAPE.test(t.botToken)) {
    throw new AppError("USAGE", "that does not look like a Telegram bot token (<digits>:<secret>, from @BotFather)", { hint: "Copy the whole token BotFather gave you." });
  }
  if (t.botToken === undefined && section.botToken === undefined && section.tokenFile === undefined) {
    throw new AppError("USAGE", "Telegram needs a bot token", { hint: "Pass --telegram-bot-token <token> (from @BotFather), or --skip-channels." });
  }
  if (section.enabled !== true) put("enabled", true);
  if (t.botToken !== undefined && section.tokenFile === undefined) put("botToken", t.botToken);
  if (t.apiRoot !== undefined && !(section.apiRoot === undefined && t.apiRoot === DEFAULT_TELEGRAM_API_ROOT)) put("apiRoot", t.apiRoot);
  if (t.allowFrom !== undefined && t.allowFrom.length > 0) {
    put("dmPolicy", "allowlist");
    put(
      "allowFrom",
      t.allowFrom.map((id) => (id.startsWith("tg:") ? id : `tg:${id}`)),
    );
  }
  return sets;
}
