/** The 0600 env file that carries a service's secrets (never the unit, plist or task itself). */
import { loadDotEnvFile } from "../infra/index.js";

/** `KEY=value` lines; values are double-quoted when they need it (systemd and dotenv both read this). */
export function renderEnvFile(values: Record<string, string>, header: string): string {
  const lines = [`# ${header}`, "# Secrets for the gateway service. Mode 0600; not shown by openclaw status.", ""];
  for (const [k, v] of Object.entries(values)) {
    lines.push(/^[A-Za-z0-9_./:@+-]*$/.test(v) ? `${k}=${v}` : `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`);
  }
  return `${lines.join("\n")}\n`;
}

/** Keys of an env file (values stay on disk). */
export function readEnvFileKeys(file: string): string[] {
  return Object.keys(loadDotEnvFile(file));
}
