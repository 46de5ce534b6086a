/**
 * The file-log record: one JSON object per line in tslog's shape (positional "0", "1"… keys, `_meta`,
 * ISO `time`, top-level `message`), which is what OpenClaw's own `logs` command and Control UI parse.
 */
import { LEVEL_IDS, type RecordLevel } from "./levels.js";

export interface LogEntry {
  time: string;
  level: RecordLevel;
  subsystem: string;
  message: string;
  meta?: Record<string, unknown>;
}

/** Serialises an entry as one tslog-compatible JSON line (no trailing newline). */
export function formatRecord(entry: LogEntry): string {
  const name = JSON.stringify({ subsystem: entry.subsystem });
  const record: Record<string, unknown> = { "0": name, "1": entry.message };
  if (entry.meta && Object.keys(entry.meta).length > 0) record["2"] = entry.meta;
  record._meta = {
    runtime: "node",
    date: entry.time,
    logLevelId: LEVEL_IDS[entry.level],
    logLevelName: entry.level.toUpperCase(),
    name,
    parentNames: ["openclaw"],
  };
  record.time = entry.time;
  // OpenClaw 2026.x also writes the message as a top-level field; its `logs` command and Control UI
  // show that field, and without it they print the bindings JSON in front of the message.
  record.message = entry.message;
  return JSON.stringify(record);
}

export type ParsedLine = { type: "log"; entry: LogEntry } | { type: "raw"; line: string };

const NAME_TO_LEVEL: Record<string, RecordLevel> = { TRACE: "trace", DEBUG: "debug", INFO: "info", WARN: "warn", ERROR: "error", FATAL: "fatal" };

function subsystemFrom(name: unknown): string {
  if (typeof name !== "string") return "";
  try {
    const parsed = JSON.parse(name) as Record<string, unknown>;
    return String(parsed.subsystem ?? parsed.module ?? "");
  } catch {
    return name;
  }
}

/** Parses one line of a log file (ours or OpenClaw's); anything else comes back as `raw`. */
export function parseLogLine(line: string): ParsedLine {
  let obj: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(line);
    if (v === null || typeof v !== "object" || Array.isArray(v)) return { type: "raw", line };
    obj = v as Record<string, unknown>;
  } catch {
    return { type: "raw", line };
  }
  const meta = (obj._meta ?? obj._logMeta) as Record<string, unknown> | undefined;
  const levelName = String(meta?.logLevelName ?? obj.level ?? "INFO").toUpperCase();
  const positional = Object.keys(obj)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => obj[k]);
  let subsystem = subsystemFrom(meta?.name);
  let parts = positional;
  if (parts.length > 1 && typeof parts[0] === "string" && parts[0].startsWith("{")) {
    subsystem = subsystem || subsystemFrom(parts[0]);
    parts = parts.slice(1);
  }
  const message = parts.filter((p) => typeof p === "string").join(" ") || String(obj.msg ?? obj.message ?? "");
  const extra = parts.find((p) => p !== null && typeof p === "object") as Record<string, unknown> | undefined;
  const entry: LogEntry = {
    time: String(obj.time ?? meta?.date ?? ""),
    level: NAME_TO_LEVEL[levelName] ?? "info",
    subsystem: subsystem || String(obj.subsystem ?? ""),
    message,
  };
  if (extra) entry.meta = extra;
  return { type: "log", entry };
}
