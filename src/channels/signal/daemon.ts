/**
 * The managed signal-cli daemon (`transport.kind: managed-native`): spawns `signal-cli [--config dir]
 * [-a account] daemon --http host:port`, waits for `/api/v1/check` within the startup deadline, and
 * restarts it with backoff when it dies while the account runs. `stop()` ends it (SIGTERM, then
 * SIGKILL after a grace period). Its output goes to the channel log, a bounded tail is kept for errors.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { AppError } from "../../shared/index.js";
import type { ChannelLog } from "../contract.js";
import type { ResolvedSignalAccount } from "./config.js";
import { signalCheck } from "./rpc.js";

/** Daemon state for the account snapshot. */
export interface SignalDaemonStatus {
  pid: number | null;
  running: boolean;
  restarts: number;
  lastExitCode: number | null;
  lastExitAt: number | null;
}

export interface SignalDaemonOptions {
  env?: NodeJS.ProcessEnv;
  log: ChannelLog;
  /** Restart backoff (default 1 s doubling to 30 s). */
  backoff?: { initialMs: number; maxMs: number };
  /** SIGTERM → SIGKILL grace (default 5 s). */
  killGraceMs?: number;
}

const TAIL_LINES = 20;

/** The argv signal-cli gets for a managed daemon. */
export function signalDaemonArgs(config: Pick<ResolvedSignalAccount, "account" | "configPath" | "httpHost" | "httpPort" | "receiveMode">): string[] {
  const host = config.httpHost.includes(":") && !config.httpHost.startsWith("[") ? `[${config.httpHost}]` : config.httpHost;
  return [...(config.configPath ? ["--config", config.configPath] : []), ...(config.account ? ["-a", config.account] : []), "daemon", "--http", `${host}:${config.httpPort}`, ...(config.receiveMode ? ["--receive-mode", config.receiveMode] : [])];
}

/** One managed signal-cli process (respawned when it dies unexpectedly). */
export class SignalDaemon {
  private child: ChildProcess | undefined;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly tail: string[] = [];
  private failures = 0;
  private readonly state: SignalDaemonStatus = { pid: null, running: false, restarts: 0, lastExitCode: null, lastExitAt: null };

  constructor(
    private readonly config: ResolvedSignalAccount,
    private readonly options: SignalDaemonOptions,
  ) {}

  status(): SignalDaemonStatus {
    return { ...this.state };
  }

  /** The last lines signal-cli printed (for errors). */
  outputTail(): string {
    return this.tail.join(" | ");
  }

  /** Spawns the daemon and resolves once `/api/v1/check` answers; throws (and kills it) when it cannot start in time. */
  async start(): Promise<void> {
    this.stopping = false;
    try {
      await this.spawnAndWait();
    } catch (error) {
      // A daemon that never came up is not restarted behind the caller's back: start() failed.
      this.stopping = true;
      clearTimeout(this.restartTimer);
      await this.kill();
      throw error;
    }
  }

  private spawnOnce(): ChildProcess {
    const args = signalDaemonArgs(this.config);
    const child = spawn(this.config.cliPath, args, { env: this.options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"], windowsHide: true });
    this.child = child;
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split(/\r?\n/)) {
        if (!line.trim()) continue;
        this.tail.push(line.slice(0, 500));
        if (this.tail.length > TAIL_LINES) this.tail.shift();
        this.options.log.debug("signal-cli", { accountId: this.config.accountId, line: line.slice(0, 500) });
      }
    };
    child.on("error", () => {}); // reported by spawnAndWait; never an unhandled 'error'
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("spawn", () => {
      this.state.pid = child.pid ?? null;
      this.state.running = true;
    });
    child.on("exit", (code, sig) => {
      this.state.running = false;
      this.state.pid = null;
      this.state.lastExitCode = code ?? (sig ? -1 : null);
      this.state.lastExitAt = Date.now();
      if (this.child === child) this.child = undefined;
      if (!this.stopping) this.scheduleRestart(`exited with ${sig ?? `code ${code}`}`);
    });
    return child;
  }

  private async spawnAndWait(): Promise<void> {
    const child = this.spawnOnce();
    const deadline = Date.now() + this.config.startupTimeoutMs;
    const exited = new Promise<string>((resolve) => {
      child.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ENOENT" ? "ENOENT" : error.message));
      // 'close' comes after the output is read, so the tail holds signal-cli's last words.
      child.once("close", (code, sig) => resolve(`exited with ${sig ?? `code ${code}`}`));
    });
    let early: string | undefined;
    void exited.then((r) => {
      early = r;
    });
    while (Date.now() < deadline && early === undefined && !this.stopping) {
      const check = await signalCheck(this.config.baseUrl, Math.min(2000, Math.max(100, deadline - Date.now())));
      if (check.ok) {
        this.failures = 0;
        this.options.log.info("signal-cli daemon ready", { accountId: this.config.accountId, pid: child.pid, baseUrl: this.config.baseUrl });
        return;
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 100))]);
    }
    if (this.stopping) return;
    if (early === "ENOENT") {
      throw new AppError("CONFIG_INVALID", `signal-cli not found at "${this.config.cliPath}"`, { hint: "install signal-cli (https://github.com/AsamK/signal-cli/releases) or set channels.signal.transport.cliPath to its full path" });
    }
    const tail = this.outputTail();
    if (early === undefined) await this.kill();
    throw new AppError("UNAVAILABLE", `signal-cli daemon ${early ?? `did not answer ${this.config.baseUrl}/api/v1/check within ${this.config.startupTimeoutMs} ms`}${tail ? `: ${tail}` : ""}`, {
      hint: early ? 'check JAVA_HOME (Java 21+) and that the account is linked (signal-cli link -n "OpenClaw"); openclaw doctor names the cause' : "raise channels.signal.transport.startupTimeoutMs for a slow JVM start, or check that the port is free",
    });
  }

  private scheduleRestart(reason: string): void {
    this.failures++;
    const backoff = this.options.backoff ?? { initialMs: 1000, maxMs: 30_000 };
    const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, this.failures - 1));
    this.options.log.warn("signal-cli daemon died; restarting", { accountId: this.config.accountId, reason, attempt: this.failures, retryInMs: delay });
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.state.restarts++;
      this.spawnAndWait().catch((error: unknown) => {
        this.options.log.warn("signal-cli daemon restart failed", { accountId: this.config.accountId, error: error instanceof Error ? error.message : String(error) });
        // A process that exited reschedules itself from its exit handler; a spawn error (no exit) does it here.
        if (error instanceof AppError && error.code === "CONFIG_INVALID" && !this.stopping) this.scheduleRestart("signal-cli not found");
      });
    }, delay);
    this.restartTimer.unref?.();
  }

  private async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), this.options.killGraceMs ?? 5000)));
    if ((await Promise.race([gone, grace])) === "timeout") {
      child.kill("SIGKILL");
      await gone;
    }
    clearTimeout(timer);
  }

  /** Stops the daemon and any pending restart; resolves when the process has exited. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    await this.kill();
  }
}
