import assert from "node:assert/strict";
import { test } from "node:test";
import { googleChatWebhookPaths, webhookFindings } from "./webhooks.js";

test("webhook paths: per account, webhookPath > webhookUrl's path > /googlechat; disabled channels and accounts have none", () => {
  assert.deepEqual(googleChatWebhookPaths({}), []);
  assert.deepEqual(googleChatWebhookPaths({ channels: { googlechat: { enabled: false } } }), []);
  assert.deepEqual(googleChatWebhookPaths({ channels: { googlechat: { audienceType: "app-url" } } }), ["/googlechat"]);
  assert.deepEqual(googleChatWebhookPaths({ channels: { googlechat: { webhookUrl: "https://gw.example.com/hooks/gc" } } }), ["/hooks/gc"]);
  assert.deepEqual(googleChatWebhookPaths({ channels: { googlechat: { webhookPath: "gc", accounts: { a: {}, b: { webhookPath: "/b" }, c: { enabled: false, webhookPath: "/c" } } } } }), ["/gc", "/b"]);
});

test("the finding: info when the path answers 401 on loopback; warn when the whole gateway is public; critical when the path accepts no token", () => {
  const input = { channels: { googlechat: { audienceType: "project-number", audience: "1" } }, gateway: { port: 18800 } };
  const [info] = webhookFindings(input, [{ channel: "googlechat", path: "/googlechat", status: 401 }]);
  assert.equal(info?.checkId, "channels.googlechat.webhook_public_path");
  assert.equal(info?.severity, "info");
  assert.match(info?.title ?? "", /\/googlechat answers without the gateway token/);
  assert.match(info?.detail ?? "", /Google's signed bearer token.*answered 401/);
  assert.match(info?.remediation ?? "", /tailscale funnel --bg --set-path \/googlechat http:\/\/127\.0\.0\.1:18800\/googlechat/);
  const gate = webhookFindings(input, [{ channel: "googlechat", path: "/googlechat", status: 401, gatewayGate: true }]);
  assert.match(gate[0]?.detail ?? "", /no Google Chat route/);
  const lan = webhookFindings({ ...input, gateway: { bind: "lan" } }, [{ channel: "googlechat", path: "/googlechat", status: 401 }]);
  assert.equal(lan[0]?.severity, "warn");
  assert.match(lan[0]?.detail ?? "", /whole gateway is exposed/);
  const open = webhookFindings(input, [{ channel: "googlechat", path: "/googlechat", status: 200 }]);
  assert.deepEqual([open[0]?.checkId, open[0]?.severity], ["channels.googlechat.webhook_unverified", "critical"]);
  assert.deepEqual(webhookFindings({ channels: { telegram: {} } }, []), [], "no Google Chat, no finding");
});
