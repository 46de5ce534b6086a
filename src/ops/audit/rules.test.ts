import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, type TestContext, test } from "node:test";
import { type Env, resolvePaths } from "../../infra/index.js";
import { collectSnapshot } from "../snapshot.js";
import { type AuditFinding, type DeepProbe, runAuditRules, summarizeAudit } from "./rules.js";

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

interface SeedOptions {
  /** Config text (JSON5) or a value serialised as JSON; null for no config file. */
  config?: string | Record<string, unknown> | null;
  configMode?: number;
  stateMode?: number;
  env?: Env;
}

/** A temp HOME with `~/.openclaw` (0700) and `openclaw.json` (0600) unless told otherwise. */
function seed(t: TestContext, o: SeedOptions = {}) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-audit-rules-"));
  t.after(() => fs.rmSync(home, { recursive: true, force: true }));
  const stateDir = path.join(home, ".openclaw");
  fs.mkdirSync(stateDir);
  fs.chmodSync(stateDir, o.stateMode ?? 0o700);
  const configPath = path.join(stateDir, "openclaw.json");
  const config = o.config === undefined ? { gateway: { mode: "local" } } : o.config;
  if (config !== null) {
    fs.writeFileSync(configPath, typeof config === "string" ? config : `${JSON.stringify(config, null, 2)}\n`);
    fs.chmodSync(configPath, o.configMode ?? 0o600);
  }
  const env: Env = { HOME: home, ...o.env };
  const paths = resolvePaths(env);
  assert.equal(paths.stateDir, stateDir);
  assert.equal(paths.configPath, configPath);
  return { home, env, paths, stateDir, configPath };
}

function audit(s: { env: Env; paths: ReturnType<typeof resolvePaths> }, deep?: DeepProbe): AuditFinding[] {
  return runAuditRules(collectSnapshot({ env: s.env, paths: s.paths }), deep);
}

const ids = (findings: AuditFinding[]) => findings.map((f) => f.checkId);

function find(findings: AuditFinding[], checkId: string): AuditFinding {
  const hit = findings.find((f) => f.checkId === checkId);
  assert.ok(hit, `no ${checkId}; got ${JSON.stringify(ids(findings))}`);
  return hit;
}

function absent(findings: AuditFinding[], checkId: string): void {
  assert.ok(!findings.some((f) => f.checkId === checkId), `unexpected ${checkId} in ${JSON.stringify(ids(findings))}`);
}

describe("runAuditRules: file permissions", () => {
  test("a clean 0700 state dir with a 0600 config has no permission findings", (t) => {
    const s = seed(t);
    const findings = audit(s);
    assert.deepEqual(
      findings.filter((f) => f.checkId.startsWith("fs.")),
      [],
    );
  });

  test("config 0644 is world-readable: critical, with a chmod 0600 fix", (t) => {
    const s = seed(t, { configMode: 0o644 });
    assert.equal(modeOf(s.configPath), 0o644);
    const f = find(audit(s), "fs.config.perms_world_readable");
    assert.equal(f.severity, "critical");
    assert.deepEqual(f.fix, [{ kind: "chmod", path: s.configPath, mode: 0o600 }]);
    assert.match(f.remediation ?? "", /chmod 0600 /);
    assert.ok(f.title.includes("0644"), f.title);
    assert.equal(modeOf(s.configPath), 0o644, "auditing changes nothing");
  });

  test("config 0640 is group-readable: warn", (t) => {
    const s = seed(t, { configMode: 0o640 });
    const findings = audit(s);
    const f = find(findings, "fs.config.perms_group_readable");
    assert.equal(f.severity, "warn");
    assert.deepEqual(f.fix, [{ kind: "chmod", path: s.configPath, mode: 0o600 }]);
    absent(findings, "fs.config.perms_world_readable");
  });

  test("config 0666 is writable by others: critical (and not also reported as readable)", (t) => {
    const s = seed(t, { configMode: 0o666 });
    const findings = audit(s);
    const f = find(findings, "fs.config.perms_writable");
    assert.equal(f.severity, "critical");
    assert.deepEqual(f.fix, [{ kind: "chmod", path: s.configPath, mode: 0o600 }]);
    absent(findings, "fs.config.perms_world_readable");
  });

  test("state dir 0755 is readable by others: warn, with a chmod 0700 fix", (t) => {
    const s = seed(t, { stateMode: 0o755 });
    const f = find(audit(s), "fs.state_dir.perms_readable");
    assert.equal(f.severity, "warn");
    assert.deepEqual(f.fix, [{ kind: "chmod", path: s.stateDir, mode: 0o700 }]);
  });

  test("state dir 0777 is world-writable: critical", (t) => {
    const s = seed(t, { stateMode: 0o777 });
    const findings = audit(s);
    const f = find(findings, "fs.state_dir.perms_world_writable");
    assert.equal(f.severity, "critical");
    assert.deepEqual(f.fix, [{ kind: "chmod", path: s.stateDir, mode: 0o700 }]);
    absent(findings, "fs.state_dir.perms_readable");
  });

  test("auth-profiles.json 0644 under agents/main/agent is readable by others", (t) => {
    const s = seed(t);
    const agentDir = path.join(s.stateDir, "agents", "main", "agent");
    fs.mkdirSync(agentDir, { recursive: true });
    const file = path.join(agentDir, "auth-profiles.json");
    fs.writeFileSync(file, JSON.stringify({ profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: "sk-ant-test-0000000000" } } }));
    fs.chmodSync(file, 0o644);
    const f = find(audit(s), "fs.auth_profiles.perms_readable");
    assert.equal(f.severity, "warn");
    assert.deepEqual(f.fix, [{ kind: "chmod", path: file, mode: 0o600 }]);
  });

  test("credentials dir 0755 is readable by others", (t) => {
    const s = seed(t);
    const dir = path.join(s.stateDir, "credentials");
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o755);
    const f = find(audit(s), "fs.credentials_dir.perms_readable");
    assert.equal(f.severity, "warn");
    assert.deepEqual(f.fix, [{ kind: "chmod", path: dir, mode: 0o700 }]);
  });
});

describe("runAuditRules: gateway exposure", () => {
  const longToken = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6";

  test('auth mode "none" on loopback is flagged; no auth block (a token is generated at start) is not', (t) => {
    const off = seed(t, { config: { gateway: { mode: "local", auth: { mode: "none" } } } });
    assert.equal(find(audit(off), "gateway.auth_none").severity, "warn");
    const unset = seed(t, { config: { gateway: { mode: "local" } } });
    absent(audit(unset), "gateway.auth_none");
  });

  test('bind "lan" with auth mode "none" is critical', (t) => {
    const s = seed(t, { config: { gateway: { mode: "local", bind: "lan", auth: { mode: "none" } } } });
    const f = find(audit(s), "gateway.bind_no_auth");
    assert.equal(f.severity, "critical");
    assert.equal(f.fix, undefined, "bind/auth are never fixed automatically");
  });

  test('bind "lan" with a token of 24+ characters is fine', (t) => {
    assert.ok(longToken.length >= 24);
    for (const auth of [{ token: longToken }, { mode: "token", token: longToken }]) {
      const s = seed(t, { config: { gateway: { mode: "local", bind: "lan", auth } } });
      const findings = audit(s);
      absent(findings, "gateway.bind_no_auth");
      absent(findings, "gateway.token_too_short");
    }
  });

  test("a 10-character token is too short", (t) => {
    const s = seed(t, { config: { gateway: { mode: "local", auth: { mode: "token", token: "0123456789" } } } });
    const f = find(audit(s), "gateway.token_too_short");
    assert.equal(f.severity, "warn");
    assert.ok(f.title.includes("10"), f.title);
  });

  test("controlUi.allowInsecureAuth is reported (critical off loopback) with its fix; dangerouslyDisableDeviceAuth as inert", (t) => {
    const s = seed(t, { config: { gateway: { mode: "local", controlUi: { allowInsecureAuth: true, dangerouslyDisableDeviceAuth: true } } } });
    const f = find(audit(s), "gateway.control_ui.insecure_auth");
    assert.equal(f.severity, "warn");
    assert.match(f.remediation ?? "", /openclaw config unset gateway\.controlUi\.allowInsecureAuth/);
    assert.match(f.detail ?? "", /retired/);
    const inert = find(audit(s), "gateway.control_ui.device_auth_disabled");
    assert.match(inert.remediation ?? "", /openclaw config unset gateway\.controlUi\.dangerouslyDisableDeviceAuth/);
    const lan = seed(t, { config: { gateway: { mode: "local", bind: "lan", controlUi: { allowInsecureAuth: true } } } });
    assert.equal(find(audit(lan), "gateway.control_ui.insecure_auth").severity, "critical");
  });

  test("trusted-proxy auth without trustedProxies raises both trusted-proxy findings", (t) => {
    const s = seed(t, { config: { gateway: { mode: "local", bind: "lan", auth: { mode: "trusted-proxy" } } } });
    const findings = audit(s);
    assert.equal(find(findings, "gateway.trusted_proxy_auth").severity, "critical");
    assert.equal(find(findings, "gateway.trusted_proxy_no_proxies").severity, "critical");
  });

  test("trusted-proxy auth with trustedProxies only raises the general one", (t) => {
    const s = seed(t, { config: { gateway: { mode: "local", auth: { mode: "trusted-proxy" }, trustedProxies: ["127.0.0.1"] } } });
    const findings = audit(s);
    find(findings, "gateway.trusted_proxy_auth");
    absent(findings, "gateway.trusted_proxy_no_proxies");
  });

  test("legacy gateway.token is deprecated", (t) => {
    const s = seed(t, { config: { gateway: { mode: "local", token: longToken } } });
    assert.equal(find(audit(s), "config.deprecated_gateway_token").severity, "warn");
  });
});

describe("runAuditRules: channels, tools, logging, secrets", () => {
  test('dmPolicy "open" without a sandbox: dm_policy_open and sandbox.missing_for_untrusted', (t) => {
    const s = seed(t, { config: { gateway: { mode: "local" }, channels: { telegram: { dmPolicy: "open" } } } });
    const findings = audit(s);
    const dm = find(findings, "channels.dm_policy_open");
    assert.equal(dm.severity, "warn");
    assert.ok(dm.title.includes("channels.telegram.dmPolicy"), dm.title);
    find(findings, "sandbox.missing_for_untrusted");
    absent(findings, "security.exposure.open_groups_with_elevated");
  });

  test('dmPolicy "open" with sandbox mode "non-main": no sandbox finding', (t) => {
    const s = seed(t, { config: { gateway: { mode: "local" }, channels: { telegram: { dmPolicy: "open" } }, agents: { defaults: { sandbox: { mode: "non-main" } } } } });
    const findings = audit(s);
    find(findings, "channels.dm_policy_open");
    absent(findings, "sandbox.missing_for_untrusted");
  });

  test("elevated tools with an open channel are critical", (t) => {
    const s = seed(t, { config: { gateway: { mode: "local" }, channels: { telegram: { dmPolicy: "open" } }, tools: { elevated: { enabled: true } } } });
    const findings = audit(s);
    assert.equal(find(findings, "security.exposure.open_groups_with_elevated").severity, "critical");
    assert.equal(find(findings, "channels.dm_policy_open").severity, "critical", "an open DM with elevated tools is critical");
  });

  test("elevated tools with closed channels are not an exposure", (t) => {
    const s = seed(t, { config: { gateway: { mode: "local" }, channels: { telegram: { dmPolicy: "pairing" } }, tools: { elevated: { enabled: true } } } });
    absent(audit(s), "security.exposure.open_groups_with_elevated");
  });

  test('groupPolicy "open" carries a config-set fix to allowlist', (t) => {
    const s = seed(t, { config: { gateway: { mode: "local" }, channels: { telegram: { groupPolicy: "open" } } } });
    const f = find(audit(s), "channels.group_policy_open");
    assert.deepEqual(f.fix, [{ kind: "config-set", path: ["channels", "telegram", "groupPolicy"], value: "allowlist" }]);
  });

  test('logging.redactSensitive "off" has a config-set fix', (t) => {
    const s = seed(t, { config: { gateway: { mode: "local" }, logging: { redactSensitive: "off" } } });
    const f = find(audit(s), "logging.redact_off");
    assert.equal(f.severity, "warn");
    assert.deepEqual(f.fix, [{ kind: "config-set", path: ["logging", "redactSensitive"], value: "tools" }]);
  });

  test("a plaintext telegram botToken is reported, an env reference is not", (t) => {
    const plain = seed(t, { config: { gateway: { mode: "local" }, channels: { telegram: { botToken: "123456789:AAAbbbCCCdddEEEfffGGGhhhIIIjjj" } } } });
    const f = find(audit(plain), "config.secrets.plaintext");
    assert.ok(f.detail.includes("channels.telegram.botToken"), f.detail);
    assert.ok(!f.detail.includes("AAAbbb"), "the secret value itself is not in the finding");

    const ref = seed(t, {
      config: '{\n  gateway: { mode: "local" },\n  channels: { telegram: { botToken: "${TELEGRAM_BOT_TOKEN}" } },\n}\n',
      env: { TELEGRAM_BOT_TOKEN: "123456789:AAAbbbCCCdddEEEfffGGGhhhIIIjjj" },
    });
    absent(audit(ref), "config.secrets.plaintext");
  });
});

describe("runAuditRules: deep probe", () => {
  const token = "f0e1d2c3b4a5968778695a4b3c2d1e0f";

  test("a gateway that lets an unauthenticated client in, listening on 0.0.0.0", (t) => {
    const s = seed(t, { config: { gateway: { mode: "local", auth: { mode: "token", token } } } });
    const deep: DeepProbe = { attempted: true, ok: true, url: "ws://127.0.0.1:18789", openWithoutAuth: true, listening: ["0.0.0.0"] };
    const findings = audit(s, deep);
    assert.equal(find(findings, "gateway.probe_no_auth_required").severity, "critical");
    const listen = find(findings, "gateway.listening_beyond_loopback");
    assert.ok(listen.title.includes("0.0.0.0"), listen.title);
    assert.equal(listen.severity, "warn", "auth is configured, so exposure is a warning");
    absent(findings, "gateway.probe_failed");
  });

  test("a healthy loopback-only probe adds nothing; a failed one is reported", (t) => {
    const s = seed(t, { config: { gateway: { mode: "local", auth: { mode: "token", token } } } });
    const healthy = audit(s, { attempted: true, ok: true, url: "ws://127.0.0.1:18789", openWithoutAuth: false, listening: ["127.0.0.1", "::1"] });
    assert.deepEqual(
      ids(healthy).filter((id) => id.startsWith("gateway.probe") || id === "gateway.listening_beyond_loopback"),
      [],
    );
    const failed = audit(s, { attempted: true, ok: false, url: "ws://127.0.0.1:18789", error: "ECONNREFUSED" });
    assert.equal(find(failed, "gateway.probe_failed").detail, "ECONNREFUSED");
  });
});

describe("summarizeAudit", () => {
  test("counts per severity; the JSON shape has no fix key", (t) => {
    const s = seed(t, {
      configMode: 0o644,
      stateMode: 0o755,
      config: { gateway: { mode: "local", bind: "lan", auth: { mode: "none" } }, logging: { redactSensitive: "off" } },
    });
    const findings = audit(s);
    const now = Date.UTC(2026, 0, 2, 3, 4, 5);
    const report = summarizeAudit(findings, now);
    assert.equal(report.ts, "2026-01-02T03:04:05.000Z");
    const expected = { critical: 0, warn: 0, info: 0 };
    for (const f of findings) expected[f.severity]++;
    assert.deepEqual(report.summary, expected);
    assert.ok(report.summary.critical >= 2, JSON.stringify(report.summary)); // config world-readable + bind_no_auth
    assert.ok(report.summary.warn >= 2, JSON.stringify(report.summary)); // state dir readable + redact off
    assert.equal(report.findings.length, findings.length);
    assert.equal(report.deep, undefined);

    const json = JSON.parse(JSON.stringify(report)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json).sort(), ["findings", "summary", "ts"]);
    for (const f of json.findings as Array<Record<string, unknown>>) {
      assert.ok(!("fix" in f), `fix leaked into ${String(f.checkId)}`);
      for (const key of ["checkId", "severity", "title", "detail"]) assert.equal(typeof f[key], "string", `${String(f.checkId)}.${key}`);
      assert.ok(Object.keys(f).every((k) => ["checkId", "severity", "title", "detail", "remediation"].includes(k)), JSON.stringify(Object.keys(f)));
    }
    const world = (json.findings as Array<Record<string, unknown>>).find((f) => f.checkId === "fs.config.perms_world_readable");
    assert.ok(world);
    assert.equal(typeof world.remediation, "string");
    assert.ok(findings.some((f) => f.fix), "the unsummarised findings still carry their fixes");
  });

  test("a deep probe is included under deep.gateway", () => {
    const deep: DeepProbe = { attempted: true, ok: false, url: "ws://127.0.0.1:1", error: "refused" };
    const report = summarizeAudit([], 0, deep);
    assert.deepEqual(report.summary, { critical: 0, warn: 0, info: 0 });
    assert.deepEqual(report.deep, { gateway: deep });
  });
});

describe("runAuditRules: Missing sandbox configuration", () => {
  test("an agent's own sandbox.mode counts: open channels with every agent sandboxed raise no finding; one unsandboxed agent is named", (t) => {
    const base = { gateway: { mode: "local" }, channels: { telegram: { dmPolicy: "open" } } };
    const all = seed(t, { config: { ...base, agents: { list: [{ id: "main", sandbox: { mode: "all" } }, { id: "work", sandbox: { mode: "non-main" } }] } } });
    absent(audit(all), "sandbox.missing_for_untrusted");
    const one = seed(t, { config: { ...base, agents: { list: [{ id: "main", sandbox: { mode: "all" } }, { id: "work" }] } } });
    const f = find(audit(one), "sandbox.missing_for_untrusted");
    assert.match(f.title, /^Missing sandbox configuration/);
    assert.match(f.detail, /work/);
    assert.doesNotMatch(f.detail, /main/);
  });

  test("docker settings while the sandbox is off: sandbox.docker_config_mode_off names the path", (t) => {
    const s = seed(t, { config: { gateway: { mode: "local" }, agents: { defaults: { sandbox: { docker: { image: "x:1" } } } } } });
    assert.match(find(audit(s), "sandbox.docker_config_mode_off").detail, /agents\.defaults\.sandbox\.docker/);
    const on = seed(t, { config: { gateway: { mode: "local" }, agents: { defaults: { sandbox: { mode: "all", docker: { image: "x:1" } } } } } });
    absent(audit(on), "sandbox.docker_config_mode_off");
  });
});
