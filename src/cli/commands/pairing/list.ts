/** `openclaw pairing list [channel] [--channel c] [--account id] [--json]`: pending DM pairing requests (credentials files and OpenClaw's state/openclaw.sqlite, like OpenClaw). */
import type { CommandHandler } from "../../types.js";
import { accountOption, pairingStore, resolvePairingChannel } from "./shared.js";

export const run: CommandHandler = (ctx) => {
  const channel = resolvePairingChannel(ctx, ctx.args[0]);
  const accountId = accountOption(ctx);
  const requests = pairingStore(ctx).list(channel, accountId === undefined ? {} : { accountId });
  const human =
    requests.length === 0
      ? [`No pending ${channel} pairing requests.`]
      : [
          `Pairing requests (${requests.length})`,
          ...requests.map((r) => `  ${r.code}  ${r.meta?.senderId ?? r.id}  ${r.meta?.accountId ?? "default"}${r.meta?.senderName ? `  ${r.meta.senderName}` : ""}  requested ${r.createdAt}`),
          `Approve: openclaw pairing approve ${channel} <code>`,
        ];
  return { data: { channel, requests }, human };
};
