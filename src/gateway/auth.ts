/** Gateway authentication: timing-safe secret checks and the failed-auth limiter (auth resolution is config's). */
import { createHash, timingSafeEqual } from "node:crypto";
import type { GatewayAuth } from "../config/index.js";

export type { AuthMode, GatewayAuth } from "../config/index.js";

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
