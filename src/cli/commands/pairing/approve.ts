/**
 * `openclaw pairing approve [channel] <code> [--channel c] [--account id] [--notify]`: moves the
 * sender from the pending requests to the account's approved senders, in the credentials files and
 * in OpenClaw's `state/openclaw.sqlite` alike (local state, like OpenClaw).
 */
import { AppError, EXIT } from "../../../shared/index.js";
import { withGateway } from "../../rpc.js";
import type { CommandHandler } from "../../types.js";
import { accountOption, pairingStore, resolvePairingChannel } from "./shared.js";

/** What an approved sender is told (`--notify`). */
const APPROVED_MESSAGE = "OpenClaw: access approved. Send a message to start chatting.";

export const run: CommandHandler = async (ctx) => {
  const [first, second] = ctx.args;
  const flagChannel = typeof ctx.options.channel === "string";
  if (flagChannel && second !== undefined) throw new AppError("USAGE", "too many arguments", { hint: "openclaw pairing approve --channel <channel> <code>" });
  const code = second ?? first;
  if (!code) throw new AppError("USAGE", "a pairing code is required", { hint: "openclaw pairing approve telegram <code> (codes: openclaw pairing list telegram)" });
  const channel = resolvePairingChannel(ctx, second !== undefined ? first : undefined);
  const accountId = accountOption(ctx);
  const approved = await pairingStore(ctx).approvePairing(channel, code, accountId === undefined ? {} : { accountId });
  if (!approved) throw new AppError("NOT_FOUND", `no pending ${channel} pairing request has code "${code}"`, { hint: `openclaw pairing list ${channel} (codes expire after 1 hour)` });
  const lines = [`Approved ${channel} sender ${approved.request.meta?.senderId ?? approved.id}${approved.accountId !== "default" ? ` (account ${approved.accountId})` : ""}.`];
  let notified = false;
  // Notifying needs the channel's connection, which lives in the running gateway: sent through `send`.
  if (ctx.options.notify === true) {
    try {
      await withGateway(ctx, (client) => client.call("send", { channel, accountId: approved.accountId, to: approved.id, message: APPROVED_MESSAGE, idempotencyKey: `pairing-approved:${channel}:${approved.accountId}:${approved.id}:${code}` }, { timeoutMs: 15_000 }), { timeoutMs: 15_000 });
      notified = true;
      lines.push("Notified the sender.");
    } catch (error) {
      lines.push(`Not notified (${(error as Error).message}); the approval stands and the sender's next message goes through.`);
    }
  }
  return { data: { channel, id: approved.id, accountId: approved.accountId, approved: true, notified }, human: lines, exitCode: EXIT.ok };
};
