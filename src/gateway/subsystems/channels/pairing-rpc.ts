/**
 * `channels.pairing.list|approve|dismiss` (OpenClaw 2026.9's wire shapes): the pending DM access
 * requests of every configured account whose DM policy is `pairing`, addressed by OpenClaw's opaque
 * request id (the Control UI never sees the code). Same PairingStore as `openclaw pairing`, so the
 * CLI and the RPC agree; `notify` tells the approved sender through the channel's own send path.
 */
import { CHANNEL_LABELS, type ChannelManager, mergeAccountSettings, PAIRING_MAX_PENDING, PAIRING_TTL_MS, type PairingRequest, type PairingStore, resolveDmPolicy } from "../../../channels/index.js";
import type { Logger } from "../../../logging/index.js";
import { AppError } from "../../../shared/index.js";
import type { MethodHandlers } from "../../subsystem.js";
import type { ChannelView } from "./view.js";

type Obj = Record<string, unknown>;

export interface PairingMethodDeps {
  store(): PairingStore;
  config(): Obj;
  view(): ChannelView[];
  manager(): ChannelManager | undefined;
  log: Pick<Logger, "warn">;
}

/** What an approved sender is told (`notify: true`), as `openclaw pairing approve --notify` says it. */
const APPROVED_MESSAGE = "OpenClaw: access approved. Send a message to start chatting.";

/** How each channel names a sender id (OpenClaw's pairing adapters' `idLabel` where we know it). */
const SENDER_ID_LABELS: Record<string, string> = { telegram: "telegramUserId" };

/** One account that takes DM pairing requests. */
interface PairingAccount {
  channel: string;
  channelLabel: string;
  accountId: string;
  accountLabel?: string;
  notifySupported: boolean;
}

const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const lower = (v: string | undefined) => (v?.trim() ? v.trim().toLowerCase() : undefined);

/** `commands.ownerAllowFrom` names at least one real sender (wildcards do not count). */
function commandOwnerConfigured(config: Obj): boolean {
  const owners = obj(config.commands).ownerAllowFrom;
  return Array.isArray(owners) && owners.map((e) => String(e ?? "").trim()).some((e) => e !== "" && e !== "*" && !e.endsWith(":*"));
}

/** Configured accounts whose effective DM policy is `pairing` (WebChat has no pairing), narrowed by channel/account. */
function pairingAccounts(deps: PairingMethodDeps, filter: { channel?: string | undefined; accountId?: string | undefined }): PairingAccount[] {
  const channels = obj(deps.config().channels);
  const views = deps.view().filter((c) => c.id !== "webchat");
  const wantChannel = lower(filter.channel);
  const wantAccount = lower(filter.accountId);
  // A known channel with nothing configured has no pairing accounts; an unknown name is a mistake.
  if (wantChannel && !views.some((c) => c.id === wantChannel) && (wantChannel === "webchat" || !Object.hasOwn(CHANNEL_LABELS, wantChannel))) throw new AppError("USAGE", `unknown pairing channel: ${filter.channel}`, { hint: "channels.pairing.list without `channel` shows every pairing account" });
  const sends = new Set((deps.manager()?.plugins() ?? []).map((p) => p.id));
  const out: PairingAccount[] = [];
  for (const c of views) {
    if (wantChannel && c.id !== wantChannel) continue;
    const channelConfig = obj(channels[c.id]);
    for (const a of c.accounts) {
      if (wantAccount && a.accountId.toLowerCase() !== wantAccount) continue;
      if (a.configured === false) continue;
      if (resolveDmPolicy(mergeAccountSettings(channelConfig, obj(obj(channelConfig.accounts)[a.accountId]))) !== "pairing") continue;
      const name = typeof a.name === "string" && a.name.trim() ? a.name.trim() : undefined;
      out.push({ channel: c.id, channelLabel: c.label, accountId: a.accountId, ...(name ? { accountLabel: name } : {}), notifySupported: sends.has(c.id) });
    }
  }
  return out;
}

/** The one pairing account a call names, or the refusal OpenClaw gives. */
function targetAccount(deps: PairingMethodDeps, channel: string, accountId: string): PairingAccount {
  const found = pairingAccounts(deps, { channel, accountId });
  if (found.length !== 1) throw new AppError("USAGE", `channel account does not use DM pairing: ${channel}:${accountId}`, { hint: `set channels.${channel}.dmPolicy to "pairing" (the default) for this account` });
  return found[0]!;
}

function publicRequest(store: PairingStore, account: PairingAccount, request: PairingRequest): Obj {
  const metadata = Object.fromEntries(Object.entries(request.meta ?? {}).filter(([k, v]) => k !== "accountId" && k !== "senderId" && typeof v === "string" && v !== ""));
  const createdAt = Date.parse(request.createdAt);
  return {
    requestId: store.requestId(account.channel, request),
    channel: account.channel,
    channelLabel: account.channelLabel,
    accountId: account.accountId,
    ...(account.accountLabel ? { accountLabel: account.accountLabel } : {}),
    senderId: request.meta?.senderId ?? request.id,
    senderLabel: SENDER_ID_LABELS[account.channel] ?? "senderId",
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    createdAt: request.createdAt,
    lastSeenAt: request.lastSeenAt,
    expiresAt: new Date(createdAt + PAIRING_TTL_MS).toISOString(),
    notifySupported: account.notifySupported,
  };
}

const gone = () => new AppError("NOT_FOUND", "pending DM access request no longer exists", { hint: "it was approved, dismissed or expired (1 h): channels.pairing.list shows what is pending" });

export function pairingMethods(deps: PairingMethodDeps): MethodHandlers {
  return {
    "channels.pairing.list": (p) => {
      const config = deps.config();
      const store = deps.store();
      const accounts = pairingAccounts(deps, p);
      const requests = accounts.flatMap((a) => store.list(a.channel, { accountId: a.accountId }).map((r) => publicRequest(store, a, r)));
      return { accounts, requests, commandOwnerConfigured: commandOwnerConfigured(config), limits: { pendingPerAccount: PAIRING_MAX_PENDING, ttlMs: PAIRING_TTL_MS } };
    },
    "channels.pairing.approve": async (p) => {
      const account = targetAccount(deps, p.channel, p.accountId);
      const approved = await deps.store().approveRequest(account.channel, p.requestId, { accountId: account.accountId });
      if (!approved) throw gone();
      let notification = "not-requested";
      if (p.notify === true) {
        const manager = deps.manager();
        if (!manager || !account.notifySupported) notification = "unsupported";
        else {
          try {
            await manager.send(account.channel, account.accountId, approved.id, APPROVED_MESSAGE);
            notification = "sent";
          } catch (error) {
            deps.log.warn(`DM pairing approval notification failed channel=${account.channel} account=${account.accountId}: ${error instanceof Error ? error.message : String(error)}`);
            notification = "failed";
          }
        }
      }
      // Making the approved sender a command owner is OpenClaw's own bootstrap; this gateway does not do it.
      return { requestId: p.requestId, senderId: approved.request.meta?.senderId ?? approved.id, notification, commandOwnerBootstrap: p.bootstrapCommandOwner === true ? "unavailable" : "not-requested" };
    },
    "channels.pairing.dismiss": async (p) => {
      const account = targetAccount(deps, p.channel, p.accountId);
      const dismissed = await deps.store().dismissRequest(account.channel, p.requestId, { accountId: account.accountId });
      if (!dismissed) throw gone();
      return { requestId: p.requestId, senderId: dismissed.request.meta?.senderId ?? dismissed.id };
    },
  };
}
