/**
 * Keeps the gateway's own credentials out of what tools hand back to the model (and so out of the
 * transcript): `exec` children do not inherit them, and any tool result that still contains one of
 * their values (a file that holds it, a command that prints it) has it masked.
 */
import { maskSecret } from "../../shared/index.js";
import { PROVIDER_ENV_VARS } from "../auth/credentials.js";
import type { ToolResult } from "./types.js";

/** Env vars that hold the gateway's credentials: its auth and the model providers' keys. */
export const GATEWAY_SECRET_ENV_VARS: readonly string[] = ["OPENCLAW_GATEWAY_TOKEN", "OPENCLAW_GATEWAY_PASSWORD", ...Object.values(PROVIDER_ENV_VARS).flat()];

/** The values of those vars in `env` (short values are skipped: too likely to be ordinary text). */
export function gatewaySecretValues(env: Record<string, string | undefined>): string[] {
  return GATEWAY_SECRET_ENV_VARS.map((k) => env[k]?.trim()).filter((v): v is string => typeof v === "string" && v.length >= 8);
}

/** `env` without the gateway's credentials (for child processes). */
export function withoutGatewaySecrets(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const out = { ...env };
  for (const k of GATEWAY_SECRET_ENV_VARS) delete out[k];
  return out;
}

/** The result with every known secret value masked in its text. */
export function scrubToolResult(result: ToolResult, env: Record<string, string | undefined>): ToolResult {
  const secrets = gatewaySecretValues(env);
  if (secrets.length === 0 || !secrets.some((s) => result.content.includes(s))) return result;
  let content = result.content;
  for (const s of secrets) content = content.split(s).join(maskSecret(s));
  return { ...result, content };
}
