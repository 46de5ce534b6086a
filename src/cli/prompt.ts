/** Asking a person: yes/no on a terminal, secrets through a hidden prompt or a pipe (never argv). */
import { createInterface } from "node:readline/promises";
import { AppError } from "../shared/index.js";
import type { CommandContext } from "./types.js";

/** True when the command may ask: a terminal on stdin and stderr, and no --json. */
export function canAsk(ctx: CommandContext): boolean {
  return process.stdin.isTTY === true && ctx.io.stderr.isTTY === true && !ctx.json;
}

/** Asks one question on the terminal; Ctrl-C or end of input answers "". */
export async function askOnTerminal(ctx: CommandContext, question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const onAbort = () => rl.close();
  ctx.io.signal.addEventListener("abort", onAbort, { once: true });
  try {
    return (await rl.question(question)).trim();
  } catch {
    return "";
  } finally {
    ctx.io.signal.removeEventListener("abort", onAbort);
    rl.close();
  }
}

/** Asks a yes/no question on the terminal (default no). */
export async function confirmOnTerminal(ctx: CommandContext, question: string): Promise<boolean> {
  return /^y(es)?$/i.test(await askOnTerminal(ctx, question));
}

/** Reads a line from the terminal without echoing it. */
export function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    let value = "";
    stdin.setRawMode?.(true);
    stdin.resume();
    const done = (fn: () => void) => {
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stderr.write("\n");
      fn();
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return done(() => resolve(value));
        if (ch === "\u0003") return done(() => reject(new AppError("INTERRUPTED", "interrupted")));
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

const MAX_PIPED_SECRET = 64 * 1024;

/** Reads a piped secret from stdin (trimmed), bounded in size and time so nothing a user runs can hang. */
export function readPipedSecret(o: { timeoutMs: number; what: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    let text = "";
    const finish = (fn: () => void) => {
      clearTimeout(timer);
      stdin.off("data", onData);
      stdin.off("end", onEnd);
      stdin.off("error", onError);
      stdin.pause();
      fn();
    };
    const onData = (chunk: Buffer) => {
      text += chunk.toString("utf8");
      if (text.length > MAX_PIPED_SECRET) finish(() => reject(new AppError("USAGE", `the ${o.what} on stdin is larger than ${MAX_PIPED_SECRET} bytes`)));
    };
    const onEnd = () => finish(() => resolve(text.trim()));
    const onError = (e: Error) => finish(() => reject(new AppError("FS", `cannot read the ${o.what} from stdin: ${e.message}`)));
    const timer = setTimeout(
      () => finish(() => reject(new AppError("TIMEOUT", `no ${o.what} arrived on stdin within ${o.timeoutMs / 1000} s`, { hint: "Pipe it in: printf '%s' \"$TOKEN\" | openclaw …" }))),
      o.timeoutMs,
    );
    stdin.on("data", onData);
    stdin.on("end", onEnd);
    stdin.on("error", onError);
    stdin.resume();
  });
}
