/**
 * One Signal account on signal-cli's HTTP daemon: the SSE receive loop with backoff reconnects
 * (`connected:false`, `lastError` and `lastDisconnectAt` while the daemon is away), envelopes mapped
 * to inbound messages, chunked sends through JSON-RPC `send`, a bounded probe (`/api/v1/check` +
 * `version`), and the status snapshot. In `managed-native` mode it also owns the daemon process.
 */

import { AppError } from "../../shared/index.js";
import { abortableDelay, channelBackoffMs } from "../backoff.js";
import { chunkText } from "../chunk.js";
import type { ChannelAccountRuntime, ChannelAccountSnapshot, ChannelLog, ChannelProbeResult, ChannelSendResult, ChannelStartContext } from "../contract.js";
import type { ResolvedSignalAccount } from "./config.js";
import { SignalDaemon, type SignalDaemonStatus } from "./daemon.js";
import { mapSignalEvent, parseSignalTarget, type SignalInbound } from "./inbound.js";
import { readSignalEvents, SignalRpcError, signalCheck, signalRpc } from "./rpc.js";

export interface SignalAccountOptions {
  /** Reconnect backoff for the event stream (default 1 s doubling to 30 s, ±20 % jitter). */
  backoff?: { initialMs: number; maxMs: number };
  /** A stream silent this long is reconnected (default 60 s; signal-cli sends a keep-alive every 15 s). */
  idleTimeoutMs?: number;
  /** Deadline of each JSON-RPC call (default 15 s). */
  rpcTimeoutMs?: number;
  /** Environment for the managed daemon (PATH, JAVA_HOME). */
  env?: NodeJS.ProcessEnv;
  /** Restart backoff of the managed daemon. */
  daemonBackoff?: { initialMs: number; maxMs: number };
}

export interface SignalProbeResult extends ChannelProbeResult {
  elapsedMs: number;
  version?: string;
}

/** Remembered message ids for dropping replays (signal-cli replays kept events after a reconnect). */
const RECENT = 1000;

/** A running (or startable) Signal account. */
export class SignalAccount implements ChannelAccountRuntime {
  private abort: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private daemon: SignalDaemon | undefined;
  private log: ChannelLog | undefined;
  private lastEventId: string | undefined;
  private lastProbe: SignalProbeResult | undefined;
  private linked: boolean | undefined;
  private readonly recent = new Set<string>();
  private readonly state = { running: false, connected: false, lastError: null as string | null, lastStartAt: null as number | null, lastStopAt: null as number | null, lastConnectedAt: null as number | null, lastDisconnectAt: null as number | null, lastProbeAt: null as number | null, lastInboundAt: null as number | null, lastOutboundAt: null as number | null, reconnectAttempts: 0, duplicatesDropped: 0 };
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly idleTimeoutMs: number;
  private readonly rpcTimeoutMs: number;

  constructor(
    readonly config: ResolvedSignalAccount,
    private readonly options: SignalAccountOptions = {},
  ) {
    this.backoff = options.backoff ?? { initialMs: 1000, maxMs: 30_000 };
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
    this.rpcTimeoutMs = options.rpcTimeoutMs ?? 15_000;
  }

  get accountId(): string {
    return this.config.accountId;
  }

  /** The RPC `account` param: only an external daemon may serve several accounts (a managed one gets `-a`). */
  private rpcAccount(): Record<string, unknown> {
    return this.config.kind === "external-native" && this.config.account ? { account: this.config.account } : {};
  }

  /** Spawns the daemon (managed-native), then starts the receive loop; resolves once started. */
  async start(ctx: ChannelStartContext | (Omit<ChannelStartContext, "signal"> & { signal?: AbortSignal })): Promise<void> {
    if (this.state.running) return;
    this.log = ctx.log;
    if (!this.config.enabled) {
      ctx.log.info("signal account disabled", { accountId: this.accountId });
      return;
    }
    if (this.config.configError) {
      this.state.lastError = this.config.configError;
      throw new AppError("CONFIG_INVALID", this.config.configError, { hint: "fix channels.signal in openclaw.json (openclaw doctor lists Signal problems)" });
    }
    this.abort = new AbortController();
    const abort = this.abort;
    ctx.signal?.addEventListener("abort", () => abort.abort(), { once: true });
    this.state.lastStartAt = Date.now();
    if (this.config.kind === "managed-native") {
      this.daemon = new SignalDaemon(this.config, { log: ctx.log, ...(this.options.env ? { env: this.options.env } : {}), ...(this.options.daemonBackoff ? { backoff: this.options.daemonBackoff } : {}) });
      try {
        await this.daemon.start();
      } catch (error) {
        this.daemon = undefined;
        this.state.lastError = error instanceof Error ? error.message : String(error);
        throw error;
      }
    }
    this.state.running = true;
    this.state.lastError = null;
    this.loop = this.receiveLoop(abort.signal, ctx);
  }

  private async receiveLoop(signal: AbortSignal, ctx: Pick<ChannelStartContext, "onInbound" | "log">): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        await readSignalEvents({
          baseUrl: this.config.baseUrl,
          ...(this.config.kind === "external-native" && this.config.account ? { account: this.config.account } : {}),
          ...(this.lastEventId ? { lastEventId: this.lastEventId } : {}),
          signal,
          idleTimeoutMs: this.idleTimeoutMs,
          connectTimeoutMs: Math.min(this.rpcTimeoutMs, 10_000),
          onOpen: () => {
            if (failures > 0) ctx.log.info("signal reconnected", { accountId: this.accountId, attempts: failures });
            failures = 0;
            this.state.connected = true;
            this.state.lastConnectedAt = Date.now();
            this.state.lastError = null;
            void this.refreshLinked();
          },
          onEvent: (event) => {
            if (event.id) this.lastEventId = event.id;
            if (event.event !== undefined && event.event !== "receive") return;
            let data: unknown;
            try {
              data = JSON.parse(event.data);
            } catch {
              ctx.log.warn("signal event is not JSON; skipped", { accountId: this.accountId });
              return;
            }
            this.dispatch(data, ctx);
          },
        });
      } catch (error) {
        if (signal.aborted) break;
        failures++;
        this.state.reconnectAttempts++;
        if (this.state.connected) this.state.lastDisconnectAt = Date.now();
        this.state.connected = false;
        this.state.lastError = error instanceof Error ? error.message : String(error);
        const delay = channelBackoffMs(failures, this.backoff);
        ctx.log.warn("signal event stream lost; reconnecting", { accountId: this.accountId, error: this.state.lastError, attempt: failures, retryInMs: delay });
        await abortableDelay(delay, signal);
      }
    }
  }

  private dispatch(data: unknown, ctx: Pick<ChannelStartContext, "onInbound" | "log">): void {
    const inbound: SignalInbound | undefined = mapSignalEvent(data, this.accountId, { number: this.config.account, uuid: this.config.accountUuid });
    if (!inbound) return;
    if (this.recent.has(inbound.messageId)) {
      this.state.duplicatesDropped++;
      ctx.log.info("signal duplicate message dropped", { accountId: this.accountId, reason: "duplicate" });
      return;
    }
    this.recent.add(inbound.messageId);
    if (this.recent.size > RECENT) this.recent.delete(this.recent.values().next().value as string);
    this.state.lastInboundAt = Date.now();
    Promise.resolve()
      .then(() => ctx.onInbound(inbound))
      .catch((error: unknown) => ctx.log.error("signal inbound handler failed", { accountId: this.accountId, error: error instanceof Error ? error.message : String(error) }));
  }

  /** `listAccounts` (multi-account daemons): whether our number is registered there. Unknown otherwise. */
  private async refreshLinked(): Promise<void> {
    try {
      const list = await signalRpc<Array<{ number?: string | null }>>(this.config.baseUrl, "listAccounts", undefined, this.rpcTimeoutMs);
      if (Array.isArray(list)) this.linked = list.some((a) => a?.number === this.config.account);
    } catch {
      // A single-account daemon has no listAccounts; it only runs when its account is usable.
      if (this.state.connected && this.config.kind === "managed-native") this.linked = true;
    }
  }

  /** Stops the receive loop and (managed-native) the daemon, within `timeoutMs`. */
  async stop(timeoutMs = 5000): Promise<void> {
    this.abort?.abort();
    const loop = this.loop;
    this.loop = undefined;
    const daemon = this.daemon;
    this.daemon = undefined;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all([loop, daemon?.stop()]), deadline]);
    clearTimeout(timer);
    if (this.state.running) this.state.lastStopAt = Date.now();
    this.state.running = false;
    this.state.connected = false;
  }

  /** `/api/v1/check` then JSON-RPC `version`, answering within `timeoutMs` even when the daemon hangs. */
  async probe(timeoutMs: number): Promise<SignalProbeResult> {
    const started = Date.now();
    let result: SignalProbeResult;
    if (this.config.configError) result = { ok: false, elapsedMs: 0, error: this.config.configError };
    else {
      const check = await signalCheck(this.config.baseUrl, timeoutMs);
      const left = timeoutMs - (Date.now() - started);
      if (!check.ok) result = { ok: false, elapsedMs: Date.now() - started, error: check.error ?? "check failed" };
      else if (left <= 0) result = { ok: false, elapsedMs: Date.now() - started, error: `version timed out after ${timeoutMs} ms` };
      else {
        try {
          const v = await signalRpc<{ version?: string }>(this.config.baseUrl, "version", undefined, left);
          result = { ok: true, elapsedMs: Date.now() - started, ...(typeof v?.version === "string" ? { version: v.version } : {}) };
        } catch (error) {
          const message = error instanceof AppError && error.code === "TIMEOUT" ? `version timed out after ${timeoutMs} ms` : error instanceof Error ? error.message : String(error);
          result = { ok: false, elapsedMs: Date.now() - started, error: message };
        }
      }
    }
    this.lastProbe = result;
    this.state.lastProbeAt = Date.now();
    return result;
  }

  /** Sends `text` to `+E164`, `uuid:<id>` or `group:<id>` through JSON-RPC `send`, chunked to the text limit. */
  async send(target: string, text: string): Promise<ChannelSendResult> {
    const parsed = parseSignalTarget(target);
    if (this.config.configError) throw new AppError("CONFIG_INVALID", this.config.configError, { hint: "fix channels.signal in openclaw.json" });
    const messageIds: string[] = [];
    for (const chunk of chunkText(text, this.config.textChunkLimit)) {
      const params = { ...this.rpcAccount(), ...("groupId" in parsed ? { groupId: parsed.groupId } : { recipient: [parsed.recipient] }), message: chunk };
      try {
        const result = await signalRpc<{ timestamp?: number }>(this.config.baseUrl, "send", params, this.rpcTimeoutMs);
        messageIds.push(String(result?.timestamp ?? ""));
        this.state.lastOutboundAt = Date.now();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.state.lastError = reason;
        const where = "groupId" in parsed ? `group ${parsed.groupId}` : parsed.recipient;
        throw new AppError("UNAVAILABLE", `signal send to ${where} failed after ${messageIds.length} chunk(s): ${reason}`, {
          hint: error instanceof SignalRpcError ? "check the recipient and that the account is registered/linked (signal-cli listAccounts)" : "check that the signal-cli daemon is running and reachable",
        });
      }
    }
    return { messageIds };
  }

  /** Shows "typing…" to the target (JSON-RPC `sendTyping`, best effort). */
  async typing(target: string): Promise<void> {
    const parsed = parseSignalTarget(target);
    await signalRpc(this.config.baseUrl, "sendTyping", { ...this.rpcAccount(), ...("groupId" in parsed ? { groupId: parsed.groupId } : { recipient: [parsed.recipient] }) }, this.rpcTimeoutMs).catch(() => {});
  }

  /** The status in the ChannelAccountSnapshot shape (no secrets: Signal has no token here). */
  snapshot(): ChannelAccountSnapshot {
    const daemon: SignalDaemonStatus | undefined = this.daemon?.status();
    return {
      accountId: this.accountId,
      enabled: this.config.enabled,
      configured: this.config.account !== undefined && this.config.configError === undefined,
      ...this.state,
      mode: this.config.kind,
      baseUrl: this.config.baseUrl,
      cliPath: this.config.kind === "managed-native" ? this.config.cliPath : null,
      port: this.config.kind === "managed-native" ? this.config.httpPort : null,
      transportSource: this.config.transportSource,
      ...(this.config.account ? { account: this.config.account } : {}),
      ...(this.linked !== undefined ? { linked: this.linked } : {}),
      ...(daemon ? { daemon } : {}),
      ...(this.lastProbe ? { probe: { ...this.lastProbe } } : {}),
    };
  }
}
