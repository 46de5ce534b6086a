/**
 * Giving memory back after a slow consumer's queue (up to maxBufferedBytes) is dropped: V8 keeps a
 * grown heap until it decides to shrink, so the gateway asks for a full collection once things are
 * quiet. The collector is reached through V8's own flag (no process flag needed); where that is not
 * possible the request is a no-op.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let collect: (() => void) | undefined | null;

function collector(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
  } catch {
    collect = null;
  }
  return collect;
}

/** Debounced full collections: at most one per `delayMs`, after the last request. */
export function createMemoryReleaser(delayMs = 1000): { request(): void; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  return {
    request() {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        collector()?.();
      }, delayMs);
      timer.unref();
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
