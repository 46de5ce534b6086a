/** `channels.<id>.*` (spec §2.9) — the shared pattern typed; channel-specific keys kept as they are. */
import { z } from "zod";
import { AllowList, AnyRecord, loose, SecretInput } from "./common.js";

const ChannelAccount = loose({
  enabled: z.boolean().optional(),
  dmPolicy: z.enum(["pairing", "allowlist", "open", "disabled"]).optional().describe("Direct-message access."),
  allowFrom: AllowList.optional().describe("DM sender allowlist (E.164 numbers, ids, usernames)."),
  groupPolicy: z.enum(["allowlist", "open", "disabled"]).optional(),
  groupAllowFrom: AllowList.optional(),
  groups: AnyRecord.optional(),
  botToken: SecretInput.optional(),
  token: SecretInput.optional(),
  appToken: SecretInput.optional(),
});

export const ChannelConfig = ChannelAccount.extend({
  accounts: z.record(z.string(), ChannelAccount).optional(),
  defaultAccount: z.string().optional(),
});

export const ChannelsConfig = z.record(z.string(), ChannelConfig).describe("Chat channels by id (whatsapp, telegram, discord, signal, googlechat, …).");
