/**
 * Cooldowns and disables (spec §9.4), as pure functions over `usageStats`: an auth, rate-limit,
 * timeout or overload failure cools a profile down 1 min → 5 min → 25 min → 1 h (cap); a billing
 * failure disables it 5 h, doubling per failure, capped at 24 h. Counters reset after a quiet
 * failure window (24 h).
 */
import type { AuthStore, FailureReason, ProfileUsageStats } from "./store.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** `auth.cooldowns.*` from config, with OpenClaw's defaults. */
export interface CooldownPolicy {
  billingBackoffHours: number;
  billingBackoffHoursByProvider: Record<string, number>;
  billingMaxHours: number;
  failureWindowHours: number;
}

const num = (v: unknown, d: number) => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : d);

/** Reads `auth.cooldowns` (any shape) into a complete policy. */
export function resolveCooldownPolicy(raw: unknown): CooldownPolicy {
  const c = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const byProvider = (c.billingBackoffHoursByProvider && typeof c.billingBackoffHoursByProvider === "object" ? c.billingBackoffHoursByProvider : {}) as Record<string, number>;
  return {
    billingBackoffHours: num(c.billingBackoffHours, 5),
    billingBackoffHoursByProvider: byProvider,
    billingMaxHours: num(c.billingMaxHours, 24),
    failureWindowHours: num(c.failureWindowHours, 24),
  };
}

/** Cooldown length after the n-th consecutive failure (n ≥ 1). */
export function cooldownMs(errorCount: number): number {
  return Math.min(MINUTE * 5 ** Math.max(0, errorCount - 1), HOUR);
}

/** Records a failure of `profileId` at `now`; returns the updated stats. */
export function recordProfileFailure(o: { store: AuthStore; profileId: string; provider: string; reason: FailureReason; now: number; policy: CooldownPolicy }): ProfileUsageStats {
  o.store.usageStats ??= {};
  const all = o.store.usageStats;
  const prev = all[o.profileId] ?? {};
  const windowMs = o.policy.failureWindowHours * HOUR;
  const stale = prev.lastFailureAt !== undefined && o.now - prev.lastFailureAt > windowMs;
  const counts = stale ? {} : { ...(prev.failureCounts ?? {}) };
  counts[o.reason] = (counts[o.reason] ?? 0) + 1;
  const errorCount = (stale ? 0 : (prev.errorCount ?? 0)) + 1;
  const next: ProfileUsageStats = { ...prev, errorCount, failureCounts: counts, lastFailureAt: o.now };
  if (o.reason === "billing") {
    const base = o.policy.billingBackoffHoursByProvider[o.provider] ?? o.policy.billingBackoffHours;
    const hours = Math.min(base * 2 ** ((counts.billing ?? 1) - 1), o.policy.billingMaxHours);
    next.disabledUntil = o.now + hours * HOUR;
    next.disabledReason = "billing";
  } else {
    next.cooldownUntil = o.now + cooldownMs(errorCount);
    next.disabledReason = o.reason;
  }
  all[o.profileId] = next;
  return next;
}

/** Records a success: counters cleared, `lastUsed` and `lastGood` updated. */
export function recordProfileSuccess(o: { store: AuthStore; profileId: string; provider: string; now: number }): void {
  o.store.usageStats ??= {};
  o.store.usageStats[o.profileId] = { lastUsed: o.now };
  o.store.lastGood ??= {};
  o.store.lastGood[o.provider] = o.profileId;
}

/** When the profile becomes usable again, or undefined if it is usable now. */
export function unusableUntil(stats: ProfileUsageStats | undefined, now: number): number | undefined {
  const until = Math.max(stats?.cooldownUntil ?? 0, stats?.disabledUntil ?? 0);
  return until > now ? until : undefined;
}
