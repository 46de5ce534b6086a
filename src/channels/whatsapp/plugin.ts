/** WhatsApp as a channel plugin: accounts from `channels.whatsapp`, one `WhatsAppAccount` each. */
import type { ChannelPlugin, InboundMessage } from "../contract.js";
import { WHATSAPP_TEXT_LIMIT, WhatsAppAccount, type WhatsAppAccountOptions, type WhatsAppEndedSessions } from "./account.js";
import { readWhatsAppSession, whatsappLogin } from "./auth.js";
import { listWhatsAppAccountIds, type ResolvedWhatsAppAccount, resolveDefaultWhatsAppAccountId, resolveWhatsAppAccount } from "./config.js";

/**
 * The WhatsApp plugin. An account starts only when enabled and linked (`creds.json` records a
 * completed login — read live, so `channels start` works right after `channels login`); an unlinked
 * account still shows in status as `linked:false` with the login hint.
 */
export function whatsappPlugin(options: WhatsAppAccountOptions = {}): ChannelPlugin<ResolvedWhatsAppAccount> {
  const endedSessions: WhatsAppEndedSessions = options.endedSessions ?? new Map();
  return {
    id: "whatsapp",
    label: "WhatsApp",
    textChunkLimit: WHATSAPP_TEXT_LIMIT,
    accountIds: (section) => listWhatsAppAccountIds(section),
    defaultAccountId: (section) => resolveDefaultWhatsAppAccountId(section),
    resolve: (section, accountId, environment) => resolveWhatsAppAccount(section, accountId, environment.credentialsDir, environment.env),
    shouldStart: (resolved) => resolved.enabled && !resolved.configError && readWhatsAppSession(resolved.authDir).paired,
    create: (resolved) => new WhatsAppAccount(resolved, { ...options, endedSessions }),
    replyTarget: (msg: InboundMessage) => msg.groupId ?? msg.senderId,
    login: (resolved, login) =>
      whatsappLogin({
        authDir: resolved.authDir,
        accountId: resolved.accountId,
        onQr: login.onQr,
        ...(login.force ? { force: true } : {}),
        ...(login.timeoutMs ? { timeoutMs: login.timeoutMs } : {}),
        ...(login.signal ? { signal: login.signal } : {}),
        ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}),
        ...(options.socketOptions ? { socketOptions: options.socketOptions } : {}),
      }),
  };
}
