/**
 * Session keys (spec §8.1) and `session.dmScope`: which conversation a message belongs to. Direct
 * chats share `agent:<id>:main` unless a dmScope isolates them; groups, rooms and channels are
 * always their own session; `identityLinks` folds one person's ids across channels together.
 */

/** How direct messages are grouped into sessions. */
export type DmScope = "main" | "per-peer" | "per-channel-peer" | "per-account-channel-peer";
export const DM_SCOPES: readonly DmScope[] = ["main", "per-peer", "per-channel-peer", "per-account-channel-peer"];

export type ChatType = "direct" | "group" | "channel" | "room";

/** Where an inbound message came from. */
export interface SessionRoute {
  agentId: string;
  chatType: ChatType;
  channel?: string;
  accountId?: string;
  /** The sender (direct chats). */
  peerId?: string;
  /** The group, room or channel id (non-direct chats). */
  groupId?: string;
  /** A forum topic or thread inside a group. */
  threadId?: string;
}

export interface SessionKeyOptions {
  dmScope?: DmScope;
  /** Accepted for old configs; the main suffix is `main` unless set. */
  mainKey?: string;
  /** canonical id → provider-prefixed ids (`telegram:123`). */
  identityLinks?: Record<string, string[]>;
}

const part = (s: string) => s.trim().toLowerCase().replace(/:/g, "_");

/** The agent's main session key (`agent:<id>:main`). */
export function mainSessionKey(agentId: string, mainKey = "main"): string {
  return `agent:${part(agentId)}:${mainKey}`;
}

/** The canonical peer for `channel:peerId` when `identityLinks` lists it, else the peer id itself. */
export function resolveLinkedPeer(channel: string | undefined, peerId: string, links: Record<string, string[]> | undefined): string {
  if (!links) return peerId;
  const wanted = channel ? `${channel}:${peerId}`.toLowerCase() : undefined;
  for (const [canonical, ids] of Object.entries(links)) {
    if (!Array.isArray(ids)) continue;
    if (ids.some((id) => typeof id === "string" && (id.toLowerCase() === wanted || id.toLowerCase() === peerId.toLowerCase()))) return canonical;
  }
  return peerId;
}

/** The session key a message on `route` goes to. */
export function resolveSessionKey(route: SessionRoute, options: SessionKeyOptions = {}): string {
  const agent = `agent:${part(route.agentId)}`;
  const channel = route.channel ? part(route.channel) : "unknown";
  if (route.chatType !== "direct") {
    const kind = route.chatType === "room" ? "room" : route.chatType === "channel" ? "channel" : "group";
    const base = `${agent}:${channel}:${kind}:${part(route.groupId ?? "unknown")}`;
    return route.threadId ? `${base}:topic:${part(route.threadId)}` : base;
  }
  const scope = options.dmScope ?? "main";
  if (scope === "main" || !route.peerId) return mainSessionKey(route.agentId, options.mainKey);
  const peer = part(resolveLinkedPeer(route.channel, route.peerId, options.identityLinks));
  if (scope === "per-peer") return `${agent}:direct:${peer}`;
  if (scope === "per-channel-peer") return `${agent}:${channel}:direct:${peer}`;
  return `${agent}:${channel}:${part(route.accountId ?? "default")}:direct:${peer}`;
}

/** `agent:<id>:…` → the agent id, else undefined (cron:, hook:, global, …). */
export function agentIdOfSessionKey(key: string): string | undefined {
  const m = /^agent:([^:]+):/.exec(key);
  return m ? m[1] : undefined;
}

export type SessionKind = "global" | "unknown" | "cron" | "hook" | "group" | "direct";

/** What a stored session is, from its key and entry (the `kind` column of `openclaw sessions`). */
export function classifySessionKind(key: string, entry: { chatType?: unknown } = {}): SessionKind {
  if (key === "global" || key === "unknown") return key;
  if (key.startsWith("cron:") || key.includes(":cron:")) return "cron";
  if (key.startsWith("hook:")) return "hook";
  if (entry.chatType === "group" || entry.chatType === "channel" || entry.chatType === "room") return "group";
  if (/:(group|channel|room):/.test(key) || key.startsWith("group:")) return "group";
  return "direct";
}

/** A durable pointer to an external conversation (group, room, thread): kept by age/count pruning. */
export function isDurableSessionKey(key: string): boolean {
  return /:(group|channel|room):/.test(key) || /:(topic|thread):/.test(key) || key.startsWith("group:");
}

/** Synthetic runtime sessions (cron runs, hooks, node runs, sub-agents): always disposable. */
export function isSyntheticSessionKey(key: string): boolean {
  return key.startsWith("cron:") || key.startsWith("hook:") || key.startsWith("node-") || /:(cron|subagent|heartbeat|acp):/.test(key);
}

/** DM keys that a dmScope other than `main` produced (stale once dmScope is back to `main`). */
export function isPeerDirectKey(key: string): boolean {
  return /^agent:[^:]+:(?:[^:]+:){0,2}(?:direct|dm):[^:]+$/.test(key);
}
