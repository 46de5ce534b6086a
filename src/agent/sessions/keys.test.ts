/** Session keys per dmScope, identity links, groups/topics, and kind classification. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { classifySessionKind, isDurableSessionKey, isPeerDirectKey, resolveSessionKey } from "./index.js";

const dm = { agentId: "main", chatType: "direct" as const, channel: "telegram", accountId: "bot1", peerId: "123" };

test("dmScope decides how direct chats group", () => {
  assert.equal(resolveSessionKey(dm), "agent:main:main");
  assert.equal(resolveSessionKey(dm, { dmScope: "per-peer" }), "agent:main:direct:123");
  assert.equal(resolveSessionKey(dm, { dmScope: "per-channel-peer" }), "agent:main:telegram:direct:123");
  assert.equal(resolveSessionKey(dm, { dmScope: "per-account-channel-peer" }), "agent:main:telegram:bot1:direct:123");
  assert.equal(resolveSessionKey({ ...dm, agentId: "Work" }, { mainKey: "home" }), "agent:work:home");
});

test("identityLinks fold one person's ids across channels into one session", () => {
  const identityLinks = { alice: ["telegram:123", "discord:987"] };
  const a = resolveSessionKey(dm, { dmScope: "per-peer", identityLinks });
  const b = resolveSessionKey({ ...dm, channel: "discord", peerId: "987" }, { dmScope: "per-peer", identityLinks });
  assert.equal(a, "agent:main:direct:alice");
  assert.equal(a, b);
  assert.equal(resolveSessionKey({ ...dm, peerId: "555" }, { dmScope: "per-peer", identityLinks }), "agent:main:direct:555");
});

test("groups, rooms and topics are always their own session; colons in ids cannot forge a key", () => {
  assert.equal(resolveSessionKey({ agentId: "main", chatType: "group", channel: "telegram", groupId: "-100", threadId: "7" }), "agent:main:telegram:group:-100:topic:7");
  assert.equal(resolveSessionKey({ agentId: "main", chatType: "channel", channel: "discord", groupId: "c1" }, { dmScope: "per-peer" }), "agent:main:discord:channel:c1");
  assert.equal(resolveSessionKey({ ...dm, peerId: "x:group:y" }, { dmScope: "per-peer" }), "agent:main:direct:x_group_y");
});

test("kinds and protection classes", () => {
  assert.equal(classifySessionKind("global"), "global");
  assert.equal(classifySessionKind("cron:job1"), "cron");
  assert.equal(classifySessionKind("hook:gmail:1"), "hook");
  assert.equal(classifySessionKind("agent:main:telegram:group:1"), "group");
  assert.equal(classifySessionKind("agent:main:x", { chatType: "group" }), "group");
  assert.equal(classifySessionKind("agent:main:main"), "direct");
  assert.equal(isDurableSessionKey("agent:main:telegram:group:1"), true);
  assert.equal(isDurableSessionKey("agent:main:main"), false);
  assert.equal(isPeerDirectKey("agent:main:telegram:direct:123"), true);
  assert.equal(isPeerDirectKey("agent:main:telegram:dm:123"), true);
  assert.equal(isPeerDirectKey("agent:main:main"), false);
});
