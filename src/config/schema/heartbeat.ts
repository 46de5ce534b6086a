/**
 * `agents.defaults.heartbeat` and `agents.*.heartbeat` (spec §2.8, OpenClaw's keys): cadence, target,
 * prompt, active hours and delivery policy. Loose: keys a newer OpenClaw adds are kept as they are.
 */
import { z } from "zod";
import { loose } from "./common.js";

/** OpenClaw's cadence syntax: one number with an optional unit (minutes by default) or unit-tagged segments (`1h30m`). */
const Duration = z.union([z.string().regex(/^\s*(?:\d+(?:\.\d+)?(?:ms|s|m|h|d)?|(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+)\s*$/i, 'a duration such as "30m", "1h30m" or "0m" (off)'), z.number().nonnegative()]);
const Clock = z.string().regex(/^([01]?\d|2[0-4]):[0-5]\d$/, 'a time of day "HH:MM" (24:00 allowed as an end)');

export const HeartbeatConfig = loose({
  every: Duration.optional().describe('How often the heartbeat turn runs (default "30m"; "0m" disables the cadence).'),
  target: z.string().min(1).optional().describe('Where alerts go: "last" (the main session\'s last chat), "none", or a channel id with `to`.'),
  to: z.union([z.string(), z.number()]).optional().describe("Recipient for a channel target (chat id, number, …)."),
  accountId: z.string().optional().describe("Channel account for deliveries."),
  prompt: z.string().optional().describe("The heartbeat message (default: read HEARTBEAT.md, reply HEARTBEAT_OK when nothing needs attention)."),
  ackMaxChars: z.number().int().nonnegative().optional().describe("Text allowed beside HEARTBEAT_OK for the reply to still count as an ack (default 300)."),
  activeHours: loose({ start: Clock, end: Clock, timezone: z.string().optional() }).optional().describe("Only run inside this daily window (start inclusive, end exclusive)."),
  directPolicy: z.enum(["allow", "block"]).optional().describe("block: never deliver alerts to direct chats."),
  model: z.string().optional(),
  session: z.string().optional(),
  timeoutSeconds: z.number().positive().optional(),
  lightContext: z.boolean().optional(),
  isolatedSession: z.boolean().optional(),
  agentId: z.string().optional(),
});
