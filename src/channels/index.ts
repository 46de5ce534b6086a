/** L3: channels — the registry (channel implementations register here). */
export { ChannelRegistry, CHANNEL_LABELS, type ChannelAccountState, type ChannelInstance } from "./registry.js";
