/**
 * Webhooks (`hooks.*`) through a real gateway on 127.0.0.1:0 with the loopback model server and real
 * HTTP requests: `/hooks/agent` starts a turn (runId at once, the model sees the message, the
 * transcript has it, the reply reaches a loopback Telegram chat), the gateway token and no token are
 * 401, a `?token=` query 400, an oversized body 413; a mapping fills its template from the body;
 * `/hooks/wake` lands in system-presence; a hook token equal to the gateway token is refused at
 * start and on reload; refusals are counted in status and `/metrics` and logged without secrets.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { loadConfigRuntime } from "../../src/config/index.js";
import { pollUntil, resolvePaths } from "../../src/infra/index.js";
import { startFakeLlm } from "../helpers/fake-llm.js";
import { startFakeTelegram } from "../helpers/fake-telegram.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

const HOOK_TOKEN = "hk-0123456789abcdef0123456789abcdef";
const TG_TOKEN = "123456:hooks-fake-telegram-token";
const MODEL = { agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" } } } };

function post(gw: TestGateway, sub: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${gw.rt.port}/hooks${sub}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The text of every message in a session's transcript (chat.history). */
async function transcript(gw: TestGateway, sessionKey: string): Promise<string> {
  const c = await gw.connect();
  try {
    const h = (await c.call("chat.history", { sessionKey })) as { messages: unknown[] };
    return JSON.stringify(h.messages);
  } catch {
    return "";
  } finally {
    c.close();
  }
}

async function startLlm(t: { after(fn: () => unknown): void }) {
  const llm = await startFakeLlm(() => ({ text: "hook handled" }));
  t.after(() => llm.close());
  return llm;
}

describe("hooks ingress", () => {
  test("POST /hooks/agent with the hooks token starts a turn: runId at once, the model gets the message, the transcript has it, the reply reaches Telegram", async (t) => {
    const llm = await startLlm(t);
    const bot = await startFakeTelegram({ tokens: [TG_TOKEN], botUsername: "hook_bot" });
    t.after(() => bot.close());
    const gw = await startTestGateway(t, {
      channels: true,
      config: {
        ...MODEL,
        models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: "sk-ant-api03-hooksKEY0000000000000000000000" } } },
        channels: { telegram: { botToken: TG_TOKEN, apiRoot: bot.apiRoot, dmPolicy: "allowlist", allowFrom: ["3003"] } },
        hooks: { enabled: true, token: HOOK_TOKEN, defaultSessionKey: "hook:ingress" },
      },
    });
    const res = await post(gw, "/agent", { message: "deploy-finished-42 on prod", name: "CI", channel: "telegram", to: "3003" }, bearer(HOOK_TOKEN));
    assert.equal(res.status, 200);
    const body = (await res.json()) as { ok: boolean; runId: string };
    assert.equal(body.ok, true);
    assert.match(body.runId, /\S{8,}/);
    assert.ok(await pollUntil(() => llm.requests.some((r) => JSON.stringify(r.body.messages).includes("deploy-finished-42")), 10_000, 20), "the model received the hook message");
    assert.ok(await pollUntil(async () => (await transcript(gw, "agent:main:hook:ingress")).includes("deploy-finished-42"), 10_000, 50), "the transcript has the message");
    assert.ok(await pollUntil(() => bot.sent().some((s) => s.chatId === "3003" && s.text === "hook handled"), 10_000, 20), "the reply was delivered to the Telegram chat");
    // The x-openclaw-token header works as well.
    const viaHeader = await post(gw, "/agent", { message: "second" }, { "x-openclaw-token": HOOK_TOKEN });
    assert.equal(viaHeader.status, 200);
    const status = (await (await gw.connect()).call("status", {})) as { hooks: { enabled: boolean; accepted: { agent: number } } };
    assert.equal(status.hooks.enabled, true);
    assert.equal(status.hooks.accepted.agent, 2);
  });

  test("the gateway token or none is 401, a ?token= query 400, an oversized body 413, a non-JSON type 415; each refusal is counted and logged without secrets", async (t) => {
    const gw = await startTestGateway(t, { config: { hooks: { enabled: true, token: HOOK_TOKEN, maxBodyBytes: 2048 } } });
    const expectStatus = async (res: Promise<Response>, status: number, what: string) => {
      const r = await res;
      await r.body?.cancel();
      assert.equal(r.status, status, what);
      return r;
    };
    await expectStatus(post(gw, "/agent", { message: "x" }, bearer(gw.token)), 401, "the gateway token is not a hook token");
    await expectStatus(post(gw, "/agent", { message: "x" }), 401, "no token");
    await expectStatus(post(gw, "/agent", { message: "x" }, { "x-openclaw-token": "wrong" }), 401, "a wrong token");
    const query = await fetch(`http://127.0.0.1:${gw.rt.port}/hooks/agent?token=${HOOK_TOKEN}`, { method: "POST", headers: { "content-type": "application/json", ...bearer(HOOK_TOKEN) }, body: "{}" });
    assert.equal(query.status, 400, "a query token is refused even with a valid header");
    assert.match(await query.text(), /query parameters are not allowed/);
    await expectStatus(post(gw, "/agent", { message: "x".repeat(4096) }, bearer(HOOK_TOKEN)), 413, "over hooks.maxBodyBytes");
    await expectStatus(post(gw, "/agent", "message=x", { ...bearer(HOOK_TOKEN), "content-type": "application/x-www-form-urlencoded" }), 415, "not JSON");
    await expectStatus(post(gw, "/agent", "{nope", bearer(HOOK_TOKEN)), 400, "invalid JSON");
    await expectStatus(post(gw, "/agent", {}, bearer(HOOK_TOKEN)), 400, "message required");
    await expectStatus(fetch(`http://127.0.0.1:${gw.rt.port}/hooks/agent`, { headers: bearer(HOOK_TOKEN) }), 405, "GET");

    const metrics = await (await fetch(`http://127.0.0.1:${gw.rt.port}/metrics`, { headers: bearer(gw.token) })).text();
    const value = (name: string) => Number(metrics.split("\n").find((l) => l.startsWith(`${name} `))?.split(" ")[1] ?? Number.NaN);
    assert.equal(value('openclaw_hooks_refused_total{reason="unauthorized"}'), 3);
    assert.equal(value('openclaw_hooks_refused_total{reason="query-token"}'), 1);
    assert.equal(value('openclaw_hooks_refused_total{reason="too-large"}'), 1);
    assert.equal(value('openclaw_hooks_refused_total{reason="unsupported-media-type"}'), 1);
    assert.equal(value('openclaw_hooks_refused_total{reason="invalid-json"}'), 1);
    assert.equal(value('openclaw_hooks_refused_total{reason="invalid-payload"}'), 1);
    assert.equal(value('openclaw_hooks_requests_total{action="agent"}'), 0);

    const logFile = path.join(gw.home, "logs", "openclaw.log");
    assert.ok(await pollUntil(() => /hook request refused: too-large/.test(readFileSync(logFile, "utf8")), 5000, 20), "refusals are logged");
    const log = readFileSync(logFile, "utf8");
    assert.match(log, /hook request refused: unauthorized/);
    assert.ok(!log.includes(HOOK_TOKEN) && !log.includes(gw.token), "no token in the log");
    assert.ok(!log.includes("xxxxxxxx"), "no body in the log");
  });

  test("failed hook auth from one address is throttled with 429 after 20 tries", async (t) => {
    const gw = await startTestGateway(t, { config: { hooks: { enabled: true, token: HOOK_TOKEN } } });
    for (let i = 0; i < 20; i++) {
      const r = await post(gw, "/wake", { text: "x" }, bearer(`guess-${i}`));
      await r.body?.cancel();
      assert.equal(r.status, 401);
    }
    const locked = await post(gw, "/wake", { text: "x" }, bearer("guess-final"));
    await locked.body?.cancel();
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers.get("retry-after")) >= 1);
  });

  test("a mapping fills its message template from the JSON body; /hooks/wake and a wake mapping show in system-presence; unknown paths are 404", async (t) => {
    const llm = await startLlm(t);
    const gw = await startTestGateway(t, {
      config: {
        ...MODEL,
        models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: "sk-ant-api03-hooksKEY0000000000000000000000" } } },
        hooks: {
          enabled: true,
          token: HOOK_TOKEN,
          mappings: [
            { match: { path: "github" }, action: "agent", name: "GitHub", sessionKey: "hook:github", messageTemplate: "GitHub {{action}} on {{repository.full_name}} by {{sender.login}} ({{commits[0].id}})" },
            { match: { path: "alerts", source: "grafana" }, action: "wake", textTemplate: "Alert {{title}} is {{state}}" },
          ],
        },
      },
    });
    const res = await post(gw, "/github", { action: "opened", repository: { full_name: "acme/rocket" }, sender: { login: "octo" }, commits: [{ id: "c0ffee" }] }, bearer(HOOK_TOKEN));
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { ok: boolean }).ok, true);
    const expected = "GitHub opened on acme/rocket by octo (c0ffee)";
    assert.ok(await pollUntil(() => llm.requests.some((r) => JSON.stringify(r.body.messages).includes(expected)), 10_000, 20), "the model got the rendered template");
    assert.ok(await pollUntil(async () => (await transcript(gw, "agent:main:hook:github")).includes(expected), 10_000, 50), "the mapping's session has it");

    const wake = await post(gw, "/wake", { text: "nightly backup finished" }, bearer(HOOK_TOKEN));
    assert.equal(wake.status, 200);
    assert.deepEqual(await wake.json(), { ok: true, mode: "now", eventOutcome: "queued" });
    const again = await post(gw, "/wake", { text: "nightly backup finished" }, bearer(HOOK_TOKEN));
    assert.deepEqual(await again.json(), { ok: true, mode: "now", eventOutcome: "coalesced" });
    const alert = await post(gw, "/alerts", { source: "grafana", title: "disk", state: "firing" }, bearer(HOOK_TOKEN));
    assert.equal(alert.status, 200);
    const wrongSource = await post(gw, "/alerts", { source: "other", title: "disk" }, bearer(HOOK_TOKEN));
    assert.equal(wrongSource.status, 404, "match.source must match");
    await wrongSource.body?.cancel();
    const nope = await post(gw, "/nope", {}, bearer(HOOK_TOKEN));
    assert.equal(nope.status, 404);
    await nope.body?.cancel();

    const c = await gw.connect();
    t.after(() => c.close());
    const presence = (await c.call("system-presence", {})) as Array<{ text?: string; source?: string; reason?: string }>;
    const events = presence.filter((p) => p.reason === "system-event");
    assert.deepEqual(
      events.map((e) => [e.source, e.text]),
      [
        ["hook:wake", "nightly backup finished"],
        ["hook:alerts", "Alert disk is firing"],
      ],
    );
  });
});

describe("hooks.token must not be the gateway token", () => {
  test("the gateway refuses to start with it, naming hooks.token", async (t) => {
    const same = "same-secret-0123456789abcdef0123456789";
    await assert.rejects(
      startTestGateway(t, { config: { gateway: { auth: { token: same } }, hooks: { enabled: true, token: same } } }),
      (e: Error) => {
        assert.match(e.message, /hooks\.token must differ from gateway\.auth\.token/);
        assert.ok(!e.message.includes(same), "the secret is not in the error");
        return true;
      },
    );
  });

  test("a reload that makes them equal is refused: the old hook token keeps working and health names hooks.token", async (t) => {
    const gw = await startTestGateway(t, { config: { hooks: { enabled: true, token: HOOK_TOKEN } } });
    const c = await gw.connect();
    t.after(() => c.close());
    const config = JSON.parse(readFileSync(gw.configPath, "utf8")) as { hooks: { token: string } };
    config.hooks.token = gw.token;
    writeFileSync(gw.configPath, JSON.stringify(config, null, 2));
    let lastError = "";
    assert.ok(
      await pollUntil(async () => {
        lastError = ((await c.call("health", {})) as { configReload: { lastError: string | null } }).configReload.lastError ?? "";
        return lastError !== "";
      }, 5000, 20),
    );
    assert.match(lastError, /hooks\.token must differ from gateway\.auth\.token/);
    const stillOld = await post(gw, "/wake", { text: "after refused reload" }, bearer(HOOK_TOKEN));
    assert.equal(stillOld.status, 200);
    const gatewayToken = await post(gw, "/wake", { text: "x" }, bearer(gw.token));
    assert.equal(gatewayToken.status, 401);
  });

  test("a hot reload changes the path and the token in place, and disabling hooks removes the route", async (t) => {
    const gw = await startTestGateway(t, { config: { hooks: { enabled: true, token: HOOK_TOKEN } } });
    const config = JSON.parse(readFileSync(gw.configPath, "utf8")) as { hooks: Record<string, unknown> };
    const next = `${HOOK_TOKEN}-rotated`;
    writeFileSync(gw.configPath, JSON.stringify({ ...config, hooks: { enabled: true, token: next, path: "/ingress" } }, null, 2));
    const url = (p: string) => `http://127.0.0.1:${gw.rt.port}${p}`;
    const wake = (p: string, token: string) => fetch(url(p), { method: "POST", headers: { "content-type": "application/json", ...bearer(token) }, body: JSON.stringify({ text: "rotated" }) });
    assert.ok(await pollUntil(async () => (await wake("/ingress/wake", next)).status === 200, 5000, 20), "the new path and token answer");
    assert.equal((await wake("/ingress/wake", HOOK_TOKEN)).status, 401, "the old token no longer works");
    assert.notEqual((await wake("/hooks/wake", next)).status, 200, "the old path is gone");
    assert.equal(gw.rt.metrics.restarts, 0, "no restart");
    writeFileSync(gw.configPath, JSON.stringify({ ...config, hooks: { enabled: false, token: next, path: "/ingress" } }, null, 2));
    assert.ok(await pollUntil(async () => (await wake("/ingress/wake", next)).status === 401, 5000, 20), "disabled: the path falls through to the gateway's own auth");
  });
});

test("a config with the same hooks and gateway token fails config validation at hooks.token", async (t) => {
  const { loadConfigSnapshot } = await loadConfigRuntime();
  const dir = mkdtempSync(path.join(os.tmpdir(), "openclaw-hooks-validate-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const configPath = path.join(dir, "openclaw.json");
  writeFileSync(configPath, JSON.stringify({ gateway: { mode: "local", auth: { token: "shared-secret-value-0123456789" } }, hooks: { enabled: true, token: "shared-secret-value-0123456789" } }));
  const env = { HOME: dir, OPENCLAW_STATE_DIR: dir, OPENCLAW_CONFIG_PATH: configPath };
  const snap = loadConfigSnapshot({ configPath: resolvePaths(env).configPath, env });
  assert.equal(snap.valid, false);
  assert.deepEqual(
    snap.issues.map((i) => i.path),
    ["hooks.token"],
  );
});

test("an OpenClaw-written hooks section (internal hooks, gmail, presets, transforms, unknown keys) still loads", async (t) => {
  const { loadConfigSnapshot } = await loadConfigRuntime();
  const dir = mkdtempSync(path.join(os.tmpdir(), "openclaw-hooks-compat-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const configPath = path.join(dir, "openclaw.json");
  const hooks = {
    enabled: true,
    token: "hk-compat-0123456789abcdef0123456789",
    path: "hooks",
    presets: ["gmail"],
    transformsDir: "~/.openclaw/hooks/transforms",
    allowedSessionKeyPrefixes: ["hook:"],
    gmail: { account: "reader@example.com", topic: "projects/p/topics/t", pushToken: "push-0123456789", serve: { bind: "127.0.0.1", port: 8788 } },
    internal: { enabled: true, entries: { "session-memory": { enabled: true } } },
    mappings: [{ id: "gh", match: { path: "github" }, action: "agent", forEach: "commits", transform: { module: "gh.js", export: "transform" }, sessionMode: "persistent", futureKey: 1 }],
    futureTopLevelKey: { any: "thing" },
  };
  writeFileSync(configPath, JSON.stringify({ gateway: { mode: "local", auth: { token: "gw-compat-0123456789abcdef0123456789" } }, hooks }));
  const snap = loadConfigSnapshot({ configPath, env: { HOME: dir, OPENCLAW_STATE_DIR: dir } });
  assert.deepEqual(snap.issues, []);
  assert.equal(snap.valid, true);
  assert.deepEqual((snap.config!.hooks as Record<string, unknown>).futureTopLevelKey, { any: "thing" }, "unknown keys are kept");
});
