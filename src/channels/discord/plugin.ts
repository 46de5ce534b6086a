/** Discord as a channel plugin: accounts from `channels.discord`, one `DiscordAccount` each. */
import type { ChannelPlugin, InboundMessage } from "../contract.js";
import { DISCORD_TEXT_LIMIT, DiscordAccount, type DiscordAccountOptions } from "./account.js";
import { listDiscordAccountIds, type ResolvedDiscordAccount, resolveDefaultDiscordAccountId, resolveDiscordAccount } from "./config.js";

/**
 * The Discord plugin; `options` tunes the login backoff and can hand the account a live
 * `channels.discord` getter so guild policy edits apply without a reconnect.
 */
export function discordPlugin(options: DiscordAccountOptions = {}): ChannelPlugin<ResolvedDiscordAccount> {
  return {
    id: "discord",
    label: "Discord",
    textChunkLimit: DISCORD_TEXT_LIMIT,
    accountIds: (section) => listDiscordAccountIds(section),
    defaultAccountId: (section) => resolveDefaultDiscordAccountId(section),
    resolve: (section, accountId, environment) => resolveDiscordAccount(section, accountId, environment.env),
    shouldStart: (resolved) => resolved.enabled && resolved.token !== undefined,
    create: (resolved) => new DiscordAccount(resolved, options),
    // A DM answers the user (its DM channel is opened on first send); a guild message answers its channel.
    replyTarget: (msg: InboundMessage) => (msg.chatType === "direct" ? `user:${msg.senderId}` : `channel:${msg.groupId ?? ""}`),
  };
}
