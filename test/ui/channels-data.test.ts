/**
 * The Channels page's pure data, without a browser: account rows (the overview's mapping plus
 * probes, last errors and QR login), pairing requests with age and expiry, and the WhatsApp QR
 * login answers. test/browser/channels-page.test.ts drives the same code through a real page.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildPairingView, channelAccountRows, readQrLogin, summarizeProbe } from "../../ui/src/channels-data.js";
import { buildOverview } from "../../ui/src/overview-data.js";

const status = {
  channelOrder: ["telegram", "whatsapp", "webchat"],
  channelLabels: { telegram: "Telegram", whatsapp: "WhatsApp", webchat: "WebChat" },
  channelAccounts: {
    telegram: [{ accountId: "default", running: true, connected: true, dropped: { "pairing-pending": 2, "not-allowlisted": 1 }, probe: { ok: true, elapsedMs: 12.4, bot: { id: 1, username: "ops_bot" } } }],
    whatsapp: [{ accountId: "work", running: false, linked: false, lastError: "not linked", probe: { ok: false, error: "timed out after 5000 ms" } }],
    webchat: [{ accountId: "default", running: true, connected: true }],
  },
};

describe("channels page data", () => {
  test("account rows: state, last error, drops by reason, probe and QR login; WebChat left out", () => {
    const rows = channelAccountRows(status);
    assert.deepEqual(
      rows.map((r) => [r.channel, r.accountId, r.state, r.lastError, r.drops, r.dropDetail, r.probe?.text, r.qrLogin, r.linked]),
      [
        ["telegram", "default", "connected", undefined, 3, "pairing-pending 2, not-allowlisted 1", "ok in 12 ms · @ops_bot", false, undefined],
        ["whatsapp", "work", "stopped: not linked", "not linked", 0, "", "failed: timed out after 5000 ms", true, false],
      ],
    );
    // The overview still folds the same answer with the shared mapping.
    assert.deepEqual(
      buildOverview({ status: {}, health: {}, channels: status }).channels.map((c) => [c.channel, c.drops]),
      [
        ["telegram", 3],
        ["whatsapp", 0],
        ["webchat", 0],
      ],
    );
    assert.deepEqual(channelAccountRows("nonsense"), []);
    const unlinked = channelAccountRows({ channelAccounts: { whatsapp: [{ accountId: "default", configured: false, linked: false }] } });
    assert.deepEqual(unlinked.map((r) => [r.state, r.stateClass]), [["not linked", "muted"]]);
  });

  test("probe summaries degrade to nothing on unknown shapes", () => {
    assert.equal(summarizeProbe(undefined), undefined);
    assert.equal(summarizeProbe({ elapsedMs: 3 }), undefined);
    assert.deepEqual(summarizeProbe({ ok: false }), { ok: false, text: "failed: no answer" });
    assert.deepEqual(summarizeProbe({ ok: true }), { ok: true, text: "ok" });
  });

  test("pairing requests: oldest first, sender name, where, age and expiry; malformed entries skipped", () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    const view = buildPairingView(
      {
        accounts: [{ channel: "telegram", channelLabel: "Telegram", accountId: "default", notifySupported: true }],
        requests: [
          { requestId: "r2", channel: "telegram", channelLabel: "Telegram", accountId: "default", senderId: "4004", createdAt: at(2), expiresAt: at(2 - 60), notifySupported: true },
          { requestId: "r1", channel: "telegram", channelLabel: "Telegram", accountId: "default", senderId: "3003", metadata: { name: "Cleo" }, createdAt: at(65), expiresAt: at(5), notifySupported: false },
          { requestId: "", channel: "telegram", senderId: "x" },
          "junk",
        ],
      },
      now,
    );
    assert.deepEqual(view.accounts, ["Telegram · default"]);
    assert.deepEqual(
      view.rows.map((r) => [r.requestId, r.senderId, r.senderName, r.where, r.age, r.expiry, r.notifySupported]),
      [
        ["r1", "3003", "Cleo", "Telegram · default", "requested 1h 5m ago", "expired", false],
        ["r2", "4004", undefined, "Telegram · default", "requested 2m 0s ago", "expires in 58m 0s", true],
      ],
    );
    assert.deepEqual(buildPairingView(null, now), { rows: [], accounts: [] });
  });

  test("QR login answers: the QR while waiting (kept across waits without one), the link message when connected", () => {
    const started = readQrLogin({ message: "Scan this QR", qrDataUrl: "data:image/png;base64,AAAA", sessionKey: "s1", connected: false });
    assert.deepEqual(started, { phase: "waiting", message: "Scan this QR", qrDataUrl: "data:image/png;base64,AAAA", sessionKey: "s1" });
    const waited = readQrLogin({ connected: false, message: "not linked yet: scan the QR" }, started);
    assert.equal(waited.qrDataUrl, "data:image/png;base64,AAAA");
    assert.equal(waited.sessionKey, "s1");
    assert.equal(readQrLogin({ qrDataUrl: "javascript:alert(1)" }).qrDataUrl, undefined, "only image data URLs are shown");
    assert.deepEqual(readQrLogin({ connected: true, message: "linked as +15550005555", sessionKey: "s1" }, waited), { phase: "linked", message: "linked as +15550005555", qrDataUrl: undefined, sessionKey: "s1" });
  });
});
