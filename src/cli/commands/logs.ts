/**
 * `openclaw logs` — the gateway's file log. Reads the file directly (works with no gateway running);
 * `--follow` keeps a cursor and starts again when the file rotates.
 */
import { readConfigInput } from "../../config/index.js";
import { defaultLogDir, expandUserPath } from "../../infra/index.js";
import { type LogTail, parseLogLine, readLogTail, renderConsoleLine, resolveCurrentLogFile } from "../../logging/index.js";
import type { CommandContext, CommandHandler } from "../types.js";

function logFileFor(ctx: CommandContext): string {
  const { input } = readConfigInput({ configPath: ctx.paths().configPath, env: ctx.env, lenientEnv: true });
  const logging = input.logging as { file?: unknown } | undefined;
  const configured = typeof logging?.file === "string" && logging.file.trim() ? expandUserPath(logging.file, ctx.env) : undefined;
  return resolveCurrentLogFile(configured, defaultLogDir(ctx.env));
}

function emit(ctx: CommandContext, tail: LogTail, first: boolean): void {
  const out = ctx.io.stdout;
  const plain = ctx.options.plain === true || !ctx.color;
  if (ctx.json) {
    if (first) out.write(`${JSON.stringify({ type: "meta", file: tail.file, cursor: tail.cursor, size: tail.size })}\n`);
    if (tail.reset) out.write(`${JSON.stringify({ type: "notice", message: "log file rotated or truncated; reading from the start" })}\n`);
    else if (tail.truncated && first) out.write(`${JSON.stringify({ type: "notice", message: "older lines omitted (raise --limit or --max-bytes)" })}\n`);
    for (const line of tail.lines) {
      const parsed = parseLogLine(line);
      out.write(`${JSON.stringify(parsed.type === "log" ? { type: "log", ...parsed.entry } : { type: "raw", line })}\n`);
    }
    return;
  }
  if (tail.reset) ctx.io.stderr.write("-- log file rotated; reading from the start --\n");
  for (const line of tail.lines) {
    const parsed = parseLogLine(line);
    if (parsed.type === "raw") out.write(`${line}\n`);
    else if (plain) out.write(`${parsed.entry.time} ${parsed.entry.level.toUpperCase().padEnd(5)} ${renderConsoleLine(parsed.entry, "compact", false)}\n`);
    else out.write(`${renderConsoleLine(parsed.entry, "pretty", true)}\n`);
  }
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

export const run: CommandHandler = async (ctx) => {
  const file = logFileFor(ctx);
  const limit = typeof ctx.options.limit === "number" ? ctx.options.limit : 200;
  const maxBytes = typeof ctx.options["max-bytes"] === "number" ? ctx.options["max-bytes"] : 250_000;
  let tail = readLogTail({ file, limit, maxBytes });
  if (!ctx.options.follow) {
    if (!ctx.json && tail.lines.length === 0) ctx.warn(`no log lines in ${file}`);
    emit(ctx, tail, true);
    return { streamed: true };
  }
  if (!ctx.json) ctx.warn(`following ${file} (Ctrl-C to stop)`);
  emit(ctx, tail, true);
  const interval = typeof ctx.options.interval === "number" ? Math.max(50, ctx.options.interval) : 1000;
  while (!ctx.io.signal.aborted) {
    await wait(interval, ctx.io.signal);
    if (ctx.io.signal.aborted) break;
    tail = readLogTail({ file, limit: 10_000, maxBytes, cursor: tail.cursor });
    emit(ctx, tail, false);
  }
  return { streamed: true };
};
