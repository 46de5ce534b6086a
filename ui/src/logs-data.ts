/**
 * The Logs page's data helpers: one file-log line as a row (the gateway writes tslog-shaped JSON
 * records: positional "0" bindings / "1" message / "2" meta, `_meta.logLevelName`, `time`, and a
 * top-level `message`; anything else is shown as plain text), folding `logs.tail` answers into the
 * kept rows (cursor, rotation and truncation notices, a cap), and the level and text filters. Pure
 * (unit-tested without a browser). The UI may not import src/logging, so the record shape is read here.
 */

type Obj = Record<string, unknown>;

/** Levels, least severe first (the `<select>` offers each as a minimum). */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** One kept row: a log record, a plain-text line, or the page's own notice (rotation, skipped lines). */
export interface LogRow {
  /** Increasing per page, for stable keys. */
  id: number;
  kind: "log" | "raw" | "notice";
  /** ISO time (empty when the line has none). */
  time: string;
  /** The record's level; plain lines and notices count as info for the filter. */
  level: LogLevelName;
  subsystem: string;
  message: string;
  /** Structured fields after the message, as compact JSON (empty when none). */
  extra: string;
}

const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});

function levelFrom(value: unknown): LogLevelName {
  const name = typeof value === "string" ? value.toLowerCase() : "";
  return (LOG_LEVELS as readonly string[]).includes(name) ? (name as LogLevelName) : name === "warning" ? "warn" : "info";
}

/** The subsystem a tslog name binding carries (`{"subsystem":"gateway"}`), or the text itself. */
function subsystemFrom(name: unknown): string {
  if (typeof name !== "string" || !name) return "";
  if (!name.startsWith("{")) return name;
  try {
    const b = obj(JSON.parse(name));
    return String(b.subsystem ?? b.module ?? "");
  } catch {
    return name;
  }
}

/** Parses one line of the gateway's file log into a row (non-JSON and non-object lines become `raw`). */
export function parseLogRow(line: string, id: number): LogRow {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    value = undefined;
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return { id, kind: "raw", time: "", level: "info", subsystem: "", message: line, extra: "" };
  const record = value as Obj;
  const meta = obj(record._meta ?? record._logMeta);
  let parts = Object.keys(record)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => record[k]);
  let subsystem = subsystemFrom(meta.name);
  if (parts.length > 1 && typeof parts[0] === "string" && parts[0].startsWith("{")) {
    subsystem ||= subsystemFrom(parts[0]);
    parts = parts.slice(1);
  }
  const positional = parts.filter((p): p is string => typeof p === "string").join(" ");
  const message = typeof record.message === "string" ? record.message : positional || (typeof record.msg === "string" ? record.msg : "");
  const extra = parts.find((p) => p !== null && typeof p === "object");
  return {
    id,
    kind: "log",
    time: typeof record.time === "string" ? record.time : typeof meta.date === "string" ? meta.date : "",
    level: levelFrom(meta.logLevelName ?? record.level),
    subsystem: subsystem || (typeof record.subsystem === "string" ? record.subsystem : typeof record.module === "string" ? record.module : ""),
    message,
    extra: extra ? JSON.stringify(extra) : "",
  };
}

/** A `logs.tail` answer, narrowed (see src/logging/reader.ts). */
export interface LogTailAnswer {
  file: string;
  cursor: number;
  lines: string[];
  truncated: boolean;
  reset: boolean;
}

/** Reads a `logs.tail` answer; missing fields degrade to an empty read. */
export function parseLogTail(result: unknown): LogTailAnswer {
  const r = obj(result);
  return {
    file: typeof r.file === "string" ? r.file : "",
    cursor: typeof r.cursor === "number" && r.cursor >= 0 ? r.cursor : 0,
    lines: Array.isArray(r.lines) ? r.lines.filter((l): l is string => typeof l === "string") : [],
    truncated: r.truncated === true,
    reset: r.reset === true,
  };
}

/** What the page keeps between polls. */
export interface LogTailState {
  /** The file the cursor belongs to ("" before the first read). */
  file: string;
  /** Byte offset to continue from (undefined before the first read). */
  cursor: number | undefined;
  rows: LogRow[];
  nextId: number;
}

export const EMPTY_TAIL: LogTailState = { file: "", cursor: undefined, rows: [], nextId: 1 };

/**
 * Whether an answer was read with a cursor from another file (the log moved: `logging.file`
 * changed); the page then reads the new file from its start (`cursor: 0`) instead of using it.
 */
export function fileChanged(state: LogTailState, answer: LogTailAnswer): boolean {
  return state.cursor !== undefined && state.file !== "" && answer.file !== "" && answer.file !== state.file;
}

/**
 * Folds a `logs.tail` answer into the state: a notice when the file was rotated or truncated
 * (`reset`, reading restarted at its start), when a later read skipped lines (`truncated`), or when
 * the file moved (`moved`); then the rows; at most `cap` rows are kept (oldest dropped).
 */
export function applyLogTail(state: LogTailState, answer: LogTailAnswer, options: { cap: number; moved?: boolean }): LogTailState {
  let nextId = state.nextId;
  const added: LogRow[] = [];
  const notice = (message: string) => added.push({ id: nextId++, kind: "notice", time: "", level: "info", subsystem: "", message, extra: "" });
  const first = state.cursor === undefined;
  if (options.moved) notice(`log file changed: now reading ${answer.file}`);
  else if (answer.reset) notice("log file rotated or truncated; reading from its start");
  else if (answer.truncated && !first) notice("some lines were skipped (too many since the last read)");
  for (const line of answer.lines) added.push(parseLogRow(line, nextId++));
  const rows = added.length === 0 ? state.rows : [...state.rows, ...added];
  return { file: answer.file || state.file, cursor: answer.cursor, rows: rows.length > options.cap ? rows.slice(rows.length - options.cap) : rows, nextId };
}

/** The rows at or above `minLevel` whose text contains `text` (case-insensitive); notices always show. */
export function filterLogRows(rows: readonly LogRow[], minLevel: LogLevelName, text: string): LogRow[] {
  const min = LOG_LEVELS.indexOf(minLevel);
  const needle = text.trim().toLowerCase();
  return rows.filter((r) => {
    if (r.kind === "notice") return true;
    if (LOG_LEVELS.indexOf(r.level) < min) return false;
    return !needle || `${r.time} ${r.level} ${r.subsystem} ${r.message} ${r.extra}`.toLowerCase().includes(needle);
  });
}

/** An ISO time as local `HH:MM:SS` (the input itself when it is not a time). */
export function formatLogTime(iso: string): string {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
