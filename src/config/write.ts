/**
 * `config set` / `config unset`: edit the source text in place (comments kept), validate the whole
 * result through the same pipeline as a load, then write atomically with the previous version kept as
 * `.bak`. Any failure leaves the file byte-identical.
 */
import { lstatSync } from "node:fs";
import { type Env, fsError, sha256Hex, writeFileAtomic } from "../infra/index.js";
import { createLogger } from "../logging/index.js";
import { AppError, collectSecretValues, diffConfigPaths, diffLines, formatConfigPath, getAtPath, parseConfigPath, planReload, type ReloadPlan, redactText } from "../shared/index.js";
import { formatIssue } from "./issues.js";
import { parseJson5, setJson5Value, unsetJson5Value } from "./json5/index.js";
import { loadConfigSnapshot } from "./load.js";
import { readConfigText } from "./read-text.js";

export interface ConfigEditResult {
  configPath: string;
  path: string;
  changed: boolean;
  written: boolean;
  dryRun: boolean;
  diff: string[];
  /** What a running gateway does with this change. */
  reload: ReloadPlan;
  warnings: string[];
  backupPath?: string;
}

function readCurrent(configPath: string): string | null {
  try {
    const st = lstatSync(configPath);
    if (st.isSymbolicLink()) {
      throw new AppError("CONFIG_READONLY", `${configPath} is a symbolic link; refusing to replace the link with a file`, {
        hint: "Point OPENCLAW_CONFIG_PATH at the real file, or replace the link with the file it points to.",
      });
    }
    return readConfigText(configPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error instanceof AppError ? error : fsError("read config", configPath, error);
  }
}

/** Reads the current text and refuses to edit a file that does not parse (nothing is changed). */
export function readEditable(configPath: string, env: Env): { before: string | null; current: ReturnType<typeof loadConfigSnapshot> } {
  const before = readCurrent(configPath);
  const current = loadConfigSnapshot({ configPath, env, raw: before ?? "", lenientEnv: true, allowEmpty: true });
  const parse = current.issues.find((i) => i.kind === "parse");
  if (parse) {
    throw new AppError("CONFIG_PARSE", parse.message, {
      hint: "Fix the syntax error first; the file was not changed.",
      ...(parse.excerpt ? { details: { excerpt: parse.excerpt } } : {}),
    });
  }
  return { before, current };
}

/** Parses a CLI value: JSON5 when it parses, else a plain string (unless `strictJson`). */
export function parseCliValue(text: string, strictJson = false): unknown {
  try {
    return parseJson5(text);
  } catch (error) {
    if (strictJson) {
      throw new AppError("CONFIG_VALUE", `value is not valid JSON5: ${(error as Error).message}`, { hint: "Quote strings, e.g. '\"text\"'." });
    }
    return text;
  }
}

/**
 * The line diff of an edit with every secret masked: the values of secret keys in the old and new
 * config (wherever they appear, even on a line without their key), and anything `redactText` finds by
 * key name or value shape. Dry runs print this diff; it must never show a secret.
 */
function renderSafeDiff(before: string, after: string, inputs: unknown[]): string[] {
  const literals = [...new Set(inputs.flatMap((input) => collectSecretValues(input)))].sort((a, b) => b.length - a.length);
  return diffLines(before, after).map((line) => redactText(line, { literals }));
}

/** Validates the full result and writes it atomically (used by every config writer). */
export function commitConfigText(options: { configPath: string; env: Env; path: string; before: string | null; after: string; dryRun: boolean; warnings: string[] }): ConfigEditResult {
  const { configPath, env, before, after, dryRun } = options;
  const beforeSnap = loadConfigSnapshot({ configPath, env, raw: before ?? "", lenientEnv: true, allowEmpty: true });
  // Blank text is only acceptable when nothing changes (unset on a missing or blank file).
  const afterSnap = loadConfigSnapshot({ configPath, env, raw: after, lenientEnv: true, allowEmpty: after === (before ?? "") });
  if (!afterSnap.valid) {
    const [first, ...rest] = [...afterSnap.issues].sort((a, b) => Number(b.path.startsWith(options.path)) - Number(a.path.startsWith(options.path)));
    const issue = first!;
    const line = issue.path ? `${issue.path}: ${issue.message}` : formatIssue(issue);
    throw new AppError("CONFIG_INVALID", `refusing to write ${configPath}: ${line}${rest.length ? ` (and ${rest.length} more)` : ""}`, {
      hint: rest.length ? "Run openclaw config validate to list every problem; the file was not changed." : "The file was not changed.",
      details: { issues: afterSnap.issues },
    });
  }
  const changedPaths = diffConfigPaths(beforeSnap.input, afterSnap.input);
  const result: ConfigEditResult = {
    configPath,
    path: options.path,
    changed: (before ?? "") !== after,
    written: false,
    dryRun,
    diff: (before ?? "") === after ? [] : renderSafeDiff(before ?? "", after, [beforeSnap.input, afterSnap.input]),
    reload: planReload(changedPaths),
    warnings: [...options.warnings, ...afterSnap.warnings.map(formatIssue)],
  };
  if (dryRun || !result.changed) return result;
  // Optimistic concurrency: someone else wrote the file since we read it.
  const now = readCurrent(configPath);
  if ((now === null ? null : sha256Hex(now)) !== (before === null ? null : sha256Hex(before))) {
    throw new AppError("CONFIG_CONFLICT", `${configPath} changed while it was being edited; nothing was written`, { hint: "Run the command again." });
  }
  writeFileAtomic(configPath, after, { mode: 0o600, backup: before !== null });
  createLogger("config").debug(`wrote ${configPath}`, { path: options.path, reload: result.reload.kind, changedPaths });
  return { ...result, written: true, ...(before !== null ? { backupPath: `${configPath}.bak` } : {}) };
}

/** Sets one value. Throws `CONFIG_PATH`, `CONFIG_VALUE`, `CONFIG_INVALID`, `CONFIG_PARSE`. */
export function runConfigSet(options: { configPath: string; env: Env; path: string; value: unknown; dryRun?: boolean }): ConfigEditResult {
  const segments = parseConfigPath(options.path);
  const { before, current } = readEditable(options.configPath, options.env);
  const warnings: string[] = [];
  const loc = current.locate(segments);
  if (loc && loc.file !== options.configPath && getAtPath(current.input, segments) !== undefined) {
    warnings.push(`${formatConfigPath(segments)} is also set in ${loc.file} ($include); the value written to ${options.configPath} overrides it`);
  }
  const after = setJson5Value(before ?? "", segments, options.value);
  return commitConfigText({ configPath: options.configPath, env: options.env, path: formatConfigPath(segments), before, after, dryRun: options.dryRun ?? false, warnings });
}

/** Removes one value. Removing something that is not set is a no-op, not an error. */
export function runConfigUnset(options: { configPath: string; env: Env; path: string; dryRun?: boolean }): ConfigEditResult {
  const segments = parseConfigPath(options.path);
  const { before, current } = readEditable(options.configPath, options.env);
  const { source: after, found } = unsetJson5Value(before ?? "", segments);
  if (!found) {
    const loc = current.locate(segments);
    if (getAtPath(current.input, segments) !== undefined && loc && loc.file !== options.configPath) {
      throw new AppError("CONFIG_READONLY", `${formatConfigPath(segments)} is defined in ${loc.file}:${loc.line} (via $include); nothing was changed`, {
        hint: `Edit ${loc.file} to remove it.`,
      });
    }
  }
  return commitConfigText({ configPath: options.configPath, env: options.env, path: formatConfigPath(segments), before, after, dryRun: options.dryRun ?? false, warnings: found ? [] : [`${formatConfigPath(segments)} is not set; nothing to remove`] });
}
