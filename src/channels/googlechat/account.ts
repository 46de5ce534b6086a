/**
 * One Google Chat app account: receives on a webhook (the gateway serves `webhookPath` without its own
 * token; every request must carry Google's signed bearer token, verified before the body is parsed),
 * answers 200 `{}` at once and hands MESSAGE events to the router; replies go out through the Chat
 * API. A bounded probe and a secret-free status snapshot with rejection counters by reason.
 */
import { AppError } from "../../shared/index.js";
import { chunkText } from "../chunk.js";
import type { ChannelAccountRuntime, ChannelAccountSnapshot, ChannelProbeResult, ChannelSendResult, ChannelStartContext, ChannelWebhook, ChannelWebhookRequest, ChannelWebhookResponse } from "../contract.js";
import { describeGoogleFetchError, GoogleChatApi } from "./api.js";
import type { ResolvedGoogleChatAccount } from "./config.js";
import { addOnBodyToken, mapGoogleChatEvent, parseGoogleChatTarget } from "./inbound.js";
import { bearerToken, GoogleChatAuthError, type GoogleChatRejectReason, GoogleKeySet, verifyGoogleChatToken } from "./verify.js";

/** Largest body read before authentication when the token is in the body (Workspace add-on events). */
const ADD_ON_PREAUTH_BYTES = 16 * 1024;

const parseJson = (body: Buffer): unknown => {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
};

/** Google Chat's message text limit (characters). */
export const GOOGLE_CHAT_TEXT_LIMIT = 4096;

/** Test and tuning knobs for a GoogleChatAccount (not config keys). */
export interface GoogleChatAccountOptions {
  /** Least time between key refetches caused by unknown key ids (default 30 s). */
  unknownKidCooldownMs?: number;
  now?: () => number;
}

/** A Google Chat account runtime (webhook in, Chat API out). */
export class GoogleChatAccount implements ChannelAccountRuntime {
  private ctx: ChannelStartContext | undefined;
  private readonly keys: GoogleKeySet;
  private readonly api: GoogleChatApi | undefined;
  private lastProbe: ChannelProbeResult | undefined;
  private readonly rejected: Partial<Record<GoogleChatRejectReason, number>> = {};
  private readonly ignored: Record<string, number> = {};
  private readonly state = { running: false, lastError: null as string | null, lastStartAt: null as number | null, lastStopAt: null as number | null, lastInboundAt: null as number | null, lastOutboundAt: null as number | null, lastProbeAt: null as number | null };

  constructor(
    readonly config: ResolvedGoogleChatAccount,
    options: GoogleChatAccountOptions = {},
  ) {
    this.keys = new GoogleKeySet({ url: config.certsUrl, timeoutMs: config.requestTimeoutMs, ...(options.unknownKidCooldownMs !== undefined ? { unknownKidCooldownMs: options.unknownKidCooldownMs } : {}), ...(options.now ? { now: options.now } : {}) });
    if (config.serviceAccount) this.api = new GoogleChatApi({ serviceAccount: config.serviceAccount, apiBaseUrl: config.apiBaseUrl, timeoutMs: config.requestTimeoutMs, ...(options.now ? { now: options.now } : {}) });
  }

  get accountId(): string {
    return this.config.accountId;
  }

  private configError(): AppError {
    return new AppError("CONFIG_INVALID", this.config.configError ?? `googlechat account "${this.accountId}" is not configured`, { hint: "see docs/channels/googlechat.md (service account, audienceType, audience)" });
  }

  /** Starts receiving (the webhook answers from now on); throws CONFIG_INVALID when the account cannot run. */
  async start(ctx: ChannelStartContext): Promise<void> {
    if (this.state.running) return;
    if (!this.config.enabled) {
      ctx.log.info("googlechat account disabled", { accountId: this.accountId });
      return;
    }
    if (this.config.configError) {
      this.state.lastError = this.config.configError;
      throw this.configError();
    }
    this.ctx = ctx;
    this.state.running = true;
    this.state.lastStartAt = Date.now();
    this.state.lastError = null;
    ctx.signal.addEventListener("abort", () => void this.stop(), { once: true });
    ctx.log.info("googlechat webhook ready", { accountId: this.accountId, path: this.config.webhookPath, audienceType: this.config.audienceType });
  }

  /** Stops handing events on (the webhook answers 503 until started again). */
  async stop(_timeoutMs?: number): Promise<void> {
    if (this.state.running) this.state.lastStopAt = Date.now();
    this.state.running = false;
    this.ctx = undefined;
  }

  private reject(reason: GoogleChatRejectReason, message: string): ChannelWebhookResponse {
    this.rejected[reason] = (this.rejected[reason] ?? 0) + 1;
    this.ctx?.log.warn("googlechat webhook rejected", { accountId: this.accountId, reason, error: message });
    // Keys we could not fetch are our problem: 503 lets Google Chat retry.
    return { status: reason === "keys-unavailable" ? 503 : 401, body: { error: reason === "keys-unavailable" ? "unavailable" : "unauthorized" } };
  }

  /** The webhook route: `Authorization: Bearer <Google-signed JWT>` checked before the body is read. */
  webhook(): ChannelWebhook {
    return { path: this.config.webhookPath, handle: (request) => this.handle(request) };
  }

  private async handle(request: ChannelWebhookRequest): Promise<ChannelWebhookResponse> {
    const ctx = this.ctx;
    if (!ctx || !this.state.running) return { status: 503, body: { error: "unavailable" } };
    let token = bearerToken(request.headers.authorization ?? request.headers.Authorization);
    let event: unknown;
    // Workspace add-on events carry the token in the body: read it under a small pre-auth budget (app-url only).
    if (!token && this.config.audienceType === "app-url" && request.body.length <= ADD_ON_PREAUTH_BYTES) {
      event = parseJson(request.body);
      token = addOnBodyToken(event);
    }
    try {
      await verifyGoogleChatToken(token, {
        keys: this.keys,
        issuers: this.config.issuers,
        audience: this.config.audience as string,
        ...(this.config.expectedEmail ? { expectedEmail: this.config.expectedEmail } : {}),
        ...(this.config.appPrincipal ? { addOnPrincipal: this.config.appPrincipal } : {}),
        signal: ctx.signal,
      });
    } catch (error) {
      if (error instanceof GoogleChatAuthError) return this.reject(error.reason, error.message);
      return this.reject("keys-unavailable", error instanceof Error ? error.message : String(error));
    }
    event ??= parseJson(request.body);
    if (event === undefined) return { status: 400, body: { error: "body is not JSON" } };
    const mapped = mapGoogleChatEvent(event, this.accountId, { ...(this.config.botUser ? { botUser: this.config.botUser } : {}), allowBots: this.config.allowBots });
    if (mapped.kind === "ignored") {
      this.ignored[mapped.reason] = (this.ignored[mapped.reason] ?? 0) + 1;
      return { status: 200, body: {} };
    }
    this.state.lastInboundAt = Date.now();
    // Answer at once: the reply goes out asynchronously through the Chat API.
    void Promise.resolve()
      .then(() => ctx.onInbound(mapped.message))
      .catch((error: unknown) => ctx.log.error("googlechat inbound handler failed", { accountId: this.accountId, error: error instanceof Error ? error.message : String(error) }));
    return { status: 200, body: {} };
  }

  private requireApi(): GoogleChatApi {
    if (!this.api || this.config.configError) throw this.configError();
    return this.api;
  }

  /** Sends `text` to `spaces/<id>`, `spaces/<id>:threads/<tid>` or `users/<id>`, in 4096-character chunks. */
  async send(target: string, text: string): Promise<ChannelSendResult> {
    const api = this.requireApi();
    const parsed = parseGoogleChatTarget(target);
    const messageIds: string[] = [];
    try {
      const space = parsed.kind === "user" ? await api.findDirectMessage(parsed.user, this.ctx?.signal) : parsed.space;
      const thread = parsed.kind === "space" ? parsed.thread : undefined;
      for (const chunk of chunkText(text, GOOGLE_CHAT_TEXT_LIMIT)) {
        const sent = await api.createMessage(space, chunk, thread, this.ctx?.signal);
        messageIds.push(sent.name);
        this.state.lastOutboundAt = Date.now();
      }
    } catch (error) {
      const e = error instanceof AppError ? error : new AppError("UNAVAILABLE", `googlechat send failed: ${describeGoogleFetchError(error, this.config.requestTimeoutMs)}`);
      this.state.lastError = e.message;
      if (messageIds.length > 0) e.message = `${e.message} (after ${messageIds.length} chunk(s) were delivered)`;
      throw e;
    }
    return { messageIds };
  }

  /** Gets a fresh access token and loads Google's key set, answering within `timeoutMs` even when a server hangs. */
  async probe(timeoutMs: number): Promise<ChannelProbeResult> {
    const started = Date.now();
    const finish = (result: ChannelProbeResult): ChannelProbeResult => {
      this.lastProbe = result;
      this.state.lastProbeAt = Date.now();
      return result;
    };
    if (!this.api || this.config.configError) return finish({ ok: false, elapsedMs: 0, error: this.config.configError ?? "not configured" });
    const api = this.api;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<ChannelProbeResult>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve({ ok: false, elapsedMs: Date.now() - started, error: `probe timed out after ${timeoutMs} ms` });
      }, timeoutMs);
    });
    const run = (async (): Promise<ChannelProbeResult> => {
      try {
        await api.accessToken({ force: true, signal: controller.signal, timeoutMs });
        await this.keys.refresh(controller.signal).catch((error: unknown) => {
          throw new AppError("UNAVAILABLE", error instanceof Error ? error.message : String(error));
        });
        return { ok: true, elapsedMs: Date.now() - started, keys: this.keys.size };
      } catch (error) {
        return { ok: false, elapsedMs: Date.now() - started, error: error instanceof Error ? error.message : String(error) };
      }
    })();
    try {
      return finish(await Promise.race([run, expired]));
    } finally {
      clearTimeout(timer);
    }
  }

  /** Status in the ChannelAccountSnapshot shape; no key material, no tokens. */
  snapshot(): ChannelAccountSnapshot {
    return {
      accountId: this.accountId,
      enabled: this.config.enabled,
      configured: this.config.configError === undefined,
      ...this.state,
      // A misconfigured account is never started; its status still says why.
      lastError: this.state.lastError ?? (this.config.enabled ? (this.config.configError ?? null) : null),
      mode: "webhook",
      webhookPath: this.config.webhookPath,
      ...(this.config.webhookUrl ? { webhookUrl: this.config.webhookUrl } : {}),
      ...(this.config.audienceType ? { audienceType: this.config.audienceType } : {}),
      credentialSource: this.config.credentialSource,
      ...(this.config.serviceAccount ? { serviceAccountEmail: this.config.serviceAccount.clientEmail } : {}),
      rejected: { ...this.rejected },
      ignored: { ...this.ignored },
      ...(this.lastProbe ? { probe: { ...this.lastProbe } } : {}),
    };
  }
}
