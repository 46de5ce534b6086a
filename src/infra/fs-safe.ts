/**
 * File writes that never lose data: temp file + fsync + rename, modes set explicitly, the previous
 * version kept as `.bak`. Directories are created 0700.
 */
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, chmodSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";
import { AppError } from "../shared/index.js";

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

/**
 * Writes `data` to `file` atomically: a temp file beside it is written, fsynced and renamed over the
 * target. On any failure the target is untouched and the temp file is removed.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const mode = options.mode ?? SECRET_FILE_MODE;
  const dir = path.dirname(file);
  ensureDir(dir);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
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
