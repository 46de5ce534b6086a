/** The `channels.*` and `send` methods over the channel manager. */
import type { ChannelManager, DropCount, WebChatChannel } from "../../../channels/index.js";
import { AppError } from "../../../shared/index.js";
import type { MethodHandlers } from "../../subsystem.js";
import { type ChannelView, channelsStatusResult } from "./view.js";

export interface ChannelMethodDeps {
  manager(): ChannelManager | undefined;
  view(): ChannelView[];
  webchat: WebChatChannel;
  drops(): DropCount[];
  eventLoop(): unknown;
}

const DEFAULT_PROBE_TIMEOUT_MS = 10_000;
/** Probes never wait longer than this, whatever budget the caller sends (OpenClaw's CLI sends its whole --timeout). */
const MAX_PROBE_TIMEOUT_MS = 30_000;
/** Sends are idempotent by key for this long (a retried `message send` does not send twice). */
const SEND_DEDUPE_MS = 10 * 60_000;

function running(deps: ChannelMethodDeps): ChannelManager {
  const manager = deps.manager();
  if (!manager) throw new AppError("UNAVAILABLE", "channels are not running on this gateway", { hint: "the gateway is starting or stopping, or OPENCLAW_SKIP_CHANNELS=1 is set" });
  return manager;
}

/** What `send` (and the scheduler's announce delivery) hand to a channel. */
export interface SendTextRequest {
  channel?: string | undefined;
  accountId?: string | undefined;
  to: string;
  text: string;
}

/** The one outbound text path: `send` and cron deliveries both go through here. */
export async function sendText(manager: ChannelManager | undefined, req: SendTextRequest): Promise<{ messageId: string | null; messageIds: string[]; channel: string; accountId: string; to: string }> {
  if (!manager) throw new AppError("UNAVAILABLE", "channels are not running on this gateway", { hint: "the gateway is starting or stopping, or OPENCLAW_SKIP_CHANNELS=1 is set" });
  const channel = req.channel ?? manager.plugins()[0]?.id;
  if (!channel) throw new AppError("USAGE", "send needs a channel", { hint: "pass --channel <id>" });
  const r = await manager.send(channel, req.accountId, req.to, req.text);
  return { messageId: r.messageIds.at(-1) ?? null, messageIds: r.messageIds, channel, accountId: r.accountId, to: req.to };
}

export function channelMethods(deps: ChannelMethodDeps): MethodHandlers {
  const sent = new Map<string, { at: number; result: Promise<Record<string, unknown>> }>();
  return {
    "channels.status": async (p) => {
      const views = deps.view().filter((c) => !p.channel || c.id === p.channel);
      const manager = deps.manager();
      if (p.probe && manager) {
        const probes = await manager.probe(Math.min(p.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS, MAX_PROBE_TIMEOUT_MS), p.channel);
        for (const c of views) for (const a of c.accounts) {
          const probe = probes.get(`${c.id}/${a.accountId}`);
          if (probe) Object.assign(a, { probe, lastProbeAt: Date.now() });
        }
      }
      return channelsStatusResult(views, deps.drops(), deps.eventLoop());
    },
    "channels.start": async (p) => {
      const accounts = await running(deps).startAccounts(p.channel, p.accountId);
      return { channel: p.channel, accountId: p.accountId ?? accounts[0]?.accountId, running: accounts.every((a) => a.running), accounts };
    },
    "channels.stop": async (p) => {
      const accounts = await running(deps).stopAccounts(p.channel, p.accountId);
      return { channel: p.channel, accountId: p.accountId ?? accounts[0]?.accountId, running: false, accounts };
    },
    "channels.logout": async (p) => {
      const r = await running(deps).logout(p.channel, p.accountId);
      return { channel: p.channel, accountId: r.accountId, cleared: r.cleared };
    },
    send: (p) => {
      const now = Date.now();
      for (const [k, v] of sent) if (now - v.at > SEND_DEDUPE_MS) sent.delete(k);
      const prior = sent.get(p.idempotencyKey);
      if (prior) return prior.result;
      const text = p.message ?? "";
      if (!text.trim()) throw new AppError("USAGE", "send needs a non-empty message", { hint: "pass --message <text> (media sends are not supported yet)" });
      const result = sendText(deps.manager(), { channel: p.channel, accountId: p.accountId, to: p.to, text }).then((r) => ({ runId: p.idempotencyKey, ...r }));
      sent.set(p.idempotencyKey, { at: now, result });
      result.catch(() => sent.delete(p.idempotencyKey));
      return result;
    },
  };
}
