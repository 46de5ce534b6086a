/**
 * What `openclaw reset` and `openclaw uninstall` remove, planned before anything happens so
 * `--dry-run` prints exactly the list the real run then deletes. Nothing outside the state dir is
 * ever on the list: a config file or workspace that lives elsewhere is kept and named with the
 * reason (remove it yourself). Removal checks afterwards that each path is really gone.
 */
import { existsSync, readdirSync, realpathSync, rmSync } from "node:fs";
import path from "node:path";
import { readConfigInput } from "../config/index.js";
import type { Env, ResolvedPaths } from "../infra/index.js";
import { workspaceDirs } from "./snapshot.js";

/** OpenClaw's reset scopes. */
export const RESET_SCOPES = ["config", "config+creds+sessions", "full"] as const;
export type ResetScope = (typeof RESET_SCOPES)[number];

/** Accepted spellings: OpenClaw's, plus `state` (= config+creds+sessions) and `all` (= full). */
export function parseResetScope(value: string): ResetScope | undefined {
  const v = value.trim().toLowerCase();
  if ((RESET_SCOPES as readonly string[]).includes(v)) return v as ResetScope;
  if (v === "state") return "config+creds+sessions";
  if (v === "all") return "full";
  return undefined;
}

export interface RemovalItem {
  path: string;
  what: string;
}

export interface RemovalPlan {
  remove: RemovalItem[];
  keep: Array<{ path: string; why: string }>;
  /** True when a gateway must be stopped first (state beyond the config goes). */
  stopsGateway: boolean;
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** True when `p` is the state dir or inside it (after resolving links). */
function insideState(paths: ResolvedPaths, p: string): boolean {
  const rel = path.relative(real(paths.stateDir), real(p));
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** Builds a plan from candidates: existing ones inside the state dir go, others are kept with the reason. */
function plan(paths: ResolvedPaths, candidates: RemovalItem[], stopsGateway: boolean, keepExtra: Array<{ path: string; why: string }> = []): RemovalPlan {
  const remove: RemovalItem[] = [];
  const keep = [...keepExtra];
  for (const c of candidates) {
    if (!existsSync(c.path)) continue;
    if (!insideState(paths, c.path)) keep.push({ path: c.path, why: `${c.what} is outside the state dir ${paths.stateDir}: remove it yourself if you want it gone` });
    else if (!remove.some((r) => r.path === c.path)) remove.push(c);
  }
  // A path inside another one on the list goes with it: listed once, as the outer one.
  const within = (inner: string, outer: string) => inner !== outer && real(inner).startsWith(`${real(outer)}${path.sep}`);
  return { remove: remove.filter((r) => !remove.some((o) => within(r.path, o.path))), keep, stopsGateway };
}

function agentSessionDirs(paths: ResolvedPaths): RemovalItem[] {
  const agents = paths.layout.agentsDir;
  if (!existsSync(agents)) return [];
  return readdirSync(agents, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => ({ path: paths.layout.sessionsDir(e.name), what: `sessions of agent ${e.name}` }));
}

/** Workspace dirs the config names (and the default one). */
function workspaces(paths: ResolvedPaths, env: Env): string[] {
  const input = readConfigInput({ configPath: paths.configPath, env, lenientEnv: true }).input;
  return workspaceDirs(input, env, paths.layout.defaultWorkspaceDir);
}

/** `openclaw reset --scope …`. */
export function planReset(o: { paths: ResolvedPaths; env: Env; scope: ResetScope }): RemovalPlan {
  const { paths } = o;
  const config = { path: paths.configPath, what: "config file" };
  if (o.scope === "config") return plan(paths, [config], false);
  if (o.scope === "config+creds+sessions") {
    return plan(paths, [config, { path: paths.layout.credentialsDir, what: "credentials (channel logins, OAuth)" }, ...agentSessionDirs(paths)], true);
  }
  const outside = workspaces(paths, o.env)
    .filter((w) => existsSync(w) && !insideState(paths, w))
    .map((w) => ({ path: w, why: `workspace outside the state dir ${paths.stateDir}: remove it yourself if you want it gone` }));
  return plan(paths, [{ path: paths.stateDir, what: "state dir (config, credentials, agents, sessions, memory, cron jobs, logs)" }, config], true, outside);
}

/** `openclaw uninstall --state [--workspace]`: the state dir; workspaces inside it go with it, others only with `--workspace` … and never outside it. */
export function planUninstallData(o: { paths: ResolvedPaths; env: Env; state: boolean; workspace: boolean }): RemovalPlan {
  const { paths } = o;
  const candidates: RemovalItem[] = [];
  const keep: Array<{ path: string; why: string }> = [];
  const ws = workspaces(paths, o.env).filter((w) => existsSync(w));
  if (o.workspace) for (const w of ws) candidates.push({ path: w, what: "workspace" });
  if (o.state) {
    candidates.push({ path: paths.stateDir, what: "state dir (config, credentials, agents, sessions, memory, cron jobs, logs)" }, { path: paths.configPath, what: "config file" });
    // The state dir holds the default workspace: without --workspace it must survive the state's removal.
    if (!o.workspace) for (const w of ws.filter((w) => insideState(paths, w))) keep.push({ path: w, why: "workspace (pass --workspace to remove it too)" });
  }
  const p = plan(paths, candidates, o.state || o.workspace, keep);
  // A kept workspace inside the state dir turns "remove the state dir" into "remove everything in it but the workspace".
  const kept = new Set(keep.map((k) => real(k.path)));
  if (kept.size && p.remove.some((r) => real(r.path) === real(paths.stateDir))) {
    p.remove = p.remove.flatMap((r) => (real(r.path) === real(paths.stateDir) ? splitAround(r.path, kept) : [r]));
  }
  return p;
}

/** The entries of `dir` except those on the way to a kept path (recursively), as removal items. */
function splitAround(dir: string, kept: Set<string>): RemovalItem[] {
  const out: RemovalItem[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    const r = real(full);
    if (kept.has(r)) continue;
    if ([...kept].some((k) => k.startsWith(`${r}${path.sep}`))) out.push(...splitAround(full, kept));
    else out.push({ path: full, what: `state: ${path.relative(dir, full) || e.name}` });
  }
  return out;
}

/** Removes each planned path and checks it is gone; failures are reported, never thrown. */
export function executeRemoval(items: readonly RemovalItem[]): { removed: string[]; failed: Array<{ path: string; error: string }> } {
  const removed: string[] = [];
  const failed: Array<{ path: string; error: string }> = [];
  for (const item of items) {
    try {
      rmSync(item.path, { recursive: true, force: true });
      if (existsSync(item.path)) throw new Error("still there after removal");
      removed.push(item.path);
    } catch (error) {
      failed.push({ path: item.path, error: (error as Error).message });
    }
  }
  return { removed, failed };
}
