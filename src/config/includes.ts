/**
 * Reads a config file and resolves `$include` (spec §2.2): one file replaces the holder object, a
 * list is deep-merged in order, siblings override included content, paths are relative to the
 * including file, nesting is limited to 10 and cycles are reported with their chain. Every object
 * and array built here remembers where its keys were written, so errors can cite `file:line:col`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { AppError, type PathSegment } from "../shared/index.js";
import { renderCodeFrame } from "./issues.js";
import { findMember, type Json5Node, Json5SyntaxError, lineColumnAt, parseJson5Tree } from "./json5/index.js";

export const MAX_INCLUDE_DEPTH = 10;

/** Where a container's keys were written: a file and the JSON5 node. */
interface Origin {
  file: string;
  source: string;
  node: Json5Node;
}

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface IncludeResult {
  value: unknown;
  /** Every file read, root first, with its raw text. */
  files: Array<{ path: string; raw: string }>;
  /** Where the value at a path was written (the deepest known point). */
  locate(segments: readonly PathSegment[]): SourceLocation | undefined;
}

type Container = Record<string, unknown> | unknown[];

class Resolver {
  readonly origins = new WeakMap<object, Origin[]>();
  readonly files: Array<{ path: string; raw: string }> = [];

  addOrigins(target: object, origins: Origin[]): void {
    this.origins.set(target, [...(this.origins.get(target) ?? []), ...origins]);
  }

  build(node: Json5Node, file: string, source: string): unknown {
    if (node.kind === "scalar") return node.value;
    const origin: Origin = { file, source, node };
    if (node.kind === "array") {
      const arr = node.items.map((item) => this.build(item, file, source));
      this.origins.set(arr, [origin]);
      return arr;
    }
    const obj: Record<string, unknown> = {};
    for (const m of node.members) {
      Object.defineProperty(obj, m.key, { value: this.build(m.value, file, source), enumerable: true, writable: true, configurable: true });
    }
    this.origins.set(obj, [origin]);
    return obj;
  }

  readFile(file: string, includedFrom?: string): unknown {
    let raw: string;
    try {
      raw = readFileSync(file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new AppError("CONFIG_INCLUDE", `cannot read ${includedFrom ? "included file" : "config"} ${file}: ${code ?? "error"}`, {
        hint: includedFrom ? `Fix the $include path in ${includedFrom}.` : "Check the path and its permissions.",
        details: { file },
      });
    }
    this.files.push({ path: file, raw });
    if (raw.charCodeAt(0) === 0xfeff) raw = raw.slice(1);
    if (raw.trim().length === 0) return {};
    try {
      return this.build(parseJson5Tree(raw), file, raw);
    } catch (error) {
      if (error instanceof Json5SyntaxError) throw syntaxError(file, raw, error);
      throw error;
    }
  }

  resolve(value: unknown, file: string, chain: string[]): unknown {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = this.resolve(value[i], file, chain);
      return value;
    }
    if (value === null || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (key !== "$include") obj[key] = this.resolve(obj[key], file, chain);
    }
    if (!Object.hasOwn(obj, "$include")) return obj;

    const spec = obj.$include;
    const list = typeof spec === "string" ? [spec] : Array.isArray(spec) && spec.every((s) => typeof s === "string") ? (spec as string[]) : undefined;
    if (!list) throw new AppError("CONFIG_INCLUDE", `$include in ${file} must be a path or a list of paths`, { hint: 'Write "$include": "./other.json5".' });
    if (chain.length > MAX_INCLUDE_DEPTH) {
      throw new AppError("CONFIG_INCLUDE", `$include nested deeper than ${MAX_INCLUDE_DEPTH} levels: ${chain.join(" -> ")}`, {
        hint: "Flatten the include chain.",
      });
    }
    let merged: unknown;
    for (const rel of list) {
      const target = path.resolve(path.dirname(file), rel);
      if (chain.includes(target)) {
        throw new AppError("CONFIG_INCLUDE", `circular $include: ${[...chain, target].join(" -> ")}`, { hint: `Remove the $include of ${rel} from ${file}.` });
      }
      const included = this.resolve(this.readFile(target, file), target, [...chain, target]);
      merged = merged === undefined ? included : this.merge(merged, included);
    }
    const siblings: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) if (k !== "$include") siblings[k] = v;
    if (Object.keys(siblings).length === 0) return merged;
    if (merged === null || typeof merged !== "object" || Array.isArray(merged)) {
      throw new AppError("CONFIG_INCLUDE", `$include in ${file} has sibling keys but the included content is not an object`, {
        hint: "Include an object, or move the sibling keys into the included file.",
      });
    }
    this.addOrigins(siblings, this.origins.get(obj) ?? []);
    return this.merge(merged, siblings);
  }

  /** Deep merge: objects merge recursively, everything else is replaced by the later value. */
  merge(base: unknown, over: unknown): unknown {
    const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
    if (!isObj(base) || !isObj(over)) return over;
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) {
      Object.defineProperty(out, k, { value: Object.hasOwn(base, k) ? this.merge(base[k], v) : v, enumerable: true, writable: true, configurable: true });
    }
    this.addOrigins(out, [...(this.origins.get(base) ?? []), ...(this.origins.get(over) ?? [])]);
    return out;
  }

  locate(root: unknown, segments: readonly PathSegment[]): SourceLocation | undefined {
    let current: unknown = root;
    let found: SourceLocation | undefined;
    for (const seg of segments) {
      if (current === null || typeof current !== "object") break;
      const origins = this.origins.get(current as Container) ?? [];
      let hit: SourceLocation | undefined;
      for (let i = origins.length - 1; i >= 0 && !hit; i--) {
        const { file, source, node } = origins[i]!;
        if (node.kind === "object" && typeof seg === "string") {
          const member = findMember(node, seg);
          if (member) hit = { file, ...lineColumnAt(source, member.keyStart) };
        } else if (node.kind === "array" && typeof seg === "number") {
          const item = node.items[seg];
          if (item) hit = { file, ...lineColumnAt(source, item.start) };
        } else if (!found) {
          hit = { file, ...lineColumnAt(source, node.start) };
        }
      }
      if (!hit && !found && origins[0]) hit = { file: origins[0].file, ...lineColumnAt(origins[0].source, origins[0].node.start) };
      if (hit) found = hit;
      current = (current as Record<string | number, unknown>)[seg];
    }
    return found;
  }
}

/** A one-line syntax error with `file:line:col`, plus a masked, bounded code frame in `details.excerpt`. */
export function syntaxError(file: string, raw: string, error: Json5SyntaxError): AppError {
  const excerpt = renderCodeFrame(raw, error.line, error.column);
  return new AppError("CONFIG_PARSE", `${file}:${error.line}:${error.column}: ${error.message}`, {
    hint: "Fix the JSON5 syntax at that position (openclaw config validate re-checks it).",
    details: { file, line: error.line, column: error.column, excerpt },
  });
}

/** Reads `file` and resolves its includes. Throws `CONFIG_PARSE` / `CONFIG_INCLUDE`. */
export function readConfigWithIncludes(file: string, rawOverride?: string): IncludeResult {
  const resolver = new Resolver();
  let root: unknown;
  if (rawOverride === undefined) {
    root = resolver.readFile(file);
  } else {
    resolver.files.push({ path: file, raw: rawOverride });
    const raw = rawOverride.charCodeAt(0) === 0xfeff ? rawOverride.slice(1) : rawOverride;
    try {
      root = raw.trim().length === 0 ? {} : resolver.build(parseJson5Tree(raw), file, raw);
    } catch (error) {
      if (error instanceof Json5SyntaxError) throw syntaxError(file, raw, error);
      throw error;
    }
  }
  const value = resolver.resolve(root, file, [file]);
  return { value, files: resolver.files, locate: (segments) => resolver.locate(value, segments) };
}
