/** What goes into a backup: categories of the state dir, exclusions, and paths outside it that config points to. */
import { lstatSync, readdirSync, type Stats } from "node:fs";
import path from "node:path";
import { type Env, expandUserPath, type ResolvedPaths } from "../../infra/index.js";
import { obj } from "../snapshot.js";

export type Category = "config" | "credentials" | "agents" | "sessions" | "workspaces" | "identity" | "extensions" | "state";
export const CATEGORIES: Category[] = ["config", "credentials", "agents", "sessions", "workspaces", "identity", "extensions", "state"];
export type BackupMode = "minimal" | "full";

export interface BackupItem {
  abs: string;
  /** Path inside the archive (`state/…` or `external/<id>/…`). */
  arch: string;
  type: "file" | "dir" | "symlink";
  category: Category;
}

export interface External {
  id: string;
  kind: "workspace" | "agentDir";
  originalPath: string;
  archivePath: string;
}

/** Category of a path relative to the state dir (forward slashes). */
export function categorize(rel: string): Category {
  if (rel === "openclaw.json" || rel === ".env" || rel === "gateway.env" || /^(clawdbot|moltbot|moldbot)\.json$/.test(rel) || rel.endsWith(".json5")) return "config";
  if (rel.startsWith("credentials/") || rel === "credentials") return "credentials";
  if (/^agents\/[^/]+\/sessions(\/|$)/.test(rel)) return "sessions";
  if (/^agents\//.test(rel) || rel === "agents") return "agents";
  if (/^workspace([-/]|$)/.test(rel)) return "workspaces";
  if (rel.startsWith("identity")) return "identity";
  if (rel.startsWith("extensions")) return "extensions";
  return "state";
}

/** Why a state-dir path stays out of a backup (undefined: it goes in). */
export function exclusionReason(rel: string, o: { mode: BackupMode; includeLogs: boolean; excludeSessions: boolean }): string | undefined {
  const base = rel.split("/").pop() ?? rel;
  if (rel === "backups" || rel.startsWith("backups/")) return "earlier backups";
  if (base === "node_modules") return "reinstallable (node_modules)";
  if (rel === "gateway.supervisor.json") return "runtime state of the supervisor";
  if (/\.tmp$/.test(base) || /^\..*\.tmp$/.test(base)) return "temporary file";
  if (!o.includeLogs && (rel === "logs" || rel.startsWith("logs/"))) return "logs (use --include-logs)";
  const cat = categorize(rel);
  if (o.excludeSessions && cat === "sessions") return "sessions (--exclude-sessions)";
  if (o.mode === "minimal") {
    if (cat === "config" || cat === "credentials") return undefined;
    // Cron job definitions are configuration users cannot rebuild (openclaw/openclaw#97422); their run logs are not.
    if (rel === "cron" || rel === "cron/jobs.json") return undefined;
    if (/^agents(\/[^/]+(\/agent(\/auth-profiles\.json)?)?)?$/.test(rel)) return undefined;
    return "not in --minimal (config, credentials, auth profiles, cron jobs)";
  }
  return undefined;
}

/** Workspaces and agent dirs that config points to outside the state dir. */
export function externalPaths(input: Record<string, unknown>, env: Env, paths: ResolvedPaths): External[] {
  const out: External[] = [];
  const inside = (p: string) => !path.relative(paths.stateDir, p).startsWith("..");
  const add = (kind: External["kind"], value: unknown) => {
    if (typeof value !== "string" || !value.trim()) return;
    const abs = expandUserPath(value, env);
    if (inside(abs) || out.some((e) => e.originalPath === abs)) return;
    const id = `${out.length + 1}`;
    out.push({ id, kind, originalPath: abs, archivePath: `external/${id}` });
  };
  const agents = obj(input.agents);
  add("workspace", obj(agents.defaults).workspace);
  if (!obj(agents.defaults).workspace && paths.profile && paths.profile !== "default") add("workspace", paths.layout.defaultWorkspaceDir);
  // OpenClaw's list (`agents.list[]`) and its newer map (`agents.entries.<id>`, written by `openclaw setup`).
  for (const a of [...(Array.isArray(agents.list) ? agents.list : []), ...Object.values(obj(agents.entries))]) {
    add("workspace", obj(a).workspace);
    add("agentDir", obj(a).agentDir);
  }
  return out;
}

/** Walks a tree depth-first (sorted, so archives are reproducible); symlinks are not followed. */
export function walk(root: string, visit: (rel: string, abs: string, type: "file" | "dir" | "symlink" | "other") => boolean): void {
  const step = (rel: string) => {
    const abs = rel ? path.join(root, rel) : root;
    let names: string[];
    try {
      names = readdirSync(abs).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const r = rel ? `${rel}/${name}` : name;
      const full = path.join(root, r);
      let st: Stats;
      try {
        st = lstatSync(full);
      } catch {
        continue;
      }
      const type = st.isSymbolicLink() ? "symlink" : st.isDirectory() ? "dir" : st.isFile() ? "file" : "other";
      if (visit(r, full, type) && type === "dir") step(r);
    }
  };
  step("");
}
