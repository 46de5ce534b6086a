/**
 * `backup create`: the archive in OpenClaw's layout (`<root>/manifest.json` + `<root>/payload/
 * posix/<absolute source path>/…`), so OpenClaw's `backup verify` accepts it; our sizes, modes and
 * checksums ride along as extra manifest fields. Readers of the older layout live in inspect.ts.
 */

import { createHash } from "node:crypto";
import { chmodSync, closeSync, copyFileSync, createReadStream, createWriteStream, existsSync, fstatSync, fsyncSync, mkdtempSync, openSync, readFileSync, readlinkSync, readSync, renameSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { readConfigInput } from "../../config/index.js";
import { type Env, ensureDir, type ResolvedPaths, writeFileAtomic } from "../../infra/index.js";
import { AppError } from "../../shared/index.js";
import { isSqliteFile, snapshotSqlite, sqliteSidecarOf, sqliteSnapshotUnavailable } from "../../storage/index.js";
import { cronStorePath } from "../maintenance/cron-store.js";
import { type BackupItem, type BackupMode, type Category, categorize, type External, exclusionReason, externalPaths, walk } from "./layout.js";
import { SEALED_NAME, type SealedFile, sealSecrets, secretFileReason, stripAuthProfiles } from "./secrets.js";
import { END_OF_ARCHIVE, encodeHeader, padding } from "./tar.js";

export const MANIFEST_NAME = "manifest.json";
/** Version of our fields in the manifest (1: the older `manifest.json` + `state/…` layout, 2: OpenClaw's layout). */
export const BACKUP_FORMAT_VERSION = 2;

export interface ManifestEntry {
  path: string;
  type: "file" | "dir" | "symlink";
  size: number;
  mode: number;
  sha256?: string;
  linkname?: string;
  category: Category;
  note?: string;
}

/** What the reader hands back whatever the layout (ours old and new, OpenClaw's, a plain tar). */
export interface BackupManifest {
  format: "openclaw-backup";
  version: number;
  createdAt: string;
  host: string;
  user: string;
  platform: string;
  profile: string | null;
  stateDir: string;
  home: string;
  mode: BackupMode;
  externals: External[];
  excluded: Array<{ path: string; reason: string }>;
  entries: ManifestEntry[];
  /** Added by `migrate export`. */
  migration?: Record<string, unknown>;
  /** The sealed secrets file in the archive (migrate export --include-secrets). */
  sealed?: { path: string; sha256: string; files: string[] };
}

/** An asset as OpenClaw's manifest lists it. */
export interface ArchiveAsset {
  kind: "state" | "config" | "workspace" | "agent";
  sourcePath: string;
  archivePath: string;
}

export interface CreateBackupOptions {
  env: Env;
  paths: ResolvedPaths;
  output: string;
  mode: BackupMode;
  excludeSessions: boolean;
  includeLogs: boolean;
  now?: Date;
  /** Written as the manifest's runtimeVersion. */
  runtimeVersion?: string;
  onProgress?: (done: number, total: number) => void;
  /** Extra manifest data (migrate export). */
  migration?: Record<string, unknown>;
  /** Hold secret values back (migrate export): left out, or sealed with this passphrase. */
  secrets?: { seal?: string };
}

export interface CreateBackupResult {
  archive: string;
  bytes: number;
  entries: number;
  files: number;
  sourceBytes: number;
  excluded: number;
  externals: External[];
  sha256: string;
  /** Secret values held back (migrate export): `<file>` or `<file>: <field>`. */
  heldBack: string[];
  /** True when the held-back values are in the archive, sealed with the passphrase. */
  sealed: boolean;
  /** Facts a reader should know (sqlite snapshots and copies, missing paths). */
  notes: string[];
}

const CHUNK = 1 << 20;

/** The note on an archived SQLite database copied with the online backup API. */
export const SQLITE_SNAPSHOT_NOTE = "sqlite online backup (consistent snapshot)";

function write(stream: NodeJS.WritableStream, buf: Buffer): Promise<void> | undefined {
  return stream.write(buf) ? undefined : new Promise((r) => stream.once("drain", () => r()));
}

/** The byte length of an append-only JSONL file up to its last complete line (scans back in chunks). */
function jsonlConsistentLength(fd: number, size: number): number {
  const step = 1 << 16;
  const buf = Buffer.alloc(step);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - step);
    const n = readSync(fd, buf, 0, end - start, start);
    const nl = buf.subarray(0, n).lastIndexOf(0x0a);
    if (nl >= 0) return start + nl + 1;
    end = start;
  }
  return 0;
}

export function defaultBackupPath(paths: ResolvedPaths, now: Date): string {
  const profile = paths.profile && paths.profile !== "default" ? `-${paths.profile}` : "";
  return path.join(paths.home, "openclaw-backups", `openclaw${profile}-${now.toISOString().replace(/[:.]/g, "-")}.tar.gz`);
}

/** Where the last successful backup is recorded (doctor's backup-age check reads it). */
export function lastBackupFile(stateDir: string): string {
  return path.join(stateDir, "backups", "last-backup.json");
}

/** The archive's one top-level directory, like OpenClaw's (`<ISO time>-openclaw-backup`). */
export function archiveRootName(now: Date): string {
  return `${now.toISOString().replace(/:/g, "-")}-openclaw-backup`;
}

/** Where a source path sits in the archive: `<root>/payload/posix/<absolute path>`. */
export function payloadPath(root: string, abs: string): string {
  return `${root}/payload/posix/${abs.split(path.sep).filter(Boolean).join("/")}`;
}

interface Item extends BackupItem {
  /** Content to archive instead of the file's (auth profiles without key material). */
  replace?: Buffer;
  /** Read from this staged copy instead (sqlite files). */
  staged?: string;
  note?: string;
}

/**
 * `backup create` in OpenClaw's layout: every file read once through an open descriptor (atomic
 * renames by a running gateway cannot tear it) and hashed while it streams into one gzip stream;
 * the manifest goes last, with our sizes, modes and checksums beside OpenClaw's fields. The
 * archive appears at its name only when complete, mode 0600.
 */
export async function createBackup(o: CreateBackupOptions): Promise<CreateBackupResult> {
  const now = o.now ?? new Date();
  const { paths } = o;
  if (!existsSync(paths.stateDir)) throw new AppError("NOT_FOUND", `state dir ${paths.stateDir} does not exist`, { hint: "Check --profile / OPENCLAW_STATE_DIR." });
  const output = path.resolve(o.output);
  const outDir = path.dirname(output);
  const within = (dir: string) => !path.relative(dir, output).startsWith("..");
  if (within(paths.stateDir) && !within(path.join(paths.stateDir, "backups"))) {
    throw new AppError("USAGE", `--output ${output} is inside the state dir`, { hint: `Write it elsewhere (default ${defaultBackupPath(paths, now)}) or under ${path.join(paths.stateDir, "backups")}.` });
  }
  ensureDir(outDir);
  const input = readConfigInput({ configPath: paths.configPath, env: o.env, lenientEnv: true }).input;
  const externals = o.mode === "full" ? externalPaths(input, o.env, paths) : [];
  const root = archiveRootName(now);
  const assets: ArchiveAsset[] = [{ kind: "state", sourcePath: paths.stateDir, archivePath: payloadPath(root, paths.stateDir) }];
  const notes: string[] = [];
  // Cron jobs must never be lost silently (openclaw/openclaw#97422): a `cron.store` outside the state dir is not in the archive.
  const cronStore = cronStorePath(input, paths.stateDir, o.env);
  if (path.relative(paths.stateDir, cronStore).startsWith("..")) notes.push(`cron.store ${cronStore} is outside the state dir and NOT in this archive; copy it yourself or move it under ${paths.stateDir}`);
  const heldBack: string[] = [];
  const sealed: SealedFile[] = [];
  // Whether SQLite's online backup API is usable (better-sqlite3 loads): asked once, on the first database.
  let offlineReason: string | undefined | null = null;
  const offline = () => {
    if (offlineReason === null) offlineReason = sqliteSnapshotUnavailable();
    return offlineReason;
  };
  /** Why a -wal/-shm/-journal next to a SQLite database stays out (its content is in the snapshot). */
  const sidecarReason = (abs: string): string | undefined => {
    const db = sqliteSidecarOf(abs);
    if (!db) return undefined;
    if (!offline()) return `folded into the online sqlite snapshot of ${path.basename(db)}`;
    return abs.endsWith("-shm") ? "sqlite shared-memory index (rebuilt when the database opens)" : undefined;
  };

  // 1. Plan: every item and what is left out, with reasons.
  const items: Item[] = [{ abs: paths.stateDir, arch: assets[0]!.archivePath, type: "dir", category: "state" }];
  const excluded: Array<{ kind: string; sourcePath: string; reason: string }> = [];
  const filters = { mode: o.mode, includeLogs: o.includeLogs, excludeSessions: o.excludeSessions };
  const holdBack = (asset: string, rel: string, abs: string): Pick<Item, "replace"> | string | undefined => {
    if (!o.secrets) return undefined;
    const why = asset === "state" ? secretFileReason(rel) : undefined;
    const data = () => readFileSync(abs);
    if (why) {
      heldBack.push(abs);
      if (o.secrets.seal !== undefined) sealed.push({ asset, rel, mode: statSync(abs).mode & 0o777, data: data().toString("base64") });
      return `secret values (${why}): ${o.secrets.seal !== undefined ? `sealed in ${SEALED_NAME}` : "left out; re-enter them on the target"}`;
    }
    if (path.basename(rel) !== "auth-profiles.json") return undefined;
    const original = data();
    const stripped = stripAuthProfiles(original.toString("utf8"));
    if (!stripped.removed.length) return undefined;
    heldBack.push(...stripped.removed.map((f) => `${abs}: ${f}`));
    if (o.secrets.seal !== undefined) sealed.push({ asset, rel, mode: statSync(abs).mode & 0o777, data: original.toString("base64") });
    return { replace: Buffer.from(stripped.text) };
  };
  walk(paths.stateDir, (rel, abs, type) => {
    let reason = type === "other" ? "not a regular file (socket, fifo or device)" : exclusionReason(rel, filters);
    if (!reason && type === "file") reason = sidecarReason(abs);
    const held = !reason && type === "file" ? holdBack("state", rel, abs) : undefined;
    if (typeof held === "string") reason = held;
    if (reason) {
      excluded.push({ kind: "state", sourcePath: abs, reason });
      return false;
    }
    items.push({ abs, arch: `${assets[0]!.archivePath}/${rel}`, type: type as BackupItem["type"], category: categorize(rel), ...(typeof held === "object" ? held : {}) });
    return true;
  });
  // The config may live outside the state dir (OPENCLAW_CONFIG_PATH).
  if (path.relative(paths.stateDir, paths.configPath).startsWith("..") && existsSync(paths.configPath)) {
    assets.push({ kind: "config", sourcePath: paths.configPath, archivePath: payloadPath(root, paths.configPath) });
    items.push({ abs: paths.configPath, arch: payloadPath(root, paths.configPath), type: "file", category: "config" });
  }
  const present: External[] = [];
  for (const ext of externals) {
    if (!existsSync(ext.originalPath)) {
      excluded.push({ kind: ext.kind === "workspace" ? "workspace" : "agent", sourcePath: ext.originalPath, reason: "configured but missing on this machine (nothing to copy)" });
      notes.push(`${ext.kind} ${ext.originalPath} is configured but does not exist here; nothing to copy`);
      continue;
    }
    const archivePath = payloadPath(root, ext.originalPath);
    const category: Category = ext.kind === "workspace" ? "workspaces" : "agents";
    present.push({ ...ext, id: `${assets.length + 1}`, archivePath });
    assets.push({ kind: ext.kind === "workspace" ? "workspace" : "agent", sourcePath: ext.originalPath, archivePath });
    items.push({ abs: ext.originalPath, arch: archivePath, type: "dir", category });
    walk(ext.originalPath, (rel, abs, type) => {
      const base = rel.split("/").pop();
      const side = type === "file" ? sidecarReason(abs) : undefined;
      const held = type === "file" && !side ? holdBack(`${assets.length}`, rel, abs) : undefined;
      if (type === "other" || base === "node_modules" || typeof held === "string" || side) {
        excluded.push({ kind: ext.kind, sourcePath: abs, reason: side ?? (typeof held === "string" ? held : type === "other" ? "not a regular file" : "reinstallable (node_modules)") });
        return false;
      }
      items.push({ abs, arch: `${archivePath}/${rel}`, type: type as BackupItem["type"], category, ...(typeof held === "object" ? held : {}) });
      return true;
    });
  }
  let total = 0;
  for (const it of items) if (it.type === "file") total += it.replace?.length ?? statSync(it.abs, { throwIfNoEntry: false })?.size ?? 0;

  // 2. Entries into one gzip stream (OpenClaw's reader reads one member), manifest last.
  const tmpDir = mkdtempSync(path.join(outDir, ".openclaw-backup-"));
  const bodyFile = path.join(tmpDir, "body.gz");
  const cleanup = () => rmSync(tmpDir, { recursive: true, force: true });
  const onSignal = (sig: NodeJS.Signals) => {
    cleanup();
    process.kill(process.pid, sig);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const entries: ManifestEntry[] = [];
    const gzip = createGzip();
    const out = createWriteStream(bodyFile, { mode: 0o600 });
    const done = pipeline(gzip, out);
    const mtime = now.getTime() / 1000;
    const writeFileEntry = async (arch: string, data: Buffer, mode: number) => {
      await write(gzip, encodeHeader({ path: arch, type: "file", size: data.length, mode, mtime }));
      await write(gzip, data);
      const pad = padding(data.length);
      if (pad) await write(gzip, Buffer.alloc(pad));
    };
    const staged = new Map<string, string>();
    let snapshots = 0;
    let progressed = 0;
    for (const it of items) {
      if (it.type === "dir") {
        const mode = statSync(it.abs).mode & 0o7777;
        entries.push({ path: it.arch, type: "dir", size: 0, mode, category: it.category });
        await write(gzip, encodeHeader({ path: it.arch, type: "dir", size: 0, mode, mtime }));
        continue;
      }
      if (it.type === "symlink") {
        const linkname = readlinkSync(it.abs);
        entries.push({ path: it.arch, type: "symlink", size: 0, mode: 0o777, linkname, category: it.category });
        await write(gzip, encodeHeader({ path: it.arch, type: "symlink", size: 0, mode: 0o777, mtime, linkname }));
        continue;
      }
      if (it.replace) {
        const mode = statSync(it.abs).mode & 0o7777;
        await writeFileEntry(it.arch, it.replace, mode);
        entries.push({ path: it.arch, type: "file", size: it.replace.length, mode, sha256: createHash("sha256").update(it.replace).digest("hex"), category: it.category, note: "key material removed (migration bundle)" });
        continue;
      }
      let source = staged.get(it.abs) ?? it.abs;
      let note: string | undefined = staged.has(it.abs) ? "copied together with its database (no online sqlite backup here)" : undefined;
      if (!staged.has(it.abs) && isSqliteFile(it.abs)) {
        const why = offline();
        if (!why) {
          source = path.join(tmpDir, `snap-${entries.length}.sqlite`);
          try {
            await snapshotSqlite(it.abs, source);
          } catch (e) {
            if (existsSync(it.abs)) throw e;
            excluded.push({ kind: "state", sourcePath: it.abs, reason: "vanished while backing up" });
            continue;
          }
          note = SQLITE_SNAPSHOT_NOTE;
          snapshots++;
        } else {
          const copy = stageSqliteCopy(it.abs, tmpDir, entries.length);
          source = copy.main;
          for (const [from, to] of copy.sidecars) staged.set(from, to);
          note = `copied as a file with its -wal/-journal${copy.stable ? "" : " while it kept changing (stop the gateway for a consistent copy)"}; ${why}: run npm rebuild better-sqlite3 for an online snapshot`;
          notes.push(`${it.abs}: ${note}`);
        }
      }
      let fd: number;
      try {
        fd = openSync(source, "r");
      } catch {
        excluded.push({ kind: "state", sourcePath: it.abs, reason: "vanished while backing up" });
        continue;
      }
      try {
        const st = fstatSync(fd);
        let size = st.size;
        if (it.abs.endsWith(".jsonl")) {
          const cut = jsonlConsistentLength(fd, size);
          if (cut !== size) note = "append-only JSONL cut at its last complete line";
          size = cut;
        }
        const mode = (source === it.abs ? st : statSync(it.abs)).mode & 0o7777;
        await write(gzip, encodeHeader({ path: it.arch, type: "file", size, mode, mtime: st.mtimeMs / 1000 }));
        const hash = createHash("sha256");
        let pos = 0;
        while (pos < size) {
          const buf = Buffer.allocUnsafe(Math.min(CHUNK, size - pos));
          const n = readSync(fd, buf, 0, buf.length, pos);
          if (n === 0) throw new AppError("FS", `${it.abs} shrank while backing up`, { hint: "Stop the gateway (openclaw gateway stop) and run the backup again." });
          const chunk = n === buf.length ? buf : buf.subarray(0, n);
          hash.update(chunk);
          await write(gzip, chunk);
          pos += n;
          progressed += n;
          o.onProgress?.(progressed, total);
        }
        const pad = padding(size);
        if (pad) await write(gzip, Buffer.alloc(pad));
        entries.push({ path: it.arch, type: "file", size, mode, sha256: hash.digest("hex"), category: it.category, ...(note ? { note } : {}) });
      } finally {
        closeSync(fd);
      }
    }
    if (snapshots) notes.push(`${snapshots} sqlite database(s): ${SQLITE_SNAPSHOT_NOTE}, -wal/-shm folded in`);
    let sealedInfo: BackupManifest["sealed"];
    if (o.secrets?.seal !== undefined && sealed.length) {
      const blob = sealSecrets(sealed, o.secrets.seal);
      sealedInfo = { path: `${root}/${SEALED_NAME}`, sha256: createHash("sha256").update(blob).digest("hex"), files: sealed.map((f) => `${f.asset}:${f.rel}`) };
      await writeFileEntry(sealedInfo.path, blob, 0o600);
    }
    const manifest = {
      // OpenClaw's fields (its `backup verify` reads these).
      schemaVersion: 1,
      createdAt: now.toISOString(),
      archiveRoot: root,
      runtimeVersion: o.runtimeVersion ?? "unknown",
      platform: process.platform,
      nodeVersion: process.version,
      options: { includeWorkspace: o.mode === "full", onlyConfig: false },
      paths: { stateDir: paths.stateDir, configPath: paths.configPath, oauthDir: paths.layout.credentialsDir, workspaceDirs: externals.filter((x) => x.kind === "workspace").map((x) => x.originalPath) },
      assets,
      skipped: excluded,
      externalSymbolicLinks: [],
      // Ours: who made it, sizes, modes and checksums of every entry.
      format: "openclaw-backup" as const,
      version: BACKUP_FORMAT_VERSION,
      host: os.hostname(),
      user: os.userInfo().username,
      profile: paths.profile && paths.profile !== "default" ? paths.profile : null,
      home: paths.home,
      mode: o.mode,
      externals: present,
      entries,
      ...(sealedInfo ? { sealed: sealedInfo } : {}),
      ...(notes.length ? { notes } : {}),
      ...(o.migration ? { migration: o.migration } : {}),
    };
    await writeFileEntry(`${root}/${MANIFEST_NAME}`, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, "utf8"), 0o600);
    await write(gzip, END_OF_ARCHIVE);
    gzip.end();
    await done;

    // 3. fsync; rename into place.
    const fd = openSync(bodyFile, "r");
    fsyncSync(fd);
    closeSync(fd);
    chmodSync(bodyFile, 0o600);
    renameSync(bodyFile, output);
    const digest = createHash("sha256");
    await pipeline(createReadStream(output), digest);
    const result: CreateBackupResult = {
      archive: output,
      bytes: statSync(output).size,
      entries: entries.length,
      files: entries.filter((e) => e.type === "file").length,
      sourceBytes: entries.reduce((n, e) => n + e.size, 0),
      excluded: excluded.length,
      externals: present,
      sha256: digest.digest("hex"),
      heldBack,
      sealed: !!sealedInfo,
      notes,
    };
    try {
      writeFileAtomic(lastBackupFile(paths.stateDir), `${JSON.stringify({ archive: output, createdAt: now.toISOString(), mode: o.mode, sha256: result.sha256 })}\n`);
    } catch {
      // recording the backup time is best effort
    }
    return result;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    cleanup();
  }
}

/**
 * Without better-sqlite3 (no online backup): copies a database with its -wal and -journal into the temp dir, again
 * until neither changed during the copy (a few tries), so the three files agree.
 */
function stageSqliteCopy(db: string, tmpDir: string, n: number): { main: string; sidecars: Map<string, string>; stable: boolean } {
  const files = [db, `${db}-wal`, `${db}-journal`];
  const stamp = () => files.map((f) => statSync(f, { throwIfNoEntry: false })).map((s) => (s ? `${s.size}:${s.mtimeMs}` : "-")).join("|");
  let stable = false;
  const sidecars = new Map<string, string>();
  const main = path.join(tmpDir, `copy-${n}.sqlite`);
  for (let attempt = 0; attempt < 5 && !stable; attempt++) {
    const before = stamp();
    sidecars.clear();
    copyFileSync(db, main);
    for (const f of files.slice(1)) {
      if (!existsSync(f)) continue;
      const to = `${main}${f.slice(db.length)}`;
      copyFileSync(f, to);
      sidecars.set(f, to);
    }
    stable = stamp() === before;
  }
  return { main, sidecars, stable };
}
