/** Discord as a channel plugin: accounts from `channels.discord`, one `DiscordAccount` each. */
import type { ChannelPlugin, InboundMessage } from "../contract.js";
import { DISCORD_TEXT_LIMIT, DiscordAccount, type DiscordAccountOptions } from "./account.js";
import { listDiscordAccountIds, type ResolvedDiscordAccount, resolveDefaultDiscordAccountId, resolveDiscordAccount } from "./config.js";

/**
 * The Discord plugin; `options` tunes the login backoff. With `options.section` (a live
 * `channels.discord` getter) the guild policy is read per message and left out of the resolved
 * account, so a policy edit applies to the next message without reconnecting; without it the policy
 * is part of the resolved account and an edit restarts the account.
 */
export function discordPlugin(options: DiscordAccountOptions = {}): ChannelPlugin<ResolvedDiscordAccount> {
  return {
    id: "discord",
    label: "Discord",
    textChunkLimit: DISCORD_TEXT_LIMIT,
    accountIds: (section) => listDiscordAccountIds(section),
    defaultAccountId: (section) => resolveDefaultDiscordAccountId(section),
    resolve: (section, accountId, environment) => {
      const resolved = resolveDiscordAccount(section, accountId, environment.env);
      return options.section ? { ...resolved, access: {} } : resolved;
    },
    shouldStart: (resolved) => resolved.enabled && resolved.token !== undefined,
    create: (resolved) => new DiscordAccount(resolved, options),
    // A DM answers the user (its DM channel is opened on first send); a guild message answers its channel.
    replyTarget: (msg: InboundMessage) => (msg.chatType === "direct" ? `user:${msg.senderId}` : `channel:${msg.groupId ?? ""}`),
  };
}
