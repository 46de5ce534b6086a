/** The console sink: pretty (coloured on a TTY unless NO_COLOR), compact, or JSON lines. */
import type { RecordLevel } from "./levels.js";
import { formatRecord, type LogEntry, parseLogLine } from "./record.js";

export type ConsoleStyle = "pretty" | "compact" | "json";

const COLORS: Record<RecordLevel, string> = { trace: "90", debug: "36", info: "32", warn: "33", error: "31", fatal: "35" };

/** `gateway/channels/whatsapp/outbound` → `whatsapp/outbound` (leading gateway/ and channels/ dropped, last two kept). */
export function shortSubsystem(subsystem: string): string {
  const parts = subsystem.replace(/^gateway\//, "").replace(/^channels\//, "").split("/").filter(Boolean);
  return parts.slice(-2).join("/");
}

/** Renders one entry for the console. */
export function renderConsoleLine(entry: LogEntry, style: ConsoleStyle, color: boolean): string {
  if (style === "json") return formatRecord(entry);
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const sub = shortSubsystem(entry.subsystem);
  const prefix = sub ? `${paint("90", `[${sub}]`)} ` : "";
  const meta = entry.meta && Object.keys(entry.meta).length > 0 ? ` ${JSON.stringify(entry.meta)}` : "";
  if (style === "compact") return `${prefix}${entry.message}${meta}`;
  const time = entry.time.slice(11, 19);
  const level = paint(COLORS[entry.level], entry.level.toUpperCase().padEnd(5));
  return `${paint("90", time)} ${level} ${prefix}${entry.message}${meta}`;
}

/** Whether to colour output written to `stream`. */
export function shouldColor(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== "0") return true;
  return Boolean(stream.isTTY) && env.TERM !== "dumb";
}

/**
 * One line of a log file for a human reading plain text (`logs --plain`, the `status --all` tail):
 * `time LEVEL [subsystem] message`. A line that is not a log record comes back unchanged.
 */
export function renderPlainLogLine(line: string): string {
  const parsed = parseLogLine(line);
  if (parsed.type === "raw") return line;
  return `${parsed.entry.time} ${parsed.entry.level.toUpperCase().padEnd(5)} ${renderConsoleLine(parsed.entry, "compact", false)}`;
}
