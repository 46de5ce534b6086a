/**
 * `openclaw logs` — the gateway's file log. Reads the file directly (works with no gateway running);
 * `--follow` keeps a cursor and starts again when the file rotates.
 */

import { GatewayClient } from "../../client/index.js";
import { type LogTail, parseLogLine, readLogTail, renderConsoleLine, renderPlainLogLine } from "../../logging/index.js";
import { resolveGatewayLogFile } from "../../ops/index.js";
import { targetFor, timeoutFor } from "../rpc.js";
import type { CommandContext, CommandHandler } from "../types.js";
import { readVersion } from "../version.js";

function logFileFor(ctx: CommandContext): string {
  return resolveGatewayLogFile(ctx.env, ctx.paths());
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
    else if (plain) out.write(`${renderPlainLogLine(line)}\n`);
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

type Source = { kind: "rpc" | "file"; file: string; tail(cursor?: number, limit?: number): Promise<LogTail>; close(): void };

/** The gateway's `logs.tail` when it answers; the file otherwise (never with an explicit --url). */
async function openSource(ctx: CommandContext, limit: number, maxBytes: number): Promise<Source> {
  const explicitUrl = typeof ctx.options.url === "string";
  try {
    const target = targetFor(ctx);
    const client = await GatewayClient.connect({
      url: target.url,
      token: target.token,
      password: target.password,
      timeoutMs: explicitUrl ? timeoutFor(ctx) : Math.min(timeoutFor(ctx), 1500),
      version: readVersion(),
    });
    const tail = async (cursor?: number, n = limit) =>
      (await client.call("logs.tail", { ...(cursor !== undefined ? { cursor } : {}), limit: Math.min(n, 5000), maxBytes: Math.min(maxBytes, 1_000_000) }, { timeoutMs: timeoutFor(ctx, 30_000) })) as LogTail;
    const first = await tail();
    let used = false;
    return {
      kind: "rpc",
      file: first.file,
      tail: (cursor, n) => {
        if (!used && cursor === undefined) {
          used = true;
          return Promise.resolve(first);
        }
        return tail(cursor, n);
      },
      close: () => client.close(),
    };
  } catch (error) {
    if (explicitUrl) throw error;
    const file = logFileFor(ctx);
    if (!ctx.json) ctx.warn(`gateway not reachable (${(error as Error).message.split(":")[0]}); reading ${file} directly`);
    return { kind: "file", file, tail: async (cursor, n = limit) => readLogTail({ file, limit: n, maxBytes, ...(cursor !== undefined ? { cursor } : {}) }), close: () => undefined };
  }
}

export const run: CommandHandler = async (ctx) => {
  const limit = typeof ctx.options.limit === "number" ? ctx.options.limit : 200;
  const maxBytes = typeof ctx.options["max-bytes"] === "number" ? ctx.options["max-bytes"] : 250_000;
  const source = await openSource(ctx, limit, maxBytes);
  try {
    let tail = await source.tail();
    if (!ctx.options.follow) {
      if (!ctx.json && tail.lines.length === 0) ctx.warn(`no log lines in ${tail.file || source.file}`);
      emit(ctx, tail, true);
      return { streamed: true };
    }
    if (!ctx.json) ctx.warn(`following ${tail.file || source.file} (Ctrl-C to stop)`);
    emit(ctx, tail, true);
    const interval = typeof ctx.options.interval === "number" ? Math.max(50, ctx.options.interval) : 1000;
    while (!ctx.io.signal.aborted) {
      await wait(interval, ctx.io.signal);
      if (ctx.io.signal.aborted) break;
      tail = await source.tail(tail.cursor, 5000);
      emit(ctx, tail, false);
    }
    return { streamed: true };
  } finally {
    source.close();
  }
};
