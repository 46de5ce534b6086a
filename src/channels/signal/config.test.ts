import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveSignalAccount } from "./config.js";
import { mapSignalEvent, parseSignalTarget, signalReplyTarget } from "./inbound.js";
import { signalPlugin } from "./plugin.js";

const BOT = "+15550001111";

test("transport object: managed-native defaults, external-native URL, named accounts own their transport", () => {
  const managed = resolveSignalAccount({ account: BOT }, "default");
  assert.deepEqual([managed.kind, managed.transportSource, managed.baseUrl, managed.cliPath, managed.startupTimeoutMs, managed.configError], ["managed-native", "default", "http://127.0.0.1:8080", "signal-cli", 30_000, undefined]);
  const ext = resolveSignalAccount({ account: BOT, transport: { kind: "external-native", url: "http://10.0.0.5:9090/" } }, "default");
  assert.deepEqual([ext.kind, ext.baseUrl, ext.transportSource], ["external-native", "http://10.0.0.5:9090", "transport"]);
  const custom = resolveSignalAccount({ account: BOT, transport: { kind: "managed-native", cliPath: "/opt/signal-cli/bin/signal-cli", httpHost: "::1", httpPort: 18080, startupTimeoutMs: 500_000, configPath: "/srv/signal" } }, "default");
  assert.deepEqual([custom.baseUrl, custom.cliPath, custom.startupTimeoutMs, custom.configPath], ["http://[::1]:18080", "/opt/signal-cli/bin/signal-cli", 120_000, "/srv/signal"]);
  const section = { transport: { kind: "external-native", url: "http://127.0.0.1:7000" }, accounts: { work: { account: "+15550002222" }, default: { account: BOT } } };
  assert.equal(resolveSignalAccount(section, "default").baseUrl, "http://127.0.0.1:7000");
  assert.deepEqual([resolveSignalAccount(section, "work").kind, resolveSignalAccount(section, "work").baseUrl], ["managed-native", "http://127.0.0.1:8080"], "the section's transport belongs to the default account only");
});

test("legacy flat keys: httpUrl (external unless autoStart), httpHost/httpPort/cliPath (managed), autoStart:false (external)", () => {
  const url = resolveSignalAccount({ account: BOT, httpUrl: "http://127.0.0.1:8686" }, "default");
  assert.deepEqual([url.kind, url.baseUrl, url.transportSource], ["external-native", "http://127.0.0.1:8686", "legacy"]);
  const managed = resolveSignalAccount({ account: BOT, cliPath: "/usr/local/bin/signal-cli", httpPort: 8181, startupTimeoutMs: 60_000 }, "default");
  assert.deepEqual([managed.kind, managed.cliPath, managed.baseUrl, managed.startupTimeoutMs], ["managed-native", "/usr/local/bin/signal-cli", "http://127.0.0.1:8181", 60_000]);
  const off = resolveSignalAccount({ account: BOT, autoStart: false, httpHost: "192.168.1.9", httpPort: 8080 }, "default");
  assert.deepEqual([off.kind, off.baseUrl, off.configError], ["external-native", "http://192.168.1.9:8080", undefined]);
});

test("bad values name the key and the fix", () => {
  assert.match(resolveSignalAccount({}, "default").configError ?? "", /channels\.signal\.account is not set; .*openclaw config set channels\.signal\.account \+15551234567/);
  assert.match(resolveSignalAccount({ account: "0701234567" }, "default").configError ?? "", /"0701234567" is not an E\.164 number/);
  assert.match(resolveSignalAccount({ account: BOT, transport: { kind: "external-native" } }, "default").configError ?? "", /channels\.signal\.transport\.url is not set/);
  assert.match(resolveSignalAccount({ account: BOT, transport: { url: "ftp://x" } }, "default").configError ?? "", /transport\.url "ftp:\/\/x" is not an http\(s\) URL/);
  const withSecret = resolveSignalAccount({ account: BOT, transport: { kind: "external-native", url: "http://bot:hunter2-secret@10.0.0.5:8080" } }, "default").configError ?? "";
  assert.match(withSecret, /"http:\/\/<redacted>@10\.0\.0\.5:8080" carries credentials/);
  assert.ok(!withSecret.includes("hunter2-secret"), "the password is never echoed");
  assert.match(resolveSignalAccount({ account: BOT, httpPort: 70_000 }, "default").configError ?? "", /channels\.signal\.httpPort is 70000; use a port number/);
  assert.match(resolveSignalAccount({ account: BOT, transport: { kind: "dbus" } }, "default").configError ?? "", /transport\.kind is "dbus"/);
  assert.match(resolveSignalAccount({ accounts: { work: { account: "x" } } }, "work").configError ?? "", /channels\.signal\.accounts\.work\.account "x"/);
});

test("targets, reply targets and envelope edge cases", () => {
  assert.deepEqual(parseSignalTarget("+1 (555) 765-4321"), { recipient: "+15557654321" });
  assert.deepEqual(parseSignalTarget("signal:group:abc="), { groupId: "abc=" });
  assert.deepEqual(parseSignalTarget("UUID:9D2B2A4E-3C55-4F0E-9A55-6C1F3B1E2D77"), { recipient: "9D2B2A4E-3C55-4F0E-9A55-6C1F3B1E2D77" });
  assert.throws(() => parseSignalTarget("uuid:not-a-uuid"), /not a phone number/);
  assert.equal(signalReplyTarget({ senderId: "+15557654321" }), "+15557654321");
  assert.equal(signalReplyTarget({ senderId: "+15557654321", groupId: "g1" }), "group:g1");
  assert.equal(signalPlugin().replyTarget({ channel: "signal", accountId: "default", chatType: "direct", senderId: "uuid:x", text: "", messageId: "1", mentioned: false, ts: 0 }), "uuid:x");
  const self = { number: BOT, uuid: undefined };
  assert.equal(mapSignalEvent({ envelope: { sourceNumber: "+15557654321", timestamp: 1, receiptMessage: { when: 1 } } }, "d", self), undefined, "receipts are not messages");
  assert.equal(mapSignalEvent({ envelope: { sourceNumber: "+15557654321", timestamp: 1, dataMessage: { message: null } } }, "d", self), undefined, "no text (attachment only / reaction)");
  assert.equal(mapSignalEvent({ envelope: { sourceNumber: "+15557654321", timestamp: 1, syncMessage: { sentMessage: { message: "x" } } } }, "d", self), undefined, "sync copies of our sends");
  assert.equal(mapSignalEvent("junk", "d", self), undefined);
  assert.equal(signalPlugin().shouldStart(resolveSignalAccount({}, "default")), false);
  assert.equal(signalPlugin().shouldStart(resolveSignalAccount({ account: BOT, enabled: false }, "default")), false);
  assert.equal(signalPlugin().shouldStart(resolveSignalAccount({ account: BOT }, "default")), true);
});
