/** The channels this gateway runs (a channel without a plugin is shown from its config, not run). */
import type { ChannelPlugin } from "./contract.js";
import { discordPlugin } from "./discord/index.js";
import { googleChatPlugin } from "./googlechat/index.js";
import { signalPlugin } from "./signal/index.js";
import { telegramPlugin } from "./telegram/index.js";
import { whatsappPlugin } from "./whatsapp/index.js";

/**
 * Every built-in channel plugin. `config` is the running config: channels that read their access
 * rules per message (Discord's guild allowlists) take them from it, so a policy edit never reconnects.
 */
export function builtinChannelPlugins(config: () => Record<string, unknown>): ChannelPlugin[] {
  const section = (id: string) => () => ((config().channels ?? {}) as Record<string, Record<string, unknown> | undefined>)[id] ?? {};
  return [telegramPlugin(), googleChatPlugin as ChannelPlugin, signalPlugin() as ChannelPlugin, discordPlugin({ section: section("discord") }) as ChannelPlugin, whatsappPlugin() as ChannelPlugin];
}
