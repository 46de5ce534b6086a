/**
 * `openclaw channels list [--json]`: the configured channels and their accounts from the config
 * file (no gateway): enabled, configured, where the credential comes from (never the credential)
 * and the DM policy. `--json` keeps OpenClaw's `{ chat: { <id>: { accounts, label, … } } }` shape.
 */
import type { CommandHandler } from "../../types.js";
import { listConfiguredAccounts, loadChannelsInput, renderConfiguredAccount } from "./inventory.js";

export const run: CommandHandler = (ctx) => {
  const input = loadChannelsInput(ctx);
  const accounts = listConfiguredAccounts(ctx, input);
  type Entry = { label: string; docsPath: string; installed: boolean; origin: string; accounts: string[]; defaultAccount: string; details: unknown[] };
  const chat: Record<string, Entry> = {};
  for (const a of accounts) {
    const entry: Entry = chat[a.channel] ?? { label: a.label, docsPath: `/channels/${a.channel}`, installed: true, origin: "configured", accounts: [], defaultAccount: a.accountId, details: [] };
    chat[a.channel] = entry;
    entry.accounts.push(a.accountId);
    if (a.isDefault) entry.defaultAccount = a.accountId;
    entry.details.push({ accountId: a.accountId, ...(a.name ? { name: a.name } : {}), enabled: a.enabled, configured: a.configured, tokenSource: a.tokenSource, dmPolicy: a.dmPolicy });
  }
  const human =
    accounts.length === 0
      ? ["Chat channels:", "- no configured chat channels (add one: openclaw channels add --channel telegram --token <bot-token>)"]
      : ["Chat channels:", ...accounts.map(renderConfiguredAccount), "", "Live state: openclaw channels status"];
  return { data: { chat }, human };
};
