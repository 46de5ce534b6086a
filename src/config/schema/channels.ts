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
  // What `openclaw channels add` writes (OpenClaw's keys): a display name, token files, webhooks, Google Chat's service account.
  name: z.string().optional().describe("Display name of the account."),
  tokenFile: z.string().optional().describe("File holding the bot token (a regular file; symlinks are rejected)."),
  webhookUrl: z.string().optional().describe("Public HTTPS URL the platform posts updates to (webhook mode)."),
  webhookSecret: SecretInput.optional(),
  webhookPath: z.string().optional().describe("Path of the webhook route on the gateway."),
  serviceAccount: z.union([SecretInput, AnyRecord]).optional().describe("Google Chat service account JSON (inline or a secret reference)."),
  serviceAccountFile: z.string().optional().describe("Google Chat service account key file."),
  audienceType: z.enum(["app-url", "project-number"]).optional().describe("Google Chat: what the bearer token's audience is checked against."),
  audience: z.string().optional(),
});

export const ChannelConfig = ChannelAccount.extend({
  accounts: z.record(z.string(), ChannelAccount).optional(),
  defaultAccount: z.string().optional(),
});

export const ChannelsConfig = z.record(z.string(), ChannelConfig).describe("Chat channels by id (whatsapp, telegram, discord, signal, googlechat, …).");
