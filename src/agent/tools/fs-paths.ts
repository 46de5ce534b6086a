/**
 * Where a file tool's path points. Relative paths resolve against the agent's workspace; with
 * `tools.fs.workspaceOnly` (default false in OpenClaw) a path must stay inside the workspace after
 * symlinks are resolved, so a link that points out of the workspace is refused as well.
 */
import fs from "node:fs";
import path from "node:path";
import type { ToolContext } from "./types.js";

/** `tools.fs.workspaceOnly`, per-agent override first (`agents.list[].tools.fs` / `agents.entries.<id>.tools.fs`). */
export function resolveWorkspaceOnly(config: Record<string, unknown>, agentId: string): boolean {
  const agentFs = record(record(agentToolsConfig(config, agentId)).fs);
  if (typeof agentFs.workspaceOnly === "boolean") return agentFs.workspaceOnly;
  const fsCfg = record(record(config.tools).fs);
  return fsCfg.workspaceOnly === true;
}

/** The `tools` block of one agent, from `agents.entries.<id>` or `agents.list[]` (entries first). */
export function agentToolsConfig(config: Record<string, unknown>, agentId: string): Record<string, unknown> | undefined {
  const agents = record(config.agents);
  const entry = record(agents.entries)[agentId];
  if (entry && typeof entry === "object" && record(entry).tools) return record(record(entry).tools);
  const list = Array.isArray(agents.list) ? agents.list : [];
  const item = list.find((a) => record(a).id === agentId);
  return item && record(item).tools ? record(record(item).tools) : undefined;
}

/** A plain-object view of an unknown value (empty when it is not an object). */
export function record(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Thrown for a path the policy refuses; tools turn it into an error result. */
export class ToolPathError extends Error {}

/**
 * The absolute path for `input` in this tool context. With workspaceOnly, the deepest existing
 * ancestor is realpath'd (so a new file under a symlinked dir counts where the link points) and must
 * lie inside the realpath'd workspace.
 */
export function resolveToolPath(input: unknown, ctx: Pick<ToolContext, "workspace" | "config" | "agentId" | "env">): string {
  if (typeof input !== "string" || input.trim() === "") throw new ToolPathError("path is required (a file path, relative to the workspace or absolute)");
  let raw = input;
  const home = ctx.env.HOME;
  if (home && (raw === "~" || raw.startsWith("~/"))) raw = path.join(home, raw.slice(1));
  const abs = path.resolve(ctx.workspace, raw);
  if (!resolveWorkspaceOnly(ctx.config, ctx.agentId)) return abs;
  const root = realOrSelf(ctx.workspace);
  const real = realDeepest(abs);
  if (!isInside(root, real)) {
    throw new ToolPathError(`${input} is outside the workspace ${ctx.workspace} (tools.fs.workspaceOnly is on${real !== abs ? `; it resolves to ${real}` : ""})`);
  }
  return abs;
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * realpath of the deepest existing ancestor, with the missing tail re-appended. A dangling symlink
 * on the way is followed by hand (writing through it would create its target).
 */
function realDeepest(abs: string): string {
  const tail: string[] = [];
  let cur = abs;
  for (let hops = 0; hops < 64; hops++) {
    try {
      return path.join(fs.realpathSync(cur), ...[...tail].reverse());
    } catch {
      const link = readLinkOrUndefined(cur);
      if (link !== undefined) {
        cur = path.resolve(path.dirname(cur), link);
        continue;
      }
      const parent = path.dirname(cur);
      if (parent === cur) return abs;
      tail.push(path.basename(cur));
      cur = parent;
    }
  }
  throw new ToolPathError(`${abs}: too many symbolic links`);
}

function readLinkOrUndefined(p: string): string | undefined {
  try {
    return fs.lstatSync(p).isSymbolicLink() ? fs.readlinkSync(p) : undefined;
  } catch {
    return undefined;
  }
}
