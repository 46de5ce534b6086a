/**
 * The schema's defaults for leaf keys, as plain data: `config get` of a key left at its default
 * answers from here without loading the schema library (zod). Kept by hand next to the schema; a
 * test walks the schema and fails when this table and the schema's defaults differ.
 */

/** Dotted path → default value, for every leaf key the schema gives a default. */
export const CONFIG_DEFAULTS: Readonly<Record<string, string | number | boolean>> = {
  "logging.level": "info",
  "logging.maxFileBytes": 104857600,
  "logging.consoleLevel": "info",
  "logging.consoleStyle": "pretty",
  "logging.redactSensitive": "tools",
  "gateway.port": 18789,
  "gateway.bind": "loopback",
  "gateway.auth.rateLimit.maxAttempts": 10,
  "gateway.auth.rateLimit.windowMs": 60000,
  "gateway.auth.rateLimit.lockoutMs": 300000,
  "gateway.auth.rateLimit.exemptLoopback": true,
  "gateway.tailscale.mode": "off",
  "gateway.controlUi.enabled": true,
  "gateway.reload.mode": "hybrid",
  "gateway.reload.debounceMs": 300,
  "gateway.tls.enabled": false,
};

/** The default of a leaf key from the table, or undefined when the table does not know it. */
export function tableDefaultAt(path: string): string | number | boolean | undefined {
  return Object.hasOwn(CONFIG_DEFAULTS, path) ? CONFIG_DEFAULTS[path] : undefined;
}
