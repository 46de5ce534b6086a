/**
 * The contract every gateway subsystem implements (config, logs, presence, health today; channels,
 * agents, memory, cron and the UI next). The core composes a list of them: it starts them in order,
 * routes each changed config path to the subsystem that owns it (`RELOAD_RULES`), dispatches RPC
 * methods and HTTP routes to their owners, merges their health/status/metrics contributions and
 * stops them in reverse order with a bounded drain. Handlers get a narrow `HandlerContext`, never
 * the runtime.
 */
import type { ConfigSnapshot, GatewayAuth, OpenClawConfig, ReloadOwner } from "../config/index.js";
import type { Env, ResolvedPaths } from "../infra/index.js";
import type { Logger } from "../logging/index.js";
import type { ConnectParamsT, MethodName, MethodParams } from "../protocol/index.js";
import type { DiagnosticsRecorder } from "./diagnostics.js";
import type { EventLoopMonitor } from "./event-loop.js";
import type { EventBus, PublishOptions } from "./events.js";
import type { GatewayMetrics } from "./metrics.js";
import type { Route } from "./routes.js";

/** What a subsystem answers when the config paths it owns change. */
export type ApplyResult =
  /** The change is in effect; nothing restarted. */
  | "applied"
  /** The subsystem restarted itself (or only the affected part, e.g. one channel account). */
  | "restarted"
  /** Only a restart of the gateway's listeners can apply it (the core does that in process). */
  | "restart-gateway";

export interface ConfigChange {
  /** Changed dotted paths owned by this subsystem. */
  paths: string[];
  previous: OpenClawConfig;
  next: OpenClawConfig;
}

/** Who is calling: identity and scopes of the connection. */
export interface Caller {
  connId: string;
  ip: string;
  scopes: readonly string[];
  client: ConnectParamsT["client"] | undefined;
}

/** What an RPC handler sees: the caller, the current config view, a logger and the event bus. */
export interface HandlerContext {
  caller: Caller;
  /** The running (resolved) config. */
  config(): OpenClawConfig;
  log: Logger;
  events: { publish(event: string, payload: unknown, options?: PublishOptions): void };
}

/**
 * A two-stage answer (the `agent` method): `accepted` is sent at once, and `final` on the same request
 * id when it settles (a rejection is sent as the error answer).
 */
export class TwoStageResult {
  constructor(
    readonly accepted: unknown,
    readonly final: Promise<unknown>,
  ) {}
}

export type MethodHandler<M extends MethodName> = (params: MethodParams<M>, ctx: HandlerContext) => unknown;
export type MethodHandlers = { [M in MethodName]?: MethodHandler<M> };

/** Reload bookkeeping shown in `health.configReload`. */
export interface ReloadState {
  mode: string;
  hash: string | null;
  lastReloadAt: number | null;
  lastError: string | null;
  lastChangedPaths: string[];
}

/** What subsystems may read of the core (never its internals). */
export interface GatewayCore {
  readonly startedAt: number;
  readonly version: string;
  readonly paths: ResolvedPaths;
  readonly env: Env;
  readonly metrics: GatewayMetrics;
  readonly events: EventBus;
  /** Recent lifecycle, reload and log-warning events (`diagnostics.stability`). */
  readonly diagnostics: DiagnosticsRecorder;
  /** Event-loop delay and utilisation. */
  readonly eventLoop: EventLoopMonitor;
  /** The running (resolved) config. */
  runningConfig(): OpenClawConfig;
  /** The snapshot the running config came from (hash, raw input, files). */
  runningSnapshot(): ConfigSnapshot;
  runningAuth(): GatewayAuth;
  boundPort(): number;
  urls(): string[];
  readiness(): { ok: boolean; status: string; reasons: string[] };
  reloadStatus(): ReloadState;
  currentLogFile(): string | undefined;
  /** Authenticated clients, for presence. */
  clients(): Array<{ ip: string; client: ConnectParamsT["client"] | undefined; scopes: readonly string[]; connectedAt: number }>;
  /** Milliseconds before a requested restart (config.apply), from the gateway options. */
  restartDelayMs(): number;
  /** Restarts the gateway's listeners in process (coalesced). */
  restart(reason: string): Promise<void>;
  /** Re-reads the config file now and applies it as a file change would (never throws). */
  reload(): Promise<void>;
  /** Adds an HTTP route at runtime (channel webhooks whose paths come from config); returns its remover. */
  addRoute(route: Route): () => void;
  /** Every running subsystem (for health/status/metrics aggregation). */
  subsystems(): readonly Subsystem[];
}

/** What `start` receives. */
export interface SubsystemContext {
  core: GatewayCore;
  log: Logger;
}

export interface Subsystem {
  /** Also the owner name in `RELOAD_RULES` for the paths it applies. */
  readonly name: ReloadOwner | "config" | "presence" | "maintenance";
  /** RPC methods this subsystem serves. */
  readonly methods?: MethodHandlers;
  /** HTTP routes this subsystem serves. */
  readonly routes?: readonly Route[];
  start(ctx: SubsystemContext): void | Promise<void>;
  /** Stops within a bounded drain (the core does not wait past `drainMs`). */
  stop(reason: string): void | Promise<void>;
  /** Applies a change of the config paths it owns (and of the paths it `observes`). */
  applyConfig?(change: ConfigChange): ApplyResult | Promise<ApplyResult>;
  /**
   * Config prefixes owned by another subsystem whose changes this one must also hear about (memory
   * follows the agents' workspaces). They never change how a path reloads; only who is told.
   */
  readonly observes?: readonly string[];
  /** Fields merged into the `health` result. */
  health?(): Record<string, unknown>;
  /** Fields merged into the `status` result (`admin`: the caller holds operator.admin). */
  status?(options: { admin: boolean }): Record<string, unknown>;
  /** Prometheus lines appended to `/metrics`. */
  metrics?(): string[];
}
