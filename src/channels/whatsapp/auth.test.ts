/**
 * WhatsApp credentials on disk, through Baileys itself: the multi-file auth state saves and loads; a
 * relink and a logout move the old session aside byte for byte (never deleted); the login emits each
 * QR Baileys emits, survives the 515 restart WhatsApp sends after pairing, and reports the number.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { emitOpen, recordingSocketFactory, seedLinkedAuth, startFakeWhatsApp } from "../../../test/helpers/fake-whatsapp.js";
import { pollUntil } from "../../infra/index.js";
import { AppError } from "../../shared/index.js";
import { WhatsAppAccount } from "./account.js";
import { backupWhatsAppAuth, readWhatsAppSession, whatsappLogin } from "./auth.js";
import { resolveWhatsAppAccount } from "./config.js";

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "openclaw-wa-auth-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f)).toString("base64")]));
}

test("the multi-file auth state saves and loads through Baileys; linked is read from creds.me, not registered", async (t) => {
  const authDir = path.join(tempDir(t), "whatsapp", "default");
  await seedLinkedAuth(authDir, "15559990000");
  const { useMultiFileAuthState } = await import("@whiskeysockets/baileys");
  const first = await useMultiFileAuthState(authDir);
  const again = await useMultiFileAuthState(authDir);
  assert.equal(again.state.creds.me?.id, "15559990000:7@s.whatsapp.net");
  assert.deepEqual(Buffer.from(again.state.creds.noiseKey.private), Buffer.from(first.state.creds.noiseKey.private));
  const keys = await again.state.keys.get("pre-key", ["1", "2"]);
  assert.deepEqual(Buffer.from(keys["1"]!.public), Buffer.from(first.state.creds.signedIdentityKey.public));
  assert.ok(readdirSync(authDir).includes("pre-key-1.json"), "keys are separate files (the hundreds-of-files store)");
  assert.equal(again.state.creds.registered, false, "Baileys leaves registered false on a linked session");
  assert.deepEqual(readWhatsAppSession(authDir), { present: true, paired: true, selfE164: "+15559990000", credsMtimeMs: readWhatsAppSession(authDir).credsMtimeMs });
  assert.deepEqual(readWhatsAppSession(path.join(authDir, "nope")), { present: false, paired: false });
});

test("login --force moves the old session to .backup-<time>/<account>/ byte for byte, emits each QR, handles 515 and reports the number", async (t) => {
  const credentialsDir = tempDir(t);
  const authDir = path.join(credentialsDir, "whatsapp", "default");
  await seedLinkedAuth(authDir, "15559990000");
  const before = filesOf(authDir);
  assert.ok(Object.keys(before).length >= 3);
  const server = await startFakeWhatsApp();
  t.after(() => server.close());
  const rec = await recordingSocketFactory(server);
  const qrs: string[] = [];
  const login = whatsappLogin({ authDir, accountId: "default", force: true, onQr: (qr) => qrs.push(qr), socketFactory: rec.factory, socketOptions: rec.socketOptions, now: () => new Date("2026-12-02T05:00:00.000Z"), timeoutMs: 30_000 });
  assert.ok(await pollUntil(() => rec.sockets.length === 1, 10_000, 10));
  const first = rec.sockets[0]!;
  first.ev.emit("connection.update", { qr: "2@QR-ONE,abc" });
  first.ev.emit("connection.update", { qr: "2@QR-TWO,def" });
  // Scanned: WhatsApp pairs the device (creds.me arrives) and asks for a restart.
  first.ev.emit("creds.update", { me: { id: "15550001111:3@s.whatsapp.net", name: "Ops" } });
  first.ev.emit("connection.update", { connection: "close", lastDisconnect: { error: { output: { statusCode: 515 } }, date: new Date() } });
  assert.ok(await pollUntil(() => rec.sockets.length === 2, 10_000, 10), "a new socket after 515");
  emitOpen(rec.sockets[1]!);
  const result = await login;
  assert.deepEqual(qrs, ["2@QR-ONE,abc", "2@QR-TWO,def"]);
  assert.equal(result.selfE164, "+15550001111");
  assert.equal(result.alreadyLinked, false);
  assert.equal(result.backupDir, path.join(credentialsDir, "whatsapp", ".backup-2026-12-02T05-00-00.000Z", "default"));
  assert.deepEqual(filesOf(result.backupDir!), before, "the old credentials are kept byte for byte");
  assert.equal(readWhatsAppSession(authDir).selfE164, "+15550001111", "the new session is saved in the account directory");
});

test("login on a live session says already linked (no QR, nothing moved); a logged-out session is moved aside and relinked", async (t) => {
  const credentialsDir = tempDir(t);
  const authDir = path.join(credentialsDir, "whatsapp", "work");
  await seedLinkedAuth(authDir, "15559990000");
  const server = await startFakeWhatsApp();
  t.after(() => server.close());
  const rec = await recordingSocketFactory(server);
  const live = whatsappLogin({ authDir, accountId: "work", onQr: () => assert.fail("no QR for a live session"), socketFactory: rec.factory, socketOptions: rec.socketOptions });
  assert.ok(await pollUntil(() => rec.sockets.length === 1, 10_000, 10));
  emitOpen(rec.sockets[0]!);
  assert.deepEqual(await live, { linked: true, selfE164: "+15559990000", alreadyLinked: true });
  assert.deepEqual(readdirSync(path.dirname(authDir)), ["work"], "nothing was moved");

  const before = filesOf(authDir);
  const qrs: string[] = [];
  const relink = whatsappLogin({ authDir, accountId: "work", onQr: (qr) => qrs.push(qr), socketFactory: rec.factory, socketOptions: rec.socketOptions });
  assert.ok(await pollUntil(() => rec.sockets.length === 2, 10_000, 10));
  rec.sockets[1]!.ev.emit("connection.update", { connection: "close", lastDisconnect: { error: { output: { statusCode: 401 } }, date: new Date() } });
  assert.ok(await pollUntil(() => rec.sockets.length === 3, 10_000, 10), "a fresh socket after the logged-out session was moved aside");
  rec.sockets[2]!.ev.emit("connection.update", { qr: "2@QR-NEW" });
  rec.sockets[2]!.ev.emit("creds.update", { me: { id: "15550002222@s.whatsapp.net" } });
  emitOpen(rec.sockets[2]!);
  const result = await relink;
  assert.deepEqual(qrs, ["2@QR-NEW"]);
  assert.equal(result.selfE164, "+15550002222");
  assert.ok(result.backupDir && existsSync(result.backupDir));
  assert.deepEqual(filesOf(result.backupDir), before, "the logged-out session is kept byte for byte");
});

test("login gives up with a TIMEOUT error naming the fix when nothing links in time", async (t) => {
  const authDir = path.join(tempDir(t), "whatsapp", "default");
  const server = await startFakeWhatsApp();
  t.after(() => server.close());
  const rec = await recordingSocketFactory(server);
  await assert.rejects(whatsappLogin({ authDir, accountId: "default", onQr: () => {}, socketFactory: rec.factory, socketOptions: rec.socketOptions, timeoutMs: 300 }), (e: unknown) => e instanceof AppError && e.code === "TIMEOUT" && /channels login --channel whatsapp/.test(e.hint ?? ""));
});

test("logout on the runtime moves the credentials aside (never deleted) and reports cleared; a second logout has nothing to clear", async (t) => {
  const credentialsDir = tempDir(t);
  const account = resolveWhatsAppAccount({}, "default", credentialsDir, {});
  await seedLinkedAuth(account.authDir, "15559990000");
  const before = filesOf(account.authDir);
  const runtime = new WhatsAppAccount(account);
  assert.equal(await runtime.logout(), true);
  assert.equal(existsSync(account.authDir), false);
  const backups = readdirSync(path.join(credentialsDir, "whatsapp")).filter((d) => d.startsWith(".backup-"));
  assert.equal(backups.length, 1);
  assert.deepEqual(filesOf(path.join(credentialsDir, "whatsapp", backups[0]!, "default")), before);
  assert.equal(runtime.snapshot().linked, false);
  assert.match(String(runtime.snapshot().lastError), /^not linked — run openclaw channels login --channel whatsapp/);
  assert.equal(await runtime.logout(), false);
  // Two backups in the same millisecond do not collide.
  await seedLinkedAuth(account.authDir, "15559990000");
  const at = new Date("2026-01-01T00:00:00Z");
  const a = backupWhatsAppAuth(account.authDir, at);
  await seedLinkedAuth(account.authDir, "15559990000");
  const b = backupWhatsAppAuth(account.authDir, at);
  assert.notEqual(a, b);
  assert.ok(a && b && existsSync(a) && existsSync(b));
});
