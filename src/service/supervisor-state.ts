/** The detached supervisor's definition (beside systemd's user units) and its state/pid file (in the state dir). */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Env } from "../infra/index.js";

export interface SupervisorDefinition {
  name: string;
  description: string;
  programArguments: string[];
  workingDirectory: string;
  environment: Record<string, string>;
  envFile?: string;
  stdoutPath: string;
  stderrPath: string;
  /** The pid/state file, `<stateDir>/gateway.supervisor.json`. */
  stateFile: string;
}

export interface SupervisorState {
  supervisorPid: number;
  /** The gateway child, while one runs. */
  pid?: number;
  status: "starting" | "running" | "restarting" | "stopped" | "failed";
  restarts: number;
  startedAt: string;
  updatedAt: string;
  /** The last gateway exit: its pid, and the last `error:` line it logged (already redacted by the CLI). */
  lastExit?: { code: number | null; signal: string | null; at: string; pid?: number; error?: string };
  nextRestartAt?: string;
  detail?: string;
}

/** `$XDG_CONFIG_HOME/openclaw/supervisor` (default `~/.config/openclaw/supervisor`). */
export function supervisorDir(env: Env, home: string): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(home, ".config"), "openclaw", "supervisor");
}

export function supervisorStateFile(stateDir: string): string {
  return path.join(stateDir, "gateway.supervisor.json");
}

export function readJsonFile<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}
