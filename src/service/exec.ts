/** Running supervisor tools (systemctl, launchctl, schtasks) with a deadline. */
import { spawnSync } from "node:child_process";
import type { Exec } from "./types.js";

/** The real runner: spawnSync with a timeout; a missing program or a timeout is a result, not a throw. */
export const execSync: Exec = (command, args, options = {}) => {
  const r = spawnSync(command, args, {
    encoding: "utf8",
    timeout: options.timeoutMs ?? 15_000,
    input: options.input,
    stdio: ["pipe", "pipe", "pipe"],
    windowsHide: true,
  });
  const error = r.error ? ((r.error as NodeJS.ErrnoException).code ?? r.error.message) : undefined;
  return { code: r.status ?? (error ? 127 : 1), stdout: r.stdout ?? "", stderr: r.stderr ?? "", ...(error ? { error } : {}) };
};

/** A one-line summary of a failed command for an error message. */
export function describeFailure(command: string, args: string[], r: { code: number; stderr: string; error?: string }): string {
  const why = r.error === "ENOENT" ? "not found" : r.error === "ETIMEDOUT" ? "timed out" : (r.stderr.trim().split("\n")[0] ?? "") || `exit ${r.code}`;
  return `${command} ${args.join(" ")}: ${why}`;
}
