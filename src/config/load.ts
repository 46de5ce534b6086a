/**
 * The config load pipeline (spec §2.1): read → JSON5 parse → `$include` → `${VAR}` → schema
 * validation with defaults. Returns a snapshot that is never thrown away on errors: commands such
 * as `config validate`, `doctor` and `health` report every issue instead of stopping at the first.
 */
import { findLikelyTypos, toConfigIssues } from "./issues.js";
import { type ConfigInput, type ReadConfigOptions, readConfigInput } from "./load-input.js";
import { ConfigSchema, type OpenClawConfig } from "./schema/index.js";

export interface ConfigSnapshot extends ConfigInput {
  /** Validated config with defaults (undefined when invalid). */
  config: OpenClawConfig | undefined;
  valid: boolean;
}

export type LoadConfigOptions = ReadConfigOptions;

/** Loads and validates the config. Never throws for config content problems; they are in `issues`. */
export function loadConfigSnapshot(options: LoadConfigOptions): ConfigSnapshot {
  const input = readConfigInput(options);
  const snapshot: ConfigSnapshot = { ...input, issues: [...input.issues], warnings: [...input.warnings], config: undefined, valid: false };
  if (!input.readable) return snapshot;
  const parsed = ConfigSchema.safeParse(input.input);
  if (parsed.success) snapshot.config = parsed.data;
  else snapshot.issues.push(...toConfigIssues(ConfigSchema, parsed.error.issues, input.locate));
  snapshot.warnings.push(...findLikelyTypos(ConfigSchema, input.input, input.locate));
  snapshot.valid = snapshot.issues.length === 0;
  if (!snapshot.valid) snapshot.config = undefined;
  return snapshot;
}
