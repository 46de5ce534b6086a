/**
 * Runs one shell command for the `exec` tool: its own process group (so a timeout or an abort kills
 * everything it started), stdout and stderr captured together up to a byte cap (the rest is counted,
 * not kept), and a result that says how it ended.
 */
import { spawn } from "node:child_process";

/** The longest delay setTimeout honours. */
export const MAX_TIMER_MS = 2_147_483_647;

export interface ShellRunOptions {
  command: string;
  cwd: string;
  env: Record<string, string | undefined>;
  /** 0 = no timeout. */
  timeoutMs: number;
  signal: AbortSignal;
  /** Bytes of output kept (the rest is counted). */
  maxBytes: number;
}

export interface ShellRunResult {
  output: string;
  droppedBytes: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
  pid: number | undefined;
}

/** The shell exec uses: `$SHELL` when set (fish → `/bin/sh`, its syntax differs), else `/bin/sh`. */
export function resolveExecShell(env: Record<string, string | undefined>): string {
  const sh = env.SHELL;
  if (!sh || /(^|\/)fish$/.test(sh)) return "/bin/sh";
  return sh;
}

/** Spawns `command` in a shell and resolves when it has exited (never rejects for the command's own failures). */
export function runShellCommand(options: ShellRunOptions): Promise<ShellRunResult> {
  return new Promise((resolve) => {
    const win = process.platform === "win32";
    const child = win
      ? spawn(options.command, { cwd: options.cwd, env: options.env, shell: true, windowsHide: true, stdio: ["ignore", "pipe", "pipe"] })
      : spawn(resolveExecShell(options.env), ["-c", options.command], { cwd: options.cwd, env: options.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let kept = 0;
    let dropped = 0;
    let timedOut = false;
    let aborted = false;
    const take = (b: Buffer) => {
      const room = options.maxBytes - kept;
      if (room > 0) {
        const part = b.length <= room ? b : b.subarray(0, room);
        chunks.push(part);
        kept += part.length;
        dropped += b.length - part.length;
      } else dropped += b.length;
    };
    child.stdout?.on("data", take);
    child.stderr?.on("data", take);
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        if (win) child.kill("SIGKILL");
        else process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const onTimeout = () => {
      timedOut = true;
      killGroup();
    };
    // Node fires a delay past 2^31-1 ms at once: a huge timeout is clamped (~24.8 days), never instant.
    const timer = options.timeoutMs > 0 ? setTimeout(onTimeout, Math.min(options.timeoutMs, MAX_TIMER_MS)) : undefined;
    const onAbort = () => {
      aborted = true;
      killGroup();
    };
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener("abort", onAbort, { once: true });
    let settled = false;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null, spawnError?: Error) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      options.signal.removeEventListener("abort", onAbort);
      // Anything the shell left running in its group goes with it.
      if (!spawnError) killGroup();
      const output = Buffer.concat(chunks).toString("utf8") + (spawnError ? `${kept > 0 ? "\n" : ""}${spawnError.message}` : "");
      resolve({ output, droppedBytes: dropped, exitCode, signal, timedOut, aborted, pid: child.pid });
    };
    child.on("error", (error) => finish(null, null, error));
    // A background job that keeps stdout open would hold "close" forever: the shell's exit ends its group.
    child.on("exit", () => killGroup());
    child.on("close", (code, signal) => finish(code, signal));
  });
}
