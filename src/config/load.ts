/**
 * The config load pipeline (spec §2.1): read → JSON5 parse → `$include` → `${VAR}` → schema
 * validation with defaults. Returns a snapshot that is never thrown away on errors: commands such
 * as `config validate`, `doctor` and `health` report every issue instead of stopping at the first.
 */
import { checkGatewayConfig } from "./gateway-guards.js";
import { findLikelyTypos, toConfigIssues } from "./issues.js";
import { type ConfigInput, type ReadConfigOptions, readConfigInput } from "./load-input.js";
import { resolveRuntimeConfig } from "./resolve.js";
import { ConfigSchema, type OpenClawConfig } from "./schema/index.js";

export interface ConfigSnapshot extends ConfigInput {
  /** Validated config with defaults (undefined when invalid). */
  config: OpenClawConfig | undefined;
  valid: boolean;
}

export interface LoadConfigOptions extends ReadConfigOptions {
  /**
   * Report what the gateway would refuse (auth, bind) as issues; default true. The gateway itself
   * passes false and runs the same check on the config with its CLI overrides applied.
   */
  gatewayGuards?: boolean;
}

/** Loads and validates the config. Never throws for config content problems; they are in `issues`. */
export function loadConfigSnapshot(options: LoadConfigOptions): ConfigSnapshot {
  const input = readConfigInput(options);
  const snapshot: ConfigSnapshot = { ...input, issues: [...input.issues], warnings: [...input.warnings], config: undefined, valid: false };
  if (!input.readable) return snapshot;
  const parsed = ConfigSchema.safeParse(input.input);
  if (parsed.success && options.gatewayGuards === false) snapshot.config = parsed.data;
  else if (parsed.success) {
    snapshot.config = parsed.data;
    // What the gateway would refuse is invalid here too (one check: spec §3.1 guards). gateway.mode
    // is left out: a config for a remote gateway is valid; `config validate` notes it.
    const guards = checkGatewayConfig(resolveRuntimeConfig(parsed.data, options.env).config, options.env, { allowUnconfigured: true });
    for (const f of guards.findings) {
      const loc = input.locate(f.path.split("."));
      const issue = { kind: "gateway" as const, path: f.path, message: f.message, ...(loc ?? {}) };
      (options.lenientEnv && f.envVar ? snapshot.warnings : snapshot.issues).push(issue);
    }
  } else snapshot.issues.push(...toConfigIssues(ConfigSchema, parsed.error.issues, input.locate));
  snapshot.warnings.push(...findLikelyTypos(ConfigSchema, input.input, input.locate));
  snapshot.valid = snapshot.issues.length === 0;
  if (!snapshot.valid) snapshot.config = undefined;
  return snapshot;
}
