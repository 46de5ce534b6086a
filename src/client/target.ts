/**
 * Which gateway a CLI command talks to, resolved the same way the gateway resolves itself: profile
 * → state dir → environment (with the state `.env` and the service env file, filled by the CLI
 * shell) → config → installed service → flags. `--url` disables every credential fallback (as in
 * OpenClaw).
 */
import { type ConfigIssue, formatIssue, type GatewayPortSource, readConfigInput, resolveGatewayPortDetail } from "../config/index.js";
import { AppError, type Env, isEnvReference } from "../shared/index.js";

export interface TargetFlags {
  url?: string | undefined;
  token?: string | undefined;
  password?: string | undefined;
  port?: number | undefined;
}

export interface GatewayTarget {
  url: string;
  token?: string;
  password?: string;
  /** Where the URL came from. */
  source: "flag" | "env" | "remote" | "local";
  configPath: string;
  /** Where the port came from (local targets only). */
  portSource?: GatewayPortSource;
  /**
   * The config could not be read (`file:line:col: message`): the port, token and password in it
   * were not used. Callers say so when the gateway refuses or cannot be reached.
   */
  configProblem?: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});

/** A credential from config: a string, or a SecretRef with source env. */
function secretFrom(value: unknown, env: Env): string | undefined {
  if (typeof value === "string" && value.length > 0 && !isEnvReference(value)) return value;
  const ref = obj(value);
  if (ref.source === "env" && typeof ref.id === "string") return env[ref.id] || undefined;
  return undefined;
}

/** The first read/parse issue of an unreadable config, located. */
function unreadableProblem(issues: ConfigIssue[], configPath: string): string {
  const issue = issues[0];
  return issue ? formatIssue(issue) : `${configPath}: cannot be read`;
}

export interface ResolveTargetOptions {
  env: Env;
  configPath: string;
  flags?: TargetFlags;
  /** The installed service's port for this profile (used when neither env nor config sets one). */
  servicePort?: number | undefined;
}

export function resolveGatewayTarget(options: ResolveTargetOptions): GatewayTarget {
  const { env, configPath, flags = {} } = options;
  if (flags.url) {
    if (!flags.token && !flags.password) {
      throw new AppError("USAGE", "--url needs explicit credentials: pass --token or --password", {
        hint: "With --url, credentials from config and environment are not used.",
      });
    }
    return { url: flags.url, ...(flags.token ? { token: flags.token } : {}), ...(flags.password ? { password: flags.password } : {}), source: "flag", configPath };
  }
  const read = readConfigInput({ configPath, env, lenientEnv: true });
  const { input } = read;
  const problem = read.exists && !read.readable ? { configProblem: unreadableProblem(read.issues, configPath) } : {};
  const gateway = obj(input.gateway);
  const auth = obj(gateway.auth);
  const token = flags.token ?? (env.OPENCLAW_GATEWAY_TOKEN?.trim() || undefined) ?? (env.CLAWDBOT_GATEWAY_TOKEN?.trim() || undefined);
  const password = flags.password ?? (env.OPENCLAW_GATEWAY_PASSWORD?.trim() || undefined);
  if (gateway.mode === "remote") {
    const remote = obj(gateway.remote);
    if (typeof remote.url !== "string" || !remote.url) {
      throw new AppError("USAGE", "gateway.mode is remote but gateway.remote.url is not set", { hint: "openclaw config set gateway.remote.url wss://host:18789" });
    }
    const t = token ?? secretFrom(remote.token, env);
    const p = password ?? secretFrom(remote.password, env);
    return { url: remote.url, ...(t ? { token: t } : {}), ...(p ? { password: p } : {}), source: "remote", configPath };
  }
  const t = token ?? secretFrom(auth.token, env);
  const p = password ?? secretFrom(auth.password, env);
  const envUrl = env.OPENCLAW_GATEWAY_URL?.trim();
  if (envUrl) return { url: envUrl, ...(t ? { token: t } : {}), ...(p ? { password: p } : {}), source: "env", configPath, ...problem };
  const port = resolveGatewayPortDetail({ env, input, flag: flags.port, servicePort: options.servicePort });
  const tls = obj(gateway.tls).enabled === true;
  return {
    url: `${tls ? "wss" : "ws"}://127.0.0.1:${port.port}`,
    ...(t ? { token: t } : {}),
    ...(p ? { password: p } : {}),
    source: "local",
    configPath,
    portSource: port.source,
    ...problem,
  };
}
