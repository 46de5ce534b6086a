/**
 * The channels part of the method table (spec §4.9): account state (`channels.status`, with live
 * probes), starting/stopping one account, logging a linked account out, and sending a message
 * through a channel (`send`, idempotent by key), and DM pairing requests (`channels.pairing.*`, by
 * OpenClaw's opaque request id, never the code). Reading needs `operator.read`; sending
 * `operator.write`; start/stop/logout `operator.admin`; pairing `operator.pairing`.
 */
import type { Scope } from "./scopes.js";
import { type Validator, v } from "./validate.js";

const spec = <P>(scope: Scope, description: string, params: Validator<P>, resultKeys: readonly string[]) => ({ scope, description, params, resultKeys });
const channel = v.string({ min: 1, max: 64 });
const accountId = v.optional(v.string({ min: 1, max: 128 }));
const account = v.object({ channel, accountId }, { passthrough: true });
const pairingTarget = { channel, accountId: v.string({ min: 1, max: 128 }), requestId: v.string({ min: 1, max: 128 }) };

export const CHANNEL_METHODS = {
  "channels.status": spec(
    "operator.read",
    "Channel accounts and their state (drops by reason, restarts); `probe` runs live checks within `timeoutMs`; `channel` narrows the answer to one channel.",
    // OpenClaw's CLI sends its whole `--timeout` budget here and its schema has no maximum: a long
    // budget is accepted (probes bound themselves), never refused, or its CLI falls back to config-only output.
    v.object({ probe: v.optional(v.boolean()), timeoutMs: v.optional(v.int({ min: 0 })), channel: v.optional(channel) }, { passthrough: true }),
    ["ts", "channelOrder", "channelLabels", "channels", "channelAccounts"],
  ),
  "channels.start": spec("operator.admin", "Start one channel account (all of the channel's accounts without accountId).", account, ["channel", "running"]),
  "channels.stop": spec("operator.admin", "Stop one channel account until it is started again or the gateway restarts.", account, ["channel", "running"]),
  "channels.logout": spec("operator.admin", "Log a linked channel account out (clears its session; credentials are kept in a backup).", account, ["channel", "cleared"]),
  send: spec(
    "operator.write",
    "Send a message through a channel: `{ runId, messageId, messageIds, channel, accountId, to }`.",
    v.object(
      {
        to: v.string({ min: 1, max: 512 }),
        message: v.optional(v.string({ max: 1024 * 1024 })),
        mediaUrl: v.optional(v.string({ max: 4096 })),
        mediaUrls: v.optional(v.array(v.string({ max: 4096 }))),
        channel: v.optional(channel),
        accountId,
        sessionKey: v.optional(v.string({ min: 1, max: 512 })),
        idempotencyKey: v.string({ min: 1, max: 256 }),
      },
      { passthrough: true },
    ),
    ["runId", "messageId", "channel"],
  ),
  "web.login.start": spec(
    "operator.admin",
    "Start a QR login for a linked channel (WhatsApp): `{ message, qrDataUrl?, sessionKey, connected? }`; the running account is stopped while it links.",
    v.object({ channel: v.optional(channel), accountId, force: v.optional(v.boolean()), timeoutMs: v.optional(v.int({ min: 0 })), verbose: v.optional(v.boolean()) }, { passthrough: true }),
    ["message"],
  ),
  "web.login.wait": spec(
    "operator.admin",
    "Wait for the QR login to link: `{ connected, message, qrDataUrl? }`; on success the account starts.",
    v.object({ channel: v.optional(channel), accountId, sessionKey: v.optional(v.string({ max: 256 })), timeoutMs: v.optional(v.int({ min: 0 })), currentQrDataUrl: v.optional(v.string()) }, { passthrough: true }),
    ["connected", "message"],
  ),
  "channels.pairing.list": spec(
    "operator.pairing",
    "Pending DM access requests of accounts with `dmPolicy: pairing`: `{ accounts, requests: [{ requestId, senderId, createdAt, expiresAt, … }], commandOwnerConfigured, limits }`.",
    v.object({ channel: v.optional(channel), accountId }, { passthrough: true }),
    ["accounts", "requests", "commandOwnerConfigured", "limits"],
  ),
  "channels.pairing.approve": spec(
    "operator.pairing",
    "Approve one pending DM request (the sender joins the account's approved senders); `notify` tells the sender through the channel.",
    v.object({ ...pairingTarget, notify: v.optional(v.boolean()), bootstrapCommandOwner: v.optional(v.boolean()) }, { passthrough: true }),
    ["requestId", "senderId", "notification", "commandOwnerBootstrap"],
  ),
  "channels.pairing.dismiss": spec("operator.pairing", "Dismiss one pending DM request without approving or blocking the sender.", v.object(pairingTarget, { passthrough: true }), ["requestId", "senderId"]),
};
