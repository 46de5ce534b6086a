/**
 * The files an agent's memory index covers: `MEMORY.md` (or legacy `memory.md`) and `USER.md` at
 * the workspace root, every `*.md` under `memory/` (dot-dirs skipped), and the configured extra
 * paths (a directory scanned recursively, optionally narrowed by a root-relative glob, or one file).
 * Symlinks are never followed. Paths inside the workspace are stored workspace-relative with `/`;
 * others absolute. Only `lstat` runs here: reading happens when a file changed.
 */
import { type Dirent, lstatSync, readdirSync } from "node:fs";
import path from "node:path";
import type { MemorySettings } from "./settings.js";

export interface SourceFile {
  /** The stored path: workspace-relative (`memory/2026-11-30.md`) or absolute for extra paths outside it. */
  key: string;
  abs: string;
  mtimeMs: number;
  size: number;
  source: "memory" | "extra";
}

export interface SourceScan {
  files: SourceFile[];
  /** Roots that were symlinks or unreadable, with the reason (status shows them). */
  skipped: Array<{ path: string; reason: string }>;
}

const ROOT_FILES = ["MEMORY.md", "memory.md", "USER.md"];

function globRe(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      re += pattern[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += pattern[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** Lists the source files (sorted by key, so every run walks them in the same order). */
export function scanSources(settings: Pick<MemorySettings, "workspace" | "extraPaths">): SourceScan {
  const ws = settings.workspace;
  const out = new Map<string, SourceFile>();
  const skipped: SourceScan["skipped"] = [];
  const keyOf = (abs: string) => {
    const rel = path.relative(ws, abs);
    return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : abs;
  };
  const add = (abs: string, source: SourceFile["source"]) => {
    try {
      const st = lstatSync(abs);
      if (!st.isFile()) return;
      const key = keyOf(abs);
      if (!out.has(key)) out.set(key, { key, abs, mtimeMs: Math.floor(st.mtimeMs), size: st.size, source });
    } catch {
      // Vanished between readdir and lstat: the next scan settles it.
    }
  };
  const walk = (dir: string, source: SourceFile["source"], accept: (rel: string) => boolean, root: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") skipped.push({ path: dir, reason: (e as Error).message });
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith(".")) continue;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs, source, accept, root);
      else if (e.isFile() && e.name.toLowerCase().endsWith(".md") && accept(path.relative(root, abs).split(path.sep).join("/"))) add(abs, source);
    }
  };
  for (const name of ROOT_FILES) add(path.join(ws, name), "memory");
  const memDir = path.join(ws, "memory");
  try {
    if (lstatSync(memDir).isSymbolicLink()) skipped.push({ path: memDir, reason: "a symlink (not followed): configure its real directory in memory.search.extraPaths" });
    else walk(memDir, "memory", () => true, memDir);
  } catch {
    // No memory/ dir yet: the first memory write creates it.
  }
  for (const extra of settings.extraPaths) {
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(extra.path);
    } catch {
      skipped.push({ path: extra.path, reason: "does not exist" });
      continue;
    }
    if (st.isSymbolicLink()) skipped.push({ path: extra.path, reason: "a symlink (not followed): configure its canonical absolute path" });
    else if (st.isFile()) add(extra.path, "extra");
    else if (st.isDirectory()) {
      const re = extra.pattern ? globRe(extra.pattern) : undefined;
      walk(extra.path, "extra", (rel) => !re || re.test(rel), extra.path);
    }
  }
  return { files: [...out.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)), skipped };
}
