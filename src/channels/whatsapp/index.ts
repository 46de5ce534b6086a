/** WhatsApp (Baileys, loaded lazily): config resolution, auth state and login, the account runtime, message mapping. */
export { WHATSAPP_LISTENING_LINE, WHATSAPP_NOT_LINKED, WHATSAPP_TEXT_LIMIT, WhatsAppAccount, type WhatsAppAccountOptions, type WhatsAppEndedSessions } from "./account.js";
export { backupWhatsAppAuth, jidToE164, readWhatsAppSession, renderQr, type WhatsAppLoginOptions, type WhatsAppLoginResult, type WhatsAppSession, whatsappLogin } from "./auth.js";
export { defaultWhatsAppAuthDir, isSafeWhatsAppAccountId, listWhatsAppAccountIds, type ResolvedWhatsAppAccount, resolveDefaultWhatsAppAccountId, resolveWhatsAppAccount } from "./config.js";
export { bareJid, mapWhatsAppMessage, parseWhatsAppTarget, type WhatsAppInbound, type WhatsAppMessageLike, type WhatsAppSelf } from "./inbound.js";
export { whatsappPlugin } from "./plugin.js";
export { disconnectCode, loadBaileys, WHATSAPP_NEEDS_LOGIN_CODES, WHATSAPP_RESTART_REQUIRED, type WhatsAppSocket, type WhatsAppSocketFactory, type WhatsAppSocketOptions } from "./socket.js";
