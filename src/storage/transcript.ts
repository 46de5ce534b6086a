/**
 * Session transcripts (`<sessionId>.jsonl`, spec §8.4) that survive kill -9: each record is one
 * whole line written with a single write(2) on an O_APPEND descriptor, so a crash leaves at worst
 * one torn last line. The loader never throws for content: it truncates a torn tail (reporting
 * it), skips and reports unparseable middle lines, and keeps every complete record.
 */
import { closeSync, constants, fstatSync, ftruncateSync, openSync, readSync, writeSync } from "node:fs";
import path from "node:path";
import { ensureDir, fsError, readRegularFileEnds } from "../infra/index.js";
import { AppError } from "../shared/index.js";

/** One transcript record (header, message, compaction, …); an object by construction. */
export type TranscriptRecord = Record<string, unknown>;

/** Serialises one record as exactly one line (JSON never contains a raw newline). */
export function encodeTranscriptLine(record: TranscriptRecord): Buffer {
  return Buffer.from(`${JSON.stringify(record)}\n`, "utf8");
}

const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK;

/** Opens a transcript for appending; anything but a regular file is refused (a FIFO would block the writer). */
function openForAppend(file: string): number {
  ensureDir(path.dirname(file));
  let fd: number;
  try {
    fd = openSync(file, APPEND_FLAGS, 0o600);
  } catch (error) {
    throw fsError("open", file, error);
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new AppError("FS", `${file} is not a regular file; refusing to append a transcript to it`, { hint: `Move ${file} aside; the session starts a fresh transcript.` });
  }
  return fd;
}

function writeWhole(fd: number, bytes: Buffer): void {
  // A regular file takes the whole buffer in one write(2); the loop only guards odd filesystems.
  let off = writeSync(fd, bytes, 0, bytes.length);
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

/** Appends one record to a transcript (creating it 0600), one write(2) on O_APPEND. */
export function appendTranscriptRecord(file: string, record: TranscriptRecord): void {
  const fd = openForAppend(file);
  try {
    writeWhole(fd, encodeTranscriptLine(record));
  } finally {
    closeSync(fd);
  }
}

/** A transcript kept open for a run of appends (one fd, one write per record). */
export interface TranscriptAppender {
  file: string;
  append(record: TranscriptRecord): void;
  close(): void;
}

/** Opens `file` for appending; the caller holds the session's write lock. */
export function openTranscriptAppender(file: string): TranscriptAppender {
  let fd: number | undefined = openForAppend(file);
  return {
    file,
    append(record) {
      if (fd === undefined) throw new Error(`transcript ${file} is closed`);
      writeWhole(fd, encodeTranscriptLine(record));
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/** What the loader found wrong and what it did about it. */
export interface TranscriptProblems {
  /** The last line had no newline: dropped (`truncated`) or, when it parsed whole, completed. */
  tornTail?: { line: number; bytes: number; action: "truncated" | "completed" | "reported" };
  /** 1-based numbers of complete lines that are not a JSON object (kept on disk, skipped). */
  badLines: number[];
  /** The file could not be read at all (permissions, a directory, …). */
  unreadable?: string;
}

export interface LoadedTranscript {
  file: string;
  records: TranscriptRecord[];
  problems: TranscriptProblems;
  /** True when nothing was wrong. */
  clean: boolean;
}

export interface LoadTranscriptOptions {
  /** Fix a torn tail on disk (default true); false only reports (read-only checks). */
  repair?: boolean;
}

function parseRecord(text: string): TranscriptRecord | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as TranscriptRecord) : undefined;
  } catch {
    return undefined;
  }
}

function readAll(fd: number): Buffer {
  const size = fstatSync(fd).size;
  const buf = Buffer.alloc(size);
  let off = 0;
  while (off < size) {
    const n = readSync(fd, buf, off, size - off, off);
    if (n === 0) break;
    off += n;
  }
  return off === size ? buf : buf.subarray(0, off);
}

/**
 * Loads a transcript. A missing file is an empty transcript. Never throws: an unreadable file is
 * reported in `problems.unreadable` with no records. With `repair` (the default; take the session
 * lock first) a torn tail is truncated at the last newline, or completed with one if it parses.
 */
export function loadTranscript(file: string, options: LoadTranscriptOptions = {}): LoadedTranscript {
  const repair = options.repair ?? true;
  const problems: TranscriptProblems = { badLines: [] };
  let fd: number;
  try {
    // Non-blocking open: a FIFO or device named like a transcript must not hang the loader.
    fd = openSync(file, (repair ? constants.O_RDWR : constants.O_RDONLY) | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { file, records: [], problems, clean: true };
    problems.unreadable = `${code ?? "error"}: ${(error as Error).message}`;
    return { file, records: [], problems, clean: false };
  }
  try {
    let buf: Buffer;
    try {
      if (!fstatSync(fd).isFile()) {
        problems.unreadable = "not a regular file";
        return { file, records: [], problems, clean: false };
      }
      buf = readAll(fd);
    } catch (error) {
      problems.unreadable = (error as Error).message;
      return { file, records: [], problems, clean: false };
    }
    const records: TranscriptRecord[] = [];
    const lastNl = buf.lastIndexOf(0x0a);
    const body = buf.subarray(0, lastNl + 1).toString("utf8");
    const lines = body.split("\n");
    lines.pop();
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (!line.trim()) continue;
      const rec = parseRecord(line);
      if (rec) records.push(rec);
      else problems.badLines.push(i + 1);
    }
    const tail = buf.subarray(lastNl + 1);
    if (tail.length > 0) {
      const rec = tail.toString("utf8").trim() ? parseRecord(tail.toString("utf8")) : undefined;
      let action: "truncated" | "completed" | "reported" = "reported";
      if (rec) records.push(rec);
      if (repair) {
        try {
          if (rec) {
            writeSync(fd, "\n", buf.length);
            action = "completed";
          } else {
            ftruncateSync(fd, lastNl + 1);
            action = "truncated";
          }
        } catch {
          action = "reported";
        }
      }
      problems.tornTail = { line: lines.length + 1, bytes: tail.length, action };
    }
    return { file, records, problems, clean: !problems.tornTail && problems.badLines.length === 0 };
  } finally {
    closeSync(fd);
  }
}

/** A one-line description of a transcript's problems, or undefined when clean. */
export function describeTranscriptProblems(t: LoadedTranscript): string | undefined {
  const parts: string[] = [];
  const p = t.problems;
  if (p.unreadable) parts.push(`unreadable (${p.unreadable})`);
  if (p.tornTail) parts.push(`torn last line ${p.tornTail.line} (${p.tornTail.bytes} bytes, ${p.tornTail.action})`);
  if (p.badLines.length) parts.push(`${p.badLines.length} unparseable line(s) (${p.badLines.slice(0, 5).join(", ")}${p.badLines.length > 5 ? ", …" : ""})`);
  return parts.length ? parts.join("; ") : undefined;
}

/**
 * The records in the last `maxBytes` of a transcript (from a line boundary), read-only and without
 * loading the whole file: for previews. Unparseable lines (a torn tail) are skipped; null when the
 * file cannot be read, is a symlink or is not a regular file.
 */
export function readTranscriptTail(file: string, maxBytes: number): TranscriptRecord[] | null {
  const read = readRegularFileEnds(file, 0, maxBytes);
  if (!read) return null;
  let text = (read.tail ?? read.head).toString("utf8");
  // A cut start is mid-line: drop that partial first line.
  if (read.size > maxBytes) text = text.slice(text.indexOf("\n") + 1);
  return text.split("\n").flatMap((line) => {
    const r = line.trim() ? parseRecord(line) : undefined;
    return r ? [r] : [];
  });
}
