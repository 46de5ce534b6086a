/** Protocol versions: we speak 4 (current OpenClaw) and accept 3 (the baseline). */
export const PROTOCOL_VERSION = 4;
export const SUPPORTED_PROTOCOLS = [3, 4] as const;

/** The highest protocol both sides accept, or undefined when the ranges do not overlap. */
export function negotiateProtocol(minProtocol: number, maxProtocol: number): number | undefined {
  for (let v = SUPPORTED_PROTOCOLS[SUPPORTED_PROTOCOLS.length - 1]!; v >= SUPPORTED_PROTOCOLS[0]!; v--) {
    if (v >= minProtocol && v <= maxProtocol) return v;
  }
  return undefined;
}

/** Pre-auth frame cap (spec §4.1). */
export const MAX_PREAUTH_PAYLOAD_BYTES = 64 * 1024;
/** Post-handshake limits announced in `hello-ok.policy`. */
export const MAX_PAYLOAD_BYTES = 25 * 1024 * 1024;
export const MAX_BUFFERED_BYTES = 50 * 1024 * 1024;
export const TICK_INTERVAL_MS = 30_000;
export const HANDSHAKE_TIMEOUT_MS = 10_000;
