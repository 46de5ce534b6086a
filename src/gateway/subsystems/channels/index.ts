/**
 * The channels subsystem: owns `channels.*` config and the channel registry. A credential edit
 * restarts only the affected channel account (today no channel runs, so it is applied in place);
 * allowlist and policy edits apply in place. Contributes channels to `health` and `status`.
 */
import { ChannelRegistry } from "../../../channels/index.js";
import type { ApplyResult, ConfigChange, MethodHandlers, Subsystem } from "../../subsystem.js";
import { CoreBound } from "../base.js";

export class ChannelsSubsystem extends CoreBound implements Subsystem {
  readonly name = "channels";
  readonly registry = new ChannelRegistry();
  /** Accounts restarted by config edits, for health and tests. */
  restarts = 0;

  readonly methods: MethodHandlers = {
    "channels.status": () => {
      const snap = this.snapshot();
      const labels = Object.fromEntries(snap.map((c) => [c.id, c.label]));
      return {
        ts: Date.now(),
        channelOrder: snap.map((c) => c.id),
        channelLabels: labels,
        channelDetailLabels: labels,
        channelMeta: snap.map((c) => ({ id: c.id, label: c.label, detailLabel: c.label })),
        eventLoop: this.core.eventLoop.sample(),
        channels: Object.fromEntries(snap.map((c) => [c.id, { configured: true, running: c.accounts.some((a) => a.running) }])),
        channelAccounts: Object.fromEntries(snap.map((c) => [c.id, c.accounts])),
        channelDefaultAccountId: Object.fromEntries(snap.map((c) => [c.id, c.defaultAccountId])),
        statusIssues: [],
      };
    },
  };

  applyConfig(change: ConfigChange): ApplyResult {
    // Which channel ids changed; a running channel would restart just those accounts here.
    const ids = new Set(change.paths.map((p) => p.split(".")[1]).filter((id): id is string => Boolean(id)));
    const running = [...ids].filter((id) => this.registry.snapshot(undefined).some((c) => c.id === id));
    if (running.length === 0) return "applied";
    this.restarts += running.length;
    return "restarted";
  }

  snapshot() {
    return this.registry.snapshot(this.maybeCore?.runningConfig().channels as Record<string, unknown> | undefined);
  }

  health(): Record<string, unknown> {
    const snapshot = this.snapshot();
    const channels: Record<string, unknown> = {};
    const labels: Record<string, string> = {};
    for (const ch of snapshot) {
      const def = ch.accounts.find((a) => a.accountId === ch.defaultAccountId) ?? ch.accounts[0];
      channels[ch.id] = { ...(def ?? { accountId: "default" }), accounts: Object.fromEntries(ch.accounts.map((a) => [a.accountId, a])) };
      labels[ch.id] = ch.label;
    }
    return { channels, channelOrder: snapshot.map((c) => c.id), channelLabels: labels };
  }

  /** One human line per channel (`Telegram: 1 account, running`), as OpenClaw's status shows. */
  status(): Record<string, unknown> {
    const channelSummary = this.snapshot().map((c) => {
      const running = c.accounts.filter((a) => a.running).length;
      const enabled = c.accounts.filter((a) => a.enabled).length;
      const state = running > 0 ? `${running} running` : enabled > 0 ? "configured, not running" : "disabled";
      return `${c.label}: ${c.accounts.length} account${c.accounts.length === 1 ? "" : "s"}, ${state}`;
    });
    return { channelSummary };
  }
}
