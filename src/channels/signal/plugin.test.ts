/**
 * The Signal plugin under the real channel manager against the loopback signal-cli daemon: accounts
 * start from `channels.signal`, status shows the daemon going away and the account coming back,
 * sends go through the manager, a transport edit restarts the account, a policy edit does not, and a
 * bad transport is a visible start error rather than a silent no-op.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startFakeSignalCli } from "../../../test/helpers/fake-signal-cli.js";
import { pollUntil } from "../../infra/index.js";
import type { ChannelLog, InboundMessage } from "../contract.js";
import { ChannelManager } from "../manager.js";
import { signalPlugin } from "./plugin.js";

const BOT = "+15550001111";
const quiet: ChannelLog = { debug() {}, info() {}, warn() {}, error() {} };

test("signal under the channel manager: status through an outage, sends, reconcile by transport", async (t) => {
  const daemon = await startFakeSignalCli({ accounts: [BOT] });
  t.after(() => daemon.close());
  const other = await startFakeSignalCli({ accounts: [BOT] });
  t.after(() => other.close());
  let section: Record<string, unknown> = { account: BOT, transport: { kind: "external-native", url: daemon.baseUrl }, dmPolicy: "pairing" };
  const inbound: InboundMessage[] = [];
  const m = new ChannelManager({
    plugins: [signalPlugin({ backoff: { initialMs: 20, maxMs: 100 } })],
    config: () => ({ channels: { signal: section } }),
    environment: { env: {}, stateDir: "/nonexistent", credentialsDir: "/nonexistent" },
    onInbound: (msg) => void inbound.push(msg),
    log: () => quiet,
    monitor: { intervalMs: 0, backoff: { initialMs: 10, maxMs: 40 } },
  });
  t.after(() => m.stop());
  const account = () => m.snapshots().find((s) => s.channel === "signal")?.accounts.find((a) => a.accountId === "default");
  assert.deepEqual((await m.start()).started, ["signal/default"]);
  assert.ok(await pollUntil(() => account()?.connected === true, 5000, 10));
  assert.deepEqual([account()?.mode, account()?.baseUrl, account()?.running], ["external-native", daemon.baseUrl, true]);

  daemon.push({ from: "+15557654321", text: "hi" });
  assert.ok(await pollUntil(() => inbound.length === 1, 5000, 10));
  await m.send("signal", undefined, "+15557654321", "hello back");
  assert.deepEqual(daemon.sent().map((s) => s.message), ["hello back"]);

  await daemon.stop();
  assert.ok(await pollUntil(() => account()?.connected === false && /events at/.test(String(account()?.lastError)), 5000, 10), "the outage shows in status");
  await daemon.restart();
  assert.ok(await pollUntil(() => account()?.connected === true && account()?.lastError === null, 10_000, 10), "the account reconnects by itself");
  assert.equal(account()?.restarts, 0, "no manager restart was needed");

  section = { ...section, dmPolicy: "allowlist", allowFrom: ["+15557654321"] };
  assert.deepEqual(await m.reconcile(), { started: [], restarted: [], stopped: [] });
  section = { ...section, transport: { kind: "external-native", url: other.baseUrl } };
  assert.deepEqual(await m.reconcile(), { started: [], restarted: ["signal/default"], stopped: [] });
  assert.ok(await pollUntil(() => account()?.connected === true && other.streams() === 1, 5000, 10), "moved to the new daemon");

  section = { account: BOT, transport: { kind: "container", url: other.baseUrl } };
  await m.reconcile();
  assert.ok(await pollUntil(() => /"container".*not supported/.test(String(account()?.lastError)), 5000, 10), String(account()?.lastError));
  assert.equal(account()?.connected, false);
});
