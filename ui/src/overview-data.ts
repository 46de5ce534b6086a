/**
 * The overview's data: one call each to `status`, `health` and `channels.status`, folded into what
 * the page shows. Pure over the answers (the mapping is unit-tested without a browser).
 */
import type { ProtocolClient } from "../../src/client/core/index.js";

export type Obj = Record<string, unknown>;

/** One channel account as the overview lists it. */
export interface ChannelRow {
  channel: string;
  label: string;
  accountId: string;
  state: string;
  stateClass: "ok" | "warn" | "bad" | "muted";
  /** The account's last error, if it reported one. */
  lastError: string | undefined;
  /** The sum of the account's drop counters. */
  drops: number;
  /** Each reason with its count, e.g. "not-allowlisted 2". */
  dropDetail: string;
}

/** What the overview page renders. */
export interface OverviewData {
  version: string;
  uptimeMs: number;
  port: number | undefined;
  urls: string[];
  authMode: string;
  configHash: string | undefined;
  reloadMode: string;
  reloadError: string | undefined;
  agents: number;
  sessions: number;
  channels: ChannelRow[];
  modelAuth: Array<{ agentId: string; status: string; expiry: string | undefined }>;
}

export const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** A duration as "3d 4h", "2h 5m", "4m 10s" or "12s". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

function channelState(a: Obj): Pick<ChannelRow, "state" | "stateClass"> {
  if (a.enabled === false) return { state: "disabled", stateClass: "muted" };
  if (a.configured === false) return { state: "not configured", stateClass: "muted" };
  const error = str(a.lastError);
  if (a.running === true && a.connected === true) return { state: "connected", stateClass: "ok" };
  if (a.running === true) return { state: error ? `running, not connected: ${error}` : "running, not connected", stateClass: "warn" };
  return { state: error ? `stopped: ${error}` : "stopped", stateClass: "bad" };
}

/**
 * Every account in a `channels.status` answer, in the gateway's channel order, as rows; `extra`
 * adds what a page needs beyond the overview's columns from the raw account snapshot.
 */
export function channelRows(status: unknown): ChannelRow[];
export function channelRows<E extends object>(status: unknown, extra: (account: Obj) => E): Array<ChannelRow & E>;
export function channelRows(status?: unknown, extra?: (account: Obj) => object): ChannelRow[] {
  const channels = obj(status);
  const labels = obj(channels.channelLabels);
  const accounts = obj(channels.channelAccounts);
  const order = arr(channels.channelOrder).filter((c): c is string => typeof c === "string");
  const names = [...order, ...Object.keys(accounts).filter((c) => !order.includes(c))];
  const rows: ChannelRow[] = [];
  for (const channel of names) {
    for (const raw of arr(accounts[channel])) {
      const a = obj(raw);
      const dropped = Object.entries(obj(a.dropped)).filter((e): e is [string, number] => typeof e[1] === "number");
      rows.push({
        channel,
        label: str(labels[channel]) ?? channel,
        accountId: str(a.accountId) ?? "default",
        ...channelState(a),
        lastError: str(a.lastError),
        drops: dropped.reduce((sum, [, n]) => sum + n, 0),
        dropDetail: dropped.map(([reason, n]) => `${reason} ${n}`).join(", "),
        ...extra?.(a),
      });
    }
  }
  return rows;
}

/** Folds the three answers into the overview (unknown or missing fields degrade to blanks, never throw). */
export function buildOverview(input: { status: unknown; health: unknown; channels: unknown; serverVersion?: string | undefined; now?: number }): OverviewData {
  const status = obj(input.status);
  const health = obj(input.health);
  const gateway = obj(status.gateway);
  const reload = obj(health.configReload);
  const now = input.now ?? Date.now();
  const modelAuth = arr(status.modelAuth).map((raw) => {
    const m = obj(raw);
    const soonest = arr(m.expiring)
      .map(obj)
      .map((p) => ({ id: str(p.profileId) ?? str(p.profile) ?? "?", at: num(p.expiresAt) ?? (str(p.expiresAt) ? Date.parse(p.expiresAt as string) : undefined) }))
      .filter((p): p is { id: string; at: number } => typeof p.at === "number" && Number.isFinite(p.at))
      .sort((a, b) => a.at - b.at)[0];
    return {
      agentId: str(m.agentId) ?? "?",
      status: str(m.status) ?? "unknown",
      expiry: soonest ? `${soonest.id} ${soonest.at <= now ? "expired" : `expires in ${formatDuration(soonest.at - now)}`}` : undefined,
    };
  });
  return {
    version: str(status.runtimeVersion) ?? input.serverVersion ?? "unknown",
    uptimeMs: num(status.uptimeMs) ?? 0,
    port: num(gateway.port),
    urls: arr(gateway.urls).filter((u): u is string => typeof u === "string"),
    authMode: str(gateway.authMode) ?? "unknown",
    configHash: str(reload.hash),
    reloadMode: str(reload.mode) ?? "off",
    reloadError: str(reload.lastError) ?? str(obj(reload.lastError).message),
    agents: arr(health.agents).length,
    sessions: num(obj(status.sessions).count) ?? 0,
    channels: channelRows(input.channels),
    modelAuth,
  };
}

/** Fetches the three answers in parallel and folds them. */
export async function loadOverview(client: ProtocolClient): Promise<OverviewData> {
  const [status, health, channels] = await Promise.all([client.call("status", {}), client.call("health", {}), client.call("channels.status", {})]);
  return buildOverview({ status, health, channels, serverVersion: client.hello.server?.version });
}

/** True when a call failed because the socket is gone (the page should reconnect). */
export function isConnectionLost(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return e?.code === "UNREACHABLE" && typeof e.message === "string" && /connection closed|closed \(/.test(e.message);
}
