import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, type TestContext, test } from "node:test";
import { type Env, fingerprintSecret, resolvePaths } from "../infra/index.js";
import { formatRecord, type LogEntry } from "../logging/index.js";
import { collectStatusReport, redactStatus } from "./status.js";

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 3, 10, 12, 0, 0);

const GW_TOKEN = "gwtok-7c1e4b9a2d6f8e3a5b0c9d7e";
const ENV_TOKEN = "envtok-3f9a8b7c6d5e4f3a2b1c0d9e";
const TG_TOKEN = "7012345678:AAHk3xQz9VbN2mLp8RtY4uWc6sDf1gHj0Ke";
const OAUTH_ACCESS = "oat01-QWNjZXNzVG9rZW5WYWx1ZTEyMzQ1Njc4OQ";
const OAUTH_REFRESH = "ort01-UmVmcmVzaFRva2VuVmFsdWU5ODc2NTQzMjE";
const API_KEY = "akey-9f8e7d6c5b4a39281706f5e4d3c2b1a0";
const PHONE = "+46701234567";

function tempHome(t: TestContext): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-status-"));
  t.after(() => fs.rmSync(home, { recursive: true, force: true }));
  return home;
}

function writeFile(file: string, content: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

const logLine = (entry: Omit<LogEntry, "subsystem"> & { subsystem?: string }) => formatRecord({ subsystem: "gateway", ...entry });

/** A state dir with two agents (one without auth), three sessions, two channels, auth profiles and a log. */
function seed(t: TestContext, configText?: string) {
  const home = tempHome(t);
  const stateDir = path.join(home, ".openclaw");
  fs.mkdirSync(stateDir, { mode: 0o700 });
  const configPath = path.join(stateDir, "openclaw.json");
  const config =
    configText ??
    `// status test
{
  gateway: { mode: "local", auth: { mode: "token", token: "${GW_TOKEN}" } },
  agents: { list: [{ id: "main" }, { id: "helper" }] },
  channels: {
    telegram: { botToken: "${TG_TOKEN}", dmPolicy: "pairing", groupPolicy: "allowlist" },
    whatsapp: { dmPolicy: "allowlist", allowFrom: ["${PHONE}"] },
  },
}
`;
  writeFile(configPath, config);
  fs.chmodSync(configPath, 0o600);
  const sessions = path.join(stateDir, "agents", "main", "sessions", "sessions.json");
  writeFile(
    sessions,
    JSON.stringify({
      "agent:main:main": { sessionId: "s1", updatedAt: NOW - 60_000 },
      "agent:main:telegram:dm:42": { sessionId: "s2", updatedAt: NOW - DAY },
      "agent:main:whatsapp:dm:46701234567": { sessionId: "s3", updatedAt: NOW - 2 * DAY },
    }),
  );
  writeFile(
    path.join(stateDir, "agents", "main", "agent", "auth-profiles.json"),
    JSON.stringify({
      version: 1,
      profiles: {
        "anthropic:default": { type: "oauth", provider: "anthropic", access: OAUTH_ACCESS, refresh: OAUTH_REFRESH, expires: NOW + 30 * DAY },
        "openai-codex:default": { type: "oauth", provider: "openai-codex", access: `${OAUTH_ACCESS}x`, refresh: `${OAUTH_REFRESH}x`, expires: NOW + 3 * DAY },
        "google:old": { type: "oauth", provider: "google", access: `${OAUTH_ACCESS}y`, refresh: `${OAUTH_REFRESH}y`, expires: NOW - DAY },
        "openai:default": { type: "api_key", provider: "openai", key: API_KEY },
      },
    }),
  );
  const logFile = path.join(home, "logs", "openclaw-2026-04-10.log");
  const t0 = new Date(NOW - 10 * 60_000).toISOString();
  const t1 = new Date(NOW - 5 * 60_000).toISOString();
  const t2 = new Date(NOW - 60_000).toISOString();
  writeFile(
    logFile,
    `${[
      logLine({ time: t0, level: "info", message: `gateway listening; token ${GW_TOKEN}, client token ${ENV_TOKEN}` }),
      logLine({ time: t1, level: "error", subsystem: "telegram", message: `getMe failed for https://api.telegram.org/bot${TG_TOKEN}/getMe; message from ${PHONE} dropped` }),
      logLine({ time: t2, level: "fatal", subsystem: "agent", message: `provider rejected ${API_KEY}; oauth refresh with ${OAUTH_REFRESH} failed (access ${OAUTH_ACCESS})` }),
      logLine({ time: t2, level: "warn", message: "slow turn" }),
    ].join("\n")}\n`,
  );
  const env: Env = { HOME: home, PATH: path.join(home, "no-bin"), OPENCLAW_GATEWAY_TOKEN: ENV_TOKEN };
  const paths = resolvePaths(env);
  assert.equal(paths.configPath, configPath);
  return { home, stateDir, configPath, logFile, env, paths, times: { t0, t1, t2 } };
}

function collect(s: ReturnType<typeof seed>, all = false) {
  return collectStatusReport({ env: s.env, paths: s.paths, version: "2026.11.0", target: { error: "x" }, logFile: s.logFile, probeTimeoutMs: 200, all, deep: false, now: NOW });
}

describe("collectStatusReport", () => {
  test("agents, sessions, channels, auth, errors and the next step, without a gateway", async (t) => {
    const s = seed(t);
    const { report } = await collect(s);
    assert.equal(report.version, "2026.11.0");
    assert.equal(report.stateDir, s.stateDir);
    assert.equal(report.configPath, s.configPath);
    assert.deepEqual(report.config, { exists: true, readable: true, problems: [] });
    assert.equal(report.gateway.reachable, false);
    assert.equal(report.gateway.error, "x");
    assert.equal(report.gateway.url, "");
    assert.equal(report.gateway.mode, "local");
    assert.equal(report.service, null);

    assert.deepEqual(report.agents, [
      { id: "main", sessions: 3, lastActivityAt: NOW - 60_000 },
      { id: "helper", sessions: 0, lastActivityAt: null },
    ]);
    assert.equal(report.sessionsTotal, 3);

    assert.deepEqual(report.channels, [
      { id: "telegram", path: "channels.telegram", dmPolicy: "pairing", groupPolicy: "allowlist" },
      { id: "whatsapp", path: "channels.whatsapp", dmPolicy: "allowlist", groupPolicy: null },
    ]);

    const status = Object.fromEntries(report.auth.map((a) => [a.profile, a.status]));
    assert.deepEqual(status, { "anthropic:default": "ok", "openai-codex:default": "expiring", "google:old": "expired", "openai:default": "ok" });
    assert.ok(report.auth.every((a) => a.agentId === "main"));
    assert.equal(report.auth.find((a) => a.profile === "google:old")?.expiresAt, new Date(NOW - DAY).toISOString());
    assert.equal(report.auth.find((a) => a.profile === "openai:default")?.expiresAt, undefined);
    assert.deepEqual(report.authMissing, ["helper"]);

    assert.equal(report.logs.file, s.logFile);
    assert.deepEqual(
      report.logs.lastErrors.map((e) => e.time),
      [s.times.t1, s.times.t2],
    );
    assert.match(report.logs.lastErrors[0]!.message, /^getMe failed/);
    assert.match(report.logs.lastErrors[1]!.message, /^provider rejected/);
    assert.equal(report.logTail, undefined, "the tail is only included with --all");

    assert.deepEqual(
      report.tokens.map((x) => x.source),
      ["config", "env"],
    );
    assert.equal(report.tokens[0]!.fingerprint, fingerprintSecret(GW_TOKEN));
    assert.equal(report.tokens[1]!.fingerprint, fingerprintSecret(ENV_TOKEN));

    // The config is fine, the gateway does not answer and no service is installed.
    assert.match(report.next, /^openclaw gateway install/);
  });

  test("next: a missing config, then an unset gateway.mode", async (t) => {
    const s = seed(t);
    fs.rmSync(s.configPath);
    const none = await collect({ ...s, paths: resolvePaths(s.env) });
    assert.equal(none.report.config.exists, false);
    assert.match(none.report.next, /^openclaw gateway --dev/);

    fs.writeFileSync(s.configPath, '{ gateway: { port: 18789 } }\n');
    const unset = await collect({ ...s, paths: resolvePaths(s.env) });
    assert.equal(unset.report.gateway.mode, "unset");
    assert.equal(unset.report.next, "openclaw config set gateway.mode local");

    fs.writeFileSync(s.configPath, "{ gateway: { mode: \n");
    const broken = await collect({ ...s, paths: resolvePaths(s.env) });
    assert.equal(broken.report.config.readable, false);
    assert.ok(broken.report.config.problems.length > 0);
    assert.equal(broken.report.next, "openclaw config validate");
  });

  test("--all report with redaction: no secret and no full phone number survives", async (t) => {
    const s = seed(t);
    const { report, secrets } = await collect(s, true);
    assert.ok(report.logTail);
    assert.equal(report.logTail.length, 4);
    const raw = JSON.stringify(report);
    const all = { GW_TOKEN, ENV_TOKEN, TG_TOKEN, OAUTH_ACCESS, OAUTH_REFRESH, API_KEY, PHONE };
    // The log reader already masks what it reads, so the planted values are proven in the report or its log file.
    const inputs = raw + fs.readFileSync(s.logFile, "utf8");
    for (const [name, value] of Object.entries(all)) assert.ok(inputs.includes(value), `the inputs carry ${name} (the test means something)`);
    for (const known of [GW_TOKEN, ENV_TOKEN, TG_TOKEN]) assert.ok(secrets.includes(known), known);

    const safe = JSON.stringify(redactStatus(report, secrets));
    const leaks = Object.entries(all)
      .filter(([, value]) => safe.includes(value))
      .map(([name]) => name);
    assert.ok(!leaks.includes("PHONE"), "the full phone number is gone");
    assert.ok(safe.includes("+46…67"), "the phone number is masked, not dropped");
    for (const name of ["GW_TOKEN", "ENV_TOKEN", "TG_TOKEN"]) assert.ok(!leaks.includes(name), `${name} leaked`);
    assert.deepEqual(leaks, [], `leaked: ${leaks.join(", ")}`);
  });

  test("redaction keeps the useful parts of the report", async (t) => {
    const s = seed(t);
    const { report, secrets } = await collect(s, true);
    const safe = redactStatus(report, secrets);
    assert.deepEqual(safe.agents, report.agents);
    assert.deepEqual(safe.auth, report.auth);
    assert.deepEqual(safe.tokens, report.tokens, "fingerprints are not secrets");
    assert.equal(safe.next, report.next);
  });
});
