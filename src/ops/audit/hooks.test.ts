import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { resolvePaths } from "../../infra/index.js";
import { collectSnapshot } from "../snapshot.js";
import { runAuditRules } from "./rules.js";

/** The audit's findings for a real config file in a temp state dir. */
function auditConfig(t: { after(fn: () => unknown): void }, config: Record<string, unknown>) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-audit-hooks-"));
  t.after(() => fs.rmSync(home, { recursive: true, force: true }));
  const stateDir = path.join(home, ".openclaw");
  fs.mkdirSync(stateDir, { mode: 0o700 });
  fs.writeFileSync(path.join(stateDir, "openclaw.json"), JSON.stringify({ gateway: { mode: "local" }, ...config }), { mode: 0o600 });
  const env = { HOME: home };
  const findings = runAuditRules(collectSnapshot({ env, paths: resolvePaths(env) }));
  return new Map(findings.filter((f) => f.checkId.startsWith("hooks.")).map((f) => [f.checkId, f]));
}

const LONG = "hk-0123456789abcdef0123456789abcdef";

test("hooks disabled: no hooks findings", (t) => {
  assert.equal(auditConfig(t, { hooks: { enabled: false, token: "short" } }).size, 0);
});

test("enabled without a token is critical; a short token warns", (t) => {
  const none = auditConfig(t, { hooks: { enabled: true } });
  assert.equal(none.get("hooks.token_missing")?.severity, "critical");
  const short = auditConfig(t, { hooks: { enabled: true, token: "abc123" } });
  assert.equal(short.get("hooks.token_too_short")?.severity, "warn");
  assert.match(short.get("hooks.token_too_short")!.detail, /6 chars/);
  assert.ok(!short.has("hooks.token_missing"));
});

test("a hook token equal to the gateway token or password is critical, and the secret is not echoed", (t) => {
  const f = auditConfig(t, { gateway: { mode: "local", auth: { token: LONG } }, hooks: { enabled: true, token: LONG } }).get("hooks.token_reuse_gateway_token");
  assert.equal(f?.severity, "critical");
  assert.ok(!JSON.stringify(f).includes(LONG));
  const pw = auditConfig(t, { gateway: { mode: "local", auth: { mode: "password", password: LONG } }, hooks: { enabled: true, token: LONG } }).get("hooks.token_reuse_gateway_token");
  assert.match(pw?.title ?? "", /gateway\.auth\.password/);
});

test("a well-configured loopback hook has no findings; session-key overrides and unrestricted agents warn, and go critical on a LAN bind without TLS", (t) => {
  const good = auditConfig(t, { hooks: { enabled: true, token: LONG, defaultSessionKey: "hook:ingress", allowedAgentIds: ["main"] } });
  assert.deepEqual([...good.keys()], []);
  const loose = auditConfig(t, { hooks: { enabled: true, token: LONG, allowRequestSessionKey: true, path: "/" } });
  assert.equal(loose.get("hooks.request_session_key_enabled")?.severity, "warn");
  assert.equal(loose.get("hooks.request_session_key_prefixes_missing")?.severity, "warn");
  assert.equal(loose.get("hooks.allowed_agent_ids_unrestricted")?.severity, "warn");
  assert.equal(loose.get("hooks.default_session_key_unset")?.severity, "warn");
  assert.equal(loose.get("hooks.path_root")?.severity, "critical");
  assert.ok(!loose.has("hooks.exposed_without_tls"));
  const lan = auditConfig(t, { gateway: { mode: "local", bind: "lan", auth: { token: `${LONG}-gw` } }, hooks: { enabled: true, token: LONG, allowRequestSessionKey: true, allowedSessionKeyPrefixes: ["hook:"] } });
  assert.equal(lan.get("hooks.request_session_key_enabled")?.severity, "critical");
  assert.equal(lan.get("hooks.allowed_agent_ids_unrestricted")?.severity, "critical");
  assert.ok(!lan.has("hooks.request_session_key_prefixes_missing"));
  assert.equal(lan.get("hooks.exposed_without_tls")?.severity, "warn");
  const tailnet = auditConfig(t, { gateway: { mode: "local", bind: "lan", tailscale: { mode: "serve" }, auth: { token: `${LONG}-gw` } }, hooks: { enabled: true, token: LONG } });
  assert.ok(!tailnet.has("hooks.exposed_without_tls"), "tailscale serve terminates TLS");
});
