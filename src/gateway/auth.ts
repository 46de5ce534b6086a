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
  /** Most entries kept; expired ones are pruned first, then the oldest. */
  maxEntries?: number;
}

/** Which secret an attempt presented: failures of one kind never lock out another. */
export type CredentialKind = "token" | "password";

/** Where an attempt came from: the socket address, and the page's Origin for browsers. */
export interface AttemptSource {
  ip: string;
  origin?: string | undefined;
}

/** The limiter's answer before a credential check. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

interface Entry {
  count: number;
  windowStart: number;
  lockedUntil: number;
  /** During a lockout, the next time one credential may be checked. */
  nextProbeAt: number;
}

/**
 * Failed-auth limiter (spec §2.7, OpenClaw's "rate limiting" page): only wrong credentials count,
 * keyed per source and per credential kind. A browser page (Origin header) is never loopback-exempt
 * and, from loopback, is keyed by its origin, so a hostile page cannot lock out the owner's CLI.
 * During a lockout one credential per `lockoutMs / maxAttempts` is still checked: a correct one
 * gets in and clears the entry (the owner is never locked out for the whole lockout), while a
 * guesser gets no more tries than the configured rate allows.
 */
export class AuthRateLimiter {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly now: () => number = Date.now,
  ) {}

  private key(source: AttemptSource, kind: CredentialKind): string | undefined {
    const loopback = LOOPBACK.test(source.ip);
    if (source.origin === undefined && loopback && this.settings.exemptLoopback) return undefined;
    const who = source.origin !== undefined && loopback ? `browser-origin:${source.origin.toLowerCase()}` : source.ip;
    return `${kind}|${who}`;
  }

  private probeIntervalMs(): number {
    return Math.max(1000, Math.floor(this.settings.lockoutMs / Math.max(1, this.settings.maxAttempts)));
  }

  /** Whether a credential from this source may be checked now (consumes the lockout's probe slot). */
  check(source: AttemptSource, kind: CredentialKind): RateDecision {
    const key = this.key(source, kind);
    const entry = key ? this.entries.get(key) : undefined;
    if (!entry) return { allowed: true };
    const now = this.now();
    if (entry.lockedUntil <= now) return { allowed: true };
    if (entry.nextProbeAt <= now) {
      entry.nextProbeAt = now + this.probeIntervalMs();
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: Math.max(1, Math.min(entry.lockedUntil, entry.nextProbeAt) - now) };
  }

  /** Milliseconds until a lockout for this source and kind ends (0 when not locked). */
  lockedFor(source: AttemptSource, kind: CredentialKind): number {
    const key = this.key(source, kind);
    const entry = key ? this.entries.get(key) : undefined;
    return entry && entry.lockedUntil > this.now() ? entry.lockedUntil - this.now() : 0;
  }

  /** Counts a wrong credential (never a missing one). */
  recordFailure(source: AttemptSource, kind: CredentialKind): void {
    const key = this.key(source, kind);
    if (!key) return;
    const now = this.now();
    const entry = this.entries.get(key);
    if (!entry || (entry.lockedUntil <= now && now - entry.windowStart > this.settings.windowMs)) {
      this.entries.delete(key);
      this.entries.set(key, { count: 1, windowStart: now, lockedUntil: 0, nextProbeAt: 0 });
      if (this.settings.maxAttempts <= 1) this.lock(this.entries.get(key)!, now);
      this.bound(now);
      return;
    }
    entry.count++;
    if (entry.count >= this.settings.maxAttempts && entry.lockedUntil <= now) this.lock(entry, now);
  }

  private lock(entry: Entry, now: number): void {
    entry.lockedUntil = now + this.settings.lockoutMs;
    // The first check after the lock is free, so a correct credential is not refused by the lock it did not cause.
    entry.nextProbeAt = now;
  }

  recordSuccess(source: AttemptSource, kind: CredentialKind): void {
    const key = this.key(source, kind);
    if (key) this.entries.delete(key);
  }

  /** Entries held (bounded by `maxEntries`). */
  get size(): number {
    return this.entries.size;
  }

  private bound(now: number): void {
    const max = this.settings.maxEntries ?? 10_000;
    if (this.entries.size <= max) return;
    for (const [key, e] of this.entries) {
      if (e.lockedUntil <= now && now - e.windowStart > this.settings.windowMs) this.entries.delete(key);
    }
    while (this.entries.size > max) this.entries.delete(this.entries.keys().next().value!);
  }
}
