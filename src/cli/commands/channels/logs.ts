/**
 * `openclaw channels logs [--channel <id|all>] [--lines <n>] [--json]`: the channel lines of the
 * gateway's file log (read directly; no gateway needed). A line belongs to the channels when its
 * subsystem is `gateway/channels` or below it; `--channel x` keeps `gateway/channels/x…`, a
 * subsystem rooted at `x` (OpenClaw's rule; `x-archive` is not `x`) and lines whose meta names
 * `channel: "x"`. `--json`: `{ file, channel, truncated, lines }` as OpenClaw prints it.
 */
import { type LogEntry, parseLogLine, readLogTail, renderPlainLogLine } from "../../../logging/index.js";
import { resolveGatewayLogFile } from "../../../ops/index.js";
import { AppError } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";
import { parseChannelId } from "./inventory.js";

const DEFAULT_LINES = 200;
/** How much of the file end is searched for matching lines (as OpenClaw: 1 MB). */
const MAX_BYTES = 1_000_000;

const rootedAt = (value: string, root: string) => value === root || value.startsWith(`${root}/`);

/** Whether a parsed log entry belongs to `channel` (or to any channel for `all`). */
export function matchesChannelLine(entry: LogEntry, channel: string): boolean {
  if (channel === "all") return rootedAt(entry.subsystem, "gateway/channels");
  if (rootedAt(entry.subsystem, `gateway/channels/${channel}`) || rootedAt(entry.subsystem, channel)) return true;
  return entry.meta?.channel === channel;
}

export const run: CommandHandler = (ctx) => {
  const channel = ctx.options.channel === undefined || (typeof ctx.options.channel === "string" && ctx.options.channel.trim().toLowerCase() === "all") ? "all" : parseChannelId(ctx.options.channel, "openclaw channels logs --channel telegram")!;
  const raw = ctx.options.lines;
  if (raw !== undefined && (typeof raw !== "number" || !Number.isInteger(raw) || raw <= 0)) {
    throw new AppError("USAGE", `--lines must be a positive integer, got ${JSON.stringify(raw)}`, { hint: "openclaw channels logs --lines 50 (default 200)" });
  }
  const limit = typeof raw === "number" ? raw : DEFAULT_LINES;
  const file = resolveGatewayLogFile(ctx.env, ctx.paths());
  // Every line in the last MB, filtered, then the newest `limit` of those.
  const tail = readLogTail({ file, limit: Number.MAX_SAFE_INTEGER, maxBytes: MAX_BYTES });
  const matched: Array<{ line: string; entry: LogEntry }> = [];
  for (const line of tail.lines) {
    const parsed = parseLogLine(line);
    if (parsed.type === "log" && matchesChannelLine(parsed.entry, channel)) matched.push({ line, entry: parsed.entry });
  }
  const shown = matched.slice(-limit);
  const truncated = tail.truncated || matched.length > shown.length;
  const human = [`Log file: ${file}`, ...(channel !== "all" ? [`Channel: ${channel}`] : []), ...(truncated ? ["Log tail truncated; earlier entries were omitted."] : [])];
  if (shown.length === 0) human.push(tail.size === 0 ? "No log lines yet (is the gateway writing to this file? openclaw logs)." : "No matching log lines.");
  else human.push(...shown.map((m) => renderPlainLogLine(m.line)));
  return { data: { file, channel, truncated, lines: shown.map((m) => m.entry) }, human };
};
