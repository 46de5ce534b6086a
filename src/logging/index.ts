/** L2: structured logging — levels, tslog-compatible JSONL file with rotation, console, reader. */
export { createLogger, configureLogging, currentLogFile, onLogRecord, type Logger, type LoggingSettings } from "./logger.js";
export { type LogLevel, type RecordLevel, isLogLevel, LEVEL_NAMES } from "./levels.js";
export { formatRecord, parseLogLine, type LogEntry, type ParsedLine } from "./record.js";
export { RollingFileSink, resolveLogFiles, resolveCurrentLogFile, localDay } from "./file-sink.js";
export { readLogTail, redactLogLine, type LogTail, type LogTailOptions } from "./reader.js";
export { renderConsoleLine, shouldColor, shortSubsystem, type ConsoleStyle } from "./console-sink.js";
