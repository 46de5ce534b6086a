/**
 * `openclaw channels remove --channel <id> [--account <id>] [--delete]`: disables the account
 * (`enabled: false`, config kept) or, with `--delete`, removes its config entries. Written through
 * the config write path, so the previous file is kept as `.bak`; a running gateway stops the
 * account when it applies the edit.
 */
import { AppError } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";
import { renderEdit } from "../config/render-edit.js";
import { accountPath, channelArg, channelSection, writeChannelPatch } from "./edit.js";
import { configuredChannelIds, loadChannelsInput, parseAccountId } from "./inventory.js";

export const run: CommandHandler = async (ctx) => {
  const example = "openclaw channels remove --channel telegram";
  const channel = channelArg(ctx, example);
  if (!channel) throw new AppError("USAGE", "which channel? pass --channel <id>", { hint: `${example} (add --delete to remove its config)` });
  const accountId = parseAccountId(ctx.options.account, `openclaw channels remove --channel ${channel} --account work`);
  const input = loadChannelsInput(ctx);
  const configured = configuredChannelIds(input.input);
  if (!configured.includes(channel)) {
    throw new AppError("NOT_FOUND", `channel ${channel} is not configured in ${input.path}`, { hint: configured.length ? `Configured: ${configured.join(", ")} (openclaw channels list)` : "Nothing to remove: no channel is configured." });
  }
  const section = channelSection(input.input, channel);
  const known = Object.keys((section.accounts as object | undefined) ?? {});
  const at = accountPath(section, channel, accountId);
  if (at.length === 4 && !known.includes(at[3]!)) {
    throw new AppError("NOT_FOUND", `${channel} has no account "${at[3]}"${known.length ? ` (known: ${known.join(", ")})` : ""}`, { hint: `openclaw channels status --channel ${channel} lists its accounts.` });
  }
  if (at.length === 2 && accountId === undefined && known.length > 0 && !known.includes("default")) {
    throw new AppError("USAGE", `${channel} has no default account to remove (accounts: ${known.join(", ")})`, { hint: `Name one: openclaw channels remove --channel ${channel} --account ${known[0]}` });
  }
  const del = ctx.options.delete === true;
  // Deleting the last named account drops the emptied `accounts` map with it.
  const lastAccount = del && at.length === 4 && known.length === 1;
  const result = await writeChannelPatch(ctx, lastAccount ? at.slice(0, 3) : at, del ? null : { enabled: false });
  for (const w of result.warnings) ctx.warn(`warning: ${w}`);
  const account = at.length === 4 ? at[3]! : (accountId ?? "default");
  const action = del ? "deleted" : "disabled";
  const data = { channel, accountId: account, action, configPath: result.configPath, path: result.path, changed: result.changed, written: result.written, reload: result.reload, ...(result.backupPath ? { backupPath: result.backupPath } : {}) };
  const human = [
    result.changed ? `${channel} account ${account} ${action}${del ? "" : " (config kept; re-enable with openclaw channels add)"}.` : `${channel} account ${account} was already ${action}.`,
    ...renderEdit(result, del ? "unset" : "set"),
  ];
  return { data, human };
};
