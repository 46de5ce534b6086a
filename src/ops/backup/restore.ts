/**
 * `backup verify` and `backup restore`. Both run `inspectArchive` (one set of refusal rules);
 * restore writes nothing unless it found no problem. Writes go only into the state dir, the config
 * path and the external dirs the user confirmed; every parent component is checked with lstat
 * before a write (a link on the way must be one that was already there and stays inside the
 * root), files go through an O_EXCL|O_NOFOLLOW temp name and a rename, links are created last.
 * A safety copy of every overwritten file is kept and modes are put back (0700 dirs, 0600 secrets).
 */
import { createHash } from "node:crypto";
import { chmodSync, closeSync, constants, existsSync, fchmodSync, fsyncSync, lchownSync, lstatSync, mkdirSync, openSync, readdirSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";
import type { ResolvedPaths } from "../../infra/index.js";
import { AppError } from "../../shared/index.js";
import { isSqliteFile, SQLITE_SIDECARS } from "../../storage/index.js";
import { BackupDir, timestampSlug } from "../repair.js";
import type { BackupManifest } from "./create.js";
import { type ExternalPlan, type InspectOptions, inspectArchive, type PlannedEntry, type RestoreTarget, type VerifyResult } from "./inspect.js";
import type { Category } from "./layout.js";
import { within } from "./safety.js";
import { readArchive } from "./scan.js";

export { type ExternalPlan, type RestoreTarget, rehome, type VerifyResult } from "./inspect.js";
export { readArchive } from "./scan.js";

/** Where a restore for these paths writes (a named profile's implicit workspace counts as named). */
export function restoreTargetFor(paths: ResolvedPaths): RestoreTarget {
  const profile = paths.profile && paths.profile !== "default";
  return { stateDir: paths.stateDir, configPath: paths.configPath, home: paths.home, ...(profile ? { defaultWorkspaceDir: paths.layout.defaultWorkspaceDir } : {}) };
}

/**
 * Checks an archive as a restore into `target` would (manifest, checksums, every refusal rule);
 * never writes. `deep`: also `PRAGMA integrity_check` on a temp copy of every SQLite database.
 */
export function verifyBackup(archive: string, target: RestoreTarget, o: InspectOptions = {}): Promise<VerifyResult> {
  return inspectArchive(archive, target, o);
}

const SECRET_CATEGORIES = new Set<Category>(["config", "credentials", "agents", "sessions", "identity"]);

export interface RestoreWrite {
  entry: string;
  dest: string;
  root: string;
  type: PlannedEntry["type"];
  overwrite: boolean;
  category: Category;
  mode: number;
  linkname?: string;
  sha256?: string;
}

export interface RestorePlan {
  manifest: BackupManifest;
  target: RestoreTarget;
  writes: RestoreWrite[];
  skipped: number;
  /** Every external dir the archive holds, with its status (refused ones make the archive unusable). */
  externals: ExternalPlan[];
}

/** What a clean archive would write; externals are written only when confirmed. */
export function planRestore(verified: VerifyResult, only?: Category[], options: { confirmExternals?: boolean } = {}): RestorePlan {
  if (!verified.ok || !verified.manifest) throw new AppError("CHECK_FAILED", `refusing to restore ${verified.archive}: ${verified.problems.length} problem(s)`, { hint: `Nothing was written. See every problem with: openclaw backup verify ${verified.archive}` });
  const externals = verified.externals.map((x) => ({ ...x, ...(x.status === "needs-confirmation" && options.confirmExternals ? { status: "confirmed" as const } : {}) }));
  const confirmed = new Set(externals.filter((x) => x.status === "confirmed").map((x) => x.id));
  const writes: RestoreWrite[] = [];
  let skipped = 0;
  for (const e of verified.entries) {
    if ((only && !only.includes(e.category)) || (e.external && !confirmed.has(e.external))) {
      skipped++;
      continue;
    }
    const st = lstatSync(e.dest, { throwIfNoEntry: false });
    writes.push({ entry: e.entry, dest: e.dest, root: e.root, type: e.type, overwrite: !!st && e.type !== "dir", category: e.category, mode: e.mode, ...(e.linkname !== undefined ? { linkname: e.linkname } : {}), ...(e.sha256 ? { sha256: e.sha256 } : {}) });
  }
  const used = new Set(verified.entries.filter((e) => e.external && (!only || only.includes(e.category))).map((e) => e.external));
  return { manifest: verified.manifest, target: verified.target, writes, skipped, externals: externals.filter((x) => used.has(x.id)) };
}

export interface RestoreResult {
  written: number;
  overwritten: number;
  safetyBackup: string | null;
  plan: RestorePlan;
}

const changed = (what: string) => new AppError("CHECK_FAILED", `${what}; the archive or the disk changed since it was checked`, { hint: "Nothing further was written. Run openclaw backup verify again, then restore." });

/**
 * Makes `dir` (inside `root`) exist, one component at a time: an existing link on the way must not
 * be one this restore created and must stay inside the root; nothing but directories is created.
 */
function ensureDirInside(root: string, dir: string, created: Set<string>): void {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const rootReal = realpathSync(root);
  let cur = root;
  for (const part of path.relative(root, dir).split(path.sep).filter(Boolean)) {
    cur = path.join(cur, part);
    const st = lstatSync(cur, { throwIfNoEntry: false });
    if (!st) {
      mkdirSync(cur, { mode: 0o700 });
      continue;
    }
    if (st.isSymbolicLink()) {
      if (created.has(cur)) throw changed(`${cur} is a link this restore created`);
      if (!within(realpathSync(cur), rootReal)) throw changed(`${cur} is a link that leads outside ${root}`);
    } else if (!st.isDirectory()) throw changed(`${cur} is not a directory`);
  }
}

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** Extracts a clean archive according to a plan (from `planRestore`). */
export async function applyRestore(archive: string, plan: RestorePlan, now = new Date()): Promise<RestoreResult> {
  const { target } = plan;
  const byEntry = new Map(plan.writes.map((w) => [w.entry, w]));
  const backup = new BackupDir(target.stateDir, timestampSlug(now), "pre-restore");
  let overwritten = 0;
  // The -wal/-shm/-journal of a database this restore replaces (or of one already gone) belong to
  // the old data: SQLite would replay them onto the restored file. Saved first, removed once it is in place.
  const dests = new Set(plan.writes.map((w) => w.dest));
  const stale = new Map<string, string[]>();
  for (const w of plan.writes) {
    if (w.type !== "file") continue;
    const old = lstatSync(w.dest, { throwIfNoEntry: false });
    if (old && !(old.isFile() && isSqliteFile(w.dest))) continue;
    const sidecars = SQLITE_SIDECARS.map((s) => `${w.dest}${s}`).filter((f) => !dests.has(f) && lstatSync(f, { throwIfNoEntry: false })?.isFile());
    for (const f of sidecars) backup.save(f);
    if (sidecars.length) stale.set(w.dest, sidecars);
  }
  for (const w of plan.writes) {
    if (w.overwrite && lstatSync(w.dest, { throwIfNoEntry: false })?.isFile()) {
      backup.save(w.dest);
      overwritten++;
    }
  }
  let written = 0;
  const dirs: Array<[string, number]> = [];
  const links: RestoreWrite[] = [];
  const createdLinks = new Set<string>();
  await readArchive(archive, (h) => {
    const w = byEntry.get(h.path);
    if (!w) return undefined;
    if (h.type !== w.type) throw changed(`${h.path} is a ${h.type}, it was a ${w.type}`);
    if (w.type === "symlink") {
      if ((h.linkname ?? "") !== w.linkname) throw changed(`${h.path} links elsewhere`);
      links.push(w);
      return undefined;
    }
    if (w.type === "dir") {
      ensureDirInside(w.root, w.dest, createdLinks);
      dirs.push([w.dest, SECRET_CATEGORIES.has(w.category) || w.dest === target.stateDir ? 0o700 : w.mode & 0o777]);
      return undefined;
    }
    ensureDirInside(w.root, path.dirname(w.dest), createdLinks);
    if (lstatSync(w.dest, { throwIfNoEntry: false })?.isDirectory()) throw changed(`${w.dest} is a directory`);
    const tmp = path.join(path.dirname(w.dest), `.${path.basename(w.dest)}.restore-${process.pid}.tmp`);
    rmSync(tmp, { force: true });
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o600);
    const hash = createHash("sha256");
    return {
      data: (c) => {
        hash.update(c);
        let off = 0;
        while (off < c.length) off += writeSync(fd, c, off);
      },
      end: () => {
        fchmodSync(fd, SECRET_CATEGORIES.has(w.category) ? 0o600 : w.mode & 0o777);
        fsyncSync(fd);
        closeSync(fd);
        if (w.sha256 && hash.digest("hex") !== w.sha256) {
          unlinkSync(tmp);
          throw changed(`${h.path} does not match its checksum`);
        }
        renameSync(tmp, w.dest);
        for (const f of stale.get(w.dest) ?? []) rmSync(f, { force: true });
        written++;
      },
    };
  });
  // Links last: nothing above was written through one of them.
  for (const w of links) {
    ensureDirInside(w.root, path.dirname(w.dest), createdLinks);
    const st = lstatSync(w.dest, { throwIfNoEntry: false });
    if (st?.isDirectory()) throw changed(`${w.dest} is a directory`);
    if (st) unlinkSync(w.dest);
    symlinkSync(w.linkname ?? "", w.dest);
    createdLinks.add(w.dest);
    written++;
  }
  for (const [dir, mode] of dirs) if (lstatSync(dir, { throwIfNoEntry: false })?.isDirectory()) chmodSync(dir, mode);
  if (existsSync(target.stateDir)) chmodSync(target.stateDir, 0o700);
  // Restoring as root into another user's home: the files belong to that user.
  const owner = existsSync(target.home) ? statSync(target.home) : undefined;
  if (owner && typeof process.getuid === "function" && process.getuid() === 0 && owner.uid !== 0) {
    const chownTree = (p: string) => {
      lchownSync(p, owner.uid, owner.gid);
      if (lstatSync(p).isDirectory()) for (const name of readdirSync(p)) chownTree(path.join(p, name));
    };
    for (const w of plan.writes) if (lstatSync(w.dest, { throwIfNoEntry: false })) lchownSync(w.dest, owner.uid, owner.gid);
    if (existsSync(target.stateDir)) chownTree(target.stateDir);
  }
  return { written, overwritten, safetyBackup: backup.path ?? null, plan };
}
