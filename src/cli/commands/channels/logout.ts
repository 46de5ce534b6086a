/**
 * `openclaw channels logout --channel <id> [--account <id>]`: asks the gateway to log the account
 * out (`channels.logout`: stops it and clears its saved session). Credentials kept in the config
 * (a bot token) stay: the output says so and how to remove them.
 */
import { AppError } from "../../../shared/index.js";
import { withGateway } from "../../rpc.js";
import type { CommandHandler } from "../../types.js";
import { configuredChannelIds, loadChannelsInput, parseAccountId, parseChannelId } from "./inventory.js";

export const run: CommandHandler = async (ctx) => {
  let channel = parseChannelId(ctx.options.channel, "openclaw channels logout --channel whatsapp");
  if (!channel) {
    // Only omitting --channel infers it, and only when exactly one channel is configured.
    const configured = configuredChannelIds(loadChannelsInput(ctx).input);
    if (configured.length !== 1) {
      throw new AppError("USAGE", configured.length === 0 ? "no channel given and none is configured" : `channel required (configured: ${configured.join(", ")})`, { hint: "openclaw channels logout --channel <id>" });
    }
    channel = configured[0]!;
  }
  const accountId = parseAccountId(ctx.options.account, `openclaw channels logout --channel ${channel} --account work`);
  const result = (await withGateway(ctx, (client) => client.call("channels.logout", { channel, ...(accountId ? { accountId } : {}) }))) as { channel: string; accountId?: string; cleared: boolean };
  const account = result.accountId ?? accountId ?? "default";
  const human = result.cleared
    ? [`Logged out ${result.channel} account ${account}: its saved session was cleared.`]
    : [
        `${result.channel} account ${account} had no saved session to clear.`,
        `Credentials in the config (e.g. a bot token) are still active; remove them with openclaw channels remove --channel ${result.channel}${accountId ? ` --account ${accountId}` : ""} --delete.`,
      ];
  return { data: { ...result, accountId: account }, human };
};
