/**
 * Google Chat through the gateway (issue 14): the gateway serves `/googlechat` without its own token
 * (Google's signed bearer token is verified instead); a DM with a valid token is answered through a
 * loopback Chat API; forged, wrong-audience and missing tokens are 401 and counted in
 * `channels.status`; the other routes still demand the gateway token.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { pollUntil } from "../../src/infra/index.js";
import { startFakeGoogleChat } from "../helpers/fake-google-chat.js";
import { startFakeLlm } from "../helpers/fake-llm.js";
import { startTestGateway } from "../helpers/gateway.js";

const AUDIENCE = "https://gateway.example.com/googlechat";
const dm = (from: string, text: string, id: string) => ({ type: "MESSAGE", eventTime: new Date().toISOString(), space: { name: `spaces/DM-${from}`, type: "DM", spaceType: "DIRECT_MESSAGE" }, message: { name: `spaces/DM-${from}/messages/${id}`, sender: { name: `users/${from}`, displayName: "Ada", type: "HUMAN" }, text } });

test("the gateway's /googlechat route verifies Google's token, answers through the Chat API and counts rejections", async (t) => {
  const llm = await startFakeLlm(() => ({ text: "hi from the gateway" }));
  t.after(() => llm.close());
  const google = await startFakeGoogleChat();
  t.after(() => google.close());
  const gw = await startTestGateway(t, {
    channels: true,
    config: {
      agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" } } },
      models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: "sk-ant-api03-gchatGwKEY000000000000000000000" } } },
      channels: { googlechat: { serviceAccount: google.serviceAccount, audienceType: "app-url", audience: AUDIENCE, certsUrl: google.jwksUrl, apiBaseUrl: google.baseUrl, timeoutMs: 3000, dmPolicy: "allowlist", allowFrom: ["users/111"] } },
    },
  });
  const client = await gw.connect();
  t.after(() => client.close());
  const url = `http://127.0.0.1:${gw.rt.port}/googlechat`;
  const post = (body: unknown, token?: string) => fetch(url, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  const valid = () => google.mintChatToken({ audience: AUDIENCE, issuer: "https://accounts.google.com", email: "chat@system.gserviceaccount.com" });

  assert.ok(await pollUntil(async () => (await post({}, await valid())).status !== 404, 10_000, 20), "the route is served once the account runs");
  assert.equal((await post(dm("111", "hello", "m1"), await valid())).status, 200);
  assert.ok(await pollUntil(() => google.messages.some((m) => m.text === "hi from the gateway"), 15_000, 20), "the reply went out through the Chat API");
  assert.equal(google.messages.at(-1)?.space, "spaces/DM-111");

  const forged = await google.mintChatToken({ audience: AUDIENCE, issuer: "https://accounts.google.com", email: "chat@system.gserviceaccount.com", key: "rogue" });
  const wrongAudience = await google.mintChatToken({ audience: "https://elsewhere.example.com/googlechat", issuer: "https://accounts.google.com", email: "chat@system.gserviceaccount.com" });
  for (const token of [forged, wrongAudience, undefined]) {
    const res = await post(dm("111", "sneaky", `x-${Math.random()}`), token);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get("www-authenticate")?.includes('realm="openclaw"') ?? false, false, "the channel answered, not the gateway's auth");
  }
  const status = (await client.call("channels.status", {})) as { channelAccounts: { googlechat: Array<{ rejected?: Record<string, number>; running?: boolean }> } };
  const account = status.channelAccounts.googlechat[0];
  assert.equal(account?.running, true);
  assert.equal(Object.values(account?.rejected ?? {}).reduce((n, c) => n + c, 0), 3, JSON.stringify(account?.rejected));
  assert.equal(google.messages.filter((m) => m.text.includes("sneaky")).length, 0);
  assert.equal((await fetch(`http://127.0.0.1:${gw.rt.port}/metrics`)).status, 401, "other routes still need the gateway token");
});
