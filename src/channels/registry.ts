/**
 * The channel registry: which channels are configured, and the running channel instances (filled
 * by the channel issues). `channels.status` and `health` answer from it.
 */

export const CHANNEL_LABELS: Record<string, string> = {
  whatsapp: "WhatsApp",
  telegram: "Telegram",
  discord: "Discord",
  signal: "Signal",
  googlechat: "Google Chat",
  webchat: "WebChat",
  slack: "Slack",
  imessage: "iMessage",
};

/** Keys under `channels` that hold shared settings rather than a channel. */
export const NON_CHANNEL_KEYS: ReadonlySet<string> = new Set(["defaults", "modelByChannel"]);

export interface ChannelAccountState {
  accountId: string;
  enabled: boolean;
  configured: boolean;
  running: boolean;
  connected?: boolean;
  linked?: boolean;
  lastError?: string | null;
  [field: string]: unknown;
}

/** A running channel implementation reports its accounts through this. */
export interface ChannelInstance {
  id: string;
  accounts(): ChannelAccountState[];
}

export class ChannelRegistry {
  private readonly running = new Map<string, ChannelInstance>();

  register(instance: ChannelInstance): void {
    this.running.set(instance.id, instance);
  }

  unregister(id: string): void {
    this.running.delete(id);
  }

  /** Every configured or running channel with its accounts. */
  snapshot(channelsConfig: Record<string, unknown> | undefined): Array<{ id: string; label: string; accounts: ChannelAccountState[]; defaultAccountId: string }> {
    // `channels.defaults` and `channels.modelByChannel` are shared settings, not channels.
    const ids = new Set([...Object.keys(channelsConfig ?? {}).filter((id) => !NON_CHANNEL_KEYS.has(id)), ...this.running.keys()]);
    return [...ids].sort().map((id) => {
      const cfg = (channelsConfig?.[id] ?? {}) as { enabled?: unknown; accounts?: Record<string, { enabled?: unknown }>; defaultAccount?: unknown };
      const instance = this.running.get(id);
      const configuredAccounts = Object.keys(cfg.accounts ?? {});
      const accounts =
        instance?.accounts() ??
        (configuredAccounts.length > 0 ? configuredAccounts : ["default"]).map((accountId) => ({
          accountId,
          enabled: cfg.enabled !== false && cfg.accounts?.[accountId]?.enabled !== false,
          configured: true,
          running: false,
        }));
      return { id, label: CHANNEL_LABELS[id] ?? id, accounts, defaultAccountId: typeof cfg.defaultAccount === "string" ? cfg.defaultAccount : (accounts[0]?.accountId ?? "default") };
    });
  }
}
