/**
 * `backup create`: one pass over the sources, each file read once through an open descriptor (so
 * atomic renames by a running gateway cannot tear it), hashed while it streams into a gzip member;
 * then the manifest is written as the first member and the body appended (concatenated gzip
 * members are one valid .tar.gz). The archive appears at its name only when complete, mode 0600.
 */
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { chmodSync, closeSync, createReadStream, createWriteStream, existsSync, fsyncSync, mkdtempSync, openSync, readlinkSync, readSync, renameSync, rmSync, statSync, fstatSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip, gzipSync } from "node:zlib";
import { readConfigInput } from "../../config/index.js";
import { ensureDir, type Env, type ResolvedPaths, writeFileAtomic } from "../../infra/index.js";
import { AppError } from "../../shared/index.js";
import { encodeHeader, END_OF_ARCHIVE, padding } from "./tar.js";
import { type BackupItem, type BackupMode, type Category, categorize, exclusionReason, type External, externalPaths, walk } from "./layout.js";

export const MANIFEST_NAME = "manifest.json";
export const BACKUP_FORMAT_VERSION = 1;

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
}

export interface CreateBackupOptions {
  env: Env;
  paths: ResolvedPaths;
  output: string;
  mode: BackupMode;
  excludeSessions: boolean;
  includeLogs: boolean;
  now?: Date;
  onProgress?: (done: number, total: number) => void;
  /** Extra manifest data (migrate export). */
  migration?: Record<string, unknown>;
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
}

const CHUNK = 1 << 20;

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

function hasSqlite3(): boolean {
  return spawnSync("sqlite3", ["-version"], { stdio: "ignore", timeout: 5000 }).status === 0;
}

export function defaultBackupPath(paths: ResolvedPaths, now: Date): string {
  const profile = paths.profile && paths.profile !== "default" ? `-${paths.profile}` : "";
  return path.join(paths.home, "openclaw-backups", `openclaw${profile}-${now.toISOString().replace(/[:.]/g, "-")}.tar.gz`);
}

/** Where the last successful backup is recorded (doctor's backup-age check reads it). */
export function lastBackupFile(stateDir: string): string {
  return path.join(stateDir, "backups", "last-backup.json");
}

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

  // 1. Plan: every item and what is left out, with reasons.
  const items: BackupItem[] = [];
  const excluded: BackupManifest["excluded"] = [];
  const filters = { mode: o.mode, includeLogs: o.includeLogs, excludeSessions: o.excludeSessions };
  walk(paths.stateDir, (rel, abs, type) => {
    const reason = type === "other" ? "not a regular file (socket, fifo or device)" : exclusionReason(rel, filters);
    if (reason) {
      excluded.push({ path: `state/${rel}`, reason });
      return false;
    }
    items.push({ abs, arch: `state/${rel}`, type: type as BackupItem["type"], category: categorize(rel) });
    return true;
  });
  // The config may live outside the state dir (OPENCLAW_CONFIG_PATH).
  if (path.relative(paths.stateDir, paths.configPath).startsWith("..") && existsSync(paths.configPath)) {
    items.push({ abs: paths.configPath, arch: `config/${path.basename(paths.configPath)}`, type: "file", category: "config" });
  }
  for (const ext of externals) {
    if (!existsSync(ext.originalPath)) {
      excluded.push({ path: ext.originalPath, reason: `${ext.kind} configured but missing` });
      continue;
    }
    items.push({ abs: ext.originalPath, arch: ext.archivePath, type: "dir", category: ext.kind === "workspace" ? "workspaces" : "agents" });
    walk(ext.originalPath, (rel, abs, type) => {
      const base = rel.split("/").pop();
      if (type === "other" || base === "node_modules") {
        excluded.push({ path: abs, reason: type === "other" ? "not a regular file" : "reinstallable (node_modules)" });
        return false;
      }
      items.push({ abs, arch: `${ext.archivePath}/${rel}`, type: type as BackupItem["type"], category: ext.kind === "workspace" ? "workspaces" : "agents" });
      return true;
    });
  }
  let total = 0;
  for (const it of items) if (it.type === "file") total += statSync(it.abs, { throwIfNoEntry: false })?.size ?? 0;

  // 2. Body: entries after the manifest, as their own gzip member.
  const tmpDir = mkdtempSync(path.join(outDir, ".openclaw-backup-"));
  const bodyFile = path.join(tmpDir, "body.gz");
  const finalTmp = path.join(tmpDir, "archive.tar.gz");
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
    const sqlite = items.some((i) => /\.(sqlite3?|db)$/.test(i.abs)) && hasSqlite3();
    let progressed = 0;
    for (const it of items) {
      if (it.type === "dir") {
        const mode = statSync(it.abs).mode & 0o7777;
        entries.push({ path: it.arch, type: "dir", size: 0, mode, category: it.category });
        await write(gzip, encodeHeader({ path: it.arch, type: "dir", size: 0, mode, mtime: now.getTime() / 1000 }));
        continue;
      }
      if (it.type === "symlink") {
        const linkname = readlinkSync(it.abs);
        entries.push({ path: it.arch, type: "symlink", size: 0, mode: 0o777, linkname, category: it.category });
        await write(gzip, encodeHeader({ path: it.arch, type: "symlink", size: 0, mode: 0o777, mtime: now.getTime() / 1000, linkname }));
        continue;
      }
      let source = it.abs;
      let note: string | undefined;
      if (/\.(sqlite3?|db)$/.test(it.abs)) {
        if (sqlite) {
          source = path.join(tmpDir, `snap-${entries.length}.sqlite`);
          const r = spawnSync("sqlite3", [it.abs, `.backup '${source.replace(/'/g, "''")}'`], { timeout: 120_000 });
          if (r.status !== 0) throw new AppError("FS", `sqlite online backup of ${it.abs} failed: ${r.stderr?.toString().trim()}`);
          note = "sqlite online backup";
        } else note = "sqlite copied as a file (install sqlite3 for an online backup)";
      }
      let fd: number;
      try {
        fd = openSync(source, "r");
      } catch {
        excluded.push({ path: it.arch, reason: "vanished while backing up" });
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
        const mode = st.mode & 0o7777;
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
    await write(gzip, END_OF_ARCHIVE);
    gzip.end();
    await done;

    // 3. Manifest first, then the body; fsync; rename into place.
    const manifest: BackupManifest = {
      format: "openclaw-backup",
      version: BACKUP_FORMAT_VERSION,
      createdAt: now.toISOString(),
      host: os.hostname(),
      user: os.userInfo().username,
      platform: process.platform,
      profile: paths.profile && paths.profile !== "default" ? paths.profile : null,
      stateDir: paths.stateDir,
      home: paths.home,
      mode: o.mode,
      externals,
      excluded,
      entries,
      ...(o.migration ? { migration: o.migration } : {}),
    };
    const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, "utf8");
    const head = gzipSync(Buffer.concat([encodeHeader({ path: MANIFEST_NAME, type: "file", size: manifestBytes.length, mode: 0o600, mtime: now.getTime() / 1000 }), manifestBytes, Buffer.alloc(padding(manifestBytes.length))]));
    const final = createWriteStream(finalTmp, { mode: 0o600 });
    await new Promise<void>((resolve, reject) => final.write(head, (e) => (e ? reject(e) : resolve())));
    await pipeline(createReadStream(bodyFile), final);
    const fd = openSync(finalTmp, "r");
    fsyncSync(fd);
    closeSync(fd);
    chmodSync(finalTmp, 0o600);
    renameSync(finalTmp, output);
    const digest = createHash("sha256");
    await pipeline(createReadStream(output), digest);
    const result: CreateBackupResult = {
      archive: output,
      bytes: statSync(output).size,
      entries: entries.length,
      files: entries.filter((e) => e.type === "file").length,
      sourceBytes: entries.reduce((n, e) => n + e.size, 0),
      excluded: excluded.length,
      externals,
      sha256: digest.digest("hex"),
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
