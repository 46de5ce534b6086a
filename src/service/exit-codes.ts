/**
 * What a gateway exit code means to a supervisor: which ones a restart cannot fix (never
 * restarted), which ones a restart fixes only if the cause goes away (restarted a few times, then
 * given up), and the one-line meaning and fix shown by `gateway status` and install/start/restart.
 */

/** Config refused (78, OpenClaw's EX_CONFIG: invalid config, gateway.mode not local, bind without auth). */
export const NO_RESTART_EXIT_CODES = [78];

/**
 * Port in use (75), instance lock held (73) and a clean exit nobody asked for (0: the gateway
 * yielded to another one already serving this config): restarted at most this many times in a row.
 */
export const LIMITED_RESTART_EXIT_CODES = [0, 73, 75];
export const LIMITED_RESTART_TRIES = 3;

const MEANING: Record<number, { what: string; fix: string }> = {
  0: { what: "another gateway already serves this config", fix: "stop the other gateway (openclaw gateway status names it), then: openclaw gateway start" },
  73: { what: "the gateway lock is held by another process", fix: "stop the gateway holding the lock, then: openclaw gateway start" },
  75: { what: "the port is in use", fix: "free the port or choose another (openclaw gateway install --port <n> --force), then: openclaw gateway start" },
  78: { what: "the config is invalid", fix: "fix it (openclaw config validate), then: openclaw gateway start" },
  79: { what: "gateway.mode is not local", fix: "openclaw config set gateway.mode local, then: openclaw gateway start" },
  80: { what: "binding without auth was refused", fix: "set gateway.auth (openclaw doctor --generate-gateway-token) or bind loopback, then: openclaw gateway start" },
};

/** `code 75 (the port is in use)`, `signal SIGKILL`. */
export function describeGatewayExit(code: number | null | undefined, signal?: string | null): string {
  if (signal) return `signal ${signal}`;
  if (code === null || code === undefined) return "an unknown status";
  const m = MEANING[code];
  return m ? `code ${code} (${m.what})` : `code ${code}`;
}

/** The fix for an exit code, when we know one. */
export function gatewayExitFix(code: number | null | undefined): string | undefined {
  return code === null || code === undefined ? undefined : MEANING[code]?.fix;
}

/**
 * The last `error:` line (and its `hint:`) the gateway wrote to its stderr log after `fromOffset`
 * (the CLI shell prints every failure that way). Only the tail is read.
 */
export function lastLoggedError(text: string): string | undefined {
  const lines = text.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^(?:\S+ )?error: (.+)$/.exec(lines[i]!.trim());
    if (!m) continue;
    const hint = /^hint: (.+)$/.exec(lines[i + 1]?.trim() ?? "")?.[1];
    const line = `${m[1]}${hint ? ` (${hint})` : ""}`;
    return line.length > 400 ? `${line.slice(0, 399)}…` : line;
  }
  return undefined;
}
