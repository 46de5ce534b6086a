/**
 * Moving a deployment (seed 004): export = quiesced full backup plus inventories (secret names,
 * service files, scheduled tasks, non-portable parts); import = verified restore, structural path
 * rewriting through the config editor, poisoned-transcript quarantine; verify = the Step 8 checklist.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { checkTranscript, listTranscripts, quarantineTranscript } from "../agent/index.js";
import { parseJson5, setJson5Value } from "../config/index.js";
import { type Env, loadDotEnvFile, type ResolvedPaths, writeFileAtomic } from "../infra/index.js";
import type { InstalledService } from "../service/index.js";
import type { PathSegment } from "../shared/index.js";
import { rehome } from "./backup/inspect.js";
import { countCronJobs, cronStorePath } from "./maintenance/cron-store.js";
import { mapCrontab, type ScheduledTask } from "./maintenance/crontab-map.js";
import { collectSnapshot } from "./snapshot.js";

export interface MigrationInventory {
  secrets: Array<{ name: string; source: string }>;
  serviceFiles: Array<{ kind: string; name: string; path: string }>;
  /** The host's crontab lines for OpenClaw, each with the built-in that replaces it (null: by hand). */
  scheduledTasks: ScheduledTask[];
  /** Cron jobs in the job store at export (`migrate verify` compares the target's count). */
  cronJobs: { store: string; count: number | null | "unreadable" };
  nonPortable: Array<{ item: string; action: string }>;
  /** What moves with the archive but only under a condition (WhatsApp: the source stays stopped). */
  portable: Array<{ item: string; condition: string }>;
}

/** Secret names (never values), service definitions, cron lines and what must be redone on the target. */
export function collectInventory(o: { env: Env; paths: ResolvedPaths; services: InstalledService[] }): MigrationInventory {
  const snap = collectSnapshot({ env: o.env, paths: o.paths });
  const secrets = new Map<string, string>();
  for (const r of snap.envRefs) secrets.set(r.name, `config \${${r.name}} at ${r.path}`);
  for (const k of Object.keys(loadDotEnvFile(o.paths.layout.envFile))) if (!secrets.has(k)) secrets.set(k, `${o.paths.layout.envFile}`);
  for (const s of o.services) {
    for (const k of s.envFileKeys) if (!secrets.has(k)) secrets.set(k, `service env file ${s.envFile}`);
    for (const k of Object.keys(s.environment)) if (/TOKEN|PASSWORD|SECRET|KEY$/.test(k) && !secrets.has(k)) secrets.set(k, `${s.kind} definition ${s.definitionPath}`);
  }
  const cron = spawnSync("crontab", ["-l"], { encoding: "utf8", timeout: 5000, env: o.env as NodeJS.ProcessEnv });
  const scheduledTasks = cron.status === 0 ? mapCrontab(cron.stdout) : [];
  const store = cronStorePath(snap.input, o.paths.stateDir, o.env);
  const channels = Object.keys((snap.input.channels ?? {}) as object);
  const nonPortable: MigrationInventory["nonPortable"] = [
    { item: "service definitions", action: "recreated on the target by migrate import (never copy unit files or plists: they hold host paths)" },
    { item: "memory index", action: "travels as a consistent snapshot; migrate import brings it up to date on the target (openclaw memory index), extra paths outside the workspace are re-indexed" },
  ];
  if (channels.includes("signal")) nonPortable.push({ item: "Signal (signal-cli data lives outside the state dir)", action: 're-pair on the target: signal-cli link -n "OpenClaw"; check JAVA_HOME points to Java 21' });
  const portable: MigrationInventory["portable"] = [];
  if (channels.includes("whatsapp")) portable.push({ item: "WhatsApp session (credentials/whatsapp/<account>/)", condition: "keep the source gateway stopped from export on: two live copies of one session log each other out" });
  const byHand = scheduledTasks.filter((t) => !t.replacement).length;
  if (scheduledTasks.length) nonPortable.push({ item: "host crontab lines", action: `${scheduledTasks.length - byHand} replaced by built-ins (see scheduledTasks[].replacement)${byHand ? `, ${byHand} to recreate by hand on the target` : ""}` });
  return { secrets: [...secrets].map(([name, source]) => ({ name, source })), serviceFiles: o.services.map((s) => ({ kind: s.kind, name: s.name, path: s.definitionPath })), scheduledTasks, cronJobs: { store, count: countCronJobs(store) }, nonPortable, portable };
}

export interface PathRewrite {
  file: string;
  path: string;
  from: string;
  to: string;
}

/** Every string in a parsed config tree with its path. */
function strings(v: unknown, at: PathSegment[], out: Array<{ path: PathSegment[]; value: string }>): void {
  if (typeof v === "string") out.push({ path: at, value: v });
  else if (Array.isArray(v)) for (const [i, x] of v.entries()) strings(x, [...at, i], out);
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) strings(x, [...at, k], out);
}

/**
 * Rewrites absolute paths that point into the source home, structurally: each value is found in
 * the parsed tree and replaced through the JSON5 editor (comments and layout kept; no text
 * substitution). Covers the root config and every `$include`d file in the state dir.
 */
export function rewriteConfigPaths(o: { env: Env; paths: ResolvedPaths; fromHome: string; toHome: string }): { rewritten: PathRewrite[]; unresolved: PathRewrite[] } {
  const rewritten: PathRewrite[] = [];
  const unresolved: PathRewrite[] = [];
  const inTarget = (f: string) => [o.toHome, o.paths.stateDir].some((d) => !path.relative(d, f).startsWith(".."));
  const seen = new Set<string>();
  // Follow `$include`s from the imported root, after rewriting them, so the source's files are never opened.
  const queue = [o.paths.configPath];
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file) || !existsSync(file) || !inTarget(file)) continue;
    seen.add(file);
    let text = readFileSync(file, "utf8");
    const found: Array<{ path: PathSegment[]; value: string }> = [];
    strings(parseJson5(text), [], found);
    let changed = false;
    for (const s of found) {
      const intoSource = s.value.startsWith(`${o.fromHome}/`) || s.value === o.fromHome;
      const value = intoSource ? rehome(s.value, o.fromHome, o.toHome) : s.value;
      if (intoSource) {
        text = setJson5Value(text, s.path, value);
        changed = true;
        const rec = { file, path: s.path.join("."), from: s.value, to: value };
        rewritten.push(rec);
        if (!existsSync(value)) unresolved.push(rec);
      }
      if (s.path.includes("$include")) queue.push(path.resolve(path.dirname(file), value));
    }
    if (changed) writeFileAtomic(file, text);
  }
  return { rewritten, unresolved };
}

/** Every absolute path into `home` that the config (and its `$include`s) names, and whether it exists here. */
export function configPathsAtSource(paths: ResolvedPaths, home: string): Array<{ path: string; exists: boolean }> {
  const out = new Map<string, boolean>();
  const seen = new Set<string>();
  const queue = [paths.configPath];
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const found: Array<{ path: PathSegment[]; value: string }> = [];
    try {
      strings(parseJson5(readFileSync(file, "utf8")), [], found);
    } catch {
      continue;
    }
    for (const s of found) {
      if (s.value.startsWith(`${home}/`)) out.set(s.value, existsSync(s.value));
      if (s.path.includes("$include")) queue.push(path.resolve(path.dirname(file), s.value));
    }
  }
  return [...out].map(([p, exists]) => ({ path: p, exists }));
}

/**
 * Rewrites absolute paths into the source home stored in the state dir's JSON files
 * (`sessions.json`'s `sessionFile`, cron and approval stores, …), structurally, keeping each
 * file's mode. Transcripts (`*.jsonl`) are history and stay as written; SQLite stores are not
 * opened (no SQLite library here) and are reported instead.
 */
export function rewriteStatePaths(o: { stateDir: string; configPath: string; fromHome: string; toHome: string }): { rewritten: PathRewrite[]; notRewritten: string[] } {
  const rewritten: PathRewrite[] = [];
  const notRewritten: string[] = [];
  const visit = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      const st = statSync(file, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) {
        if (file !== path.join(o.stateDir, "backups") && name !== "node_modules" && name !== "quarantine") visit(file);
        continue;
      }
      if (/\.(sqlite3?|db)$/.test(name)) notRewritten.push(file);
      if (!name.endsWith(".json") || file === o.configPath || st.size > 8 << 20) continue;
      const text = readFileSync(file, "utf8");
      if (!text.includes(o.fromHome)) continue;
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        continue;
      }
      let changed = false;
      const walk = (v: unknown, at: string[]): unknown => {
        if (typeof v === "string" && (v === o.fromHome || v.startsWith(`${o.fromHome}/`))) {
          const to = rehome(v, o.fromHome, o.toHome);
          rewritten.push({ file, path: at.join("."), from: v, to });
          changed = true;
          return to;
        }
        if (Array.isArray(v)) return v.map((x, i) => walk(x, [...at, String(i)]));
        if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...at, k])]));
        return v;
      };
      const next = walk(doc, []);
      if (changed) writeFileAtomic(file, `${JSON.stringify(next, null, text.includes("\n  ") ? 2 : undefined)}${text.endsWith("\n") ? "\n" : ""}`, { mode: st.mode & 0o777 });
    }
  };
  visit(o.stateDir);
  return { rewritten, notRewritten };
}

export interface Quarantined {
  file: string;
  movedTo: string;
  reason: string;
}

/**
 * Moves poisoned transcripts to `<sessions>/quarantine/` (never deletes, never over an existing
 * file). Detection is the one `sessions check` and doctor use (src/agent/sessions/poison.ts).
 */
export function quarantinePoisonedSessions(paths: ResolvedPaths, agentIds: string[]): Quarantined[] {
  const out: Quarantined[] = [];
  for (const id of agentIds) {
    for (const file of listTranscripts(paths.layout.sessionsDir(id))) {
      const finding = checkTranscript(file);
      if (finding?.kind !== "poisoned") continue;
      out.push({ file, movedTo: quarantineTranscript(file), reason: finding.detail });
    }
  }
  return out;
}
