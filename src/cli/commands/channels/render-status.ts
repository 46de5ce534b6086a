/**
 * Human output for `openclaw channels status`: one line per account from the gateway's
 * `channels.status` answer (state, mode, last in/out, reconnects, restarts, drops by reason, probe),
 * then the warnings with their fixes. Pure: takes the payload and the findings, returns lines.
 */
import type { AllowlistFinding } from "../../../channels/index.js";

type Loose = Record<string, unknown>;

/** What `channels.status` answers (spec §4.9); accounts are open objects. */
export interface ChannelsStatusPayload {
  ts?: number;
  channelOrder?: string[];
  channelLabels?: Record<string, string>;
  channels?: Record<string, unknown>;
  channelAccounts?: Record<string, Loose[]>;
  channelDefaultAccountId?: Record<string, string>;
  statusIssues?: unknown[];
  [key: string]: unknown;
}

/** One warning: where (channel/account or config path), what, and the fix. */
export interface StatusWarning {
  channel?: string;
  accountId?: string;
  path?: string;
  message: string;
  fix?: string;
}

const isObj = (v: unknown): v is Loose => v !== null && typeof v === "object" && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** `12s ago`, `3m ago`, `2h ago`, `5d ago`. */
export function renderAgo(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.round(s / 60)}m ago` : s < 86400 ? `${Math.round(s / 3600)}h ago` : `${Math.round(s / 86400)}d ago`;
}

/** `not-allowlisted=3 duplicate=1` from `{ "not-allowlisted": 3, duplicate: 1 }` (zeros left out). */
export function renderDropped(dropped: unknown): string | undefined {
  if (!isObj(dropped)) return undefined;
  const parts = Object.entries(dropped)
    .filter(([, n]) => typeof n === "number" && n > 0)
    .map(([reason, n]) => `${reason}=${n}`);
  return parts.length ? parts.join(" ") : undefined;
}

/** The short state words of one account snapshot, as OpenClaw orders them. */
export function renderAccountBits(a: Loose, now: number): string[] {
  const bits: string[] = [];
  if (typeof a.enabled === "boolean") bits.push(a.enabled ? "enabled" : "disabled");
  if (typeof a.configured === "boolean") bits.push(a.configured ? "configured" : "not configured");
  if (typeof a.linked === "boolean") bits.push(a.linked ? "linked" : "not linked");
  if (typeof a.running === "boolean") bits.push(a.running ? "running" : "stopped");
  if (typeof a.connected === "boolean") bits.push(a.connected ? "connected" : "disconnected");
  if (typeof a.mode === "string" && a.mode) bits.push(`mode:${a.mode}`);
  const inAt = num(a.lastInboundAt);
  const outAt = num(a.lastOutboundAt);
  if (inAt) bits.push(`in:${renderAgo(inAt, now)}`);
  if (outAt) bits.push(`out:${renderAgo(outAt, now)}`);
  const reconnects = num(a.reconnectAttempts);
  if (reconnects) bits.push(`reconnects:${reconnects}`);
  const restarts = num(a.restarts);
  if (restarts) bits.push(`restarts:${restarts}`);
  if (typeof a.dmPolicy === "string" && a.dmPolicy) bits.push(`dm:${a.dmPolicy}`);
  const source = a.tokenSource ?? a.botTokenSource;
  if (typeof source === "string" && source) bits.push(`token:${source}`);
  const dropped = renderDropped(a.dropped);
  if (dropped) bits.push(`dropped: ${dropped}`);
  if (isObj(a.probe) && typeof a.probe.ok === "boolean") {
    const ms = num(a.probe.elapsedMs);
    bits.push(a.probe.ok ? `works${ms !== undefined ? ` (${ms} ms)` : ""}` : `probe failed${typeof a.probe.error === "string" ? `: ${a.probe.error}` : ""}`);
  }
  return bits;
}

/** The payload narrowed to one channel (every map keyed by channel id). */
export function filterPayload(payload: ChannelsStatusPayload, channel: string | undefined): ChannelsStatusPayload {
  if (!channel) return payload;
  const pick = (m: unknown) => (isObj(m) ? Object.fromEntries(Object.entries(m).filter(([k]) => k === channel)) : m);
  return {
    ...payload,
    channelOrder: (payload.channelOrder ?? []).filter((id) => id === channel),
    channelLabels: pick(payload.channelLabels) as Record<string, string>,
    channels: pick(payload.channels) as Record<string, unknown>,
    channelAccounts: pick(payload.channelAccounts) as Record<string, Loose[]>,
    channelDefaultAccountId: pick(payload.channelDefaultAccountId) as Record<string, string>,
    ...(Array.isArray(payload.channelMeta) ? { channelMeta: payload.channelMeta.filter((m) => isObj(m) && m.id === channel) } : {}),
    ...(Array.isArray(payload.statusIssues) ? { statusIssues: payload.statusIssues.filter((i) => isObj(i) && i.channel === channel) } : {}),
  };
}

/** Channel ids in the gateway's order, then any others it reported accounts for. */
function orderedChannels(payload: ChannelsStatusPayload): string[] {
  const ids = [...(payload.channelOrder ?? [])];
  for (const id of Object.keys(payload.channelAccounts ?? {}).sort()) if (!ids.includes(id)) ids.push(id);
  return ids;
}

/**
 * Warnings from the live payload: an enabled account that is not running (with its last error),
 * a failed probe, and the gateway's own `statusIssues`.
 */
export function collectStatusWarnings(payload: ChannelsStatusPayload): StatusWarning[] {
  const out: StatusWarning[] = [];
  const key = (channel: string, accountId: string) => `${channel}/${accountId}`;
  const covered = new Set<string>();
  for (const channel of orderedChannels(payload)) {
    for (const a of payload.channelAccounts?.[channel] ?? []) {
      const accountId = typeof a.accountId === "string" ? a.accountId : "default";
      const lastError = typeof a.lastError === "string" && a.lastError ? a.lastError : undefined;
      // An account an operator stopped (channels.stop) is not running on purpose.
      if (a.enabled !== false && a.configured !== false && a.running === false && a.stoppedBy !== "operator") {
        covered.add(key(channel, accountId));
        out.push({
          channel,
          accountId,
          message: `enabled but not running${lastError ? `: ${lastError}` : ""}`,
          fix: `openclaw channels logs --channel ${channel}; fix the cause, then openclaw gateway call channels.start --params '{"channel":"${channel}","accountId":"${accountId}"}'`,
        });
      } else if (a.enabled !== false && a.configured === false) {
        covered.add(key(channel, accountId));
        out.push({ channel, accountId, message: `enabled but not configured${lastError ? `: ${lastError}` : " (no credential)"}`, fix: `openclaw channels add --channel ${channel}${accountId === "default" ? "" : ` --account ${accountId}`} --token-file <path>` });
      }
      if (isObj(a.probe) && a.probe.ok === false) {
        out.push({ channel, accountId, message: `probe failed${typeof a.probe.error === "string" ? `: ${a.probe.error}` : ""}`, fix: "check the credential and that the service is reachable from this host" });
      }
    }
  }
  // The gateway's own findings, unless the same account is already named above.
  for (const issue of payload.statusIssues ?? []) {
    if (!isObj(issue) || typeof issue.message !== "string") continue;
    const channel = typeof issue.channel === "string" ? issue.channel : undefined;
    const accountId = typeof issue.accountId === "string" ? issue.accountId : undefined;
    if (channel && accountId && covered.has(key(channel, accountId))) continue;
    const label = channel ? (payload.channelLabels?.[channel] ?? channel) : "";
    // Its message starts with "<Label> <account>: "; the rendered line names the account itself.
    const message = channel && accountId && issue.message.startsWith(`${label} ${accountId}: `) ? issue.message.slice(`${label} ${accountId}: `.length) : issue.message;
    out.push({ ...(channel ? { channel } : {}), ...(accountId ? { accountId } : {}), message, ...(typeof issue.fix === "string" ? { fix: issue.fix } : {}) });
  }
  return out;
}

/** Allowlist lint findings as status warnings (the config path says where). */
export function allowlistWarnings(findings: AllowlistFinding[], channel?: string): StatusWarning[] {
  return findings
    .filter((f) => !channel || f.path.split(".")[1] === channel)
    .map((f) => ({ channel: f.path.split(".")[1] ?? "", path: f.path, message: f.message, fix: f.fix }));
}

/** The `Warnings:` block (empty when there are none), pointing to `openclaw doctor`. */
export function renderWarnings(warnings: StatusWarning[]): string[] {
  if (warnings.length === 0) return [];
  // Config findings name their path in the message already; live ones are prefixed with the account.
  const where = (w: StatusWarning) => (w.path ? "" : `${`${w.channel ?? ""}${w.accountId ? ` ${w.accountId}` : ""}`.trim()}: `);
  return ["", "Warnings:", ...warnings.map((w) => `- ${where(w)}${w.message}${w.fix ? ` (fix: ${w.fix})` : ""}`), "- Run: openclaw doctor"];
}

/** One line per account from a live `channels.status` answer. */
export function renderStatusLines(payload: ChannelsStatusPayload, now: number): string[] {
  const lines: string[] = [];
  for (const channel of orderedChannels(payload)) {
    const label = payload.channelLabels?.[channel] ?? channel;
    for (const a of payload.channelAccounts?.[channel] ?? []) {
      const accountId = typeof a.accountId === "string" ? a.accountId : "default";
      const name = typeof a.name === "string" && a.name ? ` (${a.name})` : "";
      lines.push(`- ${label} ${accountId}${name}: ${renderAccountBits(a, now).join(", ")}`);
    }
  }
  if (lines.length === 0) lines.push("- no configured chat channels (add one: openclaw channels add --channel telegram --token <bot-token>)");
  return lines;
}
