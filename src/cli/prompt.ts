/** Reading secrets from a person or a pipe: a hidden terminal prompt, or stdin when it is not a terminal. Never argv. */
import { AppError } from "../shared/index.js";

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
