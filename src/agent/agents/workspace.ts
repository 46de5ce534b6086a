/**
 * An agent's workspace on disk: bootstrap files created on first run (never overwritten), and the
 * named files (`agents.files.*`) read and written inside it, and nowhere else.
 */
import { lstatSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fsError, readRegularFileEnds, writeFileAtomic } from "../../infra/index.js";
import { AppError } from "../../shared/index.js";
import type { ResolvedAgent } from "./resolve.js";
import { BOOTSTRAP_FILES, BOOTSTRAP_TEMPLATES, type BootstrapFileName } from "./templates.js";

/** Workspace files the `agents.files.*` RPC may read and write (flat names only). */
export const WORKSPACE_FILES = [...BOOTSTRAP_FILES, "MEMORY.md", "HEARTBEAT.md", "BOOTSTRAP.md"] as const;
export type WorkspaceFileName = (typeof WORKSPACE_FILES)[number];

/** Largest workspace file `agents.files.set` writes and `agents.files.get` returns. */
export const MAX_WORKSPACE_FILE_BYTES = 1024 * 1024;

/** What `ensureWorkspace` did. */
export interface BootstrapResult {
  workspace: string;
  created: BootstrapFileName[];
  skipped: boolean;
}

/**
 * Creates the workspace and any missing bootstrap file with starter text, unless `skipBootstrap`
 * (then only the directory). Existing files are never touched: each is created exclusively.
 */
export function ensureWorkspace(agent: Pick<ResolvedAgent, "workspace" | "skipBootstrap">): BootstrapResult {
  try {
    mkdirSync(agent.workspace, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw fsError("create workspace", agent.workspace, error);
  }
  if (agent.skipBootstrap) return { workspace: agent.workspace, created: [], skipped: true };
  const created: BootstrapFileName[] = [];
  for (const name of BOOTSTRAP_FILES) {
    const file = path.join(agent.workspace, name);
    try {
      writeFileSync(file, BOOTSTRAP_TEMPLATES[name], { flag: "wx", mode: 0o600 });
      created.push(name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw fsError("create", file, error);
    }
  }
  return { workspace: agent.workspace, created, skipped: false };
}

/** A bounded read of a workspace file: regular files only, never blocking, at most `maxBytes`. */
export interface WorkspaceRead {
  text: string;
  size: number;
  /** The file was larger than `maxBytes`; `text` holds its head. */
  cut: boolean;
  /** When cut and `tailBytes` was asked for: the file's last bytes (a partial first character dropped). */
  tail?: string;
}

/**
 * Reads up to `maxBytes` of a regular file (and, when the file is larger, its last `tailBytes`);
 * null when it is missing, a symlink or not a regular file.
 */
export function readWorkspaceText(file: string, maxBytes: number, options: { tailBytes?: number } = {}): WorkspaceRead | null {
  const read = readRegularFileEnds(file, maxBytes, options.tailBytes ?? 0);
  if (!read) return null;
  const text = read.head.toString("utf8");
  if (!read.tail) return { text, size: read.size, cut: read.size > read.head.length };
  return { text, size: read.size, cut: true, tail: read.tail.toString("utf8").replace(/^\uFFFD+/, "") };
}

/** Checks a file name for `agents.files.*`: one of `WORKSPACE_FILES`, no paths. */
export function parseWorkspaceFileName(name: string): WorkspaceFileName {
  if ((WORKSPACE_FILES as readonly string[]).includes(name)) return name as WorkspaceFileName;
  throw new AppError("USAGE", `unsupported workspace file "${name.slice(0, 100)}"`, { hint: `Use one of: ${WORKSPACE_FILES.join(", ")}.` });
}

/** One workspace file as `agents.files.list` reports it. */
export interface WorkspaceFileInfo {
  name: string;
  path: string;
  missing: boolean;
  size?: number;
  updatedAtMs?: number;
}

/** The known workspace files with size and mtime (missing ones flagged). */
export function listWorkspaceFiles(workspace: string): WorkspaceFileInfo[] {
  let present: Set<string>;
  try {
    present = new Set(readdirSync(workspace));
  } catch {
    present = new Set();
  }
  return WORKSPACE_FILES.map((name) => {
    const file = path.join(workspace, name);
    if (!present.has(name)) return { name, path: file, missing: true };
    try {
      const st = lstatSync(file);
      if (!st.isFile()) return { name, path: file, missing: true };
      return { name, path: file, missing: false, size: st.size, updatedAtMs: Math.round(st.mtimeMs) };
    } catch {
      return { name, path: file, missing: true };
    }
  });
}

/** Reads one named workspace file (missing → `NOT_FOUND`; larger than the cap → `PAYLOAD_TOO_LARGE`). */
export function readWorkspaceFile(workspace: string, name: string): { name: WorkspaceFileName; path: string; content: string; size: number } {
  const fileName = parseWorkspaceFileName(name);
  const file = path.join(workspace, fileName);
  const read = readWorkspaceText(file, MAX_WORKSPACE_FILE_BYTES);
  if (!read) throw new AppError("NOT_FOUND", `${fileName} does not exist in workspace ${workspace}`, { hint: "Create it with agents.files.set." });
  if (read.cut) {
    throw new AppError("PAYLOAD_TOO_LARGE", `${fileName} is ${read.size} bytes, over the ${MAX_WORKSPACE_FILE_BYTES}-byte limit`, { hint: "Read it from disk directly." });
  }
  return { name: fileName, path: file, content: read.text, size: read.size };
}

/** Writes one named workspace file atomically (0600); refuses a symlink in its place. */
export function writeWorkspaceFile(workspace: string, name: string, content: string): { name: WorkspaceFileName; path: string; size: number } {
  const fileName = parseWorkspaceFileName(name);
  const size = Buffer.byteLength(content, "utf8");
  if (size > MAX_WORKSPACE_FILE_BYTES) {
    throw new AppError("PAYLOAD_TOO_LARGE", `${fileName} content is ${size} bytes, over the ${MAX_WORKSPACE_FILE_BYTES}-byte limit`, { hint: "Keep workspace files short." });
  }
  const file = path.join(workspace, fileName);
  try {
    if (lstatSync(file).isSymbolicLink()) {
      throw new AppError("FORBIDDEN", `${file} is a symbolic link; refusing to replace it`, { hint: "Replace the link with a regular file first." });
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
  }
  writeFileAtomic(file, content, { mode: 0o600 });
  return { name: fileName, path: file, size };
}
