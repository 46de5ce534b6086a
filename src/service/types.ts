/** The one interface every OS supervisor implements, and the shapes it reads and writes. */
import type { Env } from "../infra/index.js";

export type ServiceKind = "systemd" | "launchd" | "schtasks" | "supervisor";

/** What `gateway install` writes, independent of the supervisor. Holds no secret values. */
export interface ServiceDefinition {
  kind: ServiceKind;
  /** Unit name (without `.service`), launchd label, task name or supervisor name. */
  name: string;
  description: string;
  programArguments: string[];
  workingDirectory: string;
  /** Non-secret environment, in the order it is written. */
  environment: Record<string, string>;
  /** The 0600 file that carries secrets; set only when there are secrets to carry. */
  envFile?: string;
  /** Names (never values) of the variables in the env file. */
  secretKeys: string[];
  stdoutPath: string;
  stderrPath: string;
  port: number;
  profile?: string;
  stateDir: string;
  configPath: string;
  version: string;
}

/** A file a backend writes on install (or prints on `--dry-run`). */
export interface RenderedFile {
  path: string;
  content: string;
  mode: number;
  /** What the file is, for humans ("systemd unit", "secrets env file"). */
  role: string;
  /** Written as UTF-16LE with a BOM (Task Scheduler XML) instead of UTF-8. */
  encoding?: "utf16le";
}

/** A definition read back from disk. */
export interface InstalledService {
  kind: ServiceKind;
  name: string;
  definitionPath: string;
  programArguments: string[];
  workingDirectory?: string;
  environment: Record<string, string>;
  envFile?: string;
  /** Keys of the env file (values are never read into status output). */
  envFileKeys: string[];
}

export type RuntimeStatus = "running" | "stopped" | "restarting" | "failed" | "unknown";

export interface ServiceRuntime {
  status: RuntimeStatus;
  /** Loaded into the supervisor (enabled unit, bootstrapped job, registered task, live supervisor). */
  loaded: boolean;
  pid?: number;
  lastExitStatus?: number;
  lastExitSignal?: string;
  lastExitAt?: string;
  /** The pid that exited last, where the supervisor records it (tells a new child's death from the old one's). */
  lastExitPid?: number;
  /** The last error the gateway logged before that exit, where the supervisor records it. */
  lastError?: string;
  restarts?: number;
  /** One line from the supervisor explaining a non-running state. */
  detail?: string;
}

export interface PreflightProblem {
  message: string;
  fix: string;
}

export interface Preflight {
  ok: boolean;
  problems: PreflightProblem[];
}

/** Runs a program to completion with a deadline; never throws. */
export type Exec = (command: string, args: string[], options?: { timeoutMs?: number; input?: string }) => ExecResult;

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Set when the program could not be started (ENOENT) or timed out. */
  error?: string;
}

export interface ServiceContext {
  env: Env;
  home: string;
  platform: NodeJS.Platform;
  uid: number | undefined;
  user: string;
  exec: Exec;
  /** Whether systemd runs here (`/run/systemd/system`); undefined means ask systemctl. */
  systemdBooted?: boolean;
}

/** One OS supervisor. No platform checks live outside the implementations of this interface. */
export interface ServiceManager {
  readonly kind: ServiceKind;
  /** "systemd user service", "launchd LaunchAgent", ... */
  readonly label: string;
  /** Whether this supervisor works here, and the exact fix when it does not. */
  preflight(): Preflight;
  /** Where the definition for a service name lives. */
  definitionPath(name: string): string;
  /** The files install writes (definition first). `secrets` fill the env file. */
  render(definition: ServiceDefinition, secrets: Record<string, string>): RenderedFile[];
  /** Loads a written definition and starts it (enable --now, bootstrap, schtasks /Create + /Run). */
  activate(definition: ServiceDefinition): Promise<void>;
  /** Stops, unloads and removes the definition files. */
  remove(name: string): Promise<string[]>;
  start(name: string): Promise<void>;
  stop(name: string): Promise<void>;
  restart(name: string): Promise<void>;
  readInstalled(name: string): InstalledService | undefined;
  runtime(name: string): ServiceRuntime;
  /** Every gateway-like definition this supervisor knows (other profiles, legacy names). */
  list(): InstalledService[];
  /** Where the service's logs are, as commands or paths. */
  logHints(name: string, definition?: InstalledService): string[];
}
