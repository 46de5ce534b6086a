/**
 * Turns schema validation results into one-line issues that name the config path, the file and
 * line where it was written, and a "did you mean" for mistyped keys. Also finds likely typos inside
 * sections we keep loosely (reported as warnings, never errors).
 */
import type { z } from "zod";
import { didYouMean, formatConfigPath, formatIssueLine, isEnvReference, isSecretKey, maskSecret, type PathSegment, redactText, suggest } from "../shared/index.js";

/** Where a config value was written. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export type IssueKind = "parse" | "include" | "env" | "schema" | "legacy" | "gateway";

export interface ConfigIssue {
  kind: IssueKind;
  /** Dotted config path (empty for the root). */
  path: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  /** For syntax errors: the offending line with a caret under the column. */
  excerpt?: string;
}

interface ZodDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
}

function defOf(schema: z.ZodType): ZodDef {
  return (schema as unknown as { _zod: { def: ZodDef } })._zod.def;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    const def = defOf(s);
    if ((def.type === "optional" || def.type === "default" || def.type === "nullable" || def.type === "prefault") && def.innerType) s = def.innerType;
    else if (def.type === "pipe" && def.in) s = def.in;
    else return s;
  }
}

/** The object schemas that may sit at a path (unions give several). */
function schemasAt(schema: z.ZodType, segments: readonly PathSegment[]): z.ZodType[] {
  let current = [unwrap(schema)];
  for (const seg of segments) {
    const next: z.ZodType[] = [];
    for (const s of current) {
      const def = defOf(s);
      // Own keys only: "constructor" or "__proto__" must not reach Object.prototype's members.
      if (def.type === "object" && typeof seg === "string" && def.shape && Object.hasOwn(def.shape, seg)) next.push(unwrap(def.shape[seg]!));
      else if (def.type === "record" && def.valueType) next.push(unwrap(def.valueType));
      else if (def.type === "array" && def.element && typeof seg === "number") next.push(unwrap(def.element));
      else if (def.type === "union" && def.options) next.push(...def.options.flatMap((o) => schemasAt(o, [seg])));
    }
    current = next;
  }
  return current.flatMap((s) => (defOf(s).type === "union" ? (defOf(s).options ?? []).map(unwrap) : [s]));
}

function knownKeys(schema: z.ZodType, segments: readonly PathSegment[]): string[] {
  return schemasAt(schema, segments).flatMap((s) => Object.keys(defOf(s).shape ?? {}));
}

type Locate = (segments: readonly PathSegment[]) => SourceLocation | undefined;

function withLocation(issue: ConfigIssue, segments: readonly PathSegment[], locate: Locate | undefined): ConfigIssue {
  const loc = locate?.(segments);
  return loc ? { ...issue, file: loc.file, line: loc.line, column: loc.column } : issue;
}

function cleanMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_union") return "expected a string or a secret reference { source, provider, id }";
  return issue.message.replace(/^Invalid input: /, "");
}

/** Converts zod issues into config issues (one per unknown key), each located in its file. */
export function toConfigIssues(schema: z.ZodType, issues: readonly z.core.$ZodIssue[], locate?: Locate): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const segments = issue.path.filter((p): p is PathSegment => typeof p === "string" || typeof p === "number");
    if (issue.code === "unrecognized_keys") {
      const candidates = knownKeys(schema, segments);
      for (const key of issue.keys) {
        const keyPath = [...segments, key];
        out.push(
          withLocation(
            { kind: "schema", path: formatConfigPath(keyPath), message: `unknown key ${JSON.stringify(key)}${didYouMean(key, candidates)}` },
            keyPath,
            locate,
          ),
        );
      }
      continue;
    }
    out.push(withLocation({ kind: "schema", path: formatConfigPath(segments), message: cleanMessage(issue) }, segments, locate));
  }
  return out;
}

/**
 * Keys inside loosely-checked sections that are one typo away from a known key
 * (`channels.whatsapp.allowfrom`): warnings, because the key is kept and may belong to a newer version.
 */
export function findLikelyTypos(schema: z.ZodType, value: unknown, locate?: Locate): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const walk = (v: unknown, at: PathSegment[], depth: number) => {
    if (depth > 8 || v === null || typeof v !== "object") return;
    if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) walk(item, [...at, i], depth + 1);
      return;
    }
    const candidates = knownKeys(schema, at);
    const schemas = schemasAt(schema, at);
    const isLooseObject = schemas.some((s) => {
      const def = defOf(s);
      return def.type === "object" && def.catchall !== undefined && defOf(def.catchall).type !== "never";
    });
    for (const key of Object.keys(v)) {
      if (isLooseObject && candidates.length > 0 && !candidates.includes(key)) {
        const hit = suggest(key, candidates);
        if (hit && hit !== key) {
          out.push(withLocation({ kind: "schema", path: formatConfigPath([...at, key]), message: `unknown key ${JSON.stringify(key)} kept as is (did you mean "${hit}"?)` }, [...at, key], locate));
        }
      }
      walk((v as Record<string, unknown>)[key], [...at, key], depth + 1);
    }
  };
  walk(value, [], 0);
  return out;
}

/** `file:line:col: path: message` — the one-line form used by the CLI. */
export const formatIssue = (issue: ConfigIssue): string =>
  // Read and syntax errors already start with their `file:line:col`; do not say it twice.
  issue.file && issue.message.startsWith(`${issue.file}:`) ? formatIssueLine({ path: issue.path, message: issue.message }) : formatIssueLine(issue);

/** Keys the schema knows at a path (for suggestions). */
export function knownKeysAt(schema: z.ZodType, segments: readonly PathSegment[]): string[] {
  return knownKeys(schema, segments);
}

/** Widest slice of a line a code frame shows; longer lines are cut around the column with `…`. */
export const CODE_FRAME_WIDTH = 160;
/** How much of a long line is examined for secrets around the column (wider than what is shown). */
const SCAN_MARGIN = 1024;
const KEY_ON_LINE = /(["']?)([A-Za-z_$][\w$-]*)\1\s*[:=]\s*/g;

/**
 * Masks the secrets on one source line: by value shape and known formats (`redactText`), and by key
 * name: after a secret-looking key (`token:`, `"botToken":`, `BRAVE_API_KEY:`) the rest of the value
 * is masked even when the line is broken (an unterminated string, junk after the value).
 */
export function maskSourceLine(line: string): string {
  let out = redactText(line);
  for (const m of [...out.matchAll(KEY_ON_LINE)]) {
    if (!isSecretKey(m[2]!)) continue;
    const start = m.index + m[0].length;
    const rest = out.slice(start);
    const quote = rest[0] === '"' || rest[0] === "'" ? rest[0] : "";
    const body = quote ? rest.slice(1) : rest;
    const end = quote ? (body.indexOf(quote) === -1 ? body.length : body.indexOf(quote)) : body.search(/[\s,}\]]|$/);
    const value = body.slice(0, end);
    if (value.length === 0 || value === "***" || value.includes("…") || isEnvReference(value)) continue;
    out = out.slice(0, start) + quote + maskSecret(value) + body.slice(end);
  }
  return out;
}

/** Maps a 0-based column of `before` onto `after` (the same line with some middle part replaced). */
function mapColumn(before: string, after: string, col: number): number {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  if (col <= head) return col;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  if (col >= before.length - tail) return col + (after.length - before.length);
  return head;
}

/**
 * The code frame of a syntax error: `  12 | <line>` and a caret under the column. The line is masked
 * (see `maskSourceLine`) and, when long, cut to a window of at most `CODE_FRAME_WIDTH` characters
 * around the column, so a 50 MB one-line file prints one short line.
 */
export function renderCodeFrame(source: string, line: number, column: number): string {
  const [lineStart, lineEnd] = lineBounds(source, line);
  const col0 = Math.min(Math.max(0, column - 1), lineEnd - lineStart);
  // Examine only a bounded slice around the column (never the whole of a huge line).
  const from = Math.max(0, col0 - SCAN_MARGIN);
  const to = Math.min(lineEnd - lineStart, col0 + SCAN_MARGIN);
  const scanned = source.slice(lineStart + from, lineStart + to);
  const text = maskSourceLine(scanned);
  const col = Math.min(mapColumn(scanned, text, col0 - from), text.length);
  let shown = text;
  let caret = col;
  if (from > 0 || to < lineEnd - lineStart || text.length > CODE_FRAME_WIDTH) {
    const start = Math.max(0, Math.min(col - Math.floor(CODE_FRAME_WIDTH / 2), text.length - CODE_FRAME_WIDTH));
    const end = Math.min(text.length, start + CODE_FRAME_WIDTH);
    const lead = start > 0 || from > 0 ? "…" : "";
    const trail = end < text.length || to < lineEnd - lineStart ? "…" : "";
    shown = lead + text.slice(start, end) + trail;
    caret = col - start + lead.length;
  }
  return `${String(line).padStart(4)} | ${shown}\n     | ${" ".repeat(caret)}^`;
}

function lineBounds(source: string, line: number): [number, number] {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const nl = source.indexOf("\n", start);
    if (nl === -1) return [source.length, source.length];
    start = nl + 1;
  }
  let end = source.indexOf("\n", start);
  if (end === -1) end = source.length;
  if (end > start && source[end - 1] === "\r") end--;
  return [start, end];
}
