/** L3: channels — the registry, the channel contract, the access policy, drop counters, allowlist lint, pairing and text chunking. */

export { allowEntries, allowListMatches, E164_CHANNELS, isE164, isPlaceholder, normalizeAllowEntry } from "./allowlist-entries.js";
export { type AllowlistFinding, type AllowlistFindingKind, lintChannelAllowlists } from "./allowlist-lint.js";
export { abortableDelay, channelBackoffMs } from "./backoff.js";
export { chunkText, DEFAULT_TEXT_CHUNK_LIMITS } from "./chunk.js";
export type {
  ChannelAccountRuntime,
  ChannelAccountSnapshot,
  ChannelEnvironment,
  ChannelLog,
  ChannelLoginOptions,
  ChannelLoginResult,
  ChannelPlugin,
  ChannelProbeResult,
  ChannelSendOptions,
  ChannelSendResult,
  ChannelStartContext,
  ChannelWebhook,
  ChannelWebhookRequest,
  ChannelWebhookResponse,
  ChatType,
  GroupAccess,
  InboundMessage,
} from "./contract.js";
// Discord (discord.js is imported lazily inside DiscordAccount, so this block costs no SDK load).
export {
  DISCORD_TEXT_LIMIT,
  DiscordAccount,
  type DiscordAccountOptions,
  type DiscordAccountStatus,
  type DiscordPlace,
  type DiscordProbeResult,
  type DiscordTarget,
  discordPlugin,
  listDiscordAccountIds,
  mapDiscordMessage,
  parseDiscordApiUrl,
  parseDiscordTarget,
  type ResolvedDiscordAccount,
  resolveDefaultDiscordAccountId,
  resolveDiscordAccount,
  resolveDiscordGroupAccess,
} from "./discord/index.js";
export { type DropCount, DropCounters, formatDropLine, maskSender } from "./drops.js";
// Google Chat (jose is imported lazily inside the verifier and the API client, so this block costs no library load).
export {
  GOOGLE_CHAT_TEXT_LIMIT,
  GoogleChatAccount,
  type GoogleChatAccountOptions,
  type GoogleChatAudienceType,
  GoogleChatAuthError,
  type GoogleChatInbound,
  type GoogleChatRejectReason,
  GoogleKeySet,
  googleChatPlugin,
  googleChatReplyTarget,
  listGoogleChatAccountIds,
  mapGoogleChatEvent,
  parseGoogleChatTarget,
  parseGoogleServiceAccount,
  type ResolvedGoogleChatAccount,
  resolveDefaultGoogleChatAccountId,
  resolveGoogleChatAccount,
  verifyGoogleChatToken,
} from "./googlechat/index.js";
export { ChannelManager, type ChannelManagerOptions, type ChannelMonitorOptions, DEFAULT_MONITOR, type ReconcileResult } from "./manager.js";
export {
  DEFAULT_ACCOUNT_ID,
  generatePairingCode,
  PAIRING_CODE_ALPHABET,
  PAIRING_CODE_LENGTH,
  PAIRING_MAX_PENDING,
  PAIRING_TTL_MS,
  type PairingRequest,
  type PairingRequestResult,
  PairingStore,
  type PairingStoreOptions,
} from "./pairing.js";
export { builtinChannelPlugins } from "./plugins.js";
export {
  DEFAULT_DM_POLICY,
  DEFAULT_GROUP_POLICY,
  type DmPolicy,
  DROP_REASONS,
  type DropReason,
  DuplicateFilter,
  decideInbound,
  type GroupPolicy,
  type InboundDecision,
  type InboundPolicyInput,
  mergeAccountSettings,
  resolveDmAllowFrom,
  resolveDmPolicy,
  resolveGroupPolicy,
} from "./policy.js";
export { CHANNEL_LABELS, type ChannelAccountState, type ChannelInstance, ChannelRegistry, NON_CHANNEL_KEYS } from "./registry.js";
export { bindingAgent, ChannelRouter, type ChannelRouterDeps, type RouteOutcome } from "./router.js";
// Signal (signal-cli's HTTP daemon: fetch + eventsource-parser, no SDK; the daemon is spawned only on start).
export {
  listSignalAccountIds,
  mapSignalEvent,
  normalizeSignalUrl,
  parseSignalTarget,
  type ResolvedSignalAccount,
  resolveDefaultSignalAccountId,
  resolveSignalAccount,
  SIGNAL_TEXT_LIMIT,
  SignalAccount,
  type SignalAccountOptions,
  SignalDaemon,
  type SignalInbound,
  type SignalProbeResult,
  type SignalTransportKind,
  signalDaemonArgs,
  signalPlugin,
  signalReplyTarget,
} from "./signal/index.js";
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
  telegramPlugin,
  verifyTelegramWebhookSecret,
} from "./telegram/index.js";
export { escapeTelegramHtml, toTelegramHtml } from "./telegram-html.js";
export { WebChatChannel } from "./webchat.js";
// WhatsApp (Baileys is imported lazily when a socket opens, so this block costs no SDK load).
export {
  backupWhatsAppAuth,
  jidToE164,
  listWhatsAppAccountIds,
  mapWhatsAppMessage,
  parseWhatsAppTarget,
  type ResolvedWhatsAppAccount,
  readWhatsAppSession,
  renderQr,
  resolveDefaultWhatsAppAccountId,
  resolveWhatsAppAccount,
  WHATSAPP_LISTENING_LINE,
  WHATSAPP_NOT_LINKED,
  WHATSAPP_TEXT_LIMIT,
  WhatsAppAccount,
  type WhatsAppAccountOptions,
  type WhatsAppLoginOptions,
  type WhatsAppLoginResult,
  type WhatsAppSocket,
  type WhatsAppSocketFactory,
  whatsappLogin,
  whatsappPlugin,
} from "./whatsapp/index.js";
