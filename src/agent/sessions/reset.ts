/**
 * When a session starts over: `/new` and `/reset` (any `session.resetTriggers`), and the
 * automatic daily / idle policies (`session.reset`, `resetByType`, `resetByChannel`). Pure
 * functions: the turn runner asks, then rotates the `sessionId` itself.
 */

export type ResetMode = "none" | "daily" | "idle";

export interface ResetPolicy {
  mode: ResetMode;
  /** Local hour (0–23) of the daily reset. */
  atHour: number;
  /** Idle window; with mode `daily` it is an additional trigger when set. */
  idleMinutes?: number;
}

/** OpenClaw 2026.9: no automatic reset unless configured (spec §8.3 baseline said daily at 04:00). */
export const DEFAULT_RESET_POLICY: ResetPolicy = { mode: "none", atHour: 4 };
export const DEFAULT_RESET_TRIGGERS = ["/new", "/reset"];

/** A message that starts with a reset trigger: which trigger, and the text after it (kept for the turn). */
export interface ResetTriggerMatch {
  trigger: string;
  rest: string;
}

/** Matches a reset trigger at the start of a message (case-insensitive, followed by space or end). */
export function parseResetTrigger(text: string, triggers: readonly string[] = DEFAULT_RESET_TRIGGERS): ResetTriggerMatch | undefined {
  const trimmed = text.trimStart();
  const lower = trimmed.toLowerCase();
  for (const trigger of [...triggers].sort((a, b) => b.length - a.length)) {
    const t = trigger.toLowerCase();
    if (!t || !lower.startsWith(t)) continue;
    const next = trimmed.charAt(t.length);
    if (next !== "" && !/\s/.test(next)) continue;
    return { trigger, rest: trimmed.slice(t.length).replace(/^[ \t]+/, "").replace(/^\r?\n/, "") };
  }
  return undefined;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});

function policyFrom(raw: Obj, base: ResetPolicy): ResetPolicy {
  const mode = raw.mode === "daily" || raw.mode === "idle" || raw.mode === "none" ? raw.mode : base.mode;
  const atHour = typeof raw.atHour === "number" && Number.isInteger(raw.atHour) && raw.atHour >= 0 && raw.atHour <= 23 ? raw.atHour : base.atHour;
  const idle = typeof raw.idleMinutes === "number" && raw.idleMinutes > 0 ? raw.idleMinutes : base.idleMinutes;
  return { mode, atHour, ...(idle !== undefined ? { idleMinutes: idle } : {}) };
}

/**
 * The policy for one session from the `session` config block: `resetByChannel[channel]` wins
 * outright, then `resetByType[type]` (legacy `dm` = `direct`), then `reset`. A legacy top-level
 * `session.idleMinutes` alone means idle-only.
 */
export function resolveResetPolicy(session: unknown, target: { chatType?: "direct" | "group" | "thread"; channel?: string } = {}): ResetPolicy {
  const s = obj(session);
  let base = DEFAULT_RESET_POLICY;
  if (s.reset === undefined && typeof s.idleMinutes === "number" && s.idleMinutes > 0) base = { mode: "idle", atHour: 4, idleMinutes: s.idleMinutes };
  base = policyFrom(obj(s.reset), base);
  const byChannel = target.channel ? obj(s.resetByChannel)[target.channel] : undefined;
  if (byChannel !== undefined) return policyFrom(obj(byChannel), base);
  const byType = obj(s.resetByType);
  const typed = target.chatType ? (byType[target.chatType] ?? (target.chatType === "direct" ? byType.dm : undefined)) : undefined;
  return typed !== undefined ? policyFrom(obj(typed), base) : base;
}

/** The last daily boundary (`atHour:00` local time) at or before `now`. */
export function lastDailyBoundary(now: number, atHour: number): number {
  const d = new Date(now);
  d.setHours(atHour, 0, 0, 0);
  if (d.getTime() > now) d.setDate(d.getDate() - 1);
  return d.getTime();
}

export interface FreshnessInput {
  sessionStartedAt?: unknown;
  lastInteractionAt?: unknown;
  updatedAt?: unknown;
}

export type Freshness = { fresh: true } | { fresh: false; reason: "daily" | "idle"; since: number };

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/**
 * Whether a stored session is still current under `policy` at `now`. Daily freshness reads
 * `sessionStartedAt`, idle reads `lastInteractionAt` (both fall back to `updatedAt`); whichever
 * expires first wins. A session with no timestamps is fresh (nothing to judge by).
 */
export function evaluateSessionFreshness(entry: FreshnessInput, policy: ResetPolicy, now: number): Freshness {
  const started = num(entry.sessionStartedAt) ?? num(entry.updatedAt);
  const last = num(entry.lastInteractionAt) ?? num(entry.updatedAt);
  const verdicts: Array<{ reason: "daily" | "idle"; at: number }> = [];
  if (policy.mode === "daily" && started !== undefined) {
    const boundary = lastDailyBoundary(now, policy.atHour);
    if (started < boundary) verdicts.push({ reason: "daily", at: boundary });
  }
  if ((policy.mode === "idle" || policy.mode === "daily") && policy.idleMinutes && last !== undefined) {
    const expires = last + policy.idleMinutes * 60_000;
    if (now >= expires) verdicts.push({ reason: "idle", at: expires });
  }
  if (!verdicts.length) return { fresh: true };
  const first = verdicts.sort((a, b) => a.at - b.at)[0]!;
  return { fresh: false, reason: first.reason, since: first.at };
}
