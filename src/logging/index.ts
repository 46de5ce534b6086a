/** L2: structured logging — levels, tslog-compatible JSONL file with rotation, console, reader. */

export { type ConsoleStyle, renderConsoleLine, renderPlainLogLine, shortSubsystem, shouldColor } from "./console-sink.js";
export { localDay, RollingFileSink, resolveCurrentLogFile, resolveLogFiles } from "./file-sink.js";
export { isLogLevel, LEVEL_NAMES, type LogLevel, type RecordLevel } from "./levels.js";
export { configureLogging, createLogger, currentLogFile, type Logger, type LoggingSettings, onLogRecord } from "./logger.js";
export { type LogTail, type LogTailOptions, readLogTail, redactLogLine } from "./reader.js";
export { formatRecord, type LogEntry, type ParsedLine, parseLogLine } from "./record.js";
