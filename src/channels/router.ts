/**
 * The inbound path of every channel: a message is checked against the duplicate filter and the
 * access policy (drops counted by reason and logged with the sender masked — never silent), an
 * unknown DM sender under `dmPolicy: pairing` gets one pairing code, the agent is chosen by
 * `bindings[]` (exact peer, peer wildcard, account, channel, else the default agent), the session key
 * by `session.dmScope`, and the turn runs in that session's lane. The reply is chunked to the
 * channel's limit and sent back; `NO_REPLY` and empty replies send nothing.
 */
import { defaultAgentId, normalizeAgentId, type RunHandle, type RunRequest, resolveSessionKey } from "../agent/index.js";
import { chunkText, DEFAULT_TEXT_CHUNK_LIMITS } from "./chunk.js";
import type { ChannelSendOptions, InboundMessage } from "./contract.js";
import { type DropCounters, formatDropLine, maskSender } from "./drops.js";
import type { PairingStore } from "./pairing.js";
import { type DropReason, type DuplicateFilter, decideInbound } from "./policy.js";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/** What happened to one inbound message. */
export type RouteOutcome =
  | { kind: "dropped"; reason: DropReason; pairingCode?: string }
  | { kind: "replied"; agentId: string; sessionKey: string; runId: string; chunks: number }
  | { kind: "silent"; agentId: string; sessionKey: string; runId: string; status: string };

export interface ChannelRouterDeps {
  config(): Obj;
  runs: { start(req: RunRequest): RunHandle };
  pairing: PairingStore;
  drops: DropCounters;
  duplicates: DuplicateFilter;
  send(msg: InboundMessage, text: string, options?: ChannelSendOptions): Promise<unknown>;
  /** Where a reply to `msg` goes, in the channel's target syntax (stamped on the session as `lastTo`). */
  replyTarget?(msg: InboundMessage): string;
  /** Shows a typing indicator while the turn runs (best effort). */
  typing?(msg: InboundMessage): Promise<void>;
  log: { info(message: string, fields?: Record<string, unknown>): void; warn(message: string, fields?: Record<string, unknown>): void };
  /** Per-sender flood limit (default 30 messages a minute); beyond it messages are dropped as `rate-limited`. */
  rateLimit?: { max: number; windowMs: number };
}

/** Sliding-window counts per channel/account/sender. */
class SenderRateLimit {
  private readonly hits = new Map<string, number[]>();
  constructor(private readonly limit: { max: number; windowMs: number }) {}

  /** Records one message; false when the sender is over the limit. */
  allow(key: string, now = Date.now()): boolean {
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < this.limit.windowMs);
    if (recent.length >= this.limit.max) {
      this.hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) for (const [k, times] of this.hits) if (times.every((t) => now - t >= this.limit.windowMs)) this.hits.delete(k);
    return true;
  }
}

/** The agent `bindings[]` give a message, else undefined (the caller falls back to the default agent). */
export function bindingAgent(bindings: unknown, msg: InboundMessage): string | undefined {
  const list = Array.isArray(bindings) ? bindings.map(obj) : [];
  const peerKind = msg.chatType === "direct" ? "direct" : msg.chatType;
  const peerId = msg.chatType === "direct" ? msg.senderId : (msg.groupId ?? "");
  const matches = (b: Obj) => {
    const m = obj(b.match);
    return str(m.channel)?.toLowerCase() === msg.channel && (m.accountId === undefined || m.accountId === "*" || m.accountId === msg.accountId);
  };
  const peerOf = (b: Obj) => obj(obj(b.match).peer);
  const exact = list.find((b) => matches(b) && peerOf(b).kind === peerKind && String(peerOf(b).id ?? "") === peerId);
  const wildcard = list.find((b) => matches(b) && peerOf(b).kind === peerKind && peerOf(b).id === "*");
  const account = list.find((b) => matches(b) && obj(b.match).peer === undefined && typeof obj(b.match).accountId === "string" && obj(b.match).accountId !== "*");
  const channel = list.find((b) => matches(b) && obj(b.match).peer === undefined && (obj(b.match).accountId === undefined || obj(b.match).accountId === "*"));
  const hit = exact ?? wildcard ?? account ?? channel;
  return hit && str(hit.agentId) ? normalizeAgentId(hit.agentId as string) : undefined;
}

export class ChannelRouter {
  private readonly rate: SenderRateLimit;

  constructor(private readonly deps: ChannelRouterDeps) {
    this.rate = new SenderRateLimit(deps.rateLimit ?? { max: 30, windowMs: 60_000 });
  }

  private drop(msg: InboundMessage, reason: DropReason, extra: { pairingCode?: string } = {}): RouteOutcome {
    this.deps.drops.count(msg.channel, msg.accountId, reason);
    this.deps.log.info(formatDropLine(msg, reason), { channel: msg.channel, accountId: msg.accountId, reason });
    return { kind: "dropped", reason, ...extra };
  }

  /** Routes one inbound message to its agent and sends the reply back (resolves when the reply went out). */
  async handle(msg: InboundMessage): Promise<RouteOutcome> {
    if (this.deps.duplicates.isDuplicate(msg)) return this.drop(msg, "duplicate");
    if (!this.rate.allow(`${msg.channel}\0${msg.accountId}\0${msg.senderId}`)) return this.drop(msg, "rate-limited");
    const config = this.deps.config();
    const channelConfig = obj(obj(config.channels)[msg.channel]);
    const accountConfig = obj(obj(channelConfig.accounts)[msg.accountId]);
    const decision = decideInbound(msg, { channelConfig, accountConfig, pairingAllowFrom: msg.chatType === "direct" ? this.deps.pairing.readAllowFrom(msg.channel, msg.accountId) : [] });
    if (!decision.allow) {
      if (!decision.pairing) return this.drop(msg, decision.reason);
      const r = await this.deps.pairing.requestPairing(msg.channel, msg.senderId, { accountId: msg.accountId, ...(msg.senderName ? { name: msg.senderName } : {}) });
      // The code message goes out once per live code; repeats and a full queue stay silent (and counted).
      if (r.created) await this.deps.send(msg, `OpenClaw: access not configured.\n\nPairing code: ${r.code}\n\nAsk the bot owner to approve with:\nopenclaw pairing approve ${msg.channel} ${r.code}`);
      return this.drop(msg, decision.reason, r.created ? { pairingCode: r.code } : {});
    }
    const session = obj(config.session);
    const agentId = bindingAgent(config.bindings, msg) ?? defaultAgentId(config as never);
    const sessionKey = resolveSessionKey(
      { agentId, chatType: msg.chatType === "channel" ? "channel" : msg.chatType, channel: msg.channel, accountId: msg.accountId, peerId: msg.senderId, ...(msg.groupId ? { groupId: msg.groupId } : {}), ...(msg.threadId ? { threadId: msg.threadId } : {}) },
      { dmScope: session.dmScope as never, mainKey: str(session.mainKey), identityLinks: obj(session.identityLinks) as Record<string, string[]> },
    );
    this.deps.typing?.(msg).catch(() => undefined);
    const handle = this.deps.runs.start({
      message: msg.text,
      agentId,
      sessionKey,
      idempotencyKey: `${msg.channel}:${msg.accountId}:${msg.messageId}`,
      origin: { channel: msg.channel, accountId: msg.accountId, to: this.deps.replyTarget?.(msg) ?? msg.groupId ?? msg.senderId, chatType: msg.chatType },
    });
    const result = await handle.reply;
    const text = result.text.trim();
    if (result.status !== "ok" || !text || text === "NO_REPLY") {
      if (result.status !== "ok") this.deps.log.warn(`${msg.channel}/${msg.accountId}: the turn for ${maskSender(msg.senderId)} ended ${result.status}${result.errorMessage ? `: ${result.errorMessage}` : ""}; nothing was sent`, { channel: msg.channel, accountId: msg.accountId });
      return { kind: "silent", agentId: handle.agentId, sessionKey: handle.sessionKey, runId: handle.runId, status: result.status };
    }
    const configured = accountConfig.textChunkLimit ?? channelConfig.textChunkLimit;
    const limit = typeof configured === "number" && configured >= 100 ? configured : (DEFAULT_TEXT_CHUNK_LIMITS[msg.channel] ?? 4000);
    const chunks = chunkText(text, limit);
    for (const chunk of chunks) await this.deps.send(msg, chunk, { markdown: true });
    return { kind: "replied", agentId: handle.agentId, sessionKey: handle.sessionKey, runId: handle.runId, chunks: chunks.length };
  }
}
