/**
 * `openclaw config get <path>` — the value in the file, else its default; secrets redacted unless
 * asked. Reads without the schema library: leaf defaults come from a plain table
 * (`CONFIG_DEFAULTS`); the schema loads only for a non-leaf default or a suggestion.
 */
import { assertConfigReadable, ENV_OVERRIDES, loadConfigRuntime, REDACTED, readConfigInput, tableDefaultAt, toPublicConfig } from "../../../config/index.js";
import { AppError, formatConfigPath, getAtPath, isEnvReference, isSecretKey, parseConfigPath } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";

/** The environment without port variables: the note below reports those separately. */
const withoutPortEnv = (env: Record<string, string | undefined>) => ({ ...env, OPENCLAW_GATEWAY_PORT: undefined, CLAWDBOT_GATEWAY_PORT: undefined });

export const run: CommandHandler = async (ctx) => {
  const segments = parseConfigPath(ctx.args[0]!);
  const path = formatConfigPath(segments);
  const { configPath } = ctx.paths();
  const snapshot = readConfigInput({ configPath, env: ctx.env, lenientEnv: true });
  assertConfigReadable(snapshot);
  let value = getAtPath(snapshot.input, segments);
  if (value === undefined && path === "gateway.port") {
    // The port every command and the service use when the file has none (one resolver, rpc.ts).
    const { resolvePortFor } = await import("../../rpc.js");
    const resolved = resolvePortFor({ ...ctx, env: withoutPortEnv(ctx.env) });
    value = resolved.port;
    const why = resolved.source === "service" ? "the installed service listens on it" : resolved.source === "profile" ? "the dev profile's default" : "the default";
    if (!ctx.json) ctx.warn(`note: gateway.port is not set in ${configPath}; ${value} is ${why}`);
  }
  if (value === undefined) {
    // Leaf defaults come from a plain table; only what it cannot answer loads the schema.
    value = tableDefaultAt(path);
    if (value === undefined) value = (await loadConfigRuntime()).defaultValueAt(segments);
    if (value === undefined) {
      const { suggestConfigPath } = await loadConfigRuntime();
      const guess = suggestConfigPath(segments);
      throw new AppError("CONFIG_PATH_NOT_FOUND", `${path} is not set in ${configPath}${guess ? ` (did you mean ${guess}?)` : ""}`, {
        hint: `Set it with: openclaw config set ${guess ?? path} <value>`,
      });
    }
    if (!ctx.json) ctx.warn(`note: ${path} is not set in ${configPath}; showing the default`);
  }
  const override = ENV_OVERRIDES.find((o) => o.path === path);
  const envName = override?.vars.find((v) => ctx.env[v]?.trim());
  if (envName) ctx.warn(`note: ${envName} is set and overrides ${path} at runtime`);

  const last = segments[segments.length - 1];
  if (ctx.options["show-secrets"] !== true) {
    const isRef = isEnvReference(value);
    if (typeof last === "string" && isSecretKey(last) && typeof value === "string" && !isRef) value = REDACTED;
    else value = toPublicConfig(value);
  }
  return { data: value, human: typeof value === "string" ? value : JSON.stringify(value, null, 2) };
};
