/**
 * OAuth refresh against a loopback token endpoint, through the real failover path and a loopback
 * Anthropic Messages server: due profiles are renewed before the call and written back at 0600;
 * a failed refresh cools the profile down and names the setup-token fix; nothing leaks.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { startFakeLlm } from "../../../test/helpers/fake-llm.js";
import { AppError } from "../../shared/index.js";
import { streamWithFailover } from "../providers/failover.js";
import type { StreamEvent } from "../providers/types.js";
import { needsOAuthRefresh, OAUTH_REFRESH_SKEW_MS, oauthTokenUrlEnvVar, refreshOAuthProfile, resolveOAuthTokenEndpoint } from "./oauth-refresh.js";
import { loadAuthStore, type OAuthCredential, saveAuthStore } from "./store.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-oauth-"));
after(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;

const OLD_ACCESS = "sk-ant-oat01-PLANTEDoldACCESS00000000000000000";
const REFRESH = "sk-ant-ort01-PLANTEDrefreshTOKEN000000000000000";
const NEW_ACCESS = "sk-ant-oat01-PLANTEDnewACCESS11111111111111111";
const NEW_REFRESH = "sk-ant-ort01-PLANTEDnewREFRESH1111111111111111";

interface TokenServer {
  url: string;
  bodies: Array<Record<string, unknown>>;
}

async function tokenServer(answer: (body: Record<string, unknown>) => { status: number; body: unknown }): Promise<TokenServer> {
  const bodies: Array<Record<string, unknown>> = [];
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => {
      raw += c;
    });
    req.on("end", () => {
      const body = JSON.parse(raw || "{}") as Record<string, unknown>;
      bodies.push(body);
      const a = answer(body);
      res.writeHead(a.status, { "content-type": "application/json" });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/oauth/token`, bodies };
}

function oauthStore(expires: number): string {
  const file = path.join(root, `agent-${++n}`, "auth-profiles.json");
  saveAuthStore(file, { version: 1, profiles: { "anthropic:claude": { type: "oauth", provider: "anthropic", access: OLD_ACCESS, refresh: REFRESH, expires, email: "me@example.com" } } });
  return file;
}

async function collect(iter: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const ev of iter) out.push(ev);
  return out;
}

describe("OAuth refresh", () => {
  test("due means expired or within 5 minutes, with a refresh token; the endpoint is env, then config, then built in", () => {
    const now = 1_000_000;
    assert.equal(needsOAuthRefresh({ type: "oauth", refresh: "r", expires: now + OAUTH_REFRESH_SKEW_MS }, now), true);
    assert.equal(needsOAuthRefresh({ type: "oauth", refresh: "r", expires: now + OAUTH_REFRESH_SKEW_MS + 1 }, now), false);
    assert.equal(needsOAuthRefresh({ type: "oauth", expires: now - 1 }, now), false, "no refresh token: nothing to do");
    assert.equal(needsOAuthRefresh({ type: "token", refresh: "r", expires: now - 1 }, now), false);
    assert.equal(needsOAuthRefresh({ type: "oauth", refresh: "r" }, now), false, "no recorded expiry: not refreshed on every call");
    assert.equal(oauthTokenUrlEnvVar("openai-codex"), "OPENCLAW_OAUTH_TOKEN_URL_OPENAI_CODEX");
    assert.equal(resolveOAuthTokenEndpoint("anthropic", {}, {})?.url, "https://console.anthropic.com/v1/oauth/token");
    assert.equal(resolveOAuthTokenEndpoint("anthropic", { auth: { oauth: { anthropic: { tokenUrl: "http://cfg" } } } }, {})?.url, "http://cfg");
    assert.equal(resolveOAuthTokenEndpoint("anthropic", { auth: { oauth: { anthropic: { tokenUrl: "http://cfg" } } } }, { OPENCLAW_OAUTH_TOKEN_URL_ANTHROPIC: "http://env" })?.url, "http://env");
    assert.equal(resolveOAuthTokenEndpoint("nosuch", {}, {}), undefined);
  });

  test("an expiring profile is refreshed before the call, written back under the lock, and the new token is sent", async () => {
    const tokens = await tokenServer(() => ({ status: 200, body: { access_token: NEW_ACCESS, refresh_token: NEW_REFRESH, expires_in: 28_800, token_type: "Bearer" } }));
    const llm = await startFakeLlm(() => ({ text: "refreshed ok" }));
    after(() => llm.close());
    const now = Date.now();
    const file = oauthStore(now + 60_000);
    const config = { models: { providers: { anthropic: { baseUrl: llm.anthropicUrl } } }, agents: { defaults: { model: "anthropic/claude-test" } } };
    const env = { [oauthTokenUrlEnvVar("anthropic")]: tokens.url };
    const events = await collect(streamWithFailover({ config, env, authStoreFile: file, messages: [{ role: "user", content: "hi" }], now: () => now }));
    assert.equal(events.map((e) => (e.type === "text" ? e.text : "")).join(""), "refreshed ok");
    assert.deepEqual(tokens.bodies, [{ grant_type: "refresh_token", refresh_token: REFRESH, client_id: "9d1c250a-e61b-44d9-88ed-5944d1962f5e" }]);
    assert.equal(llm.requests[0]!.credential, NEW_ACCESS);
    const stored = loadAuthStore(file).profiles["anthropic:claude"] as OAuthCredential;
    assert.equal(stored.access, NEW_ACCESS);
    assert.equal(stored.refresh, NEW_REFRESH);
    assert.equal(stored.expires, now + 28_800_000);
    assert.equal(stored.email, "me@example.com", "other fields are kept");
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.existsSync(`${file}.lock`), false);

    // Fresh now: the next call does not refresh again.
    await collect(streamWithFailover({ config, env, authStoreFile: file, messages: [{ role: "user", content: "again" }], now: () => now }));
    assert.equal(tokens.bodies.length, 1);
  });

  test("concurrent callers share one refresh", async () => {
    const tokens = await tokenServer(() => ({ status: 200, body: { access_token: NEW_ACCESS, expires_in: 3600 } }));
    const now = Date.now();
    const file = oauthStore(now - 1000);
    const cred = loadAuthStore(file).profiles["anthropic:claude"] as OAuthCredential;
    const o = { storeFile: file, profileId: "anthropic:claude", config: {}, env: { [oauthTokenUrlEnvVar("anthropic")]: tokens.url }, now: () => now };
    const results = await Promise.all([refreshOAuthProfile(o, cred), refreshOAuthProfile(o, cred), refreshOAuthProfile(o, cred)]);
    assert.equal(tokens.bodies.length, 1);
    assert.deepEqual(results.map((r) => r.access), [NEW_ACCESS, NEW_ACCESS, NEW_ACCESS]);
    assert.equal((loadAuthStore(file).profiles["anthropic:claude"] as OAuthCredential).refresh, REFRESH, "no new refresh token: the old one is kept");
  });

  test("a failed refresh cools the profile down and the error names setup-token, with no secret in it", async () => {
    const tokens = await tokenServer(() => ({ status: 400, body: { error: "invalid_grant", error_description: `refresh token ${REFRESH} revoked` } }));
    const llm = await startFakeLlm(() => ({ text: "never" }));
    after(() => llm.close());
    const now = Date.now();
    const file = oauthStore(now - 60_000);
    const config = { models: { providers: { anthropic: { baseUrl: llm.anthropicUrl } } }, agents: { defaults: { model: "anthropic/claude-test" } } };
    const env = { [oauthTokenUrlEnvVar("anthropic")]: tokens.url };
    await assert.rejects(collect(streamWithFailover({ config, env, authStoreFile: file, messages: [{ role: "user", content: "hi" }], now: () => now })), (e: unknown) => {
      assert.ok(e instanceof AppError);
      assert.equal(e.code, "AUTH_EXPIRED");
      assert.equal(e.message, "OAuth refresh for anthropic:claude failed (HTTP 400 invalid_grant) — run `openclaw models auth setup-token --provider anthropic`");
      assert.ok(!JSON.stringify({ m: e.message, h: e.hint }).includes("PLANTED"));
      return true;
    });
    assert.equal(llm.requests.length, 0, "an expired token is never sent");
    const store = loadAuthStore(file);
    assert.equal(store.usageStats?.["anthropic:claude"]?.disabledReason, "auth");
    assert.ok((store.usageStats?.["anthropic:claude"]?.cooldownUntil ?? 0) > now);
    assert.equal((store.profiles["anthropic:claude"] as OAuthCredential).access, OLD_ACCESS, "the profile is kept for a later setup-token");

    // With a fallback key, the turn still answers.
    const fallback = await collect(streamWithFailover({ config, env: { ...env, ANTHROPIC_API_KEY: "sk-ant-api03-PLANTEDfallbackKEY0000000000000" }, authStoreFile: file, messages: [{ role: "user", content: "hi" }], now: () => now }));
    assert.equal(fallback.map((e) => (e.type === "text" ? e.text : "")).join(""), "never");
    assert.equal(tokens.bodies.length, 1, "a cooling profile is not refreshed again");
  });

  test("an unreachable endpoint is a refresh failure too", async () => {
    const file = oauthStore(Date.now() - 1);
    const cred = loadAuthStore(file).profiles["anthropic:claude"] as OAuthCredential;
    await assert.rejects(refreshOAuthProfile({ storeFile: file, profileId: "anthropic:claude", config: {}, env: { [oauthTokenUrlEnvVar("anthropic")]: "http://127.0.0.1:1/token" } }, cred), /OAuth refresh for anthropic:claude failed \(token endpoint unreachable: .*\) — run `openclaw models auth setup-token --provider anthropic`/);
  });
});
