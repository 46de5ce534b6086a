/** The shapes every command shares: its declaration, its context and what it returns. */
import type { Env, ResolvedPaths } from "../infra/index.js";
import type { ExitCode } from "../shared/index.js";

export type OptionType = "boolean" | "string" | "number";

export interface OptionSpec {
  /** Long name without dashes (`json`, `max-bytes`). */
  name: string;
  short?: string;
  type: OptionType;
  description: string;
  /** Placeholder shown in help (`<n>`). */
  value?: string;
}

export interface ArgSpec {
  name: string;
  required?: boolean;
  description: string;
  /** The last arg may repeat (`<ids...>`). */
  variadic?: boolean;
}

export interface Io {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Aborted on SIGINT: long-running commands stop and the shell exits 130. */
  signal: AbortSignal;
}

export type OptionValues = Record<string, string | number | boolean | undefined>;

export interface CommandContext {
  args: string[];
  options: OptionValues;
  env: Env;
  /** Resolved lazily: state dir, config path, profile, layout. */
  paths(): ResolvedPaths;
  io: Io;
  json: boolean;
  color: boolean;
  cwd: string;
  /** Print a warning line on stderr (kept out of --json stdout). */
  warn(line: string): void;
  /** The command table and the global flags (for `completion`; commands never import the table themselves). */
  commandTable?: () => { commands: readonly CommandSpec[]; globals: readonly OptionSpec[] };
}

/** What a command returns: data for `--json`, lines for humans, and the exit code. */
export interface CommandResult {
  data?: unknown;
  /** Human output; when absent the data is printed. */
  human?: string | string[];
  exitCode?: ExitCode;
  /** The command already wrote its output (streams). */
  streamed?: boolean;
}

export type CommandHandler = (ctx: CommandContext) => Promise<CommandResult> | CommandResult;

export interface CommandSpec {
  /** Words after `openclaw` (`["config", "get"]`). */
  path: string[];
  summary: string;
  description?: string;
  args?: ArgSpec[];
  options?: OptionSpec[];
  /** Loads the handler only when the command runs. */
  load?: () => Promise<{ run: CommandHandler }>;
  examples?: string[];
}
