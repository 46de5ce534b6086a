/** The Google Chat channel plugin: accounts under `channels.googlechat`, resolution, the runtime, reply targets. */
import type { ChannelPlugin } from "../contract.js";
import { GOOGLE_CHAT_TEXT_LIMIT, GoogleChatAccount } from "./account.js";
import { listGoogleChatAccountIds, type ResolvedGoogleChatAccount, resolveDefaultGoogleChatAccountId, resolveGoogleChatAccount } from "./config.js";
import { googleChatReplyTarget } from "./inbound.js";

/** `googlechat`: webhook in (Google-signed bearer tokens), Chat API out (service account). */
export const googleChatPlugin: ChannelPlugin<ResolvedGoogleChatAccount> = {
  id: "googlechat",
  label: "Google Chat",
  textChunkLimit: GOOGLE_CHAT_TEXT_LIMIT,
  accountIds: (section) => listGoogleChatAccountIds(section),
  defaultAccountId: (section) => resolveDefaultGoogleChatAccountId(section),
  resolve: (section, accountId, environment) => resolveGoogleChatAccount(section, accountId, environment.env),
  shouldStart: (resolved) => resolved.enabled && resolved.configError === undefined,
  create: (resolved) => new GoogleChatAccount(resolved),
  replyTarget: (msg) => googleChatReplyTarget(msg),
};
