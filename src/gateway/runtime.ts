
import type { Server } from "node:http";
import { WebSocketServer } from "ws";
import {
  type ConfigSnapshot,
  diffConfigPaths,
  formatIssue,
  loadConfigRuntime,
  type OpenClawConfig,
  planReload,
  type ReloadPlan,
} from "../config/index.js";
import type { Env, ResolvedPaths } from "../infra/index.js";
import { createLogger, currentLogFile, onLogRecord } from "../logging/index.js";
import { EVENTS, type HelloOk, MAX_BUFFERED_BYTES, MAX_PAYLOAD_BYTES, METHOD_NAMES, type RequestFrame, TICK_INTERVAL_MS } from "../protocol/index.js";
import { configureGatewayLogging, type PreparedConfig, prepareConfig, prepareStartConfig, refusalOf } from "./adoption.js";
import { AuthRateLimiter, type GatewayAuth } from "./auth.js";
import { resolveBindHosts } from "./bind.js";
import { bindServers } from "./bind-servers.js";
import type { Connection } from "./connection.js";
import { DiagnosticsRecorder } from "./diagnostics.js";
import { buildMethodTable, createDispatcher } from "./dispatch.js";
import { EventLoopMonitor } from "./event-loop.js";
import { EventBus } from "./events.js";
import { createGatewayServer, type ListenerHost, recheckBrowserOrigins, startLiveness } from "./listener.js";
import { createMemoryReleaser } from "./memory.js";
import { GatewayMetrics } from "./metrics.js";
import type { GatewayOptions } from "./options.js";
import { type Route, RouteTable } from "./routes.js";
import { DEFAULT_SOCKET_POLICY, resolveSocketPolicy, type SocketPolicy, UnauthenticatedSockets } from "./socket-guard.js";
import type { GatewayCore, ReloadState, Subsystem } from "./subsystem.js";
import { createSubsystems } from "./subsystem-list.js";
import { applyToSubsystems, stopSubsystems } from "./subsystem-runner.js";
import type { ChannelsSubsystem } from "./subsystems/channels/index.js";
import type { PresenceSubsystem } from "./subsystems/presence/index.js";
import { checkTailscaleMode, TailscaleRoute, tailscaleSettingsOf } from "./tailscale.js";
import { type ConfigWatcher, watchConfigFiles } from "./watch.js";

export type { GatewayOverrides } from "./adoption.js";
export type { GatewayOptions } from "./options.js";
export type { ReloadState } from "./subsystem.js";

/**
 * The gateway core: guards in spec order, listen, watch → load → validate → diff once, route each
 * change to the subsystem that owns it, drain, in-process restart. Everything else is a subsystem.
 */
export class GatewayRuntime implements GatewayCore, ListenerHost {
  readonly log = createLogger("gateway");
  readonly metrics = new GatewayMetrics();
  readonly connections = new Set<Connection>();
  readonly routes = new RouteTable();
  readonly addRoute = (route: Route): (() => void) => this.routes.add(route);
  readonly events: EventBus;
  readonly startedAt = Date.now();
  readonly presenceSubsystem: PresenceSubsystem;
  readonly channelsSubsystem: ChannelsSubsystem;
  private readonly subsystemList: Subsystem[];
  readonly dispatch: (conn: Connection, frame: RequestFrame) => Promise<void>;
  /** Recent diagnostic events (`diagnostics.stability`). */
  readonly diagnostics = new DiagnosticsRecorder();
  /** Event-loop delay and utilisation (`health.eventLoop`). */
  readonly eventLoop = new EventLoopMonitor();
  snapshot!: ConfigSnapshot;
  private prepared!: PreparedConfig;
  config!: OpenClawConfig;
  auth!: GatewayAuth;
  limiter!: AuthRateLimiter;
  reloadState: ReloadState = { mode: "hybrid", hash: null, lastReloadAt: null, lastError: null, lastChangedPaths: [] };
  policy = { tickIntervalMs: TICK_INTERVAL_MS, handshakeTimeoutMs: 10_000 };
  /** The socket limits in force, resolved on every listen. */
  sockets: SocketPolicy = DEFAULT_SOCKET_POLICY;
  /** Unauthenticated-socket counts (for metrics and tests). */
  unauthenticated: UnauthenticatedSockets | undefined;
  private servers: Server[] = [];
  private wss: WebSocketServer | undefined;
  private watcher: ConfigWatcher | undefined;
  private tick: NodeJS.Timeout | undefined;
  private boundPort_ = 0;
  /** The `tailscale serve|funnel` route this gateway publishes (`gateway.tailscale`). */
  private readonly tailscale: TailscaleRoute;
  private hosts: string[] = [];
  private state: "starting" | "ready" | "draining" | "stopped" = "starting";
  private restarting: Promise<void> | undefined;
  private stopping = false;
  private stopListeners = new Set<(reason: string) => void>();
  private unsubscribeLog: (() => void) | undefined;

  private constructor(readonly options: GatewayOptions) {
    this.events = new EventBus(options.maxBufferedBytes ?? MAX_BUFFERED_BYTES);
    this.tailscale = new TailscaleRoute(options.env, createLogger("tailscale"));
    const subsystems = createSubsystems(options);
    this.presenceSubsystem = subsystems.presence;
    this.channelsSubsystem = subsystems.channels;
    this.subsystemList = subsystems.list;
    this.dispatch = createDispatcher(buildMethodTable(this.subsystemList), this);
    for (const sub of this.subsystemList) for (const route of sub.routes ?? []) this.routes.add(route);
    this.routes.addUpgrade("/", "gateway");
  }

  /** Loads config, runs the guards in order and starts listening. Throws `AppError` on refusal. */
  static async start(options: GatewayOptions): Promise<GatewayRuntime> {
    const rt = new GatewayRuntime(options);
    rt.policy = { tickIntervalMs: options.tickIntervalMs ?? TICK_INTERVAL_MS, handshakeTimeoutMs: options.handshakeTimeoutMs ?? rt.policy.handshakeTimeoutMs };
    const start = await prepareStartConfig({
      load: () => rt.loadSnapshot(),
      prepare: (snapshot, generatedToken) => prepareConfig(snapshot, { env: options.env, overrides: options.overrides ?? {}, allowUnconfigured: options.allowUnconfigured ?? false, generatedToken }),
      configPath: options.paths.configPath,
      env: options.env,
      log: rt.log,
    });
    const { snapshot, prepared } = start;
    rt.adopt(snapshot, prepared);
    checkTailscaleMode(tailscaleSettingsOf(rt.config).mode, rt.config.gateway.bind, rt.auth.mode);
    const hosts = rt.bindHosts();
    rt.unsubscribeLog = onLogRecord((entry) => {
      if (entry.level === "error" || entry.level === "fatal") rt.metrics.logErrors++;
      if (entry.level === "warn" || entry.level === "error" || entry.level === "fatal") {
        rt.diagnostics.record(`log.${entry.level}`, { subsystem: entry.subsystem, message: entry.message.slice(0, 500) });
      }
    });
    for (const sub of rt.subsystemList) await sub.start({ core: rt, log: createLogger(sub.name) });
    try {
      await rt.listen(hosts, rt.config.gateway.port);
    } catch (error) {
      rt.eventLoop.stop();
      throw error;
    }
    await rt.tailscale.apply(tailscaleSettingsOf(rt.config), rt.port).catch(async (error: unknown) => {
      await rt.stop("tailscale failed");
      throw error;
    });
    rt.armWatcher();
    rt.state = "ready";
    rt.diagnostics.record("gateway.lifecycle", { phase: "ready", port: rt.port, durationMs: Date.now() - rt.startedAt });
    return rt;
  }

  private bindHosts(): string[] {
    return resolveBindHosts(this.config.gateway.bind, this.config.gateway.customBindHost, { interfaces: this.options.networkInterfaces, env: this.options.env, warn: (line) => this.log.warn(line) });
  }

  private async loadSnapshot(): Promise<ConfigSnapshot> {
    const { loadConfigSnapshot } = await loadConfigRuntime();
    return loadConfigSnapshot({ configPath: this.options.paths.configPath, env: this.options.env, gatewayGuards: false });
  }

  private prepare(snapshot: ConfigSnapshot): PreparedConfig {
    return prepareConfig(snapshot, { env: this.options.env, overrides: this.options.overrides ?? {}, allowUnconfigured: this.options.allowUnconfigured ?? false, generatedToken: this.generatedToken });
  }

  /** A token generated at start that could not be saved to the config (kept for this process). */
  private generatedToken: string | undefined;

  /** Makes a validated, prepared snapshot the running config (auth, limiter, logging). */
  private adopt(snapshot: ConfigSnapshot, prepared: PreparedConfig): void {
    const { config } = prepared;
    const auth = prepared.check.auth!;
    this.prepared = prepared;
    this.snapshot = snapshot;
    this.config = config;
    this.auth = auth;
    const rl = config.gateway.auth?.rateLimit;
    this.limiter = new AuthRateLimiter({ maxAttempts: rl?.maxAttempts ?? 10, windowMs: rl?.windowMs ?? 60_000, lockoutMs: rl?.lockoutMs ?? 300_000, exemptLoopback: rl?.exemptLoopback ?? true });
    this.reloadState.mode = config.gateway.reload?.mode ?? "hybrid";
    this.reloadState.hash = snapshot.hash;
    configureGatewayLogging(config, auth, this.options);
  }

  get port(): number {
    return this.boundPort_;
  }

  get logFile(): string | undefined {
    return currentLogFile();
  }

  get version(): string {
    return this.options.version;
  }

  get paths(): ResolvedPaths {
    return this.options.paths;
  }

  get env(): Env {
    return this.options.env;
  }

  runningConfig(): OpenClawConfig {
    return this.config;
  }

  runningSnapshot(): ConfigSnapshot {
    return this.snapshot;
  }

  runningAuth(): GatewayAuth {
    return this.auth;
  }

  authLimiter(): AuthRateLimiter {
    return this.limiter;
  }

  boundPort(): number {
    return this.boundPort_;
  }

  reloadStatus(): ReloadState {
    return this.reloadState;
  }

  currentLogFile(): string | undefined {
    return currentLogFile();
  }

  restartDelayMs(): number {
    return this.options.restartDelayMs ?? 2000;
  }

  handshakeTimeoutMs(): number {
    return this.sockets.handshakeTimeoutMs;
  }

  maxBufferedBytes(): number {
    return this.events.maxBufferedBytes;
  }

  private readonly memory = createMemoryReleaser();

  releaseMemory(): void {
    this.memory.request();
  }

  subsystems(): readonly Subsystem[] {
    return this.subsystemList;
  }

  clients(): Array<{ ip: string; client: Connection["client"]; scopes: readonly string[]; connectedAt: number }> {
    return [...this.connections].filter((c) => c.authed).map((c) => ({ ip: c.ip, client: c.client, scopes: c.scopes, connectedAt: c.connectedAt }));
  }

  /** ws:// URLs the gateway listens on. */
  urls(): string[] {
    return this.hosts.map((h) => `ws://${h.includes(":") ? `[${h}]` : h}:${this.boundPort_}`);
  }

  private async listen(hosts: string[], port: number): Promise<void> {
    const policy = resolveSocketPolicy({
      options: this.options.sockets,
      handshakeTimeoutMs: this.options.handshakeTimeoutMs,
      env: this.options.env,
      configHandshakeTimeoutMs: this.config.gateway.handshakeTimeoutMs,
    });
    this.sockets = policy;
    const caps = new UnauthenticatedSockets(policy, () => this.metrics.connectionsRefused++);
    this.unauthenticated = caps;
    // Pre-auth frames are capped at 64 KiB on their header by PreAuthFrameGuard; this is the post-auth cap.
    const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES, perMessageDeflate: false });
    let bound: Awaited<ReturnType<typeof bindServers>>;
    try {
      bound = await bindServers(hosts, port, () => createGatewayServer(this, wss, caps, policy));
    } catch (error) {
      wss.close();
      throw error;
    }
    const { servers, port: actualPort } = bound;
    this.servers = servers;
    this.wss = wss;
    this.boundPort_ = actualPort;
    this.hosts = servers.map((s) => (s.address() as { address: string }).address);
    this.tick = setInterval(() => this.events.publish("tick", { ts: Date.now() }), this.policy.tickIntervalMs);
    const stopLiveness = startLiveness(this, policy);
    servers[0]?.once("close", stopLiveness);
    this.log.info(`listening on ${this.urls().join(", ")} (PID ${process.pid})`);
    this.options.onListening?.(actualPort);
    this.log.info(`log file: ${this.logFile ?? "(none)"}`);
  }

  private armWatcher(): void {
    this.watcher?.close();
    const files = this.snapshot.files.length > 0 ? this.snapshot.files : [this.options.paths.configPath];
    this.watcher = watchConfigFiles(files, this.config.gateway.reload?.debounceMs ?? 300, () => void this.reload());
  }

  readiness(): { ok: boolean; status: string; reasons: string[] } {
    if (this.state === "ready") return { ok: true, status: "ready", reasons: [] };
    return { ok: false, status: this.state, reasons: [this.state === "draining" ? "gateway is shutting down" : `gateway is ${this.state}`] };
  }

  hello(conn: Connection): HelloOk {
    return {
      type: "hello-ok",
      protocol: conn.protocol,
      server: { version: this.options.version, connId: conn.id },
      features: { methods: [...METHOD_NAMES], events: [...EVENTS] },
      snapshot: {
        presence: this.presenceSubsystem.presence(),
        health: {},
        stateVersion: this.events.stateVersion(),
        uptimeMs: Date.now() - this.startedAt,
        configPath: this.options.paths.configPath,
        stateDir: this.options.paths.stateDir,
        authMode: this.auth.mode,
      },
      auth: { role: "operator", scopes: conn.scopes },
      policy: { maxPayload: MAX_PAYLOAD_BYTES, maxBufferedBytes: this.events.maxBufferedBytes, tickIntervalMs: this.policy.tickIntervalMs },
    };
  }

  presenceChanged(): void {
    this.presenceSubsystem.changed();
  }

  /** Re-reads the config after a file change and applies it per gateway.reload.mode. Never throws. */
  async reload(): Promise<void> {
    if (this.state !== "ready") return;
    let next: ConfigSnapshot;
    try {
      next = await this.loadSnapshot();
    } catch (error) {
      next = { ...this.snapshot, valid: false, issues: [{ kind: "parse", path: "", message: (error as Error).message }] };
    }
    if (!next.exists) {
      this.reloadState.lastError = "config file not found";
      this.log.warn("config reload skipped (config file not found)");
      return;
    }
    if (!next.valid) {
      const text = next.issues.map(formatIssue).join("; ");
      this.reloadState.lastError = text;
      this.metrics.reloadFailures++;
      this.log.error(`config reload skipped (invalid config): ${text}`);
      return;
    }
    const paths = diffConfigPaths(this.snapshot.input, next.input);
    if (paths.length === 0) {
      this.reloadState.lastError = null;
      return;
    }
    const vetted = this.vet(next);
    if (typeof vetted === "string") {
      this.refuseReload(vetted);
      return;
    }
    this.reloadState.lastError = null;
    const mode = next.config!.gateway.reload?.mode ?? "hybrid";
    this.log.info(`config change detected; evaluating reload (${paths.join(", ")})`);
    this.reloadState.lastChangedPaths = paths;
    if (mode === "off") {
      this.log.info("config reload disabled (gateway.reload.mode=off)");
      return;
    }
    const plan = planReload(paths);
    const needsRestart = mode === "restart" || plan.restartGateway;
    if (needsRestart && mode === "hot") {
      this.log.warn(`config reload requires gateway restart; hot mode ignoring (${plan.restartPaths.join(", ")})`);
      return;
    }
    if (needsRestart) {
      await this.restart(`config change (${(plan.restartPaths.length ? plan.restartPaths : paths).join(", ")})`, next);
      return;
    }
    const previous = this.config;
    this.adopt(next, vetted);
    recheckBrowserOrigins(this, this.config);
    this.metrics.reloads++;
    this.reloadState.lastReloadAt = Date.now();
    this.armWatcher();
    const wantsRestart = await this.applySubsystemChanges(plan, previous);
    this.log.info(`config hot reload applied (${paths.join(", ")})`);
    this.diagnostics.record("config.reload", { kind: "hot", paths });
    if (wantsRestart.length > 0) await this.restart(`${wantsRestart.join(", ")} asked for a gateway restart`);
  }

  /** Hands the subsystems their changed paths; returns those that need a gateway restart. */
  private async applySubsystemChanges(plan: ReloadPlan, previous: OpenClawConfig): Promise<string[]> {
    const { restart, error } = await applyToSubsystems(this.subsystemList, plan, { previous, next: this.config }, this.log);
    if (error) this.reloadState.lastError = error;
    return restart;
  }

  /**
   * Whether a new valid config may replace the running one: the startup guards must pass, and
   * auth may change but never weaken or disappear (an emptied or auth-less file keeps the running
   * auth). Returns the prepared config, or why not.
   */
  private vet(snapshot: ConfigSnapshot): PreparedConfig | string {
    const prepared = this.prepare(snapshot);
    return refusalOf(prepared, this.auth) ?? prepared;
  }

  private refuseReload(reason: string): void {
    this.reloadState.lastError = `config reload refused: ${reason}`;
    this.metrics.reloadFailures++;
    this.log.error(this.reloadState.lastError);
  }

  /** In-process restart: drain sockets, re-adopt config, listen again. Same PID; coalesced. */
  restart(reason: string, next?: ConfigSnapshot): Promise<void> {
    if (this.stopping || this.state === "stopped") return Promise.resolve();
    this.restarting ??= this.doRestart(reason, next).finally(() => {
      this.restarting = undefined;
    });
    return this.restarting;
  }

  private async doRestart(reason: string, next?: ConfigSnapshot): Promise<void> {
    this.log.info(`restarting in process: ${reason}`);
    const snapshot = next ?? (await this.loadSnapshot());
    if (!snapshot.valid) {
      this.reloadState.lastError = snapshot.issues.map(formatIssue).join("; ");
      this.log.error(`config restart failed: invalid config; keeping the running gateway (${this.reloadState.lastError})`);
      return;
    }
    const vetted = this.vet(snapshot);
    if (typeof vetted === "string") {
      this.refuseReload(vetted);
      return;
    }
    const previous = this.snapshot;
    const previousPrepared = this.prepared;
    const previousPort = this.boundPort_;
    const previousHosts = this.hosts;
    await this.closeListeners({ reason: "restart", restartExpectedMs: 1000 });
    const plan = planReload(diffConfigPaths(previous.input, snapshot.input));
    try {
      this.adopt(snapshot, vetted);
      await this.applySubsystemChanges(plan, previousPrepared.config);
      const hosts = this.bindHosts();
      // Port 0 ("any free port") keeps the port it got: a restart does not move the gateway.
      await this.listen(hosts, this.config.gateway.port === 0 ? previousPort : this.config.gateway.port);
      this.reloadState.lastReloadAt = Date.now();
      this.metrics.restarts++;
      this.diagnostics.record("gateway.lifecycle", { phase: "restarted", reason });
    } catch (error) {
      this.reloadState.lastError = `restart failed: ${(error as Error).message}`;
      this.log.error(`config restart failed: ${(error as Error).message}; restoring the previous listener`);
      this.adopt(previous, previousPrepared);
      await this.listen(previousHosts.length ? previousHosts : ["127.0.0.1"], previousPort);
    }
    await this.tailscale.apply(tailscaleSettingsOf(this.config), this.port).catch((error: unknown) => {
      this.reloadState.lastError = `restart: ${(error as Error).message}`;
      this.log.error(this.reloadState.lastError);
    });
    this.armWatcher();
    this.state = "ready";
  }

  private async closeListeners(shutdown: { reason: string; restartExpectedMs?: number }): Promise<void> {
    this.state = "draining";
    if (this.tick) clearInterval(this.tick);
    this.events.publish("shutdown", shutdown);
    for (const c of this.connections) c.close(shutdown.restartExpectedMs ? 1012 : 1001, shutdown.reason.slice(0, 100));
    const closing = this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
    const forceTimer = setTimeout(() => {
      for (const c of this.connections) c.ws.terminate();
      for (const s of this.servers) s.closeAllConnections();
    }, 2000);
    for (const s of this.servers) s.closeIdleConnections();
    await Promise.all(closing);
    clearTimeout(forceTimer);
    this.wss?.close();
    this.servers = [];
  }

  /** Drains and stops; resolves when every listener is closed. */
  async stop(reason: string): Promise<void> {
    if (this.state === "stopped" || this.stopping) return;
    this.stopping = true;
    if (this.restarting) await this.restarting;
    this.log.info(`stopping: ${reason}`);
    this.watcher?.close();
    await this.closeListeners({ reason });
    await this.tailscale.stop();
    await stopSubsystems(this.subsystemList, reason, this.log);
    this.state = "stopped";
    this.memory.cancel();
    this.unsubscribeLog?.();
    this.eventLoop.stop();
    for (const l of this.stopListeners) l(reason);
  }

  /** Called once when the gateway stops. */
  onStop(listener: (reason: string) => void): void {
    this.stopListeners.add(listener);
  }
}
