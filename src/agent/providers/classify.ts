/**
 * Sorts a provider failure into the buckets failover and cooldowns use (spec §9.4): which errors
 * move on to the next profile or model, and which reason is recorded against the profile.
 */
import type { FailureReason } from "../auth/store.js";

export type FailureClass = FailureReason | "server" | "aborted";

/** An error raised by the providers for an idle stream or a missing response within the timeout. */
export class ProviderTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProviderTimeoutError";
  }
}

/** The HTTP status of an SDK error, when it has one. */
export function statusOf(error: unknown): number | undefined {
  const s = (error as { status?: unknown })?.status;
  return typeof s === "number" ? s : undefined;
}

/** Classifies a failure; `callerAborted` is true when the caller's own signal fired. */
export function classifyProviderError(error: unknown, callerAborted = false): FailureClass {
  if (callerAborted) return "aborted";
  if (error instanceof ProviderTimeoutError) return "timeout";
  const name = (error as Error)?.name ?? "";
  const message = String((error as Error)?.message ?? "").toLowerCase();
  const status = statusOf(error);
  if (status === 401 || status === 403) return "auth";
  if (status === 402 || /billing|credit balance|insufficient_quota|payment/.test(message)) return "billing";
  if (status === 429) return "rate_limit";
  if (status === 529 || status === 503 || /overloaded/.test(message)) return "overloaded";
  if (status === 408 || status === 504 || /timeout|timed out/i.test(name) || /timed? ?out/.test(message)) return "timeout";
  if (status !== undefined && status >= 500) return "server";
  if (status !== undefined && status >= 400) return "format";
  if (/connection|econnrefused|econnreset|fetch failed|socket/i.test(`${name} ${message}`)) return "server";
  return "unknown";
}

/** Does this class move on to the next profile / model within the same call? */
export function isFailoverWorthy(c: FailureClass): boolean {
  return c === "auth" || c === "rate_limit" || c === "billing" || c === "overloaded" || c === "timeout" || c === "server";
}

/** The reason recorded in `usageStats` for a class. */
export function cooldownReasonOf(c: FailureClass): FailureReason {
  return c === "server" || c === "aborted" ? "unknown" : c;
}
