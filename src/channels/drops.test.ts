import assert from "node:assert/strict";
import { test } from "node:test";
import { DropCounters, formatDropLine, maskSender } from "./drops.js";

test("DropCounters count by channel, account and reason, and render Prometheus lines", () => {
  const c = new DropCounters();
  c.count("telegram", "default", "not-allowlisted");
  c.count("telegram", "default", "not-allowlisted");
  c.count("telegram", "work", "duplicate");
  c.count("googlechat", "default", "mention-required");
  assert.deepEqual(c.snapshot(), [
    { channel: "googlechat", accountId: "default", reason: "mention-required", count: 1 },
    { channel: "telegram", accountId: "default", reason: "not-allowlisted", count: 2 },
    { channel: "telegram", accountId: "work", reason: "duplicate", count: 1 },
  ]);
  assert.deepEqual(c.forAccount("telegram", "default"), { "not-allowlisted": 2 });
  const prom = c.prometheus();
  assert.match(prom[1]!, /^# TYPE openclaw_channel_inbound_dropped_total counter$/);
  assert.ok(prom.includes('openclaw_channel_inbound_dropped_total{channel="telegram",account="default",reason="not-allowlisted"} 2'), prom.join("\n"));
  const weird = new DropCounters();
  weird.count("x", 'a"b', "duplicate");
  assert.ok(weird.prometheus().at(-1)!.includes('account="a\\"b"'));
});

test("senders are masked in drop lines; the text never appears", () => {
  assert.equal(maskSender("+46701234589"), "+46…89");
  assert.equal(maskSender("tg:12345634"), "tg:12…34");
  assert.equal(maskSender("123"), "…");
  const line = formatDropLine({ channel: "whatsapp", accountId: "default", chatType: "direct", senderId: "+46701234589" }, "not-allowlisted");
  assert.equal(line, "inbound dropped: whatsapp/default dm from +46…89 (not-allowlisted)");
  assert.ok(!line.includes("701234"));
  const g = formatDropLine({ channel: "telegram", accountId: "default", chatType: "group", senderId: "987654321", groupId: "-1001234567" }, "mention-required");
  assert.ok(!g.includes("987654321") && !g.includes("1001234567"), g);
});
