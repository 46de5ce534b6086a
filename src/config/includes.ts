/**
 * Reads a config file and resolves `$include` (spec §2.2): one file replaces the holder object, a
 * list is deep-merged in order, siblings override included content, paths are relative to the
 * including file, nesting is limited to 10 and cycles are reported with their chain. Included files
 * must stay inside the config's directory (symlinks resolved) or a directory listed in
 * `OPENCLAW_INCLUDE_ROOTS` (newer builds' rule), and every file is read through `readConfigText`
 * (regular files under a size cap only). Every object and array built here remembers where its keys
 * were written, so errors can cite `file:line:col`; an error about an include points at the
 * `$include` that asked for it.
 */
import { realpathSync } from "node:fs";
import path from "node:path";
import { AppError, type PathSegment } from "../shared/index.js";
import { renderCodeFrame, type SourceLocation } from "./issues.js";

export type { SourceLocation } from "./issues.js";

import { createLineIndex, findMember, type Json5Node, Json5SyntaxError, lineColumnAt, parseJson5Tree } from "./json5/index.js";
import { checkConfigText, readConfigText } from "./read-text.js";

export const MAX_INCLUDE_DEPTH = 10;

/** Keys that would reach `Object.prototype` in naive code; never valid in a config. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export interface ReadIncludesOptions {
  /** Use this text as the root file instead of reading it. */
  raw?: string;
  /** An empty (or whitespace-only) root is `{}` instead of an error (the base of a write). */
  allowEmptyRoot?: boolean;
  /** Extra directories includes may come from (`OPENCLAW_INCLUDE_ROOTS`, path-delimiter separated). */
  includeRoots?: string | undefined;
}

function realpathOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** The directories includes may resolve into: the config's directory (as given and after symlinks) plus extra roots. */
function allowedRoots(configPath: string, extra: string | undefined): string[] {
  const roots = [realpathOr(path.dirname(configPath)), path.dirname(realpathOr(configPath))];
  for (const entry of (extra ?? "").split(path.delimiter)) {
    if (entry.trim() && path.isAbsolute(entry.trim())) roots.push(realpathOr(entry.trim()));
  }
  return [...new Set(roots)];
}

/** An error's `details` with a location, or undefined when it has none. */
function locationOf(error: AppError): { file?: string; line?: number } {
  return (error.details ?? {}) as { file?: string; line?: number };
}

/** Where a container's keys were written: a file and the JSON5 node. */
interface Origin {
  file: string;
  source: string;
  node: Json5Node;
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
  private readonly lineIndexes = new Map<string, ReturnType<typeof createLineIndex>>();
  constructor(readonly roots: string[]) {}

  /** Line and column of an offset in a file's text (indexed once per file). */
  at(_file: string, source: string, offset: number): { line: number; column: number } {
    let index = this.lineIndexes.get(source);
    if (!index) {
      index = createLineIndex(source);
      this.lineIndexes.set(source, index);
    }
    return index(offset);
  }

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
      if (FORBIDDEN_KEYS.has(m.key)) {
        const at = lineColumnAt(source, m.keyStart);
        throw new AppError("CONFIG_INVALID", `${file}:${at.line}:${at.column}: key "${m.key}" is not allowed in a config`, {
          hint: `Remove or rename the "${m.key}" key; keys named __proto__, constructor or prototype are never valid.`,
          details: { file, ...at, kind: "schema" },
        });
      }
      Object.defineProperty(obj, m.key, { value: this.build(m.value, file, source), enumerable: true, writable: true, configurable: true });
    }
    this.origins.set(obj, [origin]);
    return obj;
  }

  /** Parses text of `file` (BOM stripped); blank text is an error unless `allowEmpty`. */
  parseText(file: string, raw: string, allowEmpty: boolean, label: string): unknown {
    this.files.push({ path: file, raw });
    const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (text.trim().length === 0) {
      if (allowEmpty) return {};
      // Issues carry no hint field, so the fix is part of the one line.
      const fix = label === "config file" ? `write {} for all defaults, or restore ${path.basename(file)}.bak` : "write {} in it, or remove the $include that names it";
      throw new AppError("CONFIG_PARSE", `${file}:1:1: ${label} is empty (${fix})`, { hint: `To fix: ${fix}.`, details: { file, line: 1, column: 1 } });
    }
    try {
      return this.build(parseJson5Tree(text), file, text);
    } catch (error) {
      if (error instanceof Json5SyntaxError) throw syntaxError(file, text, error);
      throw error;
    }
  }

  readFile(file: string, includedFrom?: string): unknown {
    const raw = readConfigText(file, {
      label: includedFrom ? "included file" : "config",
      hint: includedFrom ? `Fix the $include path in ${includedFrom}.` : "Check the path and its permissions.",
    });
    return this.parseText(file, raw, false, includedFrom ? "included file" : "config file");
  }

  /** Where the `$include` of `obj` was written, if known. */
  directiveAt(obj: object): { file: string; line: number; column: number } | undefined {
    for (const { file, source, node } of this.origins.get(obj) ?? []) {
      if (node.kind !== "object") continue;
      const member = findMember(node, "$include");
      if (member) return { file, ...lineColumnAt(source, member.keyStart) };
    }
    return undefined;
  }

  /** Resolves one include target, refusing paths outside the allowed roots. */
  target(rel: string, file: string): string {
    const target = path.resolve(path.dirname(file), rel);
    const real = realpathOr(target);
    if (!this.roots.some((root) => isInside(real, root))) {
      throw new AppError("CONFIG_INCLUDE", `$include ${JSON.stringify(rel)} in ${file} resolves to ${real}, outside the config directory ${this.roots[0]}`, {
        hint: "Move the file into the config directory, or list its directory in OPENCLAW_INCLUDE_ROOTS.",
      });
    }
    return target;
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

    try {
      return this.resolveDirective(obj, file, chain);
    } catch (error) {
      // Point at the $include that led here, unless a deeper one already did.
      if (!(error instanceof AppError) || locationOf(error).line !== undefined) throw error;
      const at = this.directiveAt(obj);
      if (!at) throw error;
      throw new AppError(error.code, error.message, { hint: error.hint, details: { ...error.details, ...at, kind: "include" }, cause: error });
    }
  }

  resolveDirective(obj: Record<string, unknown>, file: string, chain: string[]): unknown {
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
      const target = this.target(rel, file);
      if (chain.includes(target)) {
        throw new AppError("CONFIG_INCLUDE", `circular $include: ${[...chain, target].join(" -> ")}`, { hint: `Remove the $include of ${rel} from ${file}.` });
      }
      const content = this.readFile(target, file);
      const included = this.resolve(content, target, [...chain, target]);
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
          if (member) hit = { file, ...this.at(file, source, member.keyStart) };
        } else if (node.kind === "array" && typeof seg === "number") {
          const item = node.items[seg];
          if (item) hit = { file, ...this.at(file, source, item.start) };
        } else if (!found) {
          hit = { file, ...this.at(file, source, node.start) };
        }
      }
      if (!hit && !found && origins[0]) hit = { file: origins[0].file, ...this.at(origins[0].file, origins[0].source, origins[0].node.start) };
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

/** Reads `file` and resolves its includes. Throws `CONFIG_PARSE` / `CONFIG_INCLUDE` / `CONFIG_*` read errors. */
export function readConfigWithIncludes(file: string, options: ReadIncludesOptions = {}): IncludeResult {
  const resolver = new Resolver(allowedRoots(file, options.includeRoots));
  let root: unknown;
  if (options.raw === undefined) {
    root = options.allowEmptyRoot
      ? resolver.parseText(file, readConfigText(file), true, "config file")
      : resolver.readFile(file);
  } else {
    checkConfigText(file, options.raw);
    root = resolver.parseText(file, options.raw, options.allowEmptyRoot ?? false, "config file");
  }
  const value = resolver.resolve(root, file, [file]);
  return { value, files: resolver.files, locate: (segments) => resolver.locate(value, segments) };
}
