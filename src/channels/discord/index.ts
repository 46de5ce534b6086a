/** Discord (discord.js, loaded lazily): accounts, config resolution, message mapping, guild allowlists, targets. */
export { DISCORD_TEXT_LIMIT, DiscordAccount, type DiscordAccountOptions, type DiscordAccountStatus, type DiscordProbeResult } from "./account.js";
export { DISCORD_ACCESS_KEYS, DISCORD_API_ROOT, DISCORD_API_VERSION, type DiscordTokenSource, listDiscordAccountIds, parseDiscordApiUrl, type ResolvedDiscordAccount, resolveDefaultDiscordAccountId, resolveDiscordAccount } from "./config.js";
export { type DiscordPlace, type DiscordSkip, type DiscordTarget, discordSlug, mapDiscordMessage, parseDiscordTarget, resolveDiscordGroupAccess } from "./inbound.js";
export { discordPlugin } from "./plugin.js";
