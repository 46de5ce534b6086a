/**
 * A real terminal for tests: a detached tmux session on its own server socket, driven by keystrokes
 * (`send-keys`) and read back with `capture-pane`. Used where only an interactive shell proves the
 * behaviour (TAB completion, prompts). Every tmux call has a timeout; the server dies with the test.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { pollUntil } from "../../src/infra/index.js";

export interface TmuxSession {
  /** Types text (tmux key names like "Tab", "Enter", "C-c" are sent as keys when `keys` is true). */
  send(text: string, options?: { keys?: boolean }): void;
  /** The visible pane as text. */
  screen(): string;
  /** The whole pane history (scrolled-off lines too), for checks over everything the program printed. */
  scrollback(): string;
  /** Waits until the pane matches; fails with the last screen. */
  waitFor(pattern: RegExp, what: string, timeoutMs?: number): Promise<string>;
}

function tmux(socket: string, args: string[], env?: Record<string, string | undefined>): string {
  const r = spawnSync("tmux", ["-L", socket, ...args], { encoding: "utf8", timeout: 10_000, ...(env ? { env: env as NodeJS.ProcessEnv } : {}) });
  if (r.status !== 0) throw new Error(`tmux ${args[0]} failed: ${(r.stderr || r.error?.message || "").trim()}`);
  return r.stdout;
}

/** Starts `command` (argv) in a new 200×50 tmux session whose server has exactly `env` (+ TERM); killed after the test. */
export function startTmux(t: { after(fn: () => unknown): void }, command: string[], env: Record<string, string | undefined>): TmuxSession {
  const socket = `openclaw-test-${randomBytes(6).toString("hex")}`;
  tmux(socket, ["-f", "/dev/null", "new-session", "-d", "-x", "200", "-y", "50", ...command], { TERM: "xterm-256color", ...env });
  t.after(() => spawnSync("tmux", ["-L", socket, "kill-server"], { timeout: 10_000 }));
  const screen = () => tmux(socket, ["capture-pane", "-p", "-J"]);
  return {
    send: (text, options = {}) => {
      tmux(socket, options.keys ? ["send-keys", text] : ["send-keys", "-l", text]);
    },
    screen,
    scrollback: () => tmux(socket, ["capture-pane", "-p", "-J", "-S", "-"]),
    waitFor: async (pattern, what, timeoutMs = 15_000) => {
      let last = "";
      const ok = await pollUntil(() => {
        last = screen();
        return pattern.test(last);
      }, timeoutMs, 50);
      if (!ok) throw new Error(`${what}: the terminal never showed ${pattern}; it shows:\n${last}`);
      return last;
    },
  };
}
