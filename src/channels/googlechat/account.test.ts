import assert from "node:assert/strict";
import { test } from "node:test";
import { type FakeGoogleChat, startFakeGoogleChat } from "../../../test/helpers/fake-google-chat.js";
import type { ChannelLog, ChannelStartContext, InboundMessage } from "../contract.js";
import { GoogleChatAccount } from "./account.js";
import { resolveGoogleChatAccount } from "./config.js";

const PROJECT = "123456789012";

function setup(google: FakeGoogleChat, extra: Record<string, unknown> = {}) {
  const section = { serviceAccount: google.serviceAccount, audienceType: "project-number", audience: PROJECT, certsUrl: google.x509Url, apiBaseUrl: google.baseUrl, timeoutMs: 2000, ...extra };
  const account = new GoogleChatAccount(resolveGoogleChatAccount(section, "default", {}));
  const inbound: InboundMessage[] = [];
  const lines: string[] = [];
  const log: ChannelLog = { debug: () => {}, info: (m, f) => lines.push(`${m} ${JSON.stringify(f)}`), warn: (m, f) => lines.push(`${m} ${JSON.stringify(f)}`), error: (m, f) => lines.push(`${m} ${JSON.stringify(f)}`) };
  const abort = new AbortController();
  const ctx: ChannelStartContext = { onInbound: (m) => void inbound.push(m), log, signal: abort.signal };
  return { account, inbound, lines, ctx, abort };
}

const event = (text: string, id = "m1") => Buffer.from(JSON.stringify({ type: "MESSAGE", space: { name: "spaces/DM1", type: "DM" }, message: { name: `spaces/DM1/messages/${id}`, sender: { name: "users/111", type: "HUMAN" }, text } }));

test("webhook: 503 before start; 401 counted by reason; 200 {} and one inbound for a valid MESSAGE; ADDED_TO_SPACE is 200 without inbound", async (t) => {
  const google = await startFakeGoogleChat();
  t.after(() => google.close());
  const { account, inbound, lines, ctx, abort } = setup(google);
  t.after(() => abort.abort());
  const hook = account.webhook();
  assert.equal(hook.path, "/googlechat");
  const good = await google.mintChatToken({ audience: PROJECT });
  assert.equal((await hook.handle({ headers: { authorization: `Bearer ${good}` }, body: event("hi") })).status, 503);
  await account.start(ctx);
  const forged = await google.mintChatToken({ audience: PROJECT, key: "rogue" });
  const wrongAud = await google.mintChatToken({ audience: "42" });
  for (const headers of [{}, { authorization: `Bearer ${forged}` }, { authorization: `Bearer ${wrongAud}` }, { authorization: "Bearer junk" }]) {
    assert.equal((await hook.handle({ headers, body: event("nope") })).status, 401);
  }
  assert.deepEqual(account.snapshot().rejected, { "missing-token": 1, "bad-signature": 1, "wrong-audience": 1, "malformed-token": 1 });
  assert.equal(inbound.length, 0, "nothing rejected reaches the router");
  const ok = await hook.handle({ headers: { authorization: `Bearer ${good}` }, body: event("hello") });
  assert.deepEqual(ok, { status: 200, body: {} });
  const added = await hook.handle({ headers: { authorization: `Bearer ${good}` }, body: Buffer.from(JSON.stringify({ type: "ADDED_TO_SPACE", space: { name: "spaces/AAA" } })) });
  assert.equal(added.status, 200);
  assert.equal((await hook.handle({ headers: { authorization: `Bearer ${good}` }, body: Buffer.from("{not json") })).status, 400);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(
    inbound.map((m) => [m.chatType, m.senderId, m.text]),
    [["direct", "users/111", "hello"]],
  );
  const snap = account.snapshot();
  assert.equal(snap.mode, "webhook");
  assert.equal(snap.audienceType, "project-number");
  assert.equal(typeof snap.lastInboundAt, "number");
  assert.deepEqual(snap.ignored, { "event ADDED_TO_SPACE": 1 });
  for (const l of lines) assert.ok(!l.includes(good) && !l.includes(forged), "tokens are never logged");
});

test("send: one access token (cached), 4096-character chunks, thread replies, users/<id> through findDirectMessage", async (t) => {
  const google = await startFakeGoogleChat({ directMessages: { "users/111": "spaces/DM1" } });
  t.after(() => google.close());
  const { account } = setup(google);
  const long = `${"a".repeat(4000)}\n\n${"b".repeat(3000)}`;
  const sent = await account.send("spaces/AAA:threads/T1", long);
  assert.equal(sent.messageIds.length, 2);
  assert.deepEqual(
    google.messages.map((m) => [m.space, m.text.length, m.thread, m.replyOption]),
    [
      ["spaces/AAA", 4000, "spaces/AAA/threads/T1", "REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD"],
      ["spaces/AAA", 3000, "spaces/AAA/threads/T1", "REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD"],
    ],
  );
  await account.send("users/111", "hi there");
  assert.deepEqual(google.messages.at(-1), { space: "spaces/DM1", text: "hi there" });
  assert.equal(google.hits.token, 1, "the access token is reused until it expires");
  google.revokeTokens();
  await account.send("spaces/AAA", "after a revoke");
  assert.deepEqual([google.messages.at(-1)?.text, google.hits.token], ["after a revoke", 2], "a 401 grants a new token and retries once");
  await assert.rejects(account.send("users/999", "x"), (e: Error & { code?: string }) => e.code === "NOT_FOUND" && /users\/999/.test(e.message));
  assert.equal(typeof account.snapshot().lastOutboundAt, "number");
});

test("send and probe fail within their timeouts when Google hangs; no key material in the snapshot", async (t) => {
  const google = await startFakeGoogleChat();
  t.after(() => google.close());
  const { account } = setup(google);
  await account.send("spaces/AAA", "warm-up"); // the access token is cached, so only messages.create can hang
  google.hang.add("messages");
  await assert.rejects(account.send("spaces/AAA", "hello"), (e: Error & { code?: string }) => e.code === "UNAVAILABLE" && /timed out after 2000 ms/.test(e.message));
  google.hang.add("token");
  const probe = await account.probe(300);
  assert.equal(probe.ok, false);
  assert.match(String(probe.error), /timed out/);
  google.hang.clear();
  const fine = await account.probe(10_000);
  assert.equal(fine.ok, true, String(fine.error));
  const snap = JSON.stringify(account.snapshot());
  assert.ok(!snap.includes("PRIVATE KEY") && !snap.includes(google.serviceAccount.private_key!.split("\n")[1]!), "no key material");
  assert.match(snap, /"lastError":"googlechat send to spaces\/AAA failed: timed out/);
});

test("a misconfigured account refuses to start with CONFIG_INVALID naming the key", async (t) => {
  const google = await startFakeGoogleChat();
  t.after(() => google.close());
  const { account, ctx } = setup(google, { audienceType: undefined });
  assert.match(String(account.snapshot().lastError), /audienceType is not set/, "status says why, even for an account never started");
  await assert.rejects(account.start(ctx), (e: Error & { code?: string }) => e.code === "CONFIG_INVALID" && /channels\.googlechat\.audienceType is not set/.test(e.message));
  assert.equal(account.snapshot().configured, false);
  const probe = await account.probe(100);
  assert.equal(probe.ok, false);
});

test("Workspace add-on events: the token in the body is accepted only for this app's principal (appPrincipal)", async (t) => {
  const google = await startFakeGoogleChat();
  t.after(() => google.close());
  const audience = "https://gw.example.com/googlechat";
  const principal = "123456789012345678901";
  const { account, inbound, ctx, abort } = setup(google, { audienceType: "app-url", audience, certsUrl: google.jwksUrl, appPrincipal: principal });
  t.after(() => abort.abort());
  await account.start(ctx);
  const hook = account.webhook();
  const addOn = async (subject: string) => ({
    commonEventObject: { hostApp: "CHAT" },
    authorizationEventObject: { systemIdToken: await google.mintChatToken({ audience, issuer: "https://accounts.google.com", email: "service-42@gcp-sa-gsuiteaddons.iam.gserviceaccount.com", subject }) },
    chat: { user: { name: "users/111" }, eventTime: "2026-01-02T03:04:05Z", messagePayload: { space: { name: "spaces/DM9", spaceType: "DIRECT_MESSAGE" }, message: { name: "spaces/DM9/messages/a1", sender: { name: "users/111", type: "HUMAN" }, text: "from an add-on" } } },
  });
  assert.equal((await hook.handle({ headers: {}, body: Buffer.from(JSON.stringify(await addOn("999"))) })).status, 401);
  assert.deepEqual(account.snapshot().rejected, { "wrong-principal": 1 });
  assert.deepEqual(await hook.handle({ headers: {}, body: Buffer.from(JSON.stringify(await addOn(principal))) }), { status: 200, body: {} });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(
    inbound.map((m) => [m.chatType, m.senderId, m.text, m.messageId]),
    [["direct", "users/111", "from an add-on", "spaces/DM9/messages/a1"]],
  );
  // Without appPrincipal, no add-on token is accepted.
  const strict = setup(google, { audienceType: "app-url", audience, certsUrl: google.jwksUrl });
  t.after(() => strict.abort.abort());
  await strict.account.start(strict.ctx);
  assert.equal((await strict.account.webhook().handle({ headers: {}, body: Buffer.from(JSON.stringify(await addOn(principal))) })).status, 401);
  assert.equal(strict.inbound.length, 0);
});
