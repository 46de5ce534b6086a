/**
 * The channels subsystem: owns `channels.*`. It runs every configured account through the channel
 * manager (health monitor included), hands inbound messages to the router (access policy, pairing,
 * bindings → the agent's lane → chunked reply), serves channel webhooks on the route table (no
 * gateway token: each channel verifies its own signature), and answers `channels.*` and `send`.
 * A credential edit restarts only that account; allowlist and policy edits apply in place (the
 * router reads the running config per message). Drop counters show in `channels.status`, `status`,
 * `health` and `/metrics`. `channels.pairing.*` reads and settles DM pairing requests in the same
 * store the router and `openclaw pairing` use (also when channels are skipped).
 */
import {
  builtinChannelPlugins,
  type ChannelLog,
  ChannelManager,
  type ChannelMonitorOptions,
  type ChannelPlugin,
  ChannelRegistry,
  ChannelRouter,
  DropCounters,
  DuplicateFilter,
  PairingStore,
  WebChatChannel,
} from "../../../channels/index.js";
import { createLogger } from "../../../logging/index.js";
import type { Route } from "../../routes.js";
import type { ApplyResult, ConfigChange, MethodHandlers, Subsystem, SubsystemContext } from "../../subsystem.js";
import { CoreBound } from "../base.js";
import { pairingMethods } from "./pairing-rpc.js";
import { channelMethods, type SendTextRequest, sendText } from "./rpc.js";
import { type ChannelView, channelsHealth, channelsMetrics, channelsStatusLines } from "./view.js";
import { webLoginMethods } from "./web-login.js";

type Obj = Record<string, unknown>;
type RunsPort = ConstructorParameters<typeof ChannelRouter>[0]["runs"];

export interface ChannelsSubsystemOptions {
  /** The agent runtime's run queue (the agents subsystem's). */
  runs(): RunsPort;
  /** Channel plugins (default: every built-in channel). */
  plugins?: () => ChannelPlugin[];
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined);

/** `gateway.channelHealthCheckMinutes` & co., with `OPENCLAW_CHANNEL_HEALTH_INTERVAL_MS` for soak tests. */
function monitorOptions(config: Obj, env: NodeJS.ProcessEnv): Partial<ChannelMonitorOptions> {
  const gateway = (config.gateway ?? {}) as Obj;
  const minutes = num(gateway.channelHealthCheckMinutes);
  const envInterval = num(Number(env.OPENCLAW_CHANNEL_HEALTH_INTERVAL_MS ?? Number.NaN));
  const stale = num(gateway.channelStaleEventThresholdMinutes);
  const max = num(gateway.channelMaxRestartsPerHour);
  return {
    ...(envInterval !== undefined ? { intervalMs: envInterval } : minutes !== undefined ? { intervalMs: minutes * 60_000 } : {}),
    ...(stale !== undefined ? { staleMs: stale * 60_000 } : {}),
    ...(max !== undefined ? { maxRestartsPerHour: max } : {}),
  };
}

export class ChannelsSubsystem extends CoreBound implements Subsystem {
  readonly name = "channels";
  /** Config-only view of channels no plugin runs yet (WhatsApp, Discord, Signal, …). */
  readonly registry = new ChannelRegistry();
  readonly drops = new DropCounters();
  readonly webchat = new WebChatChannel();
  private manager_: ChannelManager | undefined;
  private router_: ChannelRouter | undefined;
  private pairing_: PairingStore | undefined;
  private readonly webhookRoutes = new Map<string, () => void>();
  private readonly log = createLogger("gateway/channels");
  readonly methods: MethodHandlers;
  private readonly webLogin: ReturnType<typeof webLoginMethods>;

  constructor(private readonly options: ChannelsSubsystemOptions) {
    super();
    this.webLogin = webLoginMethods(() => this.manager);
    this.methods = {
      ...this.webLogin.methods,
      ...channelMethods({ manager: () => this.manager, view: () => this.view(), webchat: this.webchat, drops: () => this.drops.snapshot(), eventLoop: () => this.maybeCore?.eventLoop.sample() }),
      ...pairingMethods({ store: () => this.pairingStore(), config: () => this.core.runningConfig() as unknown as Obj, view: () => this.view(), manager: () => this.manager, log: this.log }),
    };
  }

  /** Sends text through a channel account: the `send` method's path, for other subsystems (cron announce). */
  send(req: SendTextRequest): ReturnType<typeof sendText> {
    return sendText(this.manager_, req);
  }

  get manager(): ChannelManager | undefined {
    return this.manager_;
  }

  /** The DM pairing store over this state dir (opened on first use, closed on stop). */
  private pairingStore(): PairingStore {
    const { credentialsDir, stateDir } = this.core.paths.layout;
    this.pairing_ ??= new PairingStore({ credentialsDir, stateDir, onProblem: (error) => this.log.warn(`pairing database: ${error.message}`, { hint: error.hint }) });
    return this.pairing_;
  }

  override async start(ctx: SubsystemContext): Promise<void> {
    super.start(ctx);
    const core = ctx.core;
    // OpenClaw's switch for running a gateway without its channels (tests, maintenance).
    if (core.env.OPENCLAW_SKIP_CHANNELS === "1") {
      this.log.info("channels skipped (OPENCLAW_SKIP_CHANNELS=1)");
      return;
    }
    const config = () => core.runningConfig() as unknown as Obj;
    const pairing = this.pairingStore();
    const logs = new Map<string, ChannelLog>();
    const logFor = (channel: string): ChannelLog => {
      const known = logs.get(channel);
      if (known) return known;
      const log = this.log.child(channel);
      logs.set(channel, log);
      return log;
    };
    const manager = new ChannelManager({
      plugins: this.options.plugins?.() ?? builtinChannelPlugins(config),
      config,
      environment: { env: core.env as NodeJS.ProcessEnv, stateDir: core.paths.stateDir, credentialsDir: core.paths.layout.credentialsDir },
      onInbound: (msg) => {
        const router = this.router_;
        if (!router) return;
        router.handle(msg).catch((error: unknown) => logFor(msg.channel).error("inbound message failed", { channel: msg.channel, accountId: msg.accountId, error: error instanceof Error ? error.message : String(error) }));
      },
      log: logFor,
      monitor: monitorOptions(config(), core.env as NodeJS.ProcessEnv),
    });
    this.router_ = new ChannelRouter({
      config,
      runs: { start: (req) => this.options.runs().start(req) },
      pairing,
      drops: this.drops,
      duplicates: new DuplicateFilter(),
      send: (msg, text, options) => manager.send(msg.channel, msg.accountId, manager.replyTarget(msg), text, options),
      typing: (msg) => manager.typing(msg),
      replyTarget: (msg) => manager.replyTarget(msg),
      // Router lines go to the channel's own logger (`gateway/channels/<id>`, what `channels logs` reads).
      log: { info: (m, f) => logFor(String(f?.channel ?? "router")).info(m, f), warn: (m, f) => logFor(String(f?.channel ?? "router")).warn(m, f) },
    });
    this.manager_ = manager;
    const started = await manager.start();
    this.syncWebhooks();
    if (started.started.length > 0) this.log.info("channel accounts started", { accounts: started.started });
  }

  override async stop(reason?: string): Promise<void> {
    const manager = this.manager_;
    this.webLogin.stop();
    this.manager_ = undefined;
    this.router_ = undefined;
    for (const remove of this.webhookRoutes.values()) remove();
    this.webhookRoutes.clear();
    await manager?.stop(5000);
    this.pairing_?.close();
    this.pairing_ = undefined;
    super.stop(reason);
  }

  /** Credential edits restart only the affected accounts; policy edits are read live (applied). */
  async applyConfig(_change: ConfigChange): Promise<ApplyResult> {
    const manager = this.manager_;
    if (!manager) return "applied";
    const result = await manager.reconcile();
    this.syncWebhooks();
    const changed = [...result.started, ...result.restarted, ...result.stopped];
    if (changed.length === 0) return "applied";
    this.log.info("channel accounts reconciled with the config", { ...result });
    return "restarted";
  }

  /** One route per webhook path; requests go to the accounts on that path until one accepts them. */
  private syncWebhooks(): void {
    const manager = this.manager_;
    const core = this.maybeCore;
    if (!manager || !core) return;
    const paths = new Set(manager.webhooks().map((w) => w.webhook.path));
    for (const [path, remove] of this.webhookRoutes) {
      if (paths.has(path)) continue;
      remove();
      this.webhookRoutes.delete(path);
    }
    for (const path of paths) {
      if (this.webhookRoutes.has(path)) continue;
      const route: Route = {
        method: "POST",
        path,
        auth: "none",
        owner: "channels",
        bodyLimitBytes: 1024 * 1024,
        timeoutMs: 10_000,
        handle: async (request, res) => {
          let answer = { status: 404 as number, body: undefined as unknown };
          for (const { webhook } of this.manager_?.webhooks() ?? []) {
            if (webhook.path !== path) continue;
            const r = await webhook.handle({ headers: request.req.headers, body: request.body });
            answer = { status: r.status, body: r.body };
            if (r.status !== 401) break;
          }
          const body = answer.body === undefined ? (answer.status < 300 ? "{}" : JSON.stringify({ error: answer.status === 401 ? "unauthorized" : "rejected" })) : JSON.stringify(answer.body);
          res.writeHead(answer.status, { "content-type": "application/json; charset=utf-8" });
          res.end(body);
        },
      };
      try {
        this.webhookRoutes.set(path, core.addRoute(route));
      } catch (error) {
        this.log.error("channel webhook path clashes with a gateway route; change webhookPath", { path, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  /** Every channel: the running ones from the manager, configured-only ones from the registry, WebChat. */
  view(): ChannelView[] {
    const core = this.maybeCore;
    const config = (core?.runningConfig().channels ?? {}) as Obj;
    const running = this.manager_?.snapshots() ?? [];
    const managed = new Set(running.map((c) => c.channel));
    const withDrops = (channel: string, a: Record<string, unknown> & { accountId: string }) => ({ ...a, dropped: this.drops.forAccount(channel, a.accountId) });
    const views: ChannelView[] = running.map((c) => ({ id: c.channel, label: c.label, defaultAccountId: c.defaultAccountId, accounts: c.accounts.map((a) => withDrops(c.channel, a)) }));
    for (const c of this.registry.snapshot(config)) {
      if (managed.has(c.id) || c.id === "webchat") continue;
      views.push({ id: c.id, label: c.label, defaultAccountId: c.defaultAccountId, accounts: c.accounts.map((a) => withDrops(c.id, a)) });
    }
    const chatClients = core?.clients().filter((cl) => cl.scopes.includes("operator.write") || cl.scopes.includes("operator.admin")).length ?? 0;
    views.push({ id: "webchat", label: "WebChat", defaultAccountId: "default", accounts: [withDrops("webchat", this.webchat.snapshot(chatClients))] });
    return views.sort((a, b) => a.id.localeCompare(b.id));
  }

  health(): Record<string, unknown> {
    return channelsHealth(this.view(), this.drops.snapshot());
  }

  status(): Record<string, unknown> {
    return channelsStatusLines(this.view(), this.drops.snapshot());
  }

  metrics(): string[] {
    return channelsMetrics(this.view(), this.drops);
  }
}
