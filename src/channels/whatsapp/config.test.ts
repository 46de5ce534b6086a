/** `channels.whatsapp` resolution: auth dirs, inheritance (account → accounts.default → root), what the default account keeps to itself, bad ids. */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { listWhatsAppAccountIds, resolveDefaultWhatsAppAccountId, resolveWhatsAppAccount } from "./config.js";

const CREDS = "/state/credentials";

test("the default account's auth state lives in <credentialsDir>/whatsapp/default with OpenClaw's defaults", () => {
  const r = resolveWhatsAppAccount({}, "default", CREDS, {});
  assert.deepEqual(r, { accountId: "default", enabled: true, authDir: path.join(CREDS, "whatsapp", "default"), authDirSource: "default", selfChatMode: undefined, sendReadReceipts: true });
  assert.deepEqual(listWhatsAppAccountIds({}), ["default"]);
});

test("named accounts inherit sendReadReceipts from accounts.default then the root, but not authDir, enabled, name or selfChatMode", () => {
  const section = { sendReadReceipts: true, selfChatMode: false, authDir: "~/wa-main", name: "Main", accounts: { default: { sendReadReceipts: false, enabled: false }, work: {} } };
  const work = resolveWhatsAppAccount(section, "work", CREDS, { HOME: "/home/u" });
  assert.equal(work.sendReadReceipts, false, "from accounts.default");
  assert.equal(work.enabled, true, "accounts.default.enabled is not shared");
  assert.equal(work.selfChatMode, undefined, "the root selfChatMode belongs to the default account");
  assert.equal(work.name, undefined);
  assert.equal(work.authDir, path.join(CREDS, "whatsapp", "work"));
  const def = resolveWhatsAppAccount(section, "default", CREDS, { HOME: "/home/u" });
  assert.equal(def.authDir, "/home/u/wa-main");
  assert.equal(def.authDirSource, "config");
  assert.equal(def.selfChatMode, false);
  assert.equal(def.enabled, false);
  assert.equal(resolveDefaultWhatsAppAccountId({ accounts: { zeta: {}, alpha: {} } }), "alpha", "the first id alphabetically");
  assert.equal(resolveDefaultWhatsAppAccountId({ defaultAccount: "zeta", accounts: { zeta: {}, alpha: {} } }), "zeta");
});

test("an account id that cannot name a directory, or a relative authDir, is a config error naming the fix", () => {
  const bad = resolveWhatsAppAccount({ accounts: { "../x": {} } }, "../x", CREDS, {});
  assert.match(bad.configError ?? "", /cannot name a directory; use letters/);
  const rel = resolveWhatsAppAccount({ accounts: { work: { authDir: "wa" } } }, "work", CREDS, {});
  assert.match(rel.configError ?? "", /channels\.whatsapp\.accounts\.work\.authDir "wa" is relative; give an absolute path/);
  assert.equal(rel.authDir, path.join(CREDS, "whatsapp", "work"), "the default dir is kept, never a relative one");
});
