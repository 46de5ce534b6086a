/**
 * Google Chat end to end, without the gateway wiring: a loopback Google (keys, token endpoint, Chat
 * API) and a loopback HTTP listener serving the account's webhook route. A DM POSTed with a
 * Google-signed token runs as an agent turn (real AgentRuns, loopback Anthropic server) whose reply
 * goes out through the Chat API; a space message that mentions the app is answered in its thread;
 * forged, wrong-audience and missing tokens are 401 and counted; a hanging Chat API makes send and
 * probe fail within their timeouts.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { AgentRuns } from "../../src/agent/index.js";
import { ChannelRouter, type ChannelWebhook, DropCounters, DuplicateFilter, type GoogleChatAccount, googleChatPlugin, PairingStore } from "../../src/channels/index.js";
import { createStateLayout, pollUntil } from "../../src/infra/index.js";
import { createLogger } from "../../src/logging/index.js";
import { startFakeGoogleChat } from "../helpers/fake-google-chat.js";
import { startFakeLlm } from "../helpers/fake-llm.js";

const AUDIENCE = "https://gateway.example.com/googlechat";

/** A listener that serves one channel webhook the way the gateway's route table does (POST, body read, JSON answer). */
async function serveWebhook(hook: ChannelWebhook): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.method !== "POST" || req.url !== hook.path) {
      res.writeHead(404).end();
      return;
    }
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", async () => {
      const out = await hook.handle({ headers: req.headers, body: Buffer.concat(parts) });
      res.writeHead(out.status, { "content-type": "application/json" }).end(JSON.stringify(out.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${hook.path}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const dm = (from: string, text: string, id: string) => ({ type: "MESSAGE", eventTime: new Date().toISOString(), space: { name: `spaces/DM-${from}`, type: "DM", spaceType: "DIRECT_MESSAGE" }, message: { name: `spaces/DM-${from}/messages/${id}`, sender: { name: `users/${from}`, displayName: "Ada", type: "HUMAN" }, text } });

test("a DM with a valid Google token is answered through the Chat API; forged, wrong-audience and missing tokens are 401 and counted; a hanging Chat API fails send and probe in time", async (t) => {
  const home = mkdtempSync(path.join(os.tmpdir(), "openclaw-gchat-route-"));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const llm = await startFakeLlm((req) => ({ text: `echo: ${[...JSON.stringify(req.body.messages).matchAll(/ping-[\w-]+/g)].at(-1)?.[0] ?? "?"}` }));
  t.after(() => llm.close());
  const google = await startFakeGoogleChat();
  t.after(() => google.close());
  const env = { HOME: home };
  const config: Record<string, unknown> = {
    agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" } } },
    models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: "sk-ant-api03-gchatKEY00000000000000000000000" } } },
    channels: {
      googlechat: {
        serviceAccount: google.serviceAccount,
        audienceType: "app-url",
        audience: AUDIENCE,
        certsUrl: google.jwksUrl,
        apiBaseUrl: google.baseUrl,
        botUser: "users/app-1",
        timeoutMs: 3000,
        dmPolicy: "allowlist",
        allowFrom: ["users/111"],
        groupPolicy: "open",
      },
    },
  };
  const layout = createStateLayout(path.join(home, ".openclaw"), { env });
  const runs = new AgentRuns({ config: () => config as never, layout, env, tools: () => [], requestApproval: async () => "deny", emit: () => {} });
  const section = (config.channels as { googlechat: Record<string, unknown> }).googlechat;
  const environment = { env, stateDir: layout.stateDir, credentialsDir: layout.credentialsDir };
  const resolved = googleChatPlugin.resolve(section, googleChatPlugin.defaultAccountId(section), environment);
  assert.ok(googleChatPlugin.shouldStart(resolved), String(resolved.configError));
  const account = googleChatPlugin.create(resolved, environment) as GoogleChatAccount;
  const drops = new DropCounters();
  const lines: string[] = [];
  const router = new ChannelRouter({
    config: () => config,
    runs,
    pairing: new PairingStore({ credentialsDir: layout.credentialsDir }),
    drops,
    duplicates: new DuplicateFilter(),
    send: (msg, text) => account.send(googleChatPlugin.replyTarget(msg), text),
    log: { info: (m) => lines.push(m), warn: (m) => lines.push(m) },
  });
  const abort = new AbortController();
  t.after(() => abort.abort());
  await account.start({ onInbound: (m) => void router.handle(m), log: createLogger("googlechat"), signal: abort.signal });
  const hook = account.webhook();
  const server = await serveWebhook(hook);
  t.after(() => server.close());
  const post = async (body: unknown, token?: string) => {
    const res = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };
  const valid = () => google.mintChatToken({ audience: AUDIENCE, issuer: "https://accounts.google.com", email: "chat@system.gserviceaccount.com" });

  assert.deepEqual(await post(dm("111", "ping-one", "m1"), await valid()), { status: 200, body: {} });
  assert.ok(await pollUntil(() => google.messages.length === 1, 15_000, 20), "the agent's reply went out through the Chat API");
  assert.deepEqual(google.messages[0], { space: "spaces/DM-111", text: "echo: ping-one" });

  // A space message that mentions the app is answered in its thread.
  const room = { type: "MESSAGE", space: { name: "spaces/ROOM", type: "ROOM" }, message: { name: "spaces/ROOM/messages/r1", sender: { name: "users/111", type: "HUMAN" }, text: "@bot ping-room", argumentText: "ping-room", thread: { name: "spaces/ROOM/threads/T7" }, annotations: [{ type: "USER_MENTION", userMention: { user: { name: "users/app-1", type: "BOT" }, type: "MENTION" } }] } };
  assert.equal((await post(room, await valid())).status, 200);
  assert.ok(await pollUntil(() => google.messages.length === 2, 15_000, 20));
  assert.deepEqual(google.messages[1], { space: "spaces/ROOM", text: "echo: ping-room", thread: "spaces/ROOM/threads/T7", replyOption: "REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD" });

  // A stranger's DM passes authentication but not the allowlist: dropped and counted, never answered.
  assert.equal((await post(dm("222", "ping-stranger", "m2"), await valid())).status, 200);
  assert.ok(await pollUntil(() => drops.snapshot().length === 1, 10_000, 20));
  assert.deepEqual(drops.snapshot(), [{ channel: "googlechat", accountId: "default", reason: "not-allowlisted", count: 1 }]);

  const forged = await google.mintChatToken({ audience: AUDIENCE, issuer: "https://accounts.google.com", email: "chat@system.gserviceaccount.com", key: "rogue" });
  const wrongAudience = await google.mintChatToken({ audience: "https://elsewhere.example.com/googlechat", issuer: "https://accounts.google.com", email: "chat@system.gserviceaccount.com" });
  assert.equal((await post(dm("111", "ping-forged", "m3"), forged)).status, 401);
  assert.equal((await post(dm("111", "ping-aud", "m4"), wrongAudience)).status, 401);
  assert.equal((await post(dm("111", "ping-none", "m5"))).status, 401);
  assert.deepEqual(account.snapshot().rejected, { "bad-signature": 1, "wrong-audience": 1, "missing-token": 1 });
  assert.equal(google.messages.length, 2, "nothing unauthenticated was answered");

  google.hang.add("messages");
  await assert.rejects(account.send("spaces/DM-111", "late"), /timed out after 3000 ms/);
  google.hang.add("token");
  const probe = await account.probe(500);
  assert.deepEqual([probe.ok, /timed out/.test(String(probe.error))], [false, true]);
  const snapshot = JSON.stringify(account.snapshot());
  assert.ok(!snapshot.includes(google.serviceAccount.private_key!.split("\n")[1]!), "no key material in the snapshot");
  const dropLine = lines.find((l) => /not-allowlisted/.test(l));
  assert.ok(dropLine && !dropLine.includes("users/222"), `the drop is logged with the sender masked: ${dropLine}`);
});
