/**
 * The one way config text is read from disk (root file, includes, the base of a write). A config is
 * a few kilobytes of UTF-8, so anything else is refused before it can hurt the process: only regular
 * files (a FIFO, a device such as /dev/zero or a directory would block or never end), at most
 * `MAX_CONFIG_BYTES` (checked from fstat and again while reading), within a time limit, valid UTF-8
 * and without NUL bytes. Each refusal is one line that names the file, what it is and the fix.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { AppError } from "../shared/index.js";

/** The largest config file (root or include) we read: configs are kilobytes; 2 MiB is generous. */
export const MAX_CONFIG_BYTES = 2 * 1024 * 1024;
/** Reading one config file may take at most this long (a stalled network or FUSE mount). */
export const CONFIG_READ_TIMEOUT_MS = 5000;

export interface ReadConfigTextOptions {
  /** Names the file in errors: "config" or "included file". */
  label?: string;
  /** Appended to errors as the fix (e.g. "Fix the $include path in …"). */
  hint?: string;
  maxBytes?: number;
  timeoutMs?: number;
}

/** Where in a file a problem sits (for `file:line:col`). */
interface TextProblem {
  message: string;
  line: number;
  column: number;
}

function describeKind(st: ReturnType<typeof fstatSync>): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a named pipe (FIFO)";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

/** 1-based line and column of a byte offset, counting columns in bytes (good enough for a NUL or a bad byte). */
function byteLineColumn(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Offset of the first byte that is not part of a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** The first content problem of config bytes (invalid UTF-8, NUL byte), or undefined. */
function checkBytes(bytes: Uint8Array): TextProblem | undefined {
  const nul = bytes.indexOf(0);
  const bad = firstInvalidUtf8(nul >= 0 ? bytes.subarray(0, nul) : bytes);
  if (bad >= 0) return { message: `invalid UTF-8 byte 0x${bytes[bad]!.toString(16).padStart(2, "0")}`, ...byteLineColumn(bytes, bad) };
  if (nul >= 0) return { message: "NUL byte in a text file (is this a binary file?)", ...byteLineColumn(bytes, nul) };
  return undefined;
}

/**
 * Checks text handed to us instead of a file (an RPC apply, a write's result) the way a file is
 * checked: the size cap and NUL bytes. Throws `CONFIG_PARSE` with `file:line:col`.
 */
export function checkConfigText(file: string, text: string, maxBytes = MAX_CONFIG_BYTES): void {
  const size = Buffer.byteLength(text, "utf8");
  if (size > maxBytes) {
    throw new AppError("CONFIG_TOO_LARGE", `${file}: config text is ${formatSize(size)}, over the ${formatSize(maxBytes)} limit`, {
      hint: "Configs are a few kilobytes; move large data out of the config.",
      details: { file, size, maxBytes },
    });
  }
  const nul = text.indexOf("\0");
  if (nul >= 0) {
    const before = text.slice(0, nul);
    const line = before.split("\n").length;
    const column = nul - before.lastIndexOf("\n");
    throw new AppError("CONFIG_PARSE", `${file}:${line}:${column}: NUL byte in a text file (is this a binary file?)`, {
      hint: "Remove the NUL byte; config files are UTF-8 text.",
      details: { file, line, column },
    });
  }
}

/**
 * Reads a config file as UTF-8 text, refusing anything that is not a small regular text file.
 * Throws `CONFIG_INCLUDE`-style `AppError`s: `CONFIG_NOT_REGULAR`, `CONFIG_TOO_LARGE`, `CONFIG_PARSE`
 * (bad bytes, with `file:line:col`), `TIMEOUT`, or `CONFIG_INCLUDE` for a file that cannot be opened
 * (its errno in the message; `details.errno`).
 */
export function readConfigText(file: string, options: ReadConfigTextOptions = {}): string {
  const label = options.label ?? "config";
  const maxBytes = options.maxBytes ?? MAX_CONFIG_BYTES;
  const deadline = Date.now() + (options.timeoutMs ?? CONFIG_READ_TIMEOUT_MS);
  const hint = options.hint ?? "Check the path and its permissions.";
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO without a writer must not wait (we refuse it right after).
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new AppError("CONFIG_INCLUDE", `cannot read ${label} ${file}: ${code}`, { hint, details: { file, errno: code } });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      throw new AppError("CONFIG_NOT_REGULAR", `${label} ${file} is ${describeKind(st)}, not a regular file`, {
        hint: label === "config" ? "Point OPENCLAW_CONFIG_PATH at a regular JSON5 file." : hint,
        details: { file },
      });
    }
    if (st.size > maxBytes) {
      throw new AppError("CONFIG_TOO_LARGE", `${label} ${file} is ${formatSize(st.size)}, over the ${formatSize(maxBytes)} limit`, {
        hint: "Configs are a few kilobytes; check that this is the right file.",
        details: { file, size: st.size, maxBytes },
      });
    }
    // Read at most maxBytes + 1: a file that grows while we read is still caught.
    const buf = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(st.size + 1, 64 * 1024)));
    let len = 0;
    let chunk = buf;
    for (;;) {
      if (len === chunk.length) {
        if (chunk.length > maxBytes) break;
        const bigger = Buffer.allocUnsafe(Math.min(maxBytes + 1, chunk.length * 2));
        chunk.copy(bigger, 0, 0, len);
        chunk = bigger;
      }
      let n: number;
      try {
        n = readSync(fd, chunk, len, chunk.length - len, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? "error";
        if (code === "EAGAIN") throw new AppError("CONFIG_NOT_REGULAR", `${label} ${file} would block; it is not a regular file`, { hint, details: { file } });
        throw new AppError("CONFIG_INCLUDE", `cannot read ${label} ${file}: ${code}`, { hint, details: { file, errno: code } });
      }
      if (n === 0) break;
      len += n;
      if (Date.now() > deadline) {
        throw new AppError("TIMEOUT", `reading ${label} ${file} took longer than ${options.timeoutMs ?? CONFIG_READ_TIMEOUT_MS} ms`, {
          hint: "Keep the config on a local disk.",
          details: { file },
        });
      }
    }
    if (len > maxBytes) {
      throw new AppError("CONFIG_TOO_LARGE", `${label} ${file} is over the ${formatSize(maxBytes)} limit`, {
        hint: "Configs are a few kilobytes; check that this is the right file.",
        details: { file, maxBytes },
      });
    }
    const bytes = chunk.subarray(0, len);
    const problem = checkBytes(bytes);
    if (problem) {
      throw new AppError("CONFIG_PARSE", `${file}:${problem.line}:${problem.column}: ${problem.message}`, {
        hint: "Save the file as UTF-8 text.",
        details: { file, line: problem.line, column: problem.column },
      });
    }
    return bytes.toString("utf8");
  } finally {
    closeSync(fd);
  }
}
