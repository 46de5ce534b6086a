/**
 * `security audit --deep` and the Google Chat webhook: against a real gateway (in-process CLI) the
 * finding names the path and advises path-scoped exposure; the deep probe's POST without credentials
 * tells a route verified by Google's token (401 from the real Google Chat account) from one that
 * accepts anything (critical).
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { test } from "node:test";
import { type ChannelWebhook, GoogleChatAccount, resolveGoogleChatAccount } from "../../src/channels/index.js";
import { probeWebhookPaths } from "../../src/ops/audit/run.js";
import { webhookFindings } from "../../src/ops/audit/webhooks.js";
import { runInProcess, tempHome } from "../helpers/cli.js";
import { startFakeGoogleChat } from "../helpers/fake-google-chat.js";
import { startTestGateway } from "../helpers/gateway.js";

interface AuditJson {
  findings: Array<{ checkId: string; severity: string; title: string; detail: string; remediation?: string }>;
  deep?: { gateway: { webhooks?: Array<{ path: string; status?: number }> } };
}

async function listen(handler: http.RequestListener, t: { after(fn: () => unknown): void }): Promise<string> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test("security audit --deep against a real gateway names the Google Chat path and advises exposing only it", async (t) => {
  const gw = await startTestGateway(t, { config: { channels: { googlechat: { audienceType: "app-url", audience: "https://gw.example.com/googlechat", dmPolicy: "pairing" } } } });
  const run = await runInProcess(["security", "audit", "--deep", "--json"], { env: { ...gw.env, OPENCLAW_GATEWAY_PORT: String(gw.rt.port) } });
  const report = JSON.parse(run.stdout) as AuditJson;
  const finding = report.findings.find((f) => f.checkId === "channels.googlechat.webhook_public_path");
  assert.ok(finding, `findings: ${report.findings.map((f) => f.checkId).join(", ")}; stderr: ${run.stderr}`);
  assert.equal(finding.severity, "info");
  assert.match(finding.title, /\/googlechat answers without the gateway token/);
  assert.match(finding.detail, /Google's signed bearer token/);
  assert.match(finding.detail, /answered 401|token gate/, "the probe reached the gateway");
  assert.match(finding.remediation ?? "", /--set-path \/googlechat/);
  assert.deepEqual(report.deep?.gateway.webhooks?.map((w) => [w.path, w.status]), [["/googlechat", 401]]);
  assert.ok(!run.stdout.includes(gw.token), "the gateway token is not in the report");
});

test("the deep probe tells Google's token check (401) from a route that accepts anything (critical)", async (t) => {
  const google = await startFakeGoogleChat();
  t.after(() => google.close());
  const section = { serviceAccount: google.serviceAccount, audienceType: "project-number", audience: "123", certsUrl: google.x509Url, apiBaseUrl: google.baseUrl };
  const account = new GoogleChatAccount(resolveGoogleChatAccount(section, "default", {}));
  const abort = new AbortController();
  t.after(() => abort.abort());
  await account.start({ onInbound: () => {}, log: { debug() {}, info() {}, warn() {}, error() {} }, signal: abort.signal });
  const hook: ChannelWebhook = account.webhook();
  assert.equal(hook.path, "/googlechat");
  const verified = await listen((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", async () => {
      if (req.url !== "/hooks/gc") return void res.writeHead(404).end();
      const out = await hook.handle({ headers: req.headers, body: Buffer.concat(parts) });
      res.writeHead(out.status, { "content-type": "application/json" }).end(JSON.stringify(out.body ?? {}));
    });
  }, t);
  // The probe reads the paths from the config file.
  const { home, env } = tempHome(t);
  const configPath = path.join(home, "openclaw.json");
  writeFileSync(configPath, JSON.stringify({ channels: { googlechat: { ...section, webhookPath: "/hooks/gc" } } }), { mode: 0o600 });
  const probes = await probeWebhookPaths({ env, configPath, wsUrl: verified, timeoutMs: 2000 });
  assert.deepEqual(probes, [{ channel: "googlechat", path: "/hooks/gc", status: 401 }]);
  assert.deepEqual(account.snapshot().rejected, { "missing-token": 1 });
  assert.match(webhookFindings({ channels: { googlechat: { ...section, webhookPath: "/hooks/gc" } } }, probes)[0]?.detail ?? "", /answered 401 to an unauthenticated POST/);

  const careless = await listen((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end("{}"), t);
  const open = await probeWebhookPaths({ env, configPath, wsUrl: careless, timeoutMs: 2000 });
  const [finding] = webhookFindings({ channels: { googlechat: { ...section, webhookPath: "/hooks/gc" } } }, open);
  assert.deepEqual([finding?.checkId, finding?.severity], ["channels.googlechat.webhook_unverified", "critical"]);
});
