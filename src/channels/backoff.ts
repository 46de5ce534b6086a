/** Reconnect pacing shared by every channel account: jittered exponential backoff and an abortable wait. */

/** Exponential backoff with ±20 % jitter: attempt 1 → initial, doubling, capped. */
export function channelBackoffMs(attempt: number, backoff: { initialMs: number; maxMs: number }, random = Math.random): number {
  const base = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Waits `ms`, or less when `signal` aborts (never rejects). */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
