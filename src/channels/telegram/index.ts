/** Telegram (grammy, loaded lazily): accounts, config resolution, update mapping, chunking. */
export { TelegramAccount, type TelegramAccountOptions, type TelegramAccountStatus, type TelegramProbeResult, type TelegramStartOptions } from "./account.js";
export { chunkTelegramText, TELEGRAM_TEXT_LIMIT } from "./chunk.js";
export { listTelegramAccountIds, normalizeApiRoot, type ResolvedTelegramAccount, resolveDefaultTelegramAccountId, resolveTelegramAccount, type TelegramTokenSource } from "./config.js";
export { mapTelegramUpdate, normalizeTelegramAllowEntry, parseTelegramTarget, type TelegramBotIdentity, type TelegramInbound, verifyTelegramWebhookSecret } from "./inbound.js";
export { telegramPlugin } from "./plugin.js";
