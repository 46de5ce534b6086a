/**
 * `createLogger(subsystem)` — the one module-level singleton the house allows. Records go to a
 * rolling JSONL file and to the console (stderr), each with its own level; secrets are redacted
 * before any sink sees a record. Until `configureLogging` is called, only warnings and errors reach
 * the console and nothing is written to a file, so importing a logger costs nothing.
 */
import { redactText, redactValue } from "../shared/index.js";
import { type ConsoleStyle, renderConsoleLine } from "./console-sink.js";
import { RollingFileSink } from "./file-sink.js";
import { type LogLevel, levelEnabled, type RecordLevel } from "./levels.js";
import { formatRecord, type LogEntry } from "./record.js";

export interface LoggingSettings {
  fileLevel: LogLevel;
  consoleLevel: LogLevel;
  /** Configured file path (`logging.file`); undefined disables the file sink. */
  file?: string | undefined;
  maxFileBytes: number;
  consoleStyle: ConsoleStyle;
  color: boolean;
  /** Where console lines go (default: process.stderr). */
  console?: { write(text: string): unknown };
  /** Extra regexes (logging.redactPatterns) whose matches are masked. */
  redactPatterns?: readonly string[];
  /** Literal secrets to mask wherever they appear (resolved gateway token, …). */
  secrets?: readonly string[];
  now?: () => Date;
}

export interface Logger {
  readonly subsystem: string;
  trace(message: string, meta?: Record<string, unknown>): void;
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
  fatal(message: string, meta?: Record<string, unknown>): void;
  child(name: string): Logger;
  isEnabled(level: RecordLevel): boolean;
}

interface Runtime {
  settings: LoggingSettings;
  sink: RollingFileSink | undefined;
  patterns: RegExp[];
  listeners: Set<(entry: LogEntry) => void>;
}

const runtime: Runtime = {
  settings: { fileLevel: "silent", consoleLevel: "warn", maxFileBytes: 100 * 1024 * 1024, consoleStyle: "compact", color: false },
  sink: undefined,
  patterns: [],
  listeners: new Set(),
};

function compilePattern(source: string): RegExp | undefined {
  try {
    const m = /^\/(.*)\/([a-z]*)$/.exec(source);
    if (m) return new RegExp(m[1]!, m[2]!.includes("g") ? m[2] : `${m[2]}g`);
    return new RegExp(source, "gi");
  } catch {
    return undefined;
  }
}

/** (Re)configures every logger. Safe to call again on a config reload. */
export function configureLogging(settings: LoggingSettings): void {
  const fileChanged = settings.file !== runtime.settings.file || settings.maxFileBytes !== runtime.settings.maxFileBytes;
  if (fileChanged) {
    runtime.sink?.close();
    runtime.sink = settings.file
      ? new RollingFileSink({ file: settings.file, maxFileBytes: settings.maxFileBytes, ...(settings.now ? { now: settings.now } : {}) })
      : undefined;
  }
  runtime.settings = settings;
  runtime.patterns = (settings.redactPatterns ?? []).map(compilePattern).filter((r): r is RegExp => r !== undefined);
}

/** The current file sink's path (for `logs`, `status`), if any. */
export function currentLogFile(): string | undefined {
  return runtime.sink?.currentPath;
}

/** Subscribe to every record after redaction (the gateway's log stream, tests). Returns unsubscribe. */
export function onLogRecord(listener: (entry: LogEntry) => void): () => void {
  runtime.listeners.add(listener);
  return () => runtime.listeners.delete(listener);
}

function redactOptions() {
  return { literals: runtime.settings.secrets ?? [], patterns: runtime.patterns };
}

function redact(text: string): string {
  return redactText(text, redactOptions());
}

function emit(subsystem: string, level: RecordLevel, message: string, meta?: Record<string, unknown>): void {
  const s = runtime.settings;
  const toFile = runtime.sink !== undefined && levelEnabled(level, s.fileLevel);
  const toConsole = levelEnabled(level, s.consoleLevel);
  if (!toFile && !toConsole && runtime.listeners.size === 0) return;
  const entry: LogEntry = { time: (s.now?.() ?? new Date()).toISOString(), level, subsystem, message: redact(message) };
  if (meta && Object.keys(meta).length > 0) entry.meta = redactValue(meta, redactOptions());
  if (toFile) {
    runtime.sink!.write(formatRecord(entry), (error) => {
      (s.console ?? process.stderr).write(`[logging] file sink disabled: ${redact(String((error as Error).message ?? error))}\n`);
    });
  }
  if (toConsole) (s.console ?? process.stderr).write(`${renderConsoleLine(entry, s.consoleStyle, s.color)}\n`);
  for (const listener of runtime.listeners) listener(entry);
}

/** A logger for one subsystem (`gateway`, `gateway/reload`, `cli`, …). Logging never throws. */
export function createLogger(subsystem: string): Logger {
  const log = (level: RecordLevel) => (message: string, meta?: Record<string, unknown>) => {
    try {
      emit(subsystem, level, message, meta);
    } catch {
      // A record that cannot be rendered is dropped rather than breaking the caller.
    }
  };
  return {
    subsystem,
    trace: log("trace"),
    debug: log("debug"),
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
    fatal: log("fatal"),
    child: (name) => createLogger(`${subsystem}/${name}`),
    isEnabled: (level) => levelEnabled(level, runtime.settings.fileLevel) || levelEnabled(level, runtime.settings.consoleLevel),
  };
}
