/**
 * One heartbeat for one agent: the guards (paused, disabled, quiet hours, the session busy, an
 * effectively empty HEARTBEAT.md with nothing queued), then a turn on the agent's main session with
 * the queued system events as `System:` lines, the heartbeat prompt and HEARTBEAT.md; the events
 * are consumed once the turn succeeds. An ack (`HEARTBEAT_OK`) is never delivered; an alert goes to
 * the target (`last`: the session's last channel and peer; a channel id with `to`; `none`). Every
 * outcome becomes one heartbeat event (`last-heartbeat`, the `heartbeat` broadcast) and a counter.
 */
import path from "node:path";
import { type AgentRuns, findAgent, readWorkspaceText } from "../../../agent/index.js";
import type { OpenClawConfig } from "../../../config/index.js";
import type { Env, StateLayout } from "../../../infra/index.js";
import type { Logger } from "../../../logging/index.js";
import type { SystemEvent } from "../presence/index.js";
import { classifyReply, type HeartbeatSettings, isEffectivelyEmpty, withinActiveHours } from "./config.js";

export type HeartbeatStatus = "sent" | "ok-empty" | "ok-token" | "skipped" | "failed";

/** What `last-heartbeat` returns and the `heartbeat` event carries (OpenClaw's field names). */
export interface HeartbeatEvent {
  ts: number;
  status: HeartbeatStatus;
  reason?: string;
  message?: string;
  preview?: string;
  durationMs?: number;
  channel?: string;
  to?: string;
  accountId?: string;
  silent?: boolean;
  indicatorType?: "ok" | "alert" | "error";
  agentId?: string;
  sessionKey?: string;
}

/** Why a heartbeat ran: its cadence, or a wake (`wake`/`system-event`). */
export type HeartbeatSource = "interval" | "wake";

export interface HeartbeatDeps {
  config(): OpenClawConfig;
  layout: StateLayout;
  env: Env;
  runs(): AgentRuns;
  events: { pending(match: (e: SystemEvent) => boolean): SystemEvent[]; consume(events: readonly SystemEvent[]): void };
  /** Sends through a channel account (the channels subsystem's manager); rejects when it cannot. */
  deliver(channel: string, accountId: string | undefined, to: string, text: string): Promise<{ accountId: string }>;
  log: Logger;
}

const PREVIEW_CHARS = 200;
const HEARTBEAT_FILE_MAX_BYTES = 32 * 1024;
/** A delivery that does not settle in this long is a failed heartbeat (every network call has a deadline). */
const DELIVERY_TIMEOUT_MS = 30_000;
const TARGET_NONE_MESSAGE = "Heartbeat delivery is disabled by configuration (target: none).";
const NO_ROUTE_MESSAGE = "Heartbeat has no delivery route yet. Message your bot once, or set agents.defaults.heartbeat.target.";

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);
const preview = (text: string) => (text.length > PREVIEW_CHARS ? text.slice(0, PREVIEW_CHARS) : text);

/** `[2026-12-02 12:00:00 UTC]`-style stamp for a `System:` line. */
function stamp(ts: number): string {
  return `${new Date(ts).toISOString().replace("T", " ").slice(0, 19)} UTC`;
}

/** The heartbeat's user message: queued events as `System:` lines, the prompt, then HEARTBEAT.md when it has content. */
export function composeHeartbeatMessage(events: readonly SystemEvent[], prompt: string, heartbeatFile: string | undefined): string {
  const lines = events.flatMap((e) => e.text.split("\n").map((line, i) => `System: ${i === 0 ? `[${stamp(e.ts)}] ` : ""}${line}`));
  const parts = [...(lines.length ? [lines.join("\n")] : []), prompt];
  if (heartbeatFile !== undefined && !isEffectivelyEmpty(heartbeatFile)) parts.push(`HEARTBEAT.md (workspace):\n${heartbeatFile.trim()}`);
  return parts.join("\n\n");
}

interface Route {
  channel: string;
  to: string;
  accountId?: string;
  direct: boolean;
}

/** Where an alert goes: `none` → null; `last` → the session's last route; a channel → `to` (or the session's last peer on that channel). */
function resolveRoute(hb: HeartbeatSettings, entry: Record<string, unknown> | undefined): Route | "none" | undefined {
  if (hb.target === "none") return "none";
  const lastChannel = str(entry?.lastChannel);
  const lastTo = str(entry?.lastTo);
  const lastAccount = str(entry?.lastAccountId);
  const lastDirect = entry?.chatType === undefined || entry.chatType === "direct";
  if (hb.target === "last") {
    if (!lastChannel || !lastTo || lastChannel === "webchat") return undefined;
    return { channel: lastChannel, to: lastTo, direct: lastDirect, ...(hb.accountId ?? lastAccount ? { accountId: hb.accountId ?? lastAccount } : {}) };
  }
  const to = hb.to ?? (lastChannel === hb.target ? lastTo : undefined);
  if (!to) return undefined;
  // An explicit peer: Telegram groups have negative ids, other channels say group/channel in the id.
  const direct = hb.to ? !/^-|group|channel|room|@g\.us$/i.test(to) : lastDirect;
  return { channel: hb.target, to, direct, ...(hb.accountId ?? (lastChannel === hb.target ? lastAccount : undefined) ? { accountId: hb.accountId ?? lastAccount } : {}) };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs one heartbeat for `hb`'s agent and returns its event (the caller records and broadcasts it); never throws. */
export async function runHeartbeat(deps: HeartbeatDeps, hb: HeartbeatSettings, options: { source: HeartbeatSource; sessionKey?: string; now?: number }): Promise<HeartbeatEvent> {
  const startedAt = Date.now();
  const config = deps.config();
  const runs = deps.runs();
  const sessionKey = options.sessionKey ?? runs.resolveTarget({ agentId: hb.agentId }).sessionKey;
  const base = { agentId: hb.agentId, sessionKey };
  const skipped = (reason: string, extra: Partial<HeartbeatEvent> = {}): HeartbeatEvent => ({ ts: Date.now(), status: "skipped", reason, durationMs: Date.now() - startedAt, ...base, ...extra });
  // A targeted wake (a session named) may run outside the cadence's window, as in OpenClaw.
  if (!options.sessionKey && !withinActiveHours(config, hb.activeHours, options.now ?? startedAt)) return skipped("quiet-hours");
  const session = runs.sessionsPort().status(sessionKey);
  if (session?.running === true) return skipped("requests-in-flight");

  const isMain = !options.sessionKey;
  const events = deps.events.pending((e) => (e.sessionKey ? e.sessionKey === sessionKey || `agent:${hb.agentId}:${e.sessionKey}` === sessionKey : isMain && (!e.agentId || e.agentId === hb.agentId)));
  const agent = findAgent({ config, layout: deps.layout, env: deps.env }, hb.agentId);
  const file = agent ? readWorkspaceText(path.join(agent.workspace, "HEARTBEAT.md"), HEARTBEAT_FILE_MAX_BYTES)?.text : undefined;
  if (file !== undefined && isEffectivelyEmpty(file) && events.length === 0) return skipped("empty-heartbeat-file");

  const message = composeHeartbeatMessage(events, hb.prompt, file);
  let result: Awaited<ReturnType<typeof runs.start>["done"]>;
  try {
    const handle = runs.start({ message, agentId: hb.agentId, sessionKey, timeoutSeconds: hb.timeoutSeconds, ...(hb.model ? { model: hb.model } : {}) });
    result = await handle.done;
  } catch (error) {
    return { ts: Date.now(), status: "failed", reason: (error as Error).message, durationMs: Date.now() - startedAt, indicatorType: "error", ...base };
  }
  if (result.status !== "ok") {
    return { ts: Date.now(), status: "failed", reason: result.errorMessage ?? result.status, durationMs: Date.now() - startedAt, indicatorType: "error", ...base };
  }
  // The turn saw the events: they leave the queue (a failed turn keeps them for the next one).
  deps.events.consume(events);

  const reply = classifyReply(result.text, hb.ackMaxChars);
  // Read after the turn: a conversation that just ended has stamped its route by now.
  const route = resolveRoute(hb, runs.sessionsPort().status(sessionKey) ?? session);
  const channel = route && route !== "none" ? route.channel : undefined;
  if (reply.kind !== "alert") return { ts: Date.now(), status: reply.kind, durationMs: Date.now() - startedAt, silent: true, indicatorType: "ok", ...(channel ? { channel } : {}), ...base };
  if (route === "none") return skipped("target-none", { message: TARGET_NONE_MESSAGE, preview: preview(reply.text) });
  if (!route) return skipped("no-route", { message: NO_ROUTE_MESSAGE, preview: preview(reply.text) });
  if (route.direct && hb.directPolicy === "block") return skipped("dm-blocked", { preview: preview(reply.text), channel: route.channel });
  try {
    const sent = await withTimeout(deps.deliver(route.channel, route.accountId, route.to, reply.text), DELIVERY_TIMEOUT_MS, `heartbeat delivery to ${route.channel}`);
    return { ts: Date.now(), status: "sent", to: route.to, preview: preview(reply.text), durationMs: Date.now() - startedAt, channel: route.channel, accountId: sent.accountId, silent: false, indicatorType: "alert", ...base };
  } catch (error) {
    return { ts: Date.now(), status: "failed", reason: `delivery failed: ${(error as Error).message}`, preview: preview(reply.text), durationMs: Date.now() - startedAt, channel: route.channel, to: route.to, indicatorType: "error", ...base };
  }
}
