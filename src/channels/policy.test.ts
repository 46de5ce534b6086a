import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { InboundMessage } from "./contract.js";
import { DuplicateFilter, decideInbound } from "./policy.js";

const dm = (senderId: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({ channel: "telegram", accountId: "default", chatType: "direct", senderId, text: "hi", messageId: "m1", mentioned: false, ts: 0, ...extra });
const group = (senderId: string, groupId: string, mentioned: boolean): InboundMessage => dm(senderId, { chatType: "group", groupId, mentioned });

describe("decideInbound: DMs", () => {
  test("pairing is the default: unknown senders get a code, listed and paired senders pass", () => {
    assert.deepEqual(decideInbound(dm("42"), { channelConfig: {}, pairingAllowFrom: [] }), { allow: false, reason: "pairing-pending", pairing: true });
    assert.deepEqual(decideInbound(dm("42"), { channelConfig: { allowFrom: ["tg:42"] }, pairingAllowFrom: [] }), { allow: true });
    assert.deepEqual(decideInbound(dm("42"), { channelConfig: {}, pairingAllowFrom: ["42"] }), { allow: true });
  });

  test("allowlist: merged with the pairing store; empty, placeholder and other senders are distinct reasons", () => {
    const cfg = { dmPolicy: "allowlist", allowFrom: ["123", "Telegram:77"] };
    assert.deepEqual(decideInbound(dm("77"), { channelConfig: cfg, pairingAllowFrom: [] }), { allow: true });
    assert.deepEqual(decideInbound(dm("9"), { channelConfig: cfg, pairingAllowFrom: ["9"] }), { allow: true });
    assert.deepEqual(decideInbound(dm("8"), { channelConfig: cfg, pairingAllowFrom: [] }), { allow: false, reason: "not-allowlisted" });
    assert.deepEqual(decideInbound(dm("8"), { channelConfig: { dmPolicy: "allowlist" }, pairingAllowFrom: [] }), { allow: false, reason: "empty-allowlist" });
    assert.deepEqual(decideInbound(dm("+46701234567", { channel: "whatsapp" }), { channelConfig: { dmPolicy: "allowlist", allowFrom: ["+46XXXXXXXXX"] }, pairingAllowFrom: [] }), { allow: false, reason: "placeholder-allowlist" });
  });

  test("open admits everyone only with '*'; the pairing store does not widen it", () => {
    assert.deepEqual(decideInbound(dm("5"), { channelConfig: { dmPolicy: "open", allowFrom: ["*"] }, pairingAllowFrom: [] }), { allow: true });
    assert.deepEqual(decideInbound(dm("5"), { channelConfig: { dmPolicy: "open", allowFrom: ["6"] }, pairingAllowFrom: ["5"] }), { allow: false, reason: "not-allowlisted" });
    assert.deepEqual(decideInbound(dm("6"), { channelConfig: { dmPolicy: "open", allowFrom: ["6"] }, pairingAllowFrom: [] }), { allow: true });
    assert.deepEqual(decideInbound(dm("6"), { channelConfig: { dmPolicy: "open" }, pairingAllowFrom: [] }), { allow: false, reason: "empty-allowlist" });
  });

  test("disabled, a disabled channel, and account keys winning over the channel's", () => {
    assert.deepEqual(decideInbound(dm("1"), { channelConfig: { dmPolicy: "disabled", allowFrom: ["*"] }, pairingAllowFrom: [] }), { allow: false, reason: "policy-disabled" });
    assert.deepEqual(decideInbound(dm("1"), { channelConfig: { enabled: false, dmPolicy: "open", allowFrom: ["*"] }, pairingAllowFrom: [] }), { allow: false, reason: "policy-disabled" });
    assert.deepEqual(decideInbound(dm("1"), { channelConfig: { dmPolicy: "disabled" }, accountConfig: { dmPolicy: "open", allowFrom: ["*"] }, pairingAllowFrom: [] }), { allow: true });
    assert.deepEqual(decideInbound(dm("1"), { channelConfig: { dmPolicy: "bogus" }, pairingAllowFrom: [] }), { allow: false, reason: "pairing-pending", pairing: true }, "unknown policy fails closed to pairing");
  });
});

describe("decideInbound: groups", () => {
  test("allowlist is the default: no groups and no senders blocks every group", () => {
    assert.deepEqual(decideInbound(group("1", "-100", true), { channelConfig: {}, pairingAllowFrom: ["1"] }), { allow: false, reason: "group-not-allowed" });
  });

  test("groups map and '*', with mention gating on by default and per-group requireMention", () => {
    const cfg = { groups: { "-100": { requireMention: false }, "-200": {} } };
    assert.deepEqual(decideInbound(group("1", "-100", false), { channelConfig: cfg, pairingAllowFrom: [] }), { allow: true });
    assert.deepEqual(decideInbound(group("1", "-200", false), { channelConfig: cfg, pairingAllowFrom: [] }), { allow: false, reason: "mention-required" });
    assert.deepEqual(decideInbound(group("1", "-200", true), { channelConfig: cfg, pairingAllowFrom: [] }), { allow: true });
    assert.deepEqual(decideInbound(group("1", "-300", true), { channelConfig: cfg, pairingAllowFrom: [] }), { allow: false, reason: "group-not-allowed" });
    assert.deepEqual(decideInbound(group("1", "-300", true), { channelConfig: { groups: { "*": { requireMention: true } } }, pairingAllowFrom: [] }), { allow: true });
  });

  test("groupAllowFrom (falling back to allowFrom, never the pairing store) restricts senders", () => {
    const cfg = { groupAllowFrom: ["7"], groups: { "*": {} } };
    assert.deepEqual(decideInbound(group("7", "-1", true), { channelConfig: cfg, pairingAllowFrom: [] }), { allow: true });
    assert.deepEqual(decideInbound(group("8", "-1", true), { channelConfig: cfg, pairingAllowFrom: ["8"] }), { allow: false, reason: "not-allowlisted" });
    assert.deepEqual(decideInbound(group("9", "-1", true), { channelConfig: { allowFrom: ["9"] }, pairingAllowFrom: [] }), { allow: true });
  });

  test("open bypasses allowlists but keeps mention gating; disabled blocks", () => {
    assert.deepEqual(decideInbound(group("1", "-5", false), { channelConfig: { groupPolicy: "open" }, pairingAllowFrom: [] }), { allow: false, reason: "mention-required" });
    assert.deepEqual(decideInbound(group("1", "-5", true), { channelConfig: { groupPolicy: "open" }, pairingAllowFrom: [] }), { allow: true });
    assert.deepEqual(decideInbound(group("1", "-5", true), { channelConfig: { groupPolicy: "disabled", groups: { "*": {} } }, pairingAllowFrom: [] }), { allow: false, reason: "policy-disabled" });
  });
});

test("DuplicateFilter: same id within the window is a duplicate, after it is not; scoped by account", () => {
  let now = 1_000;
  const f = new DuplicateFilter({ windowMs: 60_000, now: () => now });
  const m = { channel: "telegram", accountId: "default", messageId: "5" };
  assert.equal(f.isDuplicate(m), false);
  assert.equal(f.isDuplicate(m), true);
  assert.equal(f.isDuplicate({ ...m, accountId: "work" }), false);
  now += 60_000;
  assert.equal(f.isDuplicate(m), false, "expired ids are forgotten");
  const small = new DuplicateFilter({ maxEntries: 3, now: () => now });
  for (let i = 0; i < 10; i++) small.isDuplicate({ ...m, messageId: String(i) });
  assert.ok(small.size <= 4, `bounded: ${small.size}`);
});

describe("decideInbound: Google Chat ids", () => {
  test("users/<id>, a bare <id> and a gchat:/google-chat: prefix name the same sender (as OpenClaw matches them)", () => {
    const gc = (senderId: string): InboundMessage => dm(senderId, { channel: "googlechat" });
    for (const entry of ["users/111", "111", "gchat:users/111", "google-chat:111", "USERS/111"]) {
      assert.deepEqual(decideInbound(gc("users/111"), { channelConfig: { dmPolicy: "allowlist", allowFrom: [entry] }, pairingAllowFrom: [] }), { allow: true }, entry);
    }
    assert.deepEqual(decideInbound(gc("users/1112"), { channelConfig: { dmPolicy: "allowlist", allowFrom: ["users/111"] }, pairingAllowFrom: [] }), { allow: false, reason: "not-allowlisted" });
    assert.deepEqual(decideInbound(gc("users/222"), { channelConfig: { dmPolicy: "allowlist", allowFrom: ["users/111"] }, pairingAllowFrom: ["users/222"] }), { allow: true }, "an approved pairing");
  });
});

test("Signal: a numbered sender allowlisted by uuid:<ACI> (senderAliases) is admitted; groupAllowFrom may name the group itself", () => {
  const dm = { channel: "signal", accountId: "default", chatType: "direct" as const, senderId: "+15557654321", senderAliases: ["uuid:9d2b2a4e-3c55-4f0e-9a55-6c1f3b1e2d77"], text: "hi", messageId: "1", mentioned: false, ts: 0 };
  const byUuid = { channelConfig: { dmPolicy: "allowlist", allowFrom: ["uuid:9D2B2A4E-3C55-4F0E-9A55-6C1F3B1E2D77"] }, pairingAllowFrom: [] };
  assert.deepEqual(decideInbound(dm, byUuid), { allow: true });
  assert.deepEqual(decideInbound({ ...dm, senderAliases: [] }, byUuid), { allow: false, reason: "not-allowlisted" });
  const group = { ...dm, chatType: "group" as const, groupId: "R3JvdXBJZA==", mentioned: true };
  for (const entry of ["group:R3JvdXBJZA==", "signal:group:R3JvdXBJZA==", "R3JvdXBJZA=="]) assert.deepEqual(decideInbound(group, { channelConfig: { groupAllowFrom: [entry] }, pairingAllowFrom: [] }), { allow: true }, entry);
  assert.deepEqual(decideInbound(group, { channelConfig: { groupAllowFrom: ["group:OtherGroup="] }, pairingAllowFrom: [] }), { allow: false, reason: "not-allowlisted" });
  assert.deepEqual(decideInbound({ ...group, mentioned: false }, { channelConfig: { groupAllowFrom: ["group:R3JvdXBJZA=="] }, pairingAllowFrom: [] }), { allow: false, reason: "mention-required" }, "listing the group does not lift mention gating");
});

describe("decideInbound: adapter-resolved group access (Discord guilds)", () => {
  const msg = (mentioned: boolean, groupAccess: InboundMessage["groupAccess"]) => dm("7", { channel: "discord", chatType: "group", groupId: "200", mentioned, groupAccess });
  test("the adapter's verdict replaces groups/groupAllowFrom; mention gating follows it; disabled still wins", () => {
    const cfg = { allowFrom: ["8"] };
    assert.deepEqual(decideInbound(msg(true, { requireMention: true }), { channelConfig: cfg, pairingAllowFrom: [] }), { allow: true }, "DM allowFrom does not gate guild senders");
    assert.deepEqual(decideInbound(msg(false, { requireMention: true }), { channelConfig: cfg, pairingAllowFrom: [] }), { allow: false, reason: "mention-required" });
    assert.deepEqual(decideInbound(msg(false, { requireMention: false }), { channelConfig: cfg, pairingAllowFrom: [] }), { allow: true });
    assert.deepEqual(decideInbound(msg(true, { denied: "group-not-allowed", requireMention: true }), { channelConfig: cfg, pairingAllowFrom: [] }), { allow: false, reason: "group-not-allowed" });
    assert.deepEqual(decideInbound(msg(true, { denied: "not-allowlisted", requireMention: true }), { channelConfig: cfg, pairingAllowFrom: [] }), { allow: false, reason: "not-allowlisted" });
    assert.deepEqual(decideInbound(msg(true, { requireMention: false }), { channelConfig: { groupPolicy: "disabled" }, pairingAllowFrom: [] }), { allow: false, reason: "policy-disabled" });
  });
});

describe("decideInbound: legacy dm.policy / dm.allowFrom (Discord, Slack)", () => {
  test("read when dmPolicy/allowFrom are unset; the flat keys win when both are present", () => {
    const d = (id: string) => dm(id, { channel: "discord" });
    assert.deepEqual(decideInbound(d("42"), { channelConfig: { dm: { policy: "allowlist", allowFrom: ["discord:42"] } }, pairingAllowFrom: [] }), { allow: true });
    for (const entry of ["user:42", "<@42>", "<@!42>", 42]) assert.deepEqual(decideInbound(d("42"), { channelConfig: { dmPolicy: "allowlist", allowFrom: [entry] }, pairingAllowFrom: [] }), { allow: true }, String(entry));
    assert.deepEqual(decideInbound(d("43"), { channelConfig: { dm: { policy: "allowlist", allowFrom: ["42"] } }, pairingAllowFrom: [] }), { allow: false, reason: "not-allowlisted" });
    assert.deepEqual(decideInbound(d("42"), { channelConfig: { dm: { policy: "disabled" } }, pairingAllowFrom: [] }), { allow: false, reason: "policy-disabled" });
    assert.deepEqual(decideInbound(d("42"), { channelConfig: { dmPolicy: "allowlist", allowFrom: ["7"], dm: { policy: "open", allowFrom: ["*"] } }, pairingAllowFrom: [] }), { allow: false, reason: "not-allowlisted" });
  });
});
