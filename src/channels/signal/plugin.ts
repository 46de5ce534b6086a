/** Signal as a channel plugin: accounts from `channels.signal`, one `SignalAccount` each. */
import type { ChannelPlugin, InboundMessage } from "../contract.js";
import { SignalAccount, type SignalAccountOptions } from "./account.js";
import { listSignalAccountIds, type ResolvedSignalAccount, resolveDefaultSignalAccountId, resolveSignalAccount, SIGNAL_TEXT_LIMIT } from "./config.js";
import { signalReplyTarget } from "./inbound.js";

/** The Signal plugin; `options` tunes backoff and deadlines (tests shorten them). */
export function signalPlugin(options: SignalAccountOptions = {}): ChannelPlugin<ResolvedSignalAccount> {
  return {
    id: "signal",
    label: "Signal",
    textChunkLimit: SIGNAL_TEXT_LIMIT,
    accountIds: (section) => listSignalAccountIds(section),
    defaultAccountId: (section) => resolveDefaultSignalAccountId(section),
    resolve: (section, accountId) => resolveSignalAccount(section, accountId),
    // A configured account with a config error still starts, so its error shows in channels.status.
    shouldStart: (resolved) => resolved.enabled && resolved.account !== undefined,
    create: (resolved, environment) => new SignalAccount(resolved, { env: environment.env, ...options }),
    // A DM goes back to the sender's number (or uuid:<id>); a group message to `group:<id>`.
    replyTarget: (msg: InboundMessage) => signalReplyTarget(msg),
  };
}
