/**
 * Every network call has a timeout: a deadline that aborts the request when no response (or no
 * stream chunk) arrives within `timeoutMs`, chained to the caller's own signal.
 */
import { ProviderTimeoutError } from "./classify.js";

export interface Deadline {
  signal: AbortSignal;
  /** Restarts the idle timer (call on every chunk). */
  touch(): void;
  /** True when this deadline (not the caller) aborted the request. */
  readonly timedOut: boolean;
  /** Turns an abort error caused by the deadline into a ProviderTimeoutError. */
  wrap(error: unknown): unknown;
  dispose(): void;
}

/** Creates a deadline of `timeoutMs` between signs of life, aborting early with `parent`. */
export function createDeadline(parent: AbortSignal | undefined, timeoutMs: number, what: string): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const onParent = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener("abort", onParent, { once: true });
  const arm = () => {
    if (timer) clearTimeout(timer);
    // A delay past 2^31-1 ms would fire at once (Node clamps it to 1 ms): cap it instead.
    timer = setTimeout(
      () => {
        timedOut = true;
        controller.abort(new ProviderTimeoutError(`${what}: no response within ${timeoutMs} ms`));
      },
      Math.min(timeoutMs, 2_147_483_647),
    );
    timer.unref?.();
  };
  arm();
  return {
    signal: controller.signal,
    touch: arm,
    get timedOut() {
      return timedOut;
    },
    wrap: (error) => (timedOut ? new ProviderTimeoutError(`${what}: no response within ${timeoutMs} ms`) : error),
    dispose() {
      if (timer) clearTimeout(timer);
      parent?.removeEventListener("abort", onParent);
    },
  };
}
