/** The options a gateway runtime starts with (the CLI's foreground run, the service, tests). */
import type { ChannelPlugin } from "../channels/index.js";
import type { Env, ResolvedPaths } from "../infra/index.js";
import type { GatewayOverrides } from "./adoption.js";
import type { SocketPolicy } from "./socket-guard.js";
import type { Subsystem } from "./subsystem.js";
import type { InterfaceList } from "./tailscale.js";

export interface GatewayOptions {
  paths: ResolvedPaths;
  env: Env;
  version: string;
  overrides?: GatewayOverrides;
  allowUnconfigured?: boolean;
  verbose?: boolean;
  /** Console sink for logs (the foreground run passes stderr; tests pass nothing). */
  console?: { write(text: string): unknown; isTTY?: boolean } | undefined;
  tickIntervalMs?: number;
  handshakeTimeoutMs?: number;
  /** Milliseconds before a requested restart (config.apply), default 2000. */
  restartDelayMs?: number;
  /** Called after every successful listen (start and in-process restarts) with the bound port. */
  onListening?: (port: number) => void;
  /** Socket timeouts and caps (tests use short ones); see `SocketPolicy` for the defaults. */
  sockets?: Partial<SocketPolicy>;
  /** Bound on bytes queued for one client before it is closed as a slow consumer (hello-ok.policy). */
  maxBufferedBytes?: number;
  /** Extra subsystems after the built-in ones (the next issues add channels' transports, agents, …). */
  subsystems?: Subsystem[];
  /** The host's network interfaces, for `--bind tailnet` (default `os.networkInterfaces`; tests inject a list). */
  networkInterfaces?: () => InterfaceList;
  /** The channel plugins the gateway runs (default: every built-in channel; tests pass loopback-bound ones). */
  channelPlugins?: () => ChannelPlugin[];
}
