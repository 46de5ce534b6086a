/** Lookups used by `config get`: defaults for unset keys and suggestions for mistyped paths. */
import { z } from "zod";
import { formatConfigPath, getAtPath, type PathSegment, suggest } from "../shared/index.js";
import { knownKeysAt } from "./issues.js";
import { ConfigSchema } from "./schema/index.js";

/** The schema default at a path (ancestors created as empty objects), or undefined. */
export function defaultValueAt(segments: readonly PathSegment[]): unknown {
  const skeleton: Record<string, unknown> = {};
  let cursor = skeleton;
  for (const seg of segments.slice(0, -1)) {
    if (typeof seg !== "string") return undefined;
    const next: Record<string, unknown> = {};
    Object.defineProperty(cursor, seg, { value: next, enumerable: true, writable: true, configurable: true });
    cursor = next;
  }
  const parsed = ConfigSchema.safeParse(skeleton);
  return parsed.success ? getAtPath(parsed.data, segments) : undefined;
}

/** The closest known path when the last segment is a typo (`gateway.prot` → `gateway.port`). */
export function suggestConfigPath(segments: readonly PathSegment[]): string | undefined {
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (typeof seg !== "string") continue;
    const keys = knownKeysAt(ConfigSchema, segments.slice(0, i));
    if (keys.length === 0 || keys.includes(seg)) continue;
    const hit = suggest(seg, keys);
    return hit ? formatConfigPath([...segments.slice(0, i), hit, ...segments.slice(i + 1)]) : undefined;
  }
  return undefined;
}

/** The config's JSON Schema (input shape: what a file may contain). */
export function configJsonSchema(): unknown {
  return z.toJSONSchema(ConfigSchema, { io: "input", unrepresentable: "any" });
}
