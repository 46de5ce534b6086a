import assert from "node:assert/strict";
import { test } from "node:test";
import { startFakeGoogleChat } from "../../../test/helpers/fake-google-chat.js";
import { GOOGLE_CHAT_ISSUER, GOOGLE_OIDC_ISSUERS } from "./config.js";
import { bearerToken, type GoogleChatRejectReason, GoogleKeySet, verifyGoogleChatToken } from "./verify.js";

const PROJECT = "123456789012";

async function reason(p: Promise<unknown>): Promise<GoogleChatRejectReason | "ok"> {
  try {
    await p;
    return "ok";
  } catch (error) {
    return (error as { reason?: GoogleChatRejectReason }).reason ?? (String(error) as never);
  }
}

test("project-number tokens: x509 keys; right token passes, forged/expired/wrong audience/issuer/kid fail by reason", async (t) => {
  const google = await startFakeGoogleChat();
  t.after(() => google.close());
  const keys = new GoogleKeySet({ url: google.x509Url, timeoutMs: 2000 });
  const verify = (token: string | undefined) => reason(verifyGoogleChatToken(token, { keys, issuers: [GOOGLE_CHAT_ISSUER], audience: PROJECT }));
  assert.equal(await verify(await google.mintChatToken({ audience: PROJECT })), "ok");
  assert.equal(await verify(await google.mintChatToken({ audience: "999" })), "wrong-audience");
  assert.equal(await verify(await google.mintChatToken({ audience: PROJECT, issuer: "evil@example.com" })), "wrong-issuer");
  assert.equal(await verify(await google.mintChatToken({ audience: PROJECT, key: "rogue" })), "bad-signature");
  assert.equal(await verify(await google.mintChatToken({ audience: PROJECT, expiresInSec: -120 })), "expired");
  assert.equal(await verify(undefined), "missing-token");
  assert.equal(await verify("not-a-jwt"), "malformed-token");
  assert.equal(google.hits.certs, 1, "the key set is fetched once and cached by max-age");
  assert.equal(await verify(await google.mintChatToken({ audience: PROJECT, kid: "made-up" })), "unknown-key");
  assert.equal(google.hits.certs, 2, "an unknown kid refetches once");
  assert.equal(await verify(await google.mintChatToken({ audience: PROJECT, kid: "made-up-2" })), "unknown-key");
  assert.equal(google.hits.certs, 2, "within the cooldown, forged kids cause no more fetches");
});

test("app-url tokens: OIDC JWKS, accounts.google.com issuer and the Chat email claim", async (t) => {
  const google = await startFakeGoogleChat();
  t.after(() => google.close());
  const keys = new GoogleKeySet({ url: google.jwksUrl, timeoutMs: 2000 });
  const audience = "https://gw.example.com/googlechat";
  const verify = (token: string) => reason(verifyGoogleChatToken(token, { keys, issuers: GOOGLE_OIDC_ISSUERS, audience, expectedEmail: GOOGLE_CHAT_ISSUER }));
  assert.equal(await verify(await google.mintChatToken({ audience, issuer: "https://accounts.google.com", email: GOOGLE_CHAT_ISSUER })), "ok");
  assert.equal(await verify(await google.mintChatToken({ audience, issuer: "https://accounts.google.com", email: "someone@gmail.com" })), "wrong-email", "any Google ID token for the URL is not enough");
  assert.equal(await verify(await google.mintChatToken({ audience, issuer: "https://accounts.google.com" })), "wrong-email");
  assert.equal(await verify(await google.mintChatToken({ audience, issuer: "https://accounts.google.com", email: GOOGLE_CHAT_ISSUER, emailVerified: false })), "wrong-email", "the email must be verified");
  assert.equal(await verify(await google.mintChatToken({ audience, issuer: "accounts.google.com", email: "Chat@System.gserviceaccount.com" })), "ok", "the bare issuer and any email case are Google's too");
  assert.equal(await verify(await google.mintChatToken({ audience: "https://other.example.com/googlechat", issuer: "https://accounts.google.com", email: GOOGLE_CHAT_ISSUER })), "wrong-audience");
});

test("key rotation: a token under a newly published kid verifies after one refetch; max-age expiry refetches", async (t) => {
  const google = await startFakeGoogleChat({ certsMaxAgeSec: 60 });
  t.after(() => google.close());
  let now = Date.now();
  const keys = new GoogleKeySet({ url: google.x509Url, timeoutMs: 2000, now: () => now });
  const verify = async (key: "google" | "rotated") => reason(verifyGoogleChatToken(await google.mintChatToken({ audience: PROJECT, key }), { keys, issuers: [GOOGLE_CHAT_ISSUER], audience: PROJECT }));
  assert.equal(await verify("google"), "ok");
  google.rotate();
  assert.equal(await verify("rotated"), "ok");
  assert.equal(google.hits.certs, 2);
  assert.equal(await verify("google"), "ok");
  assert.equal(google.hits.certs, 2, "still fresh");
  now += 61_000;
  assert.equal(await verify("google"), "ok");
  assert.equal(google.hits.certs, 3, "refetched after max-age");
});

test("a hanging key server fails the verification as keys-unavailable within the timeout", async (t) => {
  const google = await startFakeGoogleChat();
  t.after(() => google.close());
  google.hang.add("certs");
  const keys = new GoogleKeySet({ url: google.x509Url, timeoutMs: 300 });
  const token = await google.mintChatToken({ audience: PROJECT });
  await assert.rejects(verifyGoogleChatToken(token, { keys, issuers: [GOOGLE_CHAT_ISSUER], audience: PROJECT }), (e: Error & { reason?: string }) => e.reason === "keys-unavailable" && /timed out/.test(e.message));
});

test("bearerToken takes only a well-formed Bearer header", () => {
  assert.equal(bearerToken("Bearer abc.def.ghi"), "abc.def.ghi");
  assert.equal(bearerToken(["bearer x"]), "x");
  assert.equal(bearerToken("Basic abc"), undefined);
  assert.equal(bearerToken("Bearer a b"), undefined);
  assert.equal(bearerToken(undefined), undefined);
});

test("a caller that gives up (probe deadline) does not cancel the shared key fetch for the others", async (t) => {
  const google = await startFakeGoogleChat();
  t.after(() => google.close());
  const keys = new GoogleKeySet({ url: google.x509Url, timeoutMs: 5000 });
  const impatient = new AbortController();
  const first = keys.refresh(impatient.signal);
  const second = keys.refresh();
  impatient.abort(new Error("deadline"));
  await assert.rejects(first, (e: Error & { reason?: string }) => e.reason === "keys-unavailable");
  await second;
  assert.ok(await verifyGoogleChatToken(await google.mintChatToken({ audience: PROJECT }), { keys, issuers: [GOOGLE_CHAT_ISSUER], audience: PROJECT }), "the patient caller's keys verify");
  assert.equal(google.hits.certs, 1, "one shared fetch");
});
