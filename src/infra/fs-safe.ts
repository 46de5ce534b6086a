/**
 * File writes that never lose data: temp file + fsync + rename, modes set explicitly, the previous
 * version kept as `.bak`. Directories are created 0700.
 */
import { chmodSync, closeSync, constants, copyFileSync, existsSync, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, unlinkSync, writeSync } from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { AppError } from "../shared/index.js";
import { isPidAlive } from "./ports.js";

export const DIR_MODE = 0o700;
export const SECRET_FILE_MODE = 0o600;

/** mkdir -p with mode 0700 for every directory it creates. */
export function ensureDir(dir: string, mode = DIR_MODE): void {
  if (existsSync(dir)) return;
  ensureDir(path.dirname(dir), mode);
  try {
    mkdirSync(dir, { mode });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw fsError("create directory", dir, error);
  }
}

export function fsError(action: string, file: string, error: unknown): AppError {
  const code = (error as NodeJS.ErrnoException).code ?? "EIO";
  const hint =
    code === "EACCES" || code === "EPERM"
      ? `Check the owner and mode of ${path.dirname(file)} (run as the user who owns the state dir).`
      : code === "ENOSPC"
        ? "The disk is full; free space and try again."
        : "Check the path and try again.";
  return new AppError("FS", `cannot ${action} ${file}: ${code}`, { hint, cause: error });
}

export interface AtomicWriteOptions {
  mode?: number;
  /** Keep the current file as `<file>.bak` before replacing it. */
  backup?: boolean;
}

/** A temp file of ours left behind is stale after this long even if its pid is alive (pid reuse). */
export const STALE_TEMP_MS = 10 * 60_000;

/** The temp name `writeFileAtomic` uses for `file`: `.<name>.<pid>.<base36 ms>.tmp` beside it. */
function tempNameFor(file: string): string {
  return `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Removes temp files a killed writer of `file` left behind: only names of exactly our pattern for
 * this file, only regular files, and only when the writer's pid is gone or the file is older than
 * `STALE_TEMP_MS`. Best-effort; returns the names removed.
 */
export function removeStaleTempFiles(file: string, now = Date.now()): string[] {
  const dir = path.dirname(file);
  const pattern = new RegExp(`^\\.${escapeRegExp(path.basename(file))}\\.(\\d+)\\.([0-9a-z]+)\\.tmp$`);
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m) continue;
    const full = path.join(dir, name);
    try {
      const st = lstatSync(full);
      if (!st.isFile()) continue;
      const pid = Number(m[1]);
      const dead = pid !== process.pid && !isPidAlive(pid);
      if (!dead && now - st.mtimeMs < STALE_TEMP_MS) continue;
      unlinkSync(full);
      removed.push(name);
    } catch {
      // Gone already, or not ours to remove.
    }
  }
  return removed;
}

const cleanedTargets = new Set<string>();

/**
 * Writes `data` to `file` atomically: a temp file beside it is written, fsynced and renamed over the
 * target. On any failure the target is untouched and the temp file is removed. Temp files that a
 * killed earlier writer left behind are cleaned first (`removeStaleTempFiles`).
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const mode = options.mode ?? SECRET_FILE_MODE;
  const dir = path.dirname(file);
  ensureDir(dir);
  // Once per target and process: a killed earlier writer's leftovers do not come back while we run,
  // and a hot file (sessions.json, rewritten every turn) must not pay a directory scan each time.
  if (!cleanedTargets.has(file)) {
    removeStaleTempFiles(file);
    if (cleanedTargets.size > 10_000) cleanedTargets.clear();
    cleanedTargets.add(file);
  }
  const tmp = path.join(dir, tempNameFor(file));
  let fd: number | undefined;
  try {
    fd = openSync(tmp, "wx", mode);
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    chmodSync(tmp, mode);
    if (options.backup && existsSync(file)) {
      const bak = `${file}.bak`;
      copyFileSync(file, bak);
      chmodSync(bak, SECRET_FILE_MODE);
    }
    renameSync(tmp, file);
    try {
      const dirFd = openSync(dir, "r");
      try {
        fsyncSync(dirFd);
      } finally {
        closeSync(dirFd);
      }
    } catch {
      // Directory fsync is best-effort (not supported everywhere).
    }
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // Temp file never created or already renamed.
    }
    throw error instanceof AppError ? error : fsError("write", file, error);
  }
}

/**
 * `writeFileAtomic` for hot files on a live server: the same temp file, fsync, rename and directory
 * fsync, but on the thread pool, so a slow disk's fsync never stalls the event loop (other
 * connections keep streaming while a store is being made durable). No backup option.
 */
export async function writeFileAtomicAsync(file: string, data: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
  const mode = options.mode ?? SECRET_FILE_MODE;
  const dir = path.dirname(file);
  ensureDir(dir);
  if (!cleanedTargets.has(file)) {
    removeStaleTempFiles(file);
    cleanedTargets.add(file);
  }
  const tmp = path.join(dir, tempNameFor(file));
  let handle: Awaited<ReturnType<typeof fsp.open>> | undefined;
  try {
    handle = await fsp.open(tmp, "wx", mode);
    await handle.writeFile(typeof data === "string" ? Buffer.from(data, "utf8") : data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.chmod(tmp, mode);
    await fsp.rename(tmp, file);
    try {
      const dirHandle = await fsp.open(dir, "r");
      try {
        await dirHandle.sync();
      } finally {
        await dirHandle.close();
      }
    } catch {
      // Directory fsync is best-effort (not supported everywhere).
    }
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fsp.unlink(tmp).catch(() => undefined);
    throw error instanceof AppError ? error : fsError("write", file, error);
  }
}

/**
 * Reads a small text file without ever blocking on it: opened non-blocking, refused (null) unless
 * it is a regular file of at most `maxBytes`. For optional inputs such as `.env` files, where a FIFO
 * or a device must not freeze start-up; config files use the config module's stricter reader.
 */
export function readSmallRegularFile(file: string, maxBytes = 1024 * 1024): string | null {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return null;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > maxBytes) return null;
    const buf = Buffer.allocUnsafe(maxBytes + 1);
    let len = 0;
    for (;;) {
      const n = readSync(fd, buf, len, buf.length - len, null);
      if (n === 0) break;
      len += n;
      if (len > maxBytes) return null;
    }
    return buf.subarray(0, len).toString("utf8");
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** Fills `buf` from `fd` at `position` (null: the current offset); the bytes read. */
function readInto(fd: number, buf: Buffer, position: number | null): number {
  let len = 0;
  while (len < buf.length) {
    const n = readSync(fd, buf, len, buf.length - len, position === null ? null : position + len);
    if (n === 0) break;
    len += n;
  }
  return len;
}

/**
 * The first `headBytes` of a regular file and, when it is longer, up to `tailBytes` from its end,
 * without reading the middle; never blocks (non-blocking open). Null when it is missing, a symlink
 * or not a regular file. For previews and prompts over files that may be huge.
 */
export function readRegularFileEnds(file: string, headBytes: number, tailBytes = 0): { head: Buffer; tail?: Buffer; size: number } | null {
  let fd: number;
  try {
    if (lstatSync(file).isSymbolicLink()) return null;
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return null;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return null;
    const head = Buffer.allocUnsafe(Math.min(st.size, headBytes));
    const headLen = readInto(fd, head, null);
    const tailLen = Math.min(tailBytes, st.size - headLen);
    if (tailLen <= 0) return { head: head.subarray(0, headLen), size: st.size };
    const tail = Buffer.allocUnsafe(tailLen);
    const got = readInto(fd, tail, st.size - tailLen);
    return { head: head.subarray(0, headLen), tail: tail.subarray(0, got), size: st.size };
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
