/**
 * `memory_get`: an exact excerpt of one memory file. Only the files the index covers may be read
 * (`MEMORY.md`, `USER.md`, `memory/**.md`, the configured extra paths), never through a symlink;
 * without a line count the excerpt is bounded and says where to continue.
 */
import { lstatSync, readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { AppError } from "../shared/index.js";
import type { MemorySettings } from "./settings.js";

export const MEMORY_GET_DEFAULT_LINES = 200;
const MAX_CHARS = 24_000;

export interface MemoryExcerpt {
  path: string;
  from: number;
  to: number;
  totalLines: number;
  text: string;
  truncated: boolean;
  /** `from` for the next read, when more follows. */
  nextFrom?: number;
}

function inside(root: string, abs: string): boolean {
  const rel = path.relative(root, abs);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** Resolves a requested path to an allowed memory file, or throws NOT_FOUND / FORBIDDEN naming what is allowed. */
export function resolveMemoryFile(settings: Pick<MemorySettings, "workspace" | "extraPaths">, requested: string): { abs: string; key: string } {
  const raw = requested.trim().replace(/#L\d+(-L\d+)?$/, "");
  if (!raw) throw new AppError("USAGE", "memory_get: path is required (a path from memory_search, e.g. memory/2026-11-30.md)");
  const abs = path.resolve(settings.workspace, raw);
  const rel = path.relative(settings.workspace, abs).split(path.sep).join("/");
  const allowedInWs = ["MEMORY.md", "memory.md", "USER.md"].includes(rel) || (rel.startsWith("memory/") && !rel.includes("/../"));
  const allowedExtra = settings.extraPaths.some((e) => inside(e.path, abs));
  if ((!allowedInWs && !allowedExtra) || !abs.toLowerCase().endsWith(".md")) {
    throw new AppError("FORBIDDEN", `memory_get: ${raw} is not a memory file (allowed: MEMORY.md, USER.md, memory/**/*.md${settings.extraPaths.length ? ", configured extra paths" : ""})`);
  }
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(abs);
  } catch {
    throw new AppError("NOT_FOUND", `memory_get: ${raw} does not exist`, { hint: "Use a path returned by memory_search." });
  }
  if (st.isSymbolicLink() || !st.isFile()) throw new AppError("FORBIDDEN", `memory_get: ${raw} is not a regular file (symlinks are not followed)`);
  // A symlinked parent directory must not lead outside the allowed roots either.
  const real = realpathSync(abs);
  const roots = [realpathSync(settings.workspace), ...settings.extraPaths.map((e) => e.path)];
  if (!roots.some((r) => inside(r, real))) throw new AppError("FORBIDDEN", `memory_get: ${raw} resolves outside the workspace`);
  return { abs, key: allowedInWs ? rel : abs };
}

/** Reads lines `from`..`from+lines-1` (1-based) of an allowed memory file. */
export function readMemoryExcerpt(settings: Pick<MemorySettings, "workspace" | "extraPaths">, requested: string, options: { from?: number; lines?: number } = {}): MemoryExcerpt {
  const { abs, key } = resolveMemoryFile(settings, requested);
  const all = readFileSync(abs, "utf8").split("\n");
  const from = Math.max(1, Math.floor(options.from ?? 1));
  const want = Math.max(1, Math.floor(options.lines ?? MEMORY_GET_DEFAULT_LINES));
  const picked: string[] = [];
  let chars = 0;
  let i = from - 1;
  for (; i < all.length && picked.length < want; i++) {
    if (chars + all[i]!.length > MAX_CHARS && picked.length) break;
    picked.push(all[i]!);
    chars += all[i]!.length + 1;
  }
  const to = from + picked.length - 1;
  const more = i < all.length;
  return { path: key, from, to: Math.max(from, to), totalLines: all.length, text: picked.join("\n"), truncated: more, ...(more ? { nextFrom: to + 1 } : {}) };
}
