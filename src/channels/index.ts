/** L3: channels — the registry (channel implementations register here). */
export { CHANNEL_LABELS, type ChannelAccountState, type ChannelInstance, ChannelRegistry } from "./registry.js";
