/** How the channels subsystem's accounts appear in `channels.status`, `health`, `status` and `/metrics`. */
import type { ChannelAccountSnapshot, DropCount, DropCounters } from "../../../channels/index.js";

/** One channel with its account snapshots (drops merged in). */
export interface ChannelView {
  id: string;
  label: string;
  defaultAccountId: string;
  accounts: ChannelAccountSnapshot[];
}

/** The `channels.status` result (spec §4.9) plus our drop totals. */
export function channelsStatusResult(views: ChannelView[], drops: DropCount[], eventLoop: unknown): Record<string, unknown> {
  const labels = Object.fromEntries(views.map((c) => [c.id, c.label]));
  return {
    ts: Date.now(),
    channelOrder: views.map((c) => c.id),
    channelLabels: labels,
    channelDetailLabels: labels,
    channelMeta: views.map((c) => ({ id: c.id, label: c.label, detailLabel: c.label })),
    channels: Object.fromEntries(
      views.map((c) => [c.id, { configured: c.accounts.some((a) => a.configured !== false), running: c.accounts.some((a) => a.running === true), connected: c.accounts.some((a) => a.connected === true) }]),
    ),
    channelAccounts: Object.fromEntries(views.map((c) => [c.id, c.accounts])),
    channelDefaultAccountId: Object.fromEntries(views.map((c) => [c.id, c.defaultAccountId])),
    drops,
    eventLoop,
    statusIssues: statusIssues(views),
  };
}

/** Accounts that should run but do not, with the reason and the fix. */
function statusIssues(views: ChannelView[]): Array<{ channel: string; accountId: string; kind: string; message: string }> {
  const issues = [];
  for (const c of views) {
    for (const a of c.accounts) {
      if (a.enabled === false) continue;
      if (a.configured === false) issues.push({ channel: c.id, accountId: a.accountId, kind: "config", message: `${c.label} ${a.accountId}: not configured${a.lastError ? ` (${a.lastError})` : ""}` });
      else if (a.running === true && a.connected === false) issues.push({ channel: c.id, accountId: a.accountId, kind: "runtime", message: `${c.label} ${a.accountId}: disconnected${a.lastError ? ` (${a.lastError})` : ""}; reconnecting` });
      else if (a.running !== true && a.stoppedBy !== "operator" && a.lastError) issues.push({ channel: c.id, accountId: a.accountId, kind: "runtime", message: `${c.label} ${a.accountId}: not running (${a.lastError})` });
    }
  }
  return issues;
}

/** `health.channels`: the default account's snapshot per channel with every account under `accounts`. */
export function channelsHealth(views: ChannelView[], drops: DropCount[]): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  for (const ch of views) {
    const def = ch.accounts.find((a) => a.accountId === ch.defaultAccountId) ?? ch.accounts[0];
    channels[ch.id] = { ...(def ?? { accountId: "default" }), accounts: Object.fromEntries(ch.accounts.map((a) => [a.accountId, a])) };
  }
  return { channels, channelOrder: views.map((c) => c.id), channelLabels: Object.fromEntries(views.map((c) => [c.id, c.label])), channelDrops: drops };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** `status`: one human line per channel (`Telegram: 1 account, 1 running, 3 dropped`) and the drop rows. */
export function channelsStatusLines(views: ChannelView[], drops: DropCount[]): Record<string, unknown> {
  const channelSummary = views.map((c) => {
    const running = c.accounts.filter((a) => a.running).length;
    const enabled = c.accounts.filter((a) => a.enabled !== false).length;
    const state = running > 0 ? `${running} running` : enabled > 0 ? "configured, not running" : "disabled";
    const dropped = drops.filter((d) => d.channel === c.id).reduce((n, d) => n + d.count, 0);
    return `${c.label}: ${plural(c.accounts.length, "account")}, ${state}${dropped > 0 ? `, ${dropped} dropped` : ""}`;
  });
  return { channelSummary, channelDrops: drops };
}

const label = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

/** Prometheus lines: drops by reason, account up/connected, monitor restarts. */
export function channelsMetrics(views: ChannelView[], drops: DropCounters): string[] {
  const lines = drops.prometheus();
  lines.push("# HELP openclaw_channel_account_connected 1 when the channel account is connected.", "# TYPE openclaw_channel_account_connected gauge");
  for (const c of views) for (const a of c.accounts) lines.push(`openclaw_channel_account_connected{channel="${label(c.id)}",account="${label(a.accountId)}"} ${a.connected === true ? 1 : 0}`);
  lines.push("# HELP openclaw_channel_account_restarts_total Health-monitor restarts of the channel account.", "# TYPE openclaw_channel_account_restarts_total counter");
  for (const c of views) for (const a of c.accounts) lines.push(`openclaw_channel_account_restarts_total{channel="${label(c.id)}",account="${label(a.accountId)}"} ${typeof a.restarts === "number" ? a.restarts : 0}`);
  return lines;
}
