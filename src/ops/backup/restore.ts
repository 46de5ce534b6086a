/**
 * `backup verify` and `backup restore`. Verify reads the whole archive first (manifest, checksums,
 * entry safety) and restore writes nothing unless verify passed: absolute paths, `..`, links that
 * escape, devices and fifos are refused. Restore takes a safety copy of every file it overwrites,
 * writes each file through a temp name, and puts modes back (0700 dirs, 0600 secrets).
 */
import { createHash } from "node:crypto";
import { chmodSync, closeSync, createReadStream, existsSync, fsyncSync, lchownSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, writeSync } from "node:fs";
import path from "node:path";
import { createGunzip } from "node:zlib";
import { AppError } from "../../shared/index.js";
import { BackupDir, timestampSlug } from "../repair.js";
import type { BackupManifest, ManifestEntry } from "./create.js";
import { MANIFEST_NAME } from "./create.js";
import type { Category } from "./layout.js";
import { type TarHeader, TarReader } from "./tar.js";

/** Streams an archive's entries: `onEntry` returns a data sink (or undefined to skip the data). */
export async function readArchive(archive: string, onEntry: (h: TarHeader) => { data(chunk: Buffer): void; end(): void } | undefined): Promise<void> {
  let sink: ReturnType<typeof onEntry>;
  const reader = new TarReader({
    entry: (h) => {
      sink = onEntry(h);
    },
    data: (c) => sink?.data(c),
    entryEnd: () => {
      sink?.end();
      sink = undefined;
    },
  });
  await new Promise<void>((resolve, reject) => {
    const gunzip = createGunzip();
    const input = createReadStream(archive);
    input.on("error", reject);
    gunzip.on("error", (e) => reject(new AppError("CHECK_FAILED", `${archive} is not a readable .tar.gz: ${e.message}`)));
    gunzip.on("data", (c: Buffer) => {
      try {
        reader.push(c);
      } catch (e) {
        gunzip.destroy();
        input.destroy();
        reject(new AppError("CHECK_FAILED", `${archive}: ${(e as Error).message}`));
      }
    });
    gunzip.on("end", () => resolve());
    input.pipe(gunzip);
  });
}

/** Why an entry path is unsafe to extract (undefined when it is fine). */
export function unsafePath(p: string): string | undefined {
  if (p.includes("\0")) return "NUL in path";
  if (p.startsWith("/") || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith("\\")) return "absolute path";
  if (p.split(/[\\/]/).includes("..")) return "`..` in path";
  if (!/^(state|external\/\d+|config)(\/|$)/.test(p) && p !== MANIFEST_NAME) return "outside the archive layout (state/, external/<n>/, config/)";
  return undefined;
}

/** A symlink target that leaves the tree the link belongs to. */
export function escapingLink(entryPath: string, target: string): boolean {
  if (path.posix.isAbsolute(target) || /^[A-Za-z]:[\\/]/.test(target)) return true;
  const root = entryPath.startsWith("external/") ? entryPath.split("/").slice(0, 2).join("/") : entryPath.split("/")[0]!;
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(entryPath), target));
  return resolved !== root && !resolved.startsWith(`${root}/`);
}

export interface VerifyResult {
  ok: boolean;
  archive: string;
  manifest?: BackupManifest;
  problems: string[];
  checked: number;
}

export async function verifyBackup(archive: string): Promise<VerifyResult> {
  const problems: string[] = [];
  if (!existsSync(archive)) throw new AppError("NOT_FOUND", `${archive} does not exist`);
  let manifest: BackupManifest | undefined;
  let first = true;
  let checked = 0;
  const seen = new Set<string>();
  const expected = new Map<string, ManifestEntry>();
  try {
    await readArchive(archive, (h) => {
      if (first) {
        first = false;
        if (h.path !== MANIFEST_NAME || h.type !== "file") {
          problems.push(`the first entry is ${h.path}, not ${MANIFEST_NAME}`);
          return undefined;
        }
        const parts: Buffer[] = [];
        return {
          data: (c) => parts.push(Buffer.from(c)),
          end: () => {
            try {
              manifest = JSON.parse(Buffer.concat(parts).toString("utf8")) as BackupManifest;
              if (manifest.format !== "openclaw-backup") problems.push("manifest.json is not an openclaw backup manifest");
              for (const e of manifest.entries ?? []) expected.set(e.path, e);
            } catch (e) {
              problems.push(`manifest.json does not parse: ${(e as Error).message}`);
            }
          },
        };
      }
      const bad = unsafePath(h.path);
      if (bad) problems.push(`${h.path}: ${bad}`);
      if (h.type === "other") problems.push(`${h.path}: ${h.flag === "1" ? "hard link" : h.flag === "3" || h.flag === "4" ? "device file" : h.flag === "6" ? "fifo" : `entry type ${JSON.stringify(h.flag)}`} not allowed`);
      if (h.type === "symlink" && escapingLink(h.path, h.linkname ?? "")) problems.push(`${h.path}: link to ${h.linkname} escapes the archive`);
      seen.add(h.path);
      const want = expected.get(h.path);
      if (!want) {
        if (manifest) problems.push(`${h.path}: not listed in the manifest`);
        return undefined;
      }
      if (want.type !== h.type) problems.push(`${h.path}: manifest says ${want.type}, archive has ${h.type}`);
      if (h.type !== "file") return undefined;
      const hash = createHash("sha256");
      let size = 0;
      return {
        data: (c) => {
          hash.update(c);
          size += c.length;
        },
        end: () => {
          checked++;
          if (size !== want.size) problems.push(`${h.path}: ${size} bytes, manifest says ${want.size}`);
          else if (hash.digest("hex") !== want.sha256) problems.push(`${h.path}: checksum mismatch`);
        },
      };
    });
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  if (!manifest && !problems.length) problems.push("no manifest.json");
  for (const p of expected.keys()) if (!seen.has(p)) problems.push(`${p}: in the manifest but missing from the archive`);
  return { ok: problems.length === 0, archive, ...(manifest ? { manifest } : {}), problems, checked };
}

const SECRET_CATEGORIES = new Set<Category>(["config", "credentials", "agents", "sessions", "identity"]);

export interface RestoreTarget {
  stateDir: string;
  configPath: string;
  home: string;
}

/** Where an archive entry goes on this machine; externals under the source home move to this home. */
export function destinationOf(entryPath: string, manifest: BackupManifest, target: RestoreTarget): string | undefined {
  if (entryPath === "state") return target.stateDir;
  if (entryPath.startsWith("state/")) return path.join(target.stateDir, ...entryPath.slice(6).split("/"));
  if (entryPath.startsWith("config/")) return target.configPath;
  const m = /^external\/(\d+)(?:\/(.*))?$/.exec(entryPath);
  if (!m) return undefined;
  const ext = manifest.externals.find((e) => e.id === m[1]);
  if (!ext) return undefined;
  return path.join(rehome(ext.originalPath, manifest.home, target.home), ...(m[2] ? m[2].split("/") : []));
}

/** A path under `fromHome` moved under `toHome` (unchanged when it is elsewhere). */
export function rehome(p: string, fromHome: string, toHome: string): string {
  const rel = path.relative(fromHome, p);
  return rel.startsWith("..") || path.isAbsolute(rel) ? p : path.join(toHome, rel);
}

export interface RestorePlan {
  manifest: BackupManifest;
  writes: Array<{ entry: string; dest: string; type: ManifestEntry["type"]; overwrite: boolean; category: Category }>;
  skipped: number;
  /** External dirs outside this home that were left out (restore them with --force). */
  outsideHome: string[];
}

export function planRestore(manifest: BackupManifest, target: RestoreTarget, only?: Category[], options: { allowOutsideHome?: boolean } = {}): RestorePlan {
  const writes: RestorePlan["writes"] = [];
  const outside = new Set<string>();
  let skipped = 0;
  for (const e of manifest.entries) {
    if (only && !only.includes(e.category)) {
      skipped++;
      continue;
    }
    const dest = destinationOf(e.path, manifest, target);
    if (!dest) continue;
    // A manifest names where external dirs go: outside this home only when the user says so.
    if (e.path.startsWith("external/") && path.relative(target.home, dest).startsWith("..") && !options.allowOutsideHome) {
      outside.add(e.path.split("/").slice(0, 2).join("/"));
      skipped++;
      continue;
    }
    writes.push({ entry: e.path, dest, type: e.type, overwrite: existsSync(dest) && e.type !== "dir", category: e.category });
  }
  return { manifest, writes, skipped, outsideHome: [...outside].map((id) => manifest.externals.find((x) => x.archivePath === id)?.originalPath ?? id) };
}

export interface RestoreResult {
  written: number;
  overwritten: number;
  safetyBackup: string | null;
  plan: RestorePlan;
}

/** Extracts a verified archive according to a plan. Call `verifyBackup` first. */
export async function applyRestore(archive: string, plan: RestorePlan, target: RestoreTarget, now = new Date()): Promise<RestoreResult> {
  const byEntry = new Map(plan.writes.map((w) => [w.entry, w]));
  const backup = new BackupDir(target.stateDir, timestampSlug(now), "pre-restore");
  let overwritten = 0;
  for (const w of plan.writes) {
    if (w.overwrite && lstatSync(w.dest).isFile()) {
      backup.save(w.dest);
      overwritten++;
    }
  }
  const modes = new Map(plan.manifest.entries.map((e) => [e.path, e]));
  let written = 0;
  const dirs: Array<[string, number]> = [];
  await readArchive(archive, (h) => {
    const w = byEntry.get(h.path);
    if (!w) return undefined;
    const m = modes.get(h.path)!;
    if (h.type === "dir") {
      mkdirSync(w.dest, { recursive: true, mode: 0o700 });
      dirs.push([w.dest, SECRET_CATEGORIES.has(w.category) || w.dest === target.stateDir ? 0o700 : m.mode & 0o777]);
      return undefined;
    }
    mkdirSync(path.dirname(w.dest), { recursive: true, mode: 0o700 });
    if (h.type === "symlink") {
      rmSync(w.dest, { force: true });
      symlinkSync(h.linkname ?? "", w.dest);
      written++;
      return undefined;
    }
    const tmp = path.join(path.dirname(w.dest), `.${path.basename(w.dest)}.restore-${process.pid}.tmp`);
    const fd = openSync(tmp, "w", 0o600);
    return {
      data: (c) => {
        let off = 0;
        while (off < c.length) off += writeSync(fd, c, off);
      },
      end: () => {
        fsyncSync(fd);
        closeSync(fd);
        chmodSync(tmp, SECRET_CATEGORIES.has(w.category) ? 0o600 : m.mode & 0o777);
        renameSync(tmp, w.dest);
        written++;
      },
    };
  });
  for (const [dir, mode] of dirs) chmodSync(dir, mode);
  if (existsSync(target.stateDir)) chmodSync(target.stateDir, 0o700);
  // Restoring as root into another user's home: the files belong to that user.
  const owner = existsSync(target.home) ? statSync(target.home) : undefined;
  if (owner && typeof process.getuid === "function" && process.getuid() === 0 && owner.uid !== 0) {
    const chownTree = (p: string) => {
      lchownSync(p, owner.uid, owner.gid);
      if (lstatSync(p).isDirectory()) for (const name of readdirSync(p)) chownTree(path.join(p, name));
    };
    for (const w of plan.writes) if (existsSync(w.dest) || lstatSync(w.dest, { throwIfNoEntry: false })) lchownSync(w.dest, owner.uid, owner.gid);
    if (existsSync(target.stateDir)) chownTree(target.stateDir);
  }
  return { written, overwritten, safetyBackup: backup.path ?? null, plan };
}
