import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { tempDirFactory } from "../../../test/helpers/temp.js";
import { GOOGLE_CHAT_ISSUER, GOOGLE_CHAT_X509_URL, GOOGLE_OIDC_JWKS_URL, listGoogleChatAccountIds, resolveDefaultGoogleChatAccountId, resolveGoogleChatAccount } from "./config.js";
import { googleChatReplyTarget, mapGoogleChatEvent, parseGoogleChatTarget } from "./inbound.js";

const tempDir = tempDirFactory("gchat-config");
const PEM = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const KEY_BODY = PEM.split("\n")[1]!;
const sa = (email = "bot@p.iam.gserviceaccount.com") => ({ type: "service_account", client_email: email, private_key: PEM, private_key_id: "k1", token_uri: "https://oauth2.googleapis.com/token" });

test("service account order: account file > account inline > section > env file (default account only)", () => {
  const dir = tempDir();
  const file = path.join(dir, "sa.json");
  fs.writeFileSync(file, JSON.stringify(sa("file@p.iam.gserviceaccount.com")));
  const envFile = path.join(dir, "env.json");
  fs.writeFileSync(envFile, JSON.stringify(sa("env@p.iam.gserviceaccount.com")));
  const base = { audienceType: "project-number", audience: "123456789" };
  const section = { ...base, serviceAccount: JSON.stringify(sa("section@p.iam.gserviceaccount.com")), accounts: { default: {}, ops: { serviceAccountFile: file }, inline: { serviceAccount: sa("inline@p.iam.gserviceaccount.com") } } };
  const env = { GOOGLE_CHAT_SERVICE_ACCOUNT_FILE: envFile };
  const ops = resolveGoogleChatAccount(section, "ops", env);
  assert.deepEqual([ops.serviceAccount?.clientEmail, ops.credentialSource], ["file@p.iam.gserviceaccount.com", "file"]);
  assert.equal(resolveGoogleChatAccount(section, "inline", env).serviceAccount?.clientEmail, "inline@p.iam.gserviceaccount.com");
  assert.equal(resolveGoogleChatAccount(section, "default", env).serviceAccount?.clientEmail, "section@p.iam.gserviceaccount.com");
  const bare = { ...base, accounts: { default: {}, ops: {} } };
  const fromEnv = resolveGoogleChatAccount(bare, "default", env);
  assert.deepEqual([fromEnv.serviceAccount?.clientEmail, fromEnv.credentialSource, fromEnv.configError], ["env@p.iam.gserviceaccount.com", "env-file", undefined]);
  const named = resolveGoogleChatAccount(bare, "ops", env);
  assert.equal(named.serviceAccount, undefined, "env never serves a named account");
  assert.match(named.configError ?? "", /channels\.googlechat\.accounts\.ops\.serviceAccountFile/);
  assert.deepEqual(listGoogleChatAccountIds(undefined), ["default"]);
  assert.equal(resolveDefaultGoogleChatAccountId({ defaultAccount: "ops", accounts: { a: {}, ops: {} } }), "ops");
});

test("audience types pick their issuer and key set; certsUrl, apiBaseUrl and webhookPath are seams", () => {
  const byNumber = resolveGoogleChatAccount({ serviceAccount: sa(), audienceType: "project-number", audience: 987654321 }, "default", {});
  assert.deepEqual([byNumber.certsUrl, byNumber.issuers, byNumber.expectedEmail, byNumber.audience, byNumber.webhookPath], [GOOGLE_CHAT_X509_URL, [GOOGLE_CHAT_ISSUER], undefined, "987654321", "/googlechat"]);
  const byUrl = resolveGoogleChatAccount({ serviceAccount: sa(), audienceType: "app-url", webhookUrl: "https://gw.example.com/hooks/chat" }, "default", {});
  assert.deepEqual([byUrl.certsUrl, byUrl.issuers.includes("https://accounts.google.com"), byUrl.expectedEmail], [GOOGLE_OIDC_JWKS_URL, true, GOOGLE_CHAT_ISSUER]);
  assert.equal(byUrl.audience, "https://gw.example.com/hooks/chat", "app-url audience defaults to webhookUrl");
  assert.equal(byUrl.webhookPath, "/hooks/chat", "webhookUrl supplies the path");
  const seams = resolveGoogleChatAccount({ serviceAccount: sa(), audienceType: "app-url", audience: "https://x/googlechat", webhookPath: "gc", certsUrl: "http://127.0.0.1:1/certs", apiBaseUrl: "http://127.0.0.1:1/" }, "default", {});
  assert.deepEqual([seams.certsUrl, seams.apiBaseUrl, seams.webhookPath, seams.configError], ["http://127.0.0.1:1/certs", "http://127.0.0.1:1", "/gc", undefined]);
});

test("bad input: one line naming the key and the fix, never the private key", () => {
  const dir = tempDir();
  const broken = path.join(dir, "broken.json");
  fs.writeFileSync(broken, `{"private_key": "${PEM.replace(/\n/g, "\\n")}", oops`);
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ audienceType: "app-url", audience: "https://x" }, /no service account .*serviceAccountFile/],
    [{ serviceAccountFile: broken, audienceType: "app-url", audience: "https://x" }, /serviceAccountFile .*broken\.json is not valid JSON/],
    [{ serviceAccountFile: path.join(dir, "missing.json"), audienceType: "app-url", audience: "https://x" }, /serviceAccountFile .*missing\.json cannot be read.*check the path/],
    [{ serviceAccountFile: dir, audienceType: "app-url", audience: "https://x" }, /cannot be read/],
    [{ serviceAccount: { ...sa(), client_email: undefined }, audienceType: "app-url", audience: "https://x" }, /serviceAccount lacks client_email/],
    [{ serviceAccount: { ...sa(), private_key: "not a pem" }, audienceType: "app-url", audience: "https://x" }, /private_key is not a PEM/],
    [{ serviceAccount: { source: "file", provider: "main", id: "/x" }, audienceType: "app-url", audience: "https://x" }, /secret reference that was not resolved/],
    [{ serviceAccount: sa() }, /audienceType is not set; set it to "app-url" or "project-number"/],
    [{ serviceAccount: sa(), audienceType: "url" }, /audienceType is "url"; use "app-url"/],
    [{ serviceAccount: sa(), audienceType: "project-number" }, /audience is not set; set it to the Google Cloud project number/],
    [{ serviceAccount: sa(), audienceType: "project-number", audience: "my-project" }, /is not a project number/],
    [{ serviceAccount: sa(), audienceType: "app-url", audience: "https://x", appPrincipal: "me@example.com" }, /appPrincipal "me@example.com" is not a numeric OAuth client id/],
  ];
  for (const [section, expected] of cases) {
    const r = resolveGoogleChatAccount(section, "default", {});
    assert.match(r.configError ?? "", expected, JSON.stringify(section).slice(0, 80));
    assert.ok(!(r.configError ?? "").includes("\n"), "one line");
    assert.ok(!(r.configError ?? "").includes(KEY_BODY), "the private key never appears");
  }
});

test("events: DM → direct from users/<id>; space → group spaces/<id> with mention and thread; others ignored", () => {
  const dm = mapGoogleChatEvent(
    { type: "MESSAGE", space: { name: "spaces/DM1", type: "DM" }, message: { name: "spaces/DM1/messages/m1", sender: { name: "users/111", displayName: "Ada", type: "HUMAN" }, text: "hello", thread: { name: "spaces/DM1/threads/t1" }, createTime: "2026-01-02T03:04:05Z" } },
    "default",
  );
  assert.equal(dm.kind, "message");
  if (dm.kind !== "message") return;
  assert.deepEqual(
    { chatType: dm.message.chatType, senderId: dm.message.senderId, groupId: dm.message.groupId, text: dm.message.text, messageId: dm.message.messageId, ts: dm.message.ts, threadId: dm.message.threadId },
    { chatType: "direct", senderId: "users/111", groupId: undefined, text: "hello", messageId: "spaces/DM1/messages/m1", ts: Date.UTC(2026, 0, 2, 3, 4, 5), threadId: undefined },
  );
  assert.equal(googleChatReplyTarget(dm.message), "spaces/DM1", "a DM reply goes to the DM space");

  const mention = { type: "USER_MENTION", userMention: { user: { name: "users/app1", type: "BOT" }, type: "MENTION" } };
  const room = (annotations: unknown[], extra: Record<string, unknown> = {}) =>
    mapGoogleChatEvent({ type: "MESSAGE", space: { name: "spaces/AAA", type: "ROOM" }, message: { name: "spaces/AAA/messages/m2", sender: { name: "users/222", type: "HUMAN" }, text: "@Bot hi", argumentText: " hi", annotations, thread: { name: "spaces/AAA/threads/T9" }, ...extra } }, "default", { botUser: "users/app1" });
  const g = room([mention]);
  assert.ok(g.kind === "message" && g.message.chatType === "group" && g.message.groupId === "spaces/AAA" && g.message.mentioned && g.message.text === "hi");
  assert.equal(googleChatReplyTarget(g.message), "spaces/AAA/threads/T9", "a space reply goes to the thread");
  const other = room([{ type: "USER_MENTION", userMention: { user: { name: "users/other", type: "HUMAN" } } }]);
  assert.ok(other.kind === "message" && !other.message.mentioned, "a mention of someone else is not a mention of the app");
  const self = room([{ type: "USER_MENTION", userMention: { user: { name: "users/app", type: "BOT" } } }]);
  assert.ok(self.kind === "message" && self.message.mentioned, "users/app is the receiving app");
  const slash = room([], { slashCommand: { commandId: "1" } });
  assert.ok(slash.kind === "message" && slash.message.mentioned, "a slash command counts as addressed to the app");

  assert.deepEqual(mapGoogleChatEvent({ type: "ADDED_TO_SPACE", space: { name: "spaces/AAA" } }, "default"), { kind: "ignored", reason: "event ADDED_TO_SPACE" });
  const bot = mapGoogleChatEvent({ type: "MESSAGE", space: { name: "spaces/AAA" }, message: { name: "spaces/AAA/messages/m3", sender: { name: "users/9", type: "BOT" }, text: "x" } }, "default");
  assert.deepEqual(bot, { kind: "ignored", reason: "bot sender" });
});

test("targets: spaces, threads in both spellings, users, prefixes; anything else is a usage error", () => {
  assert.deepEqual(parseGoogleChatTarget("spaces/AAA"), { kind: "space", space: "spaces/AAA" });
  assert.deepEqual(parseGoogleChatTarget("gchat:spaces/AAA:threads/BBB"), { kind: "space", space: "spaces/AAA", thread: "spaces/AAA/threads/BBB" });
  assert.deepEqual(parseGoogleChatTarget("spaces/AAA/threads/BBB"), { kind: "space", space: "spaces/AAA", thread: "spaces/AAA/threads/BBB" });
  assert.deepEqual(parseGoogleChatTarget("googlechat:users/123"), { kind: "user", user: "users/123" });
  assert.throws(() => parseGoogleChatTarget("AAA"), (e: Error & { code?: string; hint?: string }) => e.code === "USAGE" && /spaces\/<id>/.test(e.hint ?? ""));
  assert.throws(() => parseGoogleChatTarget("spaces/../admin"), /not a space/);
  assert.throws(() => parseGoogleChatTarget("spaces/.."), /not a space/, "no dot segments in a URL path");
});
