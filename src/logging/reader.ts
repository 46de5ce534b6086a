/**
 * Reading the file log from its end: the same semantics serve `openclaw logs` (no gateway) and the
 * gateway's `logs.tail` RPC. A cursor is a byte offset in the current file; a cursor past the end
 * means the file was rotated or truncated, and the read starts again (`reset: true`).
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { redactText, redactValue } from "../shared/index.js";

export interface LogTailOptions {
  file: string;
  /** Maximum lines returned (default 200). */
  limit?: number;
  /** Maximum bytes read (default 250000). */
  maxBytes?: number;
  /** Continue from this offset (from a previous result). */
  cursor?: number;
}

export interface LogTail {
  file: string;
  cursor: number;
  size: number;
  lines: string[];
  /** Older data exists before the returned lines. */
  truncated: boolean;
  /** The cursor no longer fit the file (rotated or truncated); reading restarted at the tail. */
  reset: boolean;
}

function readRange(file: string, start: number, end: number): string {
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.alloc(end - start);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, start + off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/**
 * One log line with its secrets masked. Lines are redacted when written, but a file may hold lines
 * from an older version or another writer; whoever reads the log (`openclaw logs`, `logs.tail`,
 * `status --all`) sees them masked. A JSON line stays JSON (its fields masked in place).
 */
export function redactLogLine(line: string): string {
  const masked = redactText(line);
  if (masked === line) return line;
  try {
    return JSON.stringify(redactValue(JSON.parse(line) as unknown));
  } catch {
    return masked;
  }
}

/** Reads the end of a log file (lines masked, see `redactLogLine`). A missing file gives no lines. */
export function readLogTail(options: LogTailOptions): LogTail {
  const limit = Math.max(1, options.limit ?? 200);
  const maxBytes = Math.max(1, options.maxBytes ?? 250_000);
  let size: number;
  try {
    size = statSync(options.file).size;
  } catch {
    return { file: options.file, cursor: 0, size: 0, lines: [], truncated: false, reset: options.cursor !== undefined && options.cursor > 0 };
  }
  let reset = false;
  let start: number;
  if (options.cursor !== undefined && options.cursor >= 0 && options.cursor <= size) {
    start = options.cursor;
  } else {
    reset = options.cursor !== undefined;
    start = 0;
  }
  let truncated = false;
  if (size - start > maxBytes) {
    start = size - maxBytes;
    truncated = true;
  }
  let text = readRange(options.file, start, size);
  // Only whole lines: drop a partial first line when we did not start at a line boundary, and keep
  // an unterminated last line for the next read.
  if (start > 0 && (truncated || options.cursor === undefined || reset)) {
    const nl = text.indexOf("\n");
    if (start > 0 && readRange(options.file, start - 1, start) !== "\n") {
      text = nl < 0 ? "" : text.slice(nl + 1);
    }
  }
  const lastNl = text.lastIndexOf("\n");
  const complete = lastNl < 0 ? "" : text.slice(0, lastNl);
  const consumed = Buffer.byteLength(complete) + (lastNl < 0 ? 0 : 1);
  const endOffset = size - (Buffer.byteLength(text) - consumed);
  let lines = complete.length === 0 ? [] : complete.split("\n");
  if (lines.length > limit) {
    lines = lines.slice(-limit);
    truncated = true;
  }
  lines = lines.map(redactLogLine);
  return { file: options.file, cursor: endOffset, size, lines, truncated: truncated || (options.cursor === undefined && start > 0), reset };
}
