/** Leaf-path diff of two config values (arrays compared structurally, as one leaf). */
import { formatConfigPath, type PathSegment } from "./config-path.js";

function isObjectOrMissing(v: unknown): v is Record<string, unknown> | undefined {
  return v === undefined || (v !== null && typeof v === "object" && !Array.isArray(v));
}

/** Dotted paths whose values differ between `a` and `b` (an added or removed object lists its leaves). */
export function diffConfigPaths(a: unknown, b: unknown, at: PathSegment[] = []): string[] {
  if (isObjectOrMissing(a) && isObjectOrMissing(b) && (a !== undefined || b !== undefined)) {
    const x = a ?? {};
    const y = b ?? {};
    const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
    return [...keys].sort().flatMap((k) => diffConfigPaths(x[k], y[k], [...at, k]));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [formatConfigPath(at) || "(root)"];
}
