/**
 * `${VAR}` substitution in config string values (spec §2.3): upper-case names only, anywhere in a
 * string; a missing or empty variable is an error naming the variable and the config path using it;
 * `$${VAR}` escapes to a literal `${VAR}`.
 */
import { formatConfigPath, type PathSegment } from "../shared/index.js";

const PATTERN = /\$\$\{([A-Z_][A-Z0-9_]*)\}|\$\{([A-Z_][A-Z0-9_]*)\}/g;

export interface MissingEnvVar {
  name: string;
  path: PathSegment[];
  /** "missing" or "empty". */
  reason: "missing" | "empty";
}

/** Names of every `${VAR}` referenced in a value, with the paths that use them. */
export function collectEnvRefs(value: unknown): Array<{ name: string; path: PathSegment[] }> {
  const out: Array<{ name: string; path: PathSegment[] }> = [];
  walkStrings(value, [], (text, p) => {
    for (const m of text.matchAll(PATTERN)) if (m[2]) out.push({ name: m[2], path: p });
    return text;
  });
  return out;
}

function walkStrings(value: unknown, at: PathSegment[], fn: (text: string, p: PathSegment[]) => string): unknown {
  if (typeof value === "string") return fn(value, at);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = walkStrings(value[i], [...at, i], fn);
    return value;
  }
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    for (const key of Object.keys(obj)) obj[key] = walkStrings(obj[key], [...at, key], fn);
  }
  return value;
}

/**
 * Substitutes variables in place (the value must be a fresh tree). Returns the variables that were
 * missing or empty; their `${VAR}` text is left as it was.
 */
export function substituteEnv(value: unknown, env: Record<string, string | undefined>): { value: unknown; missing: MissingEnvVar[] } {
  const missing: MissingEnvVar[] = [];
  const out = walkStrings(value, [], (text, p) =>
    text.includes("${")
      ? text.replace(PATTERN, (match, escaped: string | undefined, name: string | undefined) => {
          if (escaped) return `\${${escaped}}`;
          const v = env[name!];
          if (v === undefined || v === "") {
            missing.push({ name: name!, path: p, reason: v === undefined ? "missing" : "empty" });
            return match;
          }
          return v;
        })
      : text,
  );
  return { value: out, missing };
}

/** The one-line message for a missing variable. */
export function describeMissingEnv(m: MissingEnvVar): string {
  return `environment variable ${m.name} is ${m.reason === "missing" ? "not set" : "empty"} (used by ${formatConfigPath(m.path)})`;
}
