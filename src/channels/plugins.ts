/** The channels this gateway runs (a channel without a plugin is shown from its config, not run). */
import type { ChannelPlugin } from "./contract.js";
import { googleChatPlugin } from "./googlechat/index.js";
import { signalPlugin } from "./signal/index.js";
import { telegramPlugin } from "./telegram/index.js";

/** Every built-in channel plugin, in `channels status` order of appearance. */
export function builtinChannelPlugins(): ChannelPlugin[] {
  return [telegramPlugin(), googleChatPlugin as ChannelPlugin, signalPlugin() as ChannelPlugin];
}
