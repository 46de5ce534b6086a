/**
 * The second and third shapes of config: resolved (environment overrides applied, `~` expanded,
 * with the source of each override recorded) and public (secrets replaced, safe for RPC and UI).
 */
import { type Env, expandUserPath } from "../infra/index.js";
import { isEnvReference, isHashKey, isSecretKey, looksLikeDigest, redactText } from "../shared/index.js";
import type { OpenClawConfig } from "./schema/index.js";

/** Environment variables that override config keys, in precedence order per key. */
export const ENV_OVERRIDES = [
  { path: "gateway.port", vars: ["OPENCLAW_GATEWAY_PORT", "CLAWDBOT_GATEWAY_PORT"] },
  { path: "gateway.auth.token", vars: ["OPENCLAW_GATEWAY_TOKEN", "CLAWDBOT_GATEWAY_TOKEN"] },
  { path: "gateway.auth.password", vars: ["OPENCLAW_GATEWAY_PASSWORD", "CLAWDBOT_GATEWAY_PASSWORD"] },
  { path: "logging.level", vars: ["OPENCLAW_LOG_LEVEL"] },
  { path: "logging.consoleLevel", vars: ["OPENCLAW_LOG_LEVEL"] },
] as const;

export interface ResolvedConfig {
  config: OpenClawConfig;
  /** Config path → where its effective value came from (`env:NAME`), for overridden keys only. */
  sources: Record<string, string>;
  /** Overrides that were ignored because their value was invalid. */
  warnings: string[];
}

const LEVELS = new Set(["silent", "fatal", "error", "warn", "info", "debug", "trace"]);

/** Applies env overrides (env > file > defaults) and expands `~` in path-valued keys. */
export function resolveRuntimeConfig(config: OpenClawConfig, env: Env): ResolvedConfig {
  const out = structuredClone(config) as OpenClawConfig;
  const sources: Record<string, string> = {};
  const warnings: string[] = [];
  for (const { path, vars } of ENV_OVERRIDES) {
    const name = vars.find((v) => env[v]?.trim());
    if (!name) continue;
    const value = env[name]!.trim();
    if (path === "gateway.port") {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        warnings.push(`${name}=${value} is not a valid port; using gateway.port`);
        continue;
      }
      out.gateway.port = port;
    } else if (path === "gateway.auth.token" || path === "gateway.auth.password") {
      out.gateway.auth = { ...(out.gateway.auth ?? {}), [path.endsWith("token") ? "token" : "password"]: value };
    } else {
      if (!LEVELS.has(value)) {
        warnings.push(`${name}=${value} is not a log level; using ${path}`);
        continue;
      }
      out.logging[path === "logging.level" ? "level" : "consoleLevel"] = value as OpenClawConfig["logging"]["level"];
    }
    sources[path] = `env:${name}`;
  }
  if (out.logging.file) out.logging.file = expandUserPath(out.logging.file, env);
  const defaults = out.agents?.defaults;
  if (defaults?.workspace) defaults.workspace = expandUserPath(defaults.workspace, env);
  for (const agent of [...(out.agents?.list ?? []), ...Object.values(out.agents?.entries ?? {})]) {
    if (agent.workspace) agent.workspace = expandUserPath(agent.workspace, env);
    if (agent.agentDir) agent.agentDir = expandUserPath(agent.agentDir, env);
  }
  return { config: out, sources, warnings };
}

/** True when a string under `key` holds a secret by its shape (whole or in part). */
export function hasShapedSecret(value: string, key?: string): boolean {
  if (key !== undefined && isHashKey(key) && looksLikeDigest(value)) return false;
  return !isEnvReference(value) && redactText(value) !== value;
}

/** OpenClaw's placeholder for a redacted secret in public config views. */
export const REDACTED = "__OPENCLAW_REDACTED__";

/**
 * A deep copy with every secret replaced by `REDACTED`: secret-keyed values, and any string holding a
 * secret by its shape (a password inside `env.DATABASE_URL`, a token under a harmless key). Env
 * references like `${VAR}` and digests under hash-like keys stay visible.
 */
export function toPublicConfig<T>(value: T): T {
  const walk = (v: unknown, key: string | undefined): unknown => {
    if (key !== undefined && isSecretKey(key) && v !== undefined && v !== null) {
      if (isEnvReference(v)) return v;
      if (typeof v === "object" && !Array.isArray(v) && "source" in (v as object)) return v;
      return REDACTED;
    }
    if (typeof v === "string") return hasShapedSecret(v, key) ? REDACTED : v;
    if (Array.isArray(v)) return v.map((item) => walk(item, undefined));
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) out[k] = walk(item, k);
      return out;
    }
    return v;
  };
  return walk(value, undefined) as T;
}
