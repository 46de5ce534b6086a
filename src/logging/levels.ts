/** Log levels (tslog ids, so OpenClaw's readers understand our files). */

export type LogLevel = "silent" | "fatal" | "error" | "warn" | "info" | "debug" | "trace";
export type RecordLevel = Exclude<LogLevel, "silent">;

export const LEVEL_IDS: Record<RecordLevel, number> = { trace: 1, debug: 2, info: 3, warn: 4, error: 5, fatal: 6 };
export const LEVEL_NAMES = ["silent", "fatal", "error", "warn", "info", "debug", "trace"] as const;

/** True when a record at `level` passes a sink whose threshold is `threshold`. */
export function levelEnabled(level: RecordLevel, threshold: LogLevel): boolean {
  return threshold !== "silent" && LEVEL_IDS[level] >= LEVEL_IDS[threshold];
}

export function isLogLevel(value: string): value is LogLevel {
  return (LEVEL_NAMES as readonly string[]).includes(value);
}
