/**
 * `openclaw message send --channel <id> --target <dest> --message <text> [--account <id>]`: the
 * gateway's `send` with a fresh idempotency key (a retried call never sends twice). The channel
 * defaults to the only configured one. Missing or blank flags are one-line usage errors (exit 2),
 * checked before anything is read or sent.
 */
import { randomUUID } from "node:crypto";
import { CHANNEL_LABELS } from "../../../channels/index.js";
import { AppError } from "../../../shared/index.js";
import { timeoutFor, withGateway } from "../../rpc.js";
import type { CommandContext, CommandHandler } from "../../types.js";
import { configuredChannelIds, loadChannelsInput, parseAccountId, parseChannelId } from "../channels/inventory.js";

const USAGE_LINE = 'openclaw message send --channel <id> --target <dest> --message "<text>"';

function required(ctx: CommandContext, name: string, what: string): string {
  const v = ctx.options[name];
  if (v === undefined) throw new AppError("USAGE", `--${name} is required (${what})`, { hint: USAGE_LINE });
  if (typeof v !== "string" || v.trim() === "") throw new AppError("USAGE", `--${name} must not be blank (${what})`, { hint: USAGE_LINE });
  return v;
}

/** `--channel`, else the only configured channel. */
function resolveChannel(ctx: CommandContext): string {
  const flag = parseChannelId(ctx.options.channel, USAGE_LINE);
  if (flag) return flag;
  const configured = configuredChannelIds(loadChannelsInput(ctx).input);
  if (configured.length === 1) return configured[0]!;
  throw new AppError("USAGE", configured.length === 0 ? "--channel is required (no channel is configured)" : `--channel is required when several channels are configured (${configured.join(", ")})`, { hint: USAGE_LINE });
}

interface SendResult {
  runId?: string;
  messageId?: string;
  messageIds?: string[];
  channel?: string;
  accountId?: string;
  to?: string;
}

export const run: CommandHandler = async (ctx) => {
  const to = required(ctx, "target", "the recipient: a Telegram chat id or @username, a Google Chat spaces/<id>, …").trim();
  const message = required(ctx, "message", "the text to send");
  const channel = resolveChannel(ctx);
  const accountId = parseAccountId(ctx.options.account, `${USAGE_LINE} --account work`);
  const params = { to, message, channel, ...(accountId ? { accountId } : {}), idempotencyKey: randomUUID() };
  const label = CHANNEL_LABELS[channel] ?? channel;
  if (ctx.options["dry-run"] === true) {
    return { data: { dryRun: true, method: "send", params }, human: [`Dry run: would send ${message.length} characters via ${label} to ${to}${accountId ? ` (account ${accountId})` : ""}; nothing sent.`] };
  }
  const timeoutMs = timeoutFor(ctx);
  const result = (await withGateway(ctx, (client) => client.call("send", params, { timeoutMs }), { timeoutMs })) as SendResult;
  const ids = result.messageIds && result.messageIds.length > 1 ? ` (${result.messageIds.length} parts: ${result.messageIds.join(", ")})` : "";
  const human = [`Sent via ${label} to ${result.to ?? to}${result.accountId && result.accountId !== "default" ? ` (account ${result.accountId})` : ""}. Message ID: ${result.messageId ?? "unknown"}${ids}`];
  return { data: { channel: result.channel ?? channel, to: result.to ?? to, ...result }, human };
};
