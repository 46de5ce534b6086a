/**
 * What the gateway refuses to start with (spec §3.1), as one pure check shared by the gateway's
 * startup guards, its reloads and `openclaw config validate`, so they can never disagree: how the
 * effective auth is resolved (explicit mode, token, password, env SecretRefs), whether
 * `gateway.mode` lets this host run a gateway, and whether the bind needs auth.
 */
import type { Env } from "../infra/index.js";
import { AppError, type ErrorCode } from "../shared/index.js";
import { checkHooksConfig } from "./hooks-guard.js";
import type { OpenClawConfig } from "./schema/index.js";

export type AuthMode = "none" | "token" | "password" | "trusted-proxy";
export type BindMode = OpenClawConfig["gateway"]["bind"];

export interface GatewayAuth {
  mode: AuthMode;
  token?: string;
  password?: string;
}

/** One reason the gateway would not start (or not accept a reload) with a config. */
export interface GatewayGuardFinding {
  /** Error code, and so the gateway's exit code (78 for each: config, mode, bind without auth — as OpenClaw). */
  code: Extract<ErrorCode, "GATEWAY_CONFIG_INVALID" | "GATEWAY_MODE_UNSET" | "GATEWAY_BIND_WITHOUT_AUTH">;
  /** Config path the finding is about (for file:line). */
  path: string;
  message: string;
  hint: string;
  /** Set when the cause is an environment variable that is not set here (it may be set for the service). */
  envVar?: string;
}

export interface GatewayGuardResult {
  /** The effective auth, when it resolves. */
  auth: GatewayAuth | undefined;
  /**
   * True when no credential is configured and no mode is set explicitly: the gateway generates a
   * token at start (and persists it) rather than running without auth.
   */
  needsGeneratedToken: boolean;
  /** In guard order: auth, then mode, then bind (all exit 78). */
  findings: GatewayGuardFinding[];
}

function finding(code: GatewayGuardFinding["code"], path: string, message: string, hint: string): GatewayGuardFinding {
  return { code, path, message, hint };
}

type SecretResult = { value: string | undefined; problem?: undefined } | { value?: undefined; problem: GatewayGuardFinding };

/** A secret input: literal (never empty), or an env SecretRef that must resolve. */
function resolveSecret(value: unknown, env: Env, path: string): SecretResult {
  if (value === undefined || value === null) return { value: undefined };
  if (typeof value === "string") {
    if (value.trim().length > 0) return { value };
    return { problem: finding("GATEWAY_CONFIG_INVALID", path, `${path} is empty`, `Set a value (openclaw doctor --generate-gateway-token makes one) or remove the key to have the gateway generate a token.`) };
  }
  const ref = value as { source?: string; id?: string };
  if (ref.source === "env" && ref.id) {
    const v = env[ref.id];
    if (!v?.trim()) {
      return {
        problem: {
          envVar: ref.id,
          ...finding("GATEWAY_CONFIG_INVALID", path, `${path} refers to environment variable ${ref.id}, which is ${v === undefined ? "not set" : "empty"}`, `Set ${ref.id} in the gateway's environment (or ~/.openclaw/.env).`),
        },
      };
    }
    return { value: v };
  }
  return {
    problem: finding("GATEWAY_CONFIG_INVALID", path, `${path} uses a ${String(ref.source)} secret reference, which this gateway does not resolve yet`, `Use a literal, \${VAR} or an env reference for ${path}.`),
  };
}

/** True when the bind keeps the gateway on this machine (no network exposure). */
export function isLoopbackBind(bind: BindMode, hosts: readonly string[]): boolean {
  return bind === "loopback" || bind === "auto" || (hosts.length > 0 && hosts.every((h) => h === "127.0.0.1" || h === "::1" || h.startsWith("127.")));
}

/** The effective auth of a resolved config (env overrides already applied). Throws `AppError`. */
export function resolveGatewayAuth(config: OpenClawConfig, env: Env): GatewayAuth {
  const result = checkGatewayAuth(config, env);
  if (result.finding) throw toGuardError(result.finding);
  return result.auth;
}

function checkGatewayAuth(config: OpenClawConfig, env: Env): { auth: GatewayAuth; generate: boolean; finding?: undefined } | { auth?: undefined; generate?: undefined; finding: GatewayGuardFinding } {
  const auth = config.gateway.auth ?? {};
  const tokenResult = resolveSecret(auth.token, env, "gateway.auth.token");
  if (tokenResult.problem) return { finding: tokenResult.problem };
  const passwordResult = resolveSecret(auth.password, env, "gateway.auth.password");
  if (passwordResult.problem) return { finding: passwordResult.problem };
  const token = tokenResult.value;
  const password = passwordResult.value;
  const explicit = auth.mode;
  if (!explicit && token && password) {
    return {
      finding: finding("GATEWAY_CONFIG_INVALID", "gateway.auth.mode", "both gateway.auth.token and gateway.auth.password are set; gateway.auth.mode must say which one to use", "openclaw config set gateway.auth.mode token"),
    };
  }
  if (explicit === "password" && !password) {
    return { finding: finding("GATEWAY_CONFIG_INVALID", "gateway.auth.password", "gateway.auth.mode is password but no password is set", "Set gateway.auth.password or OPENCLAW_GATEWAY_PASSWORD.") };
  }
  const mode: AuthMode = explicit ?? (token ? "token" : password ? "password" : "token");
  // No credential and no explicit "none": token auth with a generated token, never open.
  const generate = mode === "token" && !token;
  return { auth: { mode, ...(token ? { token } : {}), ...(password ? { password } : {}) }, generate };
}

/** Hosts a custom bind names, without touching the network (tailnet and lan are never loopback). */
function staticHosts(config: OpenClawConfig): string[] {
  const bind = config.gateway.bind;
  if (bind === "custom") return config.gateway.customBindHost ? [config.gateway.customBindHost] : [];
  return [];
}

/**
 * Every reason the gateway would refuse this config, in guard order. `config` is the resolved
 * config (env overrides and CLI overrides applied); `allowUnconfigured` is `--allow-unconfigured`.
 */
export function checkGatewayConfig(config: OpenClawConfig, env: Env, options: { allowUnconfigured?: boolean } = {}): GatewayGuardResult {
  const findings: GatewayGuardFinding[] = [];
  const authResult = checkGatewayAuth(config, env);
  if (authResult.finding) findings.push(authResult.finding);
  const mode = config.gateway.mode;
  if (mode !== "local" && !options.allowUnconfigured) {
    findings.push(
      finding(
        "GATEWAY_MODE_UNSET",
        "gateway.mode",
        `Gateway start blocked: set gateway.mode=local (current: ${mode ?? "unset"}) or pass --allow-unconfigured`,
        "openclaw config set gateway.mode local",
      ),
    );
  }
  const auth = authResult.auth;
  const secured = auth !== undefined && (auth.mode === "token" || auth.mode === "password");
  if (!secured && !isLoopbackBind(config.gateway.bind, staticHosts(config)) && !authResult.finding) {
    findings.push(
      finding(
        "GATEWAY_BIND_WITHOUT_AUTH",
        "gateway.bind",
        `Refusing to bind gateway to ${config.gateway.bind} without auth.`,
        'Set a token first: openclaw config set gateway.auth.token "$(openssl rand -hex 32)" (or OPENCLAW_GATEWAY_TOKEN), or use --bind loopback.',
      ),
    );
  }
  findings.push(...checkHooksConfig(config, auth));
  return { auth, needsGeneratedToken: authResult.generate === true, findings };
}

/** The finding as the error the gateway exits with. */
export function toGuardError(f: GatewayGuardFinding): AppError {
  return new AppError(f.code, f.message, { hint: f.hint });
}

const STRENGTH: Record<AuthMode, number> = { none: 0, "trusted-proxy": 1, password: 2, token: 2 };

/**
 * Why moving from `current` to `next` auth would weaken the running gateway, or undefined. A reload
 * may change credentials but never turn auth off: that needs a full restart of the process.
 */
export function describeAuthDowngrade(current: GatewayAuth, next: GatewayAuth): string | undefined {
  if (STRENGTH[next.mode] >= STRENGTH[current.mode]) return undefined;
  return `the new config would lower gateway auth from ${current.mode} to ${next.mode}; keeping the running config (a full restart applies it: openclaw gateway restart)`;
}
