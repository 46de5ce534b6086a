/**
 * The schema-free half of loading: read the root file, resolve `$include`, substitute `${VAR}`.
 * Fast paths (`config get`, `logs`, `status`) use it without paying for the schema library.
 */

import { existsSync } from "node:fs";
import type { Env } from "../infra/index.js";
import { sha256Hex } from "../infra/index.js";
import { AppError } from "../shared/index.js";
import { collectEnvRefs, describeMissingEnv, substituteEnv } from "./env-subst.js";
import { readConfigWithIncludes, type SourceLocation } from "./includes.js";
import type { ConfigIssue } from "./issues.js";
import { readConfigText } from "./read-text.js";

export interface ConfigInput {
  path: string;
  exists: boolean;
  /** False when the file could not be read or parsed (issues say why). */
  readable: boolean;
  /** Raw text of the root file (null when it does not exist). */
  raw: string | null;
  /** sha256 of the root file's bytes, or of every file read when there are includes. */
  hash: string | null;
  /** Every file read: root first, then includes. */
  files: string[];
  /** File input: includes resolved, `${VAR}` substituted, no defaults. */
  input: Record<string, unknown>;
  issues: ConfigIssue[];
  warnings: ConfigIssue[];
  /** `${VAR}` references found in the file input. */
  envRefs: Array<{ name: string; path: string }>;
  locate(path: readonly (string | number)[]): SourceLocation | undefined;
}

export interface ReadConfigOptions {
  configPath: string;
  env: Env;
  /** Use this text as the root file instead of reading it (for writes and RPC applies). */
  raw?: string;
  /** Missing `${VAR}` become warnings instead of errors (writes: the service may have them). */
  lenientEnv?: boolean;
  /** An empty root file reads as `{}` (the base of an edit); otherwise it is an error. */
  allowEmpty?: boolean;
}

/** The hash used for `baseHash`: sha256 of the raw root file, folding in included files if any. */
export function hashConfigFiles(files: ReadonlyArray<{ path: string; raw: string }>): string | null {
  if (files.length === 0) return null;
  if (files.length === 1) return sha256Hex(files[0]!.raw);
  return sha256Hex(files.map((f) => `${f.path}\0${sha256Hex(f.raw)}`).join("\n"));
}

/** Variables from the config's own `env` block (`env.KEY` and `env.vars.KEY`), filling only unset keys. */
function withConfigEnv(env: Env, input: Record<string, unknown>): Env {
  const block = input.env;
  if (block === null || typeof block !== "object" || Array.isArray(block)) return env;
  const out: Env = { ...env };
  const fill = (source: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(source)) {
      if (typeof v === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) && (out[k] === undefined || out[k] === "")) out[k] = v;
    }
  };
  const vars = (block as Record<string, unknown>).vars;
  if (vars && typeof vars === "object" && !Array.isArray(vars)) fill(vars as Record<string, unknown>);
  fill(block as Record<string, unknown>);
  return out;
}

/** The root file's text when it is readable at all (same limits as a load), else null. */
function readTextOrNull(file: string): string | null {
  try {
    return readConfigText(file);
  } catch {
    return null;
  }
}

/** A read/parse/include failure as one located issue (the root file's first line when nothing better is known). */
function issueFromError(error: AppError, configPath: string): ConfigIssue {
  const d = (error.details ?? {}) as { file?: string; line?: number; column?: number; excerpt?: string; kind?: ConfigIssue["kind"] };
  const kind = d.kind ?? (error.code === "CONFIG_INCLUDE" ? "include" : "parse");
  return {
    kind,
    path: "",
    message: error.message,
    file: d.file ?? configPath,
    line: d.line ?? 1,
    column: d.line ? (d.column ?? 1) : 1,
    ...(d.excerpt ? { excerpt: d.excerpt } : {}),
  };
}

/** Reads the config input. Never throws for content problems; they are in `issues`. */
export function readConfigInput(options: ReadConfigOptions): ConfigInput {
  const { configPath } = options;
  const exists = options.raw !== undefined || existsSync(configPath);
  const base: ConfigInput = {
    path: configPath,
    exists,
    readable: !exists,
    raw: null,
    hash: null,
    files: [],
    input: {},
    issues: [],
    warnings: [],
    envRefs: [],
    locate: () => undefined,
  };
  if (!exists) return base;
  let included: ReturnType<typeof readConfigWithIncludes>;
  try {
    included = readConfigWithIncludes(configPath, { raw: options.raw, allowEmptyRoot: options.allowEmpty, includeRoots: options.env.OPENCLAW_INCLUDE_ROOTS });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const raw = options.raw ?? readTextOrNull(configPath);
    return { ...base, raw, hash: raw === null ? null : sha256Hex(raw), issues: [issueFromError(error, configPath)] };
  }
  const out: ConfigInput = {
    ...base,
    raw: included.files[0]!.raw,
    hash: hashConfigFiles(included.files),
    files: included.files.map((f) => f.path),
    locate: included.locate,
  };
  const value = included.value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    out.issues.push({ kind: "schema", path: "", message: "the config root must be an object", file: configPath, line: 1, column: 1 });
    return out;
  }
  const input = value as Record<string, unknown>;
  out.envRefs = collectEnvRefs(input).map((r) => ({ name: r.name, path: r.path.map(String).join(".") }));
  const { missing } = substituteEnv(input, withConfigEnv(options.env, input));
  out.input = input;
  out.readable = true;
  for (const m of missing) {
    const loc = included.locate(m.path);
    const issue: ConfigIssue = { kind: "env", path: m.path.map(String).join("."), message: describeMissingEnv(m), ...(loc ?? {}) };
    (options.lenientEnv ? out.warnings : out.issues).push(issue);
  }
  return out;
}

/** Throws the first read/parse problem of an unreadable config as a `CONFIG_PARSE` error (with its caret excerpt). */
export function assertConfigReadable(input: ConfigInput): void {
  if (input.readable) return;
  const issue = input.issues[0];
  throw new AppError(issue?.kind === "include" ? "CONFIG_INCLUDE" : "CONFIG_PARSE", issue?.message ?? `cannot read ${input.path}`, {
    hint: "Fix the file; openclaw config validate lists every problem.",
    details: { ...(issue?.excerpt ? { excerpt: issue.excerpt } : {}), ...(issue?.file ? { file: issue.file, line: issue.line, column: issue.column } : {}) },
  });
}
