/** Telegram as a channel plugin: accounts from `channels.telegram`, one `TelegramAccount` each. */
import type { ChannelPlugin, InboundMessage } from "../contract.js";
import { TelegramAccount, type TelegramAccountOptions } from "./account.js";
import { TELEGRAM_TEXT_LIMIT } from "./chunk.js";
import { listTelegramAccountIds, type ResolvedTelegramAccount, resolveDefaultTelegramAccountId, resolveTelegramAccount } from "./config.js";

/** The Telegram plugin; `options` tunes polling and backoff (tests shorten them). */
export function telegramPlugin(options: TelegramAccountOptions = {}): ChannelPlugin<ResolvedTelegramAccount> {
  return {
    id: "telegram",
    label: "Telegram",
    textChunkLimit: TELEGRAM_TEXT_LIMIT,
    accountIds: (section) => listTelegramAccountIds(section),
    defaultAccountId: (section) => resolveDefaultTelegramAccountId(section),
    resolve: (section, accountId, environment) => resolveTelegramAccount(section, accountId, environment.env),
    shouldStart: (resolved) => resolved.enabled && resolved.token !== undefined,
    create: (resolved) => new TelegramAccount(resolved, options),
    // A DM's chat id is the sender's id; a forum topic is addressed as `<chat>:topic:<thread>`.
    replyTarget: (msg: InboundMessage) => {
      const chat = msg.groupId ?? msg.senderId;
      return msg.threadId ? `${chat}:topic:${msg.threadId}` : chat;
    },
  };
}
