/** Gateway authentication: mode inference, timing-safe secret checks and the failed-auth limiter. */
import { createHash, timingSafeEqual } from "node:crypto";
import type { OpenClawConfig } from "../config/index.js";
import type { Env } from "../infra/index.js";
import { AppError } from "../shared/index.js";

export type AuthMode = "none" | "token" | "password" | "trusted-proxy";

export interface GatewayAuth {
  mode: AuthMode;
  token?: string;
  password?: string;
}

function resolveSecret(value: unknown, env: Env, what: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string") return value.length > 0 ? value : undefined;
  const ref = value as { source?: string; id?: string };
  if (ref.source === "env" && ref.id) {
    const v = env[ref.id];
    if (!v) throw new AppError("GATEWAY_CONFIG_INVALID", `${what} refers to environment variable ${ref.id}, which is not set`, { hint: `Set ${ref.id} in the gateway's environment.` });
    return v;
  }
  throw new AppError("GATEWAY_CONFIG_INVALID", `${what} uses a ${ref.source} secret reference, which this gateway does not resolve yet`, {
    hint: `Use a literal, \${VAR} or an env reference for ${what}.`,
  });
}

/** The effective auth: explicit mode, else token if any token source, else password, else none. */
export function resolveGatewayAuth(config: OpenClawConfig, env: Env): GatewayAuth {
  const auth = config.gateway.auth ?? {};
  const token = resolveSecret(auth.token, env, "gateway.auth.token");
  const password = resolveSecret(auth.password, env, "gateway.auth.password");
  let mode = auth.mode;
  if (!mode) {
    if (token && password) {
      throw new AppError("GATEWAY_CONFIG_INVALID", "both gateway.auth.token and gateway.auth.password are set; gateway.auth.mode must say which one to use", {
        hint: "openclaw config set gateway.auth.mode token",
      });
    }
    mode = token ? "token" : password ? "password" : "none";
  }
  if (mode === "token" && !token) throw new AppError("GATEWAY_CONFIG_INVALID", "gateway.auth.mode is token but no token is set", { hint: "Set gateway.auth.token or OPENCLAW_GATEWAY_TOKEN." });
  if (mode === "password" && !password) throw new AppError("GATEWAY_CONFIG_INVALID", "gateway.auth.mode is password but no password is set", { hint: "Set gateway.auth.password or OPENCLAW_GATEWAY_PASSWORD." });
  return { mode, ...(token ? { token } : {}), ...(password ? { password } : {}) };
}

/** Constant-time comparison of a presented secret with the expected one. */
export function secretMatches(expected: string | undefined, given: string | undefined): boolean {
  if (!expected || given === undefined) return false;
  const a = createHash("sha256").update(expected).digest();
  const b = createHash("sha256").update(given).digest();
  return timingSafeEqual(a, b);
}

/** Checks presented credentials against the auth; returns a failure reason or undefined. */
export function checkCredentials(auth: GatewayAuth, given: { token?: string | undefined; password?: string | undefined }): string | undefined {
  if (auth.mode === "none") return undefined;
  if (auth.mode === "token") {
    if (!given.token) return "unauthorized: gateway token missing (set OPENCLAW_GATEWAY_TOKEN or pass --token)";
    return secretMatches(auth.token, given.token) ? undefined : "unauthorized: gateway token mismatch";
  }
  if (auth.mode === "password") {
    if (!given.password) return "unauthorized: gateway password missing";
    return secretMatches(auth.password, given.password) ? undefined : "unauthorized: gateway password mismatch";
  }
  return "unauthorized: trusted-proxy auth is not supported by this gateway";
}

export interface RateLimitSettings {
  maxAttempts: number;
  windowMs: number;
  lockoutMs: number;
  exemptLoopback: boolean;
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/** Failed-auth limiter per client address (spec §2.7). */
export class AuthRateLimiter {
  private readonly failures = new Map<string, { count: number; windowStart: number; lockedUntil: number }>();

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds the address must wait, or 0 when it may try. */
  retryAfter(ip: string): number {
    if (this.settings.exemptLoopback && LOOPBACK.test(ip)) return 0;
    const entry = this.failures.get(ip);
    return entry && entry.lockedUntil > this.now() ? entry.lockedUntil - this.now() : 0;
  }

  recordFailure(ip: string): void {
    if (this.settings.exemptLoopback && LOOPBACK.test(ip)) return;
    const now = this.now();
    const entry = this.failures.get(ip);
    if (!entry || now - entry.windowStart > this.settings.windowMs) {
      this.failures.set(ip, { count: 1, windowStart: now, lockedUntil: 0 });
      return;
    }
    entry.count++;
    if (entry.count >= this.settings.maxAttempts) entry.lockedUntil = now + this.settings.lockoutMs;
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value!);
  }

  recordSuccess(ip: string): void {
    this.failures.delete(ip);
  }
}
