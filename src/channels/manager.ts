/**
 * The channel manager: runs one runtime per configured account of every channel plugin, reconciles
 * them with the config (an account whose resolved connection settings changed is restarted, alone;
 * policy and allowlist edits never restart anything — the router reads them live), and watches them
 * (issue 14 item 5). The health monitor restarts an account only when it stopped running on its own
 * or has been disconnected past the stale threshold, with backoff, under a per-hour restart budget;
 * a connected account is never restarted, however quiet it is.
 */
import { createHash } from "node:crypto";
import { AppError } from "../shared/index.js";
import type { ChannelAccountRuntime, ChannelAccountSnapshot, ChannelEnvironment, ChannelLog, ChannelLoginOptions, ChannelLoginResult, ChannelPlugin, ChannelProbeResult, ChannelSendOptions, ChannelSendResult, ChannelWebhook, InboundMessage } from "./contract.js";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});

/** Health-monitor settings (from `gateway.channelHealthCheckMinutes` & co.). */
export interface ChannelMonitorOptions {
  /** How often accounts are checked; 0 disables the monitor. */
  intervalMs: number;
  /** Restarts allowed per account per rolling hour. */
  maxRestartsPerHour: number;
  /** A running account disconnected for longer than this is restarted. */
  staleMs: number;
  /** Backoff between start attempts after a failed start. */
  backoff: { initialMs: number; maxMs: number };
}

export const DEFAULT_MONITOR: ChannelMonitorOptions = { intervalMs: 5 * 60_000, maxRestartsPerHour: 10, staleMs: 30 * 60_000, backoff: { initialMs: 2000, maxMs: 5 * 60_000 } };

export interface ChannelManagerOptions {
  plugins: readonly ChannelPlugin[];
  /** The running config (`channels.*` is read on every reconcile). */
  config(): Obj;
  environment: ChannelEnvironment;
  /** Where inbound messages go (the router); called without awaiting the turn. */
  onInbound(msg: InboundMessage): void;
  /** One logger per channel (`gateway/channels/<id>`). */
  log(channel: string): ChannelLog;
  monitor?: Partial<ChannelMonitorOptions>;
}

interface Entry {
  plugin: ChannelPlugin;
  accountId: string;
  fingerprint: string;
  resolved: unknown;
  runtime: ChannelAccountRuntime;
  /** The config wants it running and nobody stopped it by hand. */
  desired: boolean;
  manualStop: boolean;
  abort: AbortController | undefined;
  starting: Promise<void> | undefined;
  retryTimer: NodeJS.Timeout | undefined;
  startFailures: number;
  restartTimes: number[];
  restarts: number;
  budgetExhausted: boolean;
  monitorEnabled: boolean;
  lastRestartReason: string | null;
  managerError: string | null;
}

/** What a reconcile changed, by `channel/account`. */
export interface ReconcileResult {
  started: string[];
  restarted: string[];
  stopped: string[];
}

const fingerprintOf = (resolved: unknown) => createHash("sha256").update(JSON.stringify(resolved) ?? "").digest("hex");
const keyOf = (channel: string, accountId: string) => `${channel}/${accountId}`;

export class ChannelManager {
  private readonly entries = new Map<string, Entry>();
  private readonly monitor: ChannelMonitorOptions;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private lastCheckAt: number | null = null;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ChannelManagerOptions) {
    this.monitor = { ...DEFAULT_MONITOR, ...options.monitor, backoff: { ...DEFAULT_MONITOR.backoff, ...options.monitor?.backoff } };
  }

  /** The plugins this manager runs. */
  plugins(): readonly ChannelPlugin[] {
    return this.options.plugins;
  }

  /** Starts every configured account and the monitor. */
  async start(): Promise<ReconcileResult> {
    const result = await this.reconcile();
    if (this.monitor.intervalMs > 0) {
      this.timer = setInterval(() => void this.check(), this.monitor.intervalMs);
      this.timer.unref();
    }
    return result;
  }

  /** Brings running accounts in line with the config; serialised so edits in quick succession apply in order. */
  reconcile(): Promise<ReconcileResult> {
    const next = this.chain.then(() => this.reconcileNow());
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async reconcileNow(): Promise<ReconcileResult> {
    const result: ReconcileResult = { started: [], restarted: [], stopped: [] };
    if (this.closed) return result;
    const channels = obj(this.options.config().channels);
    const seen = new Set<string>();
    for (const plugin of this.options.plugins) {
      const section = channels[plugin.id];
      if (!section || typeof section !== "object") continue;
      const sectionObj = section as Obj;
      for (const accountId of plugin.accountIds(sectionObj)) {
        const key = keyOf(plugin.id, accountId);
        seen.add(key);
        const resolved = plugin.resolve(sectionObj, accountId, this.options.environment);
        const fingerprint = fingerprintOf(resolved);
        const monitorEnabled = obj(sectionObj.healthMonitor).enabled !== false && obj(obj(obj(sectionObj.accounts)[accountId]).healthMonitor).enabled !== false;
        const existing = this.entries.get(key);
        if (existing && existing.fingerprint === fingerprint) {
          existing.monitorEnabled = monitorEnabled;
          continue;
        }
        if (existing) {
          await this.halt(existing, "config changed");
          this.entries.delete(key);
        }
        const entry = this.createEntry(plugin, accountId, resolved, fingerprint, monitorEnabled);
        this.entries.set(key, entry);
        if (entry.desired) {
          await this.launch(entry);
          (existing?.desired ? result.restarted : result.started).push(key);
        } else if (existing?.desired) result.stopped.push(key);
      }
    }
    for (const [key, entry] of this.entries) {
      if (seen.has(key)) continue;
      await this.halt(entry, "removed from config");
      this.entries.delete(key);
      if (entry.desired) result.stopped.push(key);
    }
    return result;
  }

  private createEntry(plugin: ChannelPlugin, accountId: string, resolved: unknown, fingerprint: string, monitorEnabled: boolean): Entry {
    return {
      plugin,
      accountId,
      fingerprint,
      resolved,
      runtime: plugin.create(resolved, this.options.environment),
      desired: plugin.shouldStart(resolved),
      manualStop: false,
      abort: undefined,
      starting: undefined,
      retryTimer: undefined,
      startFailures: 0,
      restartTimes: [],
      restarts: 0,
      budgetExhausted: false,
      monitorEnabled,
      lastRestartReason: null,
      managerError: null,
    };
  }

  /** Starts the entry's runtime; a failure schedules a retry with backoff (counted against the budget). */
  private launch(entry: Entry): Promise<void> {
    if (entry.starting) return entry.starting;
    const log = this.options.log(entry.plugin.id);
    const abort = new AbortController();
    entry.abort = abort;
    entry.starting = (async () => {
      try {
        await entry.runtime.start({ onInbound: (msg) => this.options.onInbound(msg), log, signal: abort.signal });
        entry.startFailures = 0;
        entry.managerError = null;
        log.info("channel account started", { channel: entry.plugin.id, accountId: entry.accountId });
      } catch (error) {
        if (abort.signal.aborted || this.closed) return;
        entry.startFailures++;
        entry.managerError = error instanceof Error ? error.message : String(error);
        const delay = Math.min(this.monitor.backoff.maxMs, this.monitor.backoff.initialMs * 2 ** (entry.startFailures - 1));
        log.warn("channel account failed to start; retrying", { channel: entry.plugin.id, accountId: entry.accountId, error: entry.managerError, attempt: entry.startFailures, retryInMs: delay });
        if (entry.monitorEnabled) {
          entry.retryTimer = setTimeout(() => {
            entry.retryTimer = undefined;
            void this.restart(entry, "start failed");
          }, delay);
          entry.retryTimer.unref();
        }
      } finally {
        entry.starting = undefined;
      }
    })();
    return entry.starting;
  }

  private async halt(entry: Entry, reason: string): Promise<void> {
    if (entry.retryTimer) clearTimeout(entry.retryTimer);
    entry.retryTimer = undefined;
    const wasRunning = entry.starting !== undefined || entry.runtime.snapshot().running === true;
    entry.abort?.abort();
    await entry.starting?.catch(() => undefined);
    await entry.runtime.stop(5000).catch(() => undefined);
    if (wasRunning) this.options.log(entry.plugin.id).info("channel account stopped", { channel: entry.plugin.id, accountId: entry.accountId, reason });
  }

  /** Restarts one account under the per-hour budget; returns false when the budget refused it. */
  private async restart(entry: Entry, reason: string): Promise<boolean> {
    if (this.closed || !entry.desired || entry.manualStop || this.entries.get(keyOf(entry.plugin.id, entry.accountId)) !== entry) return false;
    const now = Date.now();
    entry.restartTimes = entry.restartTimes.filter((t) => now - t < 3_600_000);
    const log = this.options.log(entry.plugin.id);
    if (entry.restartTimes.length >= this.monitor.maxRestartsPerHour) {
      if (!entry.budgetExhausted) log.warn("channel account restart budget exhausted; leaving it stopped until the next hour window or a manual start", { channel: entry.plugin.id, accountId: entry.accountId, reason, maxRestartsPerHour: this.monitor.maxRestartsPerHour });
      entry.budgetExhausted = true;
      entry.managerError = `restart budget exhausted (${this.monitor.maxRestartsPerHour}/h) after: ${reason}`;
      return false;
    }
    entry.budgetExhausted = false;
    entry.restartTimes.push(now);
    entry.restarts++;
    entry.lastRestartReason = reason;
    log.info("restarting channel account", { channel: entry.plugin.id, accountId: entry.accountId, reason, restartsLastHour: entry.restartTimes.length });
    await this.halt(entry, reason);
    entry.runtime = entry.plugin.create(entry.resolved, this.options.environment);
    await this.launch(entry);
    return true;
  }

  /** One monitor pass: restarts only accounts that stopped on their own or are stale; never a connected one. */
  async check(now = Date.now()): Promise<string[]> {
    const restarted: string[] = [];
    this.lastCheckAt = Date.now();
    for (const entry of [...this.entries.values()]) {
      if (!entry.desired || entry.manualStop || !entry.monitorEnabled || entry.starting || entry.retryTimer) continue;
      const snap = entry.runtime.snapshot();
      // Not linked (WhatsApp logged out, Signal not registered): a restart cannot fix it, a login can.
      if (snap.linked === false || snap.needsLogin === true) continue;
      let reason: string | undefined;
      if (snap.running === false) reason = "stopped unexpectedly";
      else if (snap.connected === false) {
        const since = typeof snap.lastDisconnectAt === "number" ? snap.lastDisconnectAt : typeof snap.lastStartAt === "number" ? snap.lastStartAt : now;
        if (now - since > this.monitor.staleMs) reason = `disconnected for ${Math.round((now - since) / 60_000)} min`;
      }
      if (reason && (await this.restart(entry, reason))) restarted.push(keyOf(entry.plugin.id, entry.accountId));
    }
    return restarted;
  }

  private find(channel: string, accountId?: string): Entry {
    const plugin = this.options.plugins.find((p) => p.id === channel);
    if (!plugin) throw new AppError("USAGE", `unknown channel "${channel}"`, { hint: `channels this gateway runs: ${this.options.plugins.map((p) => p.id).join(", ")}` });
    const section = obj(obj(this.options.config().channels)[channel]);
    const id = accountId ?? plugin.defaultAccountId(section);
    const entry = this.entries.get(keyOf(channel, id));
    if (!entry) throw new AppError("NOT_FOUND", `channel ${channel} has no account "${id}"`, { hint: `configure channels.${channel}${accountId ? `.accounts.${accountId}` : ""} (openclaw channels add --channel ${channel})` });
    return entry;
  }

  /** The accounts of `channel` (one, or every account when `accountId` is omitted). */
  private select(channel: string, accountId?: string): Entry[] {
    if (accountId) return [this.find(channel, accountId)];
    this.find(channel, undefined);
    return [...this.entries.values()].filter((e) => e.plugin.id === channel);
  }

  /** `channels.start`: starts accounts stopped by hand or by the budget. */
  async startAccounts(channel: string, accountId?: string): Promise<Array<{ accountId: string; running: boolean }>> {
    const out = [];
    for (const entry of this.select(channel, accountId)) {
      if (!entry.plugin.shouldStart(entry.resolved)) throw new AppError("CONFIG_INVALID", `${channel}/${entry.accountId} cannot start: ${String(entry.runtime.snapshot().lastError ?? "it is disabled or has no credentials")}`, { hint: `check channels.${channel} (openclaw channels status)` });
      entry.manualStop = false;
      entry.desired = true;
      entry.budgetExhausted = false;
      entry.restartTimes = [];
      if (!entry.runtime.snapshot().running) {
        await this.halt(entry, "manual start");
        entry.runtime = entry.plugin.create(entry.resolved, this.options.environment);
        await this.launch(entry);
      }
      out.push({ accountId: entry.accountId, running: entry.runtime.snapshot().running === true });
    }
    return out;
  }

  /** `channels.stop`: stops accounts until started again (the monitor leaves them alone). */
  async stopAccounts(channel: string, accountId?: string): Promise<Array<{ accountId: string; running: boolean }>> {
    const out = [];
    for (const entry of this.select(channel, accountId)) {
      entry.manualStop = true;
      await this.halt(entry, "manual stop");
      out.push({ accountId: entry.accountId, running: false });
    }
    return out;
  }

  /**
   * A QR login for one account: the running account is stopped (one live socket per session), the
   * plugin links it, then the account starts again from the new session.
   */
  async login(channel: string, accountId: string | undefined, options: ChannelLoginOptions): Promise<ChannelLoginResult & { accountId: string }> {
    const entry = this.find(channel, accountId);
    if (!entry.plugin.login) throw new AppError("USAGE", `${channel} has no QR login`, { hint: `configure its credentials instead (openclaw channels add --channel ${channel})` });
    await this.halt(entry, "login");
    try {
      return { ...(await entry.plugin.login(entry.resolved, options)), accountId: entry.accountId };
    } finally {
      // Linked or not, the account runs again if its config and session allow it.
      entry.manualStop = false;
      entry.desired = entry.plugin.shouldStart(entry.resolved);
      entry.runtime = entry.plugin.create(entry.resolved, this.options.environment);
      if (entry.desired && !this.closed) await this.launch(entry);
    }
  }

  /** `channels.logout`: the account's own logout (linked channels); false when it has nothing to clear. */
  async logout(channel: string, accountId?: string): Promise<{ accountId: string; cleared: boolean }> {
    const entry = this.find(channel, accountId);
    const cleared = entry.runtime.logout ? await entry.runtime.logout() : false;
    return { accountId: entry.accountId, cleared };
  }

  /** Sends through one account (the channel's default account unless named). */
  async send(channel: string, accountId: string | undefined, target: string, text: string, options: ChannelSendOptions = {}): Promise<ChannelSendResult & { accountId: string }> {
    const entry = this.find(channel, accountId);
    if (!entry.plugin.shouldStart(entry.resolved)) {
      throw new AppError("UNAVAILABLE", `${channel}/${entry.accountId} cannot send: ${String(entry.runtime.snapshot().lastError ?? "the account is disabled")}`, { hint: `enable channels.${channel} and give it credentials` });
    }
    return { ...(await entry.runtime.send(target, text, options)), accountId: entry.accountId };
  }

  /** The reply target for an inbound message, in its channel's syntax. */
  replyTarget(msg: InboundMessage): string {
    const plugin = this.options.plugins.find((p) => p.id === msg.channel);
    return plugin ? plugin.replyTarget(msg) : (msg.groupId ?? msg.senderId);
  }

  /** Typing indicator for the chat a message came from (best effort). */
  async typing(msg: InboundMessage): Promise<void> {
    const entry = this.entries.get(keyOf(msg.channel, msg.accountId));
    await entry?.runtime.typing?.(this.replyTarget(msg));
  }

  /** Live probes of every account (of one channel), each answering within `timeoutMs` (a hung server is a failed probe). */
  async probe(timeoutMs: number, channel?: string): Promise<Map<string, ChannelProbeResult>> {
    const results = await Promise.all(
      [...this.entries].filter(([, e]) => !channel || e.plugin.id === channel).map(async ([key, entry]): Promise<[string, ChannelProbeResult]> => {
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<ChannelProbeResult>((resolve) => {
          timer = setTimeout(() => resolve({ ok: false, error: `probe timed out after ${timeoutMs} ms` }), timeoutMs + 250);
        });
        try {
          return [key, await Promise.race([entry.runtime.probe(timeoutMs).catch((e: unknown) => ({ ok: false, error: e instanceof Error ? e.message : String(e) })), deadline])];
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return new Map(results);
  }

  /** Webhooks of running accounts (the gateway serves each path). */
  webhooks(): Array<{ channel: string; accountId: string; webhook: ChannelWebhook }> {
    const out = [];
    for (const entry of this.entries.values()) {
      if (!entry.desired || entry.manualStop) continue;
      const webhook = entry.runtime.webhook?.();
      if (webhook) out.push({ channel: entry.plugin.id, accountId: entry.accountId, webhook });
    }
    return out;
  }

  /** Every account's snapshot with the manager's own fields (restarts, monitor state). */
  snapshots(): Array<{ channel: string; label: string; defaultAccountId: string; accounts: ChannelAccountSnapshot[] }> {
    const channels = obj(this.options.config().channels);
    const out = [];
    for (const plugin of this.options.plugins) {
      const accounts = [...this.entries.values()].filter((e) => e.plugin === plugin);
      if (accounts.length === 0) continue;
      out.push({
        channel: plugin.id,
        label: plugin.label,
        defaultAccountId: plugin.defaultAccountId(obj(channels[plugin.id])),
        accounts: accounts.map((e) => {
          const snap = e.runtime.snapshot();
          return {
            ...snap,
            lastError: e.managerError ?? snap.lastError ?? null,
            restarts: e.restarts,
            lastRestartReason: e.lastRestartReason,
            healthMonitor: e.monitorEnabled ? (e.budgetExhausted ? "budget-exhausted" : "on") : "off",
            lastHealthCheckAt: this.lastCheckAt,
            ...(e.manualStop ? { stoppedBy: "operator" } : {}),
          };
        }),
      });
    }
    return out;
  }

  /** Stops every account within `timeoutMs` in total. */
  async stop(timeoutMs = 5000): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all([...this.entries.values()].map((e) => this.halt(e, "gateway stopping"))), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }
}
