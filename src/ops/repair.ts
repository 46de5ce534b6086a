/**
 * Repairs as data: what doctor and `security audit --fix` would change. A plan is shown (with diffs)
 * before anything is written; applying backs up every file it touches first, into
 * `<stateDir>/backups/doctor-<timestamp>/`, and reports how to undo each change.
 */
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, renameSync, statSync, unlinkSync } from "node:fs";
import path from "node:path";
import { readConfigText, setJson5Value, unsetJson5Value } from "../config/index.js";
import { ensureDir, writeFileAtomic } from "../infra/index.js";
import { AppError, diffLines, formatConfigPath, isSecretKey, type PathSegment } from "../shared/index.js";

export type RepairAction =
  | { kind: "chmod"; path: string; mode: number }
  | { kind: "config-set"; path: PathSegment[]; value: unknown }
  | { kind: "config-unset"; path: PathSegment[] }
  | { kind: "remove"; path: string }
  | { kind: "mkdir"; path: string; mode: number }
  | { kind: "write"; path: string; content: string; mode: number }
  | { kind: "rename"; from: string; to: string }
  | { kind: "copy-dir"; from: string; to: string }
  | { kind: "service-reinstall" }
  | { kind: "service-start" };

export interface Repair {
  id: string;
  summary: string;
  /** Allowed in `--non-interactive` (no behaviour change beyond tidying: modes, stale locks, key moves). */
  safe: boolean;
  /** Touches the running service (reinstall, start, restart). */
  service?: boolean;
  actions: RepairAction[];
}

export interface AppliedRepair {
  id: string;
  summary: string;
  changes: string[];
  undo: string[];
}

/** One line per action, for plans. */
export function describeAction(a: RepairAction): string {
  switch (a.kind) {
    case "chmod":
      return `chmod ${a.mode.toString(8).padStart(4, "0")} ${a.path}`;
    case "config-set":
      return `config set ${formatConfigPath(a.path)} ${isSecretKey(String(a.path[a.path.length - 1] ?? "")) ? '"***"' : JSON.stringify(a.value)}`;
    case "config-unset":
      return `config unset ${formatConfigPath(a.path)}`;
    case "remove":
      return `remove ${a.path}`;
    case "mkdir":
      return `mkdir -m ${a.mode.toString(8)} ${a.path}`;
    case "write":
      return `rewrite ${a.path}`;
    case "rename":
      return `rename ${a.from} → ${a.to}`;
    case "copy-dir":
      return `copy ${a.from} → ${a.to} (the source is left as it is)`;
    case "service-reinstall":
      return "openclaw gateway install --force (rewrite the service definition, restart)";
    case "service-start":
      return "openclaw gateway start";
  }
}

/** The config text after this plan's config edits (comments and layout kept). */
export function applyConfigEdits(raw: string, actions: RepairAction[]): string {
  let text = raw;
  for (const a of actions) {
    if (a.kind === "config-set") text = setJson5Value(text, a.path, a.value);
    else if (a.kind === "config-unset") text = unsetJson5Value(text, a.path).source;
  }
  return text;
}

/** A unified-ish diff of the config edits, for `--dry-run`. */
export function configEditDiff(raw: string, actions: RepairAction[]): string | undefined {
  if (!actions.some((a) => a.kind === "config-set" || a.kind === "config-unset")) return undefined;
  return diffLines(raw, applyConfigEdits(raw, actions)).join("\n");
}

export interface ApplyContext {
  stateDir: string;
  configPath: string;
  /** Extra files repairs may touch (config includes). */
  allowed: string[];
  now: Date;
  /** Runs the service actions (the CLI supplies them). */
  service?: { reinstall(): Promise<string>; start(): Promise<string> };
}

function inside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** Refuses actions outside the state dir (the config file and its includes are allowed by name). */
export function assertConfined(actions: RepairAction[], ctx: Pick<ApplyContext, "stateDir" | "configPath" | "allowed">): void {
  for (const a of actions) {
    const targets = a.kind === "rename" ? [a.from, a.to] : a.kind === "copy-dir" ? [a.to] : "path" in a && typeof a.path === "string" ? [a.path] : [];
    for (const t of targets) {
      if (!inside(path.resolve(t), ctx.stateDir) && t !== ctx.configPath && !ctx.allowed.includes(t)) {
        throw new AppError("FORBIDDEN", `refusing to touch ${t}: it is outside the state dir ${ctx.stateDir}`, { hint: "Make this change by hand if it is intended." });
      }
    }
  }
}

/** A backup dir created on first use. */
export class BackupDir {
  private dir: string | undefined;
  constructor(
    private readonly stateDir: string,
    private readonly stamp: string,
    private readonly label = "doctor",
  ) {}
  get path(): string | undefined {
    return this.dir;
  }
  /** Copies a file (or directory) into the backup, mirroring its path; returns the copy. */
  save(file: string): string {
    if (!this.dir) {
      this.dir = path.join(this.stateDir, "backups", `${this.label}-${this.stamp}`);
      ensureDir(this.dir);
    }
    const rel = inside(file, this.stateDir) ? path.relative(this.stateDir, file) : path.join("_external", file.replace(/^[/\\]+/, "").replace(/:/g, ""));
    const dest = path.join(this.dir, rel || path.basename(file));
    // The first copy is the original: later repairs of the same file must not overwrite it.
    if (existsSync(dest)) return dest;
    mkdirSync(path.dirname(dest), { recursive: true, mode: 0o700 });
    if (statSync(file).isDirectory()) cpSync(file, dest, { recursive: true, preserveTimestamps: true });
    else copyFileSync(file, dest);
    return dest;
  }
}

export function timestampSlug(d: Date): string {
  return d.toISOString().replace(/[:.]/g, "-");
}

/** Applies one repair: backup first, then the change. Config edits are applied together per repair. */
export async function applyRepair(repair: Repair, ctx: ApplyContext, backup: BackupDir): Promise<AppliedRepair> {
  assertConfined(repair.actions, ctx);
  const changes: string[] = [];
  const undo: string[] = [];
  const configEdits = repair.actions.filter((a) => a.kind === "config-set" || a.kind === "config-unset");
  if (configEdits.length > 0) {
    const raw = existsSync(ctx.configPath) ? readConfigText(ctx.configPath) : "{}\n";
    const next = applyConfigEdits(raw, configEdits);
    if (existsSync(ctx.configPath)) {
      const saved = backup.save(ctx.configPath);
      undo.push(`cp ${saved} ${ctx.configPath}`);
    } else undo.push(`rm ${ctx.configPath}`);
    // Keep the file's mode: tightening it is its own repair, with its own undo.
    writeFileAtomic(ctx.configPath, next, existsSync(ctx.configPath) ? { mode: statSync(ctx.configPath).mode & 0o777 } : {});
    changes.push(...configEdits.map(describeAction));
  }
  for (const a of repair.actions) {
    switch (a.kind) {
      case "chmod": {
        const before = statSync(a.path).mode & 0o777;
        chmodSync(a.path, a.mode);
        undo.push(`chmod ${before.toString(8).padStart(4, "0")} ${a.path}`);
        break;
      }
      case "remove": {
        if (!existsSync(a.path)) continue;
        const saved = backup.save(a.path);
        unlinkSync(a.path);
        undo.push(`cp ${saved} ${a.path}`);
        break;
      }
      case "mkdir":
        if (existsSync(a.path)) continue;
        ensureDir(a.path, a.mode);
        undo.push(`rmdir ${a.path}`);
        break;
      case "write": {
        if (existsSync(a.path)) undo.push(`cp ${backup.save(a.path)} ${a.path}`);
        else undo.push(`rm ${a.path}`);
        writeFileAtomic(a.path, a.content, { mode: a.mode });
        break;
      }
      case "rename":
        if (existsSync(a.to)) throw new AppError("CONFIG_CONFLICT", `cannot rename ${a.from}: ${a.to} exists`, { hint: "Merge the two by hand." });
        renameSync(a.from, a.to);
        undo.push(`mv ${a.to} ${a.from}`);
        break;
      case "copy-dir":
        if (existsSync(a.to)) throw new AppError("CONFIG_CONFLICT", `cannot copy into ${a.to}: it exists`, { hint: "Merge the two by hand." });
        cpSync(a.from, a.to, { recursive: true, preserveTimestamps: true });
        undo.push(`rm -r ${a.to}`);
        break;
      case "service-reinstall":
        if (!ctx.service) throw new AppError("UNAVAILABLE", "service repairs are not available here");
        changes.push(await ctx.service.reinstall());
        undo.push("the previous definition is kept as <definition>.bak");
        continue;
      case "service-start":
        if (!ctx.service) throw new AppError("UNAVAILABLE", "service repairs are not available here");
        changes.push(await ctx.service.start());
        undo.push("openclaw gateway stop");
        continue;
      default:
        continue;
    }
    changes.push(describeAction(a));
  }
  return { id: repair.id, summary: repair.summary, changes, undo };
}
