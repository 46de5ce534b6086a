/** L3: channels — the registry (channel implementations register here). */
export { CHANNEL_LABELS, type ChannelAccountState, type ChannelInstance, ChannelRegistry } from "./registry.js";

// Telegram (grammy is imported lazily inside TelegramAccount, so this block costs no SDK load).
export {
  chunkTelegramText,
  listTelegramAccountIds,
  mapTelegramUpdate,
  normalizeApiRoot,
  normalizeTelegramAllowEntry,
  parseTelegramTarget,
  type ResolvedTelegramAccount,
  resolveDefaultTelegramAccountId,
  resolveTelegramAccount,
  TELEGRAM_TEXT_LIMIT,
  TelegramAccount,
  type TelegramAccountOptions,
  type TelegramAccountStatus,
  type TelegramBotIdentity,
  type TelegramInbound,
  type TelegramProbeResult,
  type TelegramStartOptions,
  type TelegramTokenSource,
  telegramBackoffMs,
  verifyTelegramWebhookSecret,
} from "./telegram/index.js";
