/**
 * Turns schema validation results into one-line issues that name the config path, the file and
 * line where it was written, and a "did you mean" for mistyped keys. Also finds likely typos inside
 * sections we keep loosely (reported as warnings, never errors).
 */
import type { z } from "zod";
import { didYouMean, formatConfigPath, formatIssueLine, type PathSegment, suggest } from "../shared/index.js";
import type { SourceLocation } from "./includes.js";

export type IssueKind = "parse" | "include" | "env" | "schema" | "legacy";

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
