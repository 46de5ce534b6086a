/**
 * The access policy for inbound messages (issue 14 item 2): DMs by `dmPolicy` (pairing | allowlist |
 * open | disabled; `allowFrom` merged with the pairing store), groups by `groupPolicy`, `groups` and
 * `groupAllowFrom`, then mention gating. Pure: the caller counts and logs every refusal.
 */
import { allowEntries, allowListMatches, isPlaceholder, normalizeAllowEntry } from "./allowlist-entries.js";
import type { InboundMessage } from "./contract.js";

/** Every reason a message does not reach an agent (counted by channel, account and reason). */
export const DROP_REASONS = [
  "not-allowlisted",
  "pairing-pending",
  "group-not-allowed",
  "mention-required",
  "policy-disabled",
  "empty-allowlist",
  "placeholder-allowlist",
  "duplicate",
  "rate-limited",
] as const;

export type DropReason = (typeof DROP_REASONS)[number];

export type DmPolicy = "pairing" | "allowlist" | "open" | "disabled";
export type GroupPolicy = "open" | "allowlist" | "disabled";

/** OpenClaw's documented defaults: DMs need pairing, groups need an allowlist, groups need a mention. */
export const DEFAULT_DM_POLICY: DmPolicy = "pairing";
export const DEFAULT_GROUP_POLICY: GroupPolicy = "allowlist";

export type InboundDecision = { allow: true } | { allow: false; reason: DropReason; pairing?: true };

export interface InboundPolicyInput {
  /** `channels.<channel>` (its `accounts` map is ignored here). */
  channelConfig: Record<string, unknown> | undefined;
  /** `channels.<channel>.accounts.<accountId>`; its keys win over the channel's. */
  accountConfig?: Record<string, unknown> | undefined;
  /** Sender ids approved through pairing (`credentials/<channel>-allowFrom.json`); DMs only. */
  pairingAllowFrom: readonly string[];
}

const DM_POLICIES = new Set<string>(["pairing", "allowlist", "open", "disabled"]);
const GROUP_POLICIES = new Set<string>(["open", "allowlist", "disabled"]);

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Channel settings with the account's own keys on top (what the account runs with). */
export function mergeAccountSettings(channelConfig: Record<string, unknown> | undefined, accountConfig: Record<string, unknown> | undefined): Record<string, unknown> {
  const { accounts: _accounts, ...base } = obj(channelConfig);
  return { ...base, ...obj(accountConfig) };
}

/**
 * The effective DM policy (unknown values fall back to the default, fail-closed). The legacy
 * `dm.policy` (Discord, Slack) is read when `dmPolicy` is unset, as OpenClaw still does.
 */
export function resolveDmPolicy(settings: Record<string, unknown>): DmPolicy {
  const raw = settings.dmPolicy !== undefined ? settings.dmPolicy : obj(settings.dm).policy;
  return typeof raw === "string" && DM_POLICIES.has(raw) ? (raw as DmPolicy) : DEFAULT_DM_POLICY;
}

/** The DM allowlist as configured: `allowFrom`, else the legacy `dm.allowFrom` (Discord, Slack). */
export function resolveDmAllowFrom(settings: Record<string, unknown>): string[] {
  return allowEntries(settings.allowFrom !== undefined ? settings.allowFrom : obj(settings.dm).allowFrom);
}

/** The effective group policy. */
export function resolveGroupPolicy(settings: Record<string, unknown>): GroupPolicy {
  return typeof settings.groupPolicy === "string" && GROUP_POLICIES.has(settings.groupPolicy) ? (settings.groupPolicy as GroupPolicy) : DEFAULT_GROUP_POLICY;
}

/** The sender's id, or one of its aliases (Signal's `uuid:<ACI>`), is in the list. */
function senderMatches(msg: InboundMessage, list: readonly string[]): boolean {
  return allowListMatches(msg.channel, list, msg.senderId) || (msg.senderAliases ?? []).some((alias) => allowListMatches(msg.channel, list, alias));
}

/** `groupAllowFrom` may name the group itself (`group:<id>`, or the bare id) instead of its senders (Signal). */
function groupListed(msg: InboundMessage, list: readonly string[]): boolean {
  if (!msg.groupId) return false;
  const id = normalizeAllowEntry(msg.channel, msg.groupId);
  return list.some((e) => {
    const entry = normalizeAllowEntry(msg.channel, e);
    return entry === `group:${id}` || entry === id;
  });
}

function refuseList(configured: readonly string[], merged: readonly string[]): InboundDecision {
  if (merged.length === 0) return { allow: false, reason: "empty-allowlist" };
  if (configured.some(isPlaceholder)) return { allow: false, reason: "placeholder-allowlist" };
  return { allow: false, reason: "not-allowlisted" };
}

function decideDirect(msg: InboundMessage, settings: Record<string, unknown>, pairingAllowFrom: readonly string[]): InboundDecision {
  const policy = resolveDmPolicy(settings);
  if (policy === "disabled") return { allow: false, reason: "policy-disabled" };
  const configured = resolveDmAllowFrom(settings);
  if (policy === "open") {
    // `open` is public only with "*"; otherwise only the listed senders (the pairing store does not widen it).
    if (senderMatches(msg, configured)) return { allow: true };
    return refuseList(configured, configured);
  }
  const merged = [...configured, ...pairingAllowFrom];
  if (senderMatches(msg, merged)) return { allow: true };
  if (policy === "pairing") return { allow: false, reason: "pairing-pending", pairing: true };
  return refuseList(configured, merged);
}

function decideGroup(msg: InboundMessage, settings: Record<string, unknown>): InboundDecision {
  const policy = resolveGroupPolicy(settings);
  if (policy === "disabled") return { allow: false, reason: "policy-disabled" };
  if (msg.groupAccess) {
    if (msg.groupAccess.denied) return { allow: false, reason: msg.groupAccess.denied };
    return msg.groupAccess.requireMention && !msg.mentioned ? { allow: false, reason: "mention-required" } : { allow: true };
  }
  const groups = obj(settings.groups);
  const groupId = msg.groupId ?? "";
  const groupEntry = groupId in groups ? obj(groups[groupId]) : "*" in groups ? obj(groups["*"]) : undefined;
  if (policy === "allowlist") {
    const hasGroups = Object.keys(groups).length > 0;
    // Group senders: `groupAllowFrom`, falling back to an explicit `allowFrom` (never the pairing store).
    const senders = allowEntries(settings.groupAllowFrom !== undefined ? settings.groupAllowFrom : settings.allowFrom);
    if (!hasGroups && senders.length === 0) return { allow: false, reason: "group-not-allowed" };
    if (hasGroups && !groupEntry) return { allow: false, reason: "group-not-allowed" };
    if (senders.length > 0 && !senderMatches(msg, senders) && !groupListed(msg, senders)) return refuseList(senders, senders);
  }
  const requireMention = typeof groupEntry?.requireMention === "boolean" ? groupEntry.requireMention : typeof settings.requireMention === "boolean" ? settings.requireMention : true;
  if (requireMention && !msg.mentioned) return { allow: false, reason: "mention-required" };
  return { allow: true };
}

/**
 * Whether an inbound message may reach an agent. A refusal carries the drop reason; `pairing: true`
 * means the sender should get a pairing code (the caller asks the pairing store).
 */
export function decideInbound(msg: InboundMessage, input: InboundPolicyInput): InboundDecision {
  const settings = mergeAccountSettings(input.channelConfig, input.accountConfig);
  if (settings.enabled === false) return { allow: false, reason: "policy-disabled" };
  return msg.chatType === "direct" ? decideDirect(msg, settings, input.pairingAllowFrom) : decideGroup(msg, settings);
}

/**
 * Drops redeliveries: a message id seen within `windowMs` (default 20 minutes) is a duplicate. Keys
 * are scoped by channel and account; memory is bounded by pruning expired ids and a size cap.
 */
export class DuplicateFilter {
  private readonly seen = new Map<string, number>();
  private readonly windowMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: { windowMs?: number; maxEntries?: number; now?: () => number } = {}) {
    this.windowMs = options.windowMs ?? 20 * 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** True when this message id was already seen within the window (and records it otherwise). */
  isDuplicate(msg: Pick<InboundMessage, "channel" | "accountId" | "messageId">): boolean {
    const key = `${msg.channel}\0${msg.accountId}\0${msg.messageId}`;
    const now = this.now();
    const at = this.seen.get(key);
    if (at !== undefined && now - at < this.windowMs) return true;
    this.seen.delete(key);
    this.seen.set(key, now);
    this.prune(now);
    return false;
  }

  /** How many ids are remembered. */
  get size(): number {
    return this.seen.size;
  }

  private prune(now: number): void {
    for (const [key, at] of this.seen) {
      if (now - at < this.windowMs && this.seen.size <= this.maxEntries) break;
      this.seen.delete(key);
    }
  }
}
