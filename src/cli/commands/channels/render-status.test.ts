import assert from "node:assert/strict";
import { test } from "node:test";
import { collectStatusWarnings, filterPayload, renderAccountBits, renderDropped, renderStatusLines } from "./render-status.js";

const NOW = 1_800_000_000_000;

test("an account line carries state, mode, last in/out, reconnects, restarts, drops by reason and the probe", () => {
  const bits = renderAccountBits(
    { accountId: "default", enabled: true, configured: true, running: true, connected: false, mode: "polling", lastInboundAt: NOW - 5_000, lastOutboundAt: NOW - 180_000, reconnectAttempts: 3, restarts: 1, dropped: { "not-allowlisted": 2, duplicate: 0, "pairing-pending": 1 }, probe: { ok: false, error: "401 Unauthorized", elapsedMs: 12 } },
    NOW,
  );
  assert.deepEqual(bits, ["enabled", "configured", "running", "disconnected", "mode:polling", "in:5s ago", "out:3m ago", "reconnects:3", "restarts:1", "dropped: not-allowlisted=2 pairing-pending=1", "probe failed: 401 Unauthorized"]);
  assert.equal(renderDropped({ duplicate: 0 }), undefined);
});

test("warnings: enabled-not-running with its error, failed probes, the gateway's issues once; operator stops and disabled accounts are quiet", () => {
  const payload = {
    channelOrder: ["telegram", "signal"],
    channelLabels: { telegram: "Telegram", signal: "Signal" },
    channelAccounts: {
      telegram: [
        { accountId: "default", enabled: true, configured: true, running: false, lastError: "401: Unauthorized" },
        { accountId: "paused", enabled: true, configured: true, running: false, stoppedBy: "operator" },
        { accountId: "off", enabled: false, configured: true, running: false },
        { accountId: "flaky", enabled: true, configured: true, running: true, connected: false, probe: { ok: false, error: "timeout" } },
      ],
      signal: [{ accountId: "default", enabled: true, configured: false, running: false }],
    },
    statusIssues: [
      { channel: "telegram", accountId: "default", kind: "runtime", message: "Telegram default: not running (401: Unauthorized)" },
      { channel: "telegram", accountId: "flaky", kind: "runtime", message: "Telegram flaky: disconnected; reconnecting" },
    ],
  };
  const warnings = collectStatusWarnings(payload);
  assert.deepEqual(
    warnings.map((w) => [w.channel, w.accountId, w.message]),
    [
      ["telegram", "default", "enabled but not running: 401: Unauthorized"],
      ["telegram", "flaky", "probe failed: timeout"],
      ["signal", "default", "enabled but not configured (no credential)"],
      ["telegram", "flaky", "disconnected; reconnecting"],
    ],
  );
  const only = filterPayload(payload, "signal");
  assert.deepEqual(Object.keys(only.channelAccounts ?? {}), ["signal"]);
  assert.deepEqual(only.statusIssues, []);
  assert.deepEqual(renderStatusLines(only, NOW), ["- Signal default: enabled, not configured, stopped"]);
});
