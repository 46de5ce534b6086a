/**
 * Whole-file config writes for the gateway's `config.set` / `config.apply` / `config.patch`:
 * optimistic concurrency through `baseHash`, a merge patch applied in place (comments kept), and the
 * same validate-then-atomic-write path as `config set`.
 */

import type { Env } from "../infra/index.js";
import { AppError, diffConfigPaths } from "../shared/index.js";
import { parseJson5, setJson5Value, unsetJson5Value } from "./json5/index.js";
import { readConfigInput } from "./load-input.js";
import { type ConfigEditResult, commitConfigText, readEditable } from "./write.js";

export interface WholeWriteOptions {
  configPath: string;
  env: Env;
  baseHash?: string | undefined;
  /** Inputs the caller has seen, by hash, to name the keys that changed since `baseHash`. */
  knownInput?: (hash: string) => Record<string, unknown> | undefined;
}

export interface WholeWriteResult extends ConfigEditResult {
  hash: string | null;
}

function checkBase(options: WholeWriteOptions, current: { exists: boolean; hash: string | null; input: Record<string, unknown> }): void {
  if (!current.exists) return;
  if (!options.baseHash) {
    throw new AppError("CONFIG_CONFLICT", "baseHash is required when the config file exists", {
      hint: "Call config.get first and pass its hash as baseHash.",
    });
  }
  if (options.baseHash !== current.hash) {
    const seen = options.knownInput?.(options.baseHash);
    const changed = seen ? diffConfigPaths(seen, current.input) : [];
    throw new AppError("CONFIG_CONFLICT", `config changed since it was read${changed.length ? ` (changed: ${changed.join(", ")})` : ""}; nothing was written`, {
      hint: "Call config.get again and re-apply your change.",
      details: { changedPaths: changed, currentHash: current.hash },
    });
  }
}

function finish(options: WholeWriteOptions, result: ConfigEditResult): WholeWriteResult {
  return { ...result, hash: readConfigInput({ configPath: options.configPath, env: options.env, lenientEnv: true }).hash };
}

/** Replaces the whole root file with `raw` after validating it. */
export function replaceConfigRaw(options: WholeWriteOptions & { raw: string }): WholeWriteResult {
  const { before, current } = readEditable(options.configPath, options.env);
  checkBase(options, current);
  return finish(options, commitConfigText({ configPath: options.configPath, env: options.env, path: "(root)", before, after: options.raw, dryRun: false, warnings: [] }));
}

type Segment = string | number;

/** A patch value written where nothing was: its `null` members mean "absent" (RFC 7386), never a literal null. */
function withoutNulls(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

function applyPatch(source: string, patch: Record<string, unknown>, at: Segment[], current: unknown): string {
  let out = source;
  for (const [key, value] of Object.entries(patch)) {
    if (key === "__proto__" || key === "constructor" || key === "prototype") {
      throw new AppError("CONFIG_PATH", `refusing patch key "${key}"`, { hint: "Config keys named __proto__, constructor or prototype are never valid." });
    }
    const path = [...at, key];
    const existing = current !== null && typeof current === "object" && !Array.isArray(current) ? (current as Record<string, unknown>)[key] : undefined;
    if (value === null) {
      out = unsetJson5Value(out, path).source;
    } else if (typeof value === "object" && !Array.isArray(value) && existing !== null && typeof existing === "object" && !Array.isArray(existing)) {
      out = applyPatch(out, value as Record<string, unknown>, path, existing);
    } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      out = setJson5Value(out, path, withoutNulls(value));
    } else {
      out = setJson5Value(out, path, value);
    }
  }
  return out;
}

/** Applies a JSON merge patch (RFC 7386: objects merge, null deletes, arrays replace) to the root file. */
export function mergePatchConfig(options: WholeWriteOptions & { patch: string }): WholeWriteResult {
  let patch: unknown;
  try {
    patch = parseJson5(options.patch);
  } catch (error) {
    throw new AppError("CONFIG_VALUE", `patch is not valid JSON5: ${(error as Error).message}`);
  }
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) throw new AppError("CONFIG_VALUE", "a merge patch must be an object");
  const { before, current } = readEditable(options.configPath, options.env);
  checkBase(options, current);
  const rawInput = before === null ? {} : parseJson5(before);
  const after = applyPatch(before ?? "", patch as Record<string, unknown>, [], rawInput);
  return finish(options, commitConfigText({ configPath: options.configPath, env: options.env, path: "(patch)", before, after, dryRun: false, warnings: [] }));
}
