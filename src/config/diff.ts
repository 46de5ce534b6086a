/** Leaf-path diff of two config values (arrays compared structurally, as one leaf). */
import { formatConfigPath, type PathSegment } from "../shared/index.js";

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Dotted paths whose values differ between `a` and `b`. */
export function diffConfigPaths(a: unknown, b: unknown, at: PathSegment[] = []): string[] {
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].sort().flatMap((k) => diffConfigPaths(a[k], b[k], [...at, k]));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [formatConfigPath(at) || "(root)"];
}
