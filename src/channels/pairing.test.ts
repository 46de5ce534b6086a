import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { AppError } from "../shared/index.js";
import { generatePairingCode, PAIRING_CODE_ALPHABET, PairingStore } from "./pairing.js";

function temp(t: { after(fn: () => void): void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-pairing-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, "credentials");
}

test("codes: 8 characters from an alphabet without 0 O 1 I L", () => {
  for (const ch of "0O1IL") assert.ok(!PAIRING_CODE_ALPHABET.includes(ch), ch);
  const seen = new Set<string>();
  for (let i = 0; i < 500; i++) {
    const c = generatePairingCode(seen);
    assert.match(c, /^[A-HJKMNP-Z2-9]{8}$/);
    assert.ok(!seen.has(c));
    seen.add(c);
  }
});

test("request → same code while live (created once), cap of 3 per account, expiry after 1 h, approve writes allowFrom", async (t) => {
  const dir = temp(t);
  let now = Date.UTC(2026, 0, 1);
  const store = new PairingStore({ credentialsDir: dir, now: () => now });
  const a = await store.requestPairing("telegram", "111", { senderName: "Ann" });
  assert.equal(a.created, true);
  const again = await store.requestPairing("telegram", "111");
  assert.deepEqual(again, { code: a.code, created: false }, "the code message is sent once");
  await store.requestPairing("telegram", "222");
  await store.requestPairing("telegram", "333");
  assert.deepEqual(await store.requestPairing("telegram", "444"), { code: "", created: false, capped: true });
  assert.equal((await store.requestPairing("telegram", "555", { accountId: "work" })).created, true, "the cap is per account");

  const file = path.join(dir, "telegram-pairing.json");
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  const doc = JSON.parse(fs.readFileSync(file, "utf8"));
  assert.equal(doc.version, 1);
  assert.deepEqual(Object.keys(doc.requests[0]).sort(), ["code", "createdAt", "id", "lastSeenAt", "meta"]);
  assert.deepEqual(doc.requests[0].meta, { senderName: "Ann", accountId: "default" });

  assert.deepEqual(store.list("telegram").map((r) => r.id), ["111", "222", "333", "555"]);
  assert.deepEqual(store.list("telegram", { accountId: "work" }).map((r) => r.id), ["555"]);

  const ok = await store.approvePairing("telegram", a.code.toLowerCase());
  assert.equal(ok?.id, "111");
  assert.deepEqual(store.readAllowFrom("telegram"), ["111"]);
  assert.equal(fs.statSync(path.join(dir, "telegram-allowFrom.json")).mode & 0o777, 0o600);
  assert.equal(await store.approvePairing("telegram", a.code), undefined, "a code works once");
  const work = store.list("telegram", { accountId: "work" })[0]!;
  await store.approvePairing("telegram", work.code);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, "telegram-work-allowFrom.json"), "utf8")), { version: 1, allowFrom: ["555"] });

  now += 60 * 60_000;
  assert.deepEqual(store.list("telegram"), [], "requests expire after an hour");
  assert.equal((await store.requestPairing("telegram", "444")).created, true, "expired requests free the cap");
});

test("unknown keys are kept; a broken file is an error naming it, never overwritten; ids cannot escape the dir", async (t) => {
  const dir = temp(t);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "telegram-allowFrom.json"), JSON.stringify({ version: 1, allowFrom: ["9"], note: "mine" }));
  const store = new PairingStore({ credentialsDir: dir });
  const r = await store.requestPairing("telegram", "10");
  await store.approvePairing("telegram", r.code);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, "telegram-allowFrom.json"), "utf8")), { version: 1, allowFrom: ["9", "10"], note: "mine" });

  fs.writeFileSync(path.join(dir, "whatsapp-pairing.json"), "{ nope");
  await assert.rejects(store.requestPairing("whatsapp", "+15551234567"), (e: unknown) => e instanceof AppError && e.code === "PAIRING_STORE" && e.message.includes("whatsapp-pairing.json"));
  assert.equal(fs.readFileSync(path.join(dir, "whatsapp-pairing.json"), "utf8"), "{ nope");
  assert.throws(() => store.list("../x"), (e: unknown) => e instanceof AppError && e.code === "USAGE");
  await assert.rejects(store.requestPairing("telegram", "1", { accountId: "../../etc" }), (e: unknown) => e instanceof AppError && e.code === "USAGE");
});

test("concurrent requests from many senders keep every one (locked read-modify-write)", async (t) => {
  const dir = temp(t);
  const store = new PairingStore({ credentialsDir: dir });
  const results = await Promise.all(["a", "b", "c", "d", "e"].map((id) => store.requestPairing("signal", id, { accountId: id === "a" || id === "b" ? "default" : id })));
  assert.equal(results.filter((r) => r.created).length, 5);
  assert.equal(store.list("signal").length, 5);
});

test("opaque request ids: OpenClaw's hash; approve by id writes allowFrom, dismiss removes without approving and the sender may ask again", async (t) => {
  const dir = temp(t);
  const now = Date.UTC(2026, 0, 1);
  const store = new PairingStore({ credentialsDir: dir, now: () => now });
  await store.requestPairing("telegram", "111");
  await store.requestPairing("telegram", "222", { accountId: "work" });
  const [first, second] = store.list("telegram");
  const id = store.requestId("telegram", first!);
  // base64url(sha256("telegram\0default\0111\0<createdAt>")).slice(0, 32), as OpenClaw computes it.
  assert.equal(id, createHash("sha256").update(["telegram", "default", "111", first!.createdAt].join("\u0000")).digest("base64url").slice(0, 32));
  assert.match(id, /^[\w-]{32}$/);
  const workId = store.requestId("telegram", second!);
  assert.notEqual(workId, id);

  assert.equal(await store.approveRequest("telegram", workId, { accountId: "default" }), undefined, "the id must belong to the account given");
  assert.equal(await store.approveRequest("telegram", "no-such-request"), undefined);
  const approved = await store.approveRequest("telegram", id, { accountId: "default" });
  assert.equal(approved?.id, "111");
  assert.deepEqual(store.readAllowFrom("telegram"), ["111"]);
  assert.deepEqual(store.list("telegram").map((r) => r.id), ["222"]);

  const dismissed = await store.dismissRequest("telegram", workId, { accountId: "work" });
  assert.deepEqual([dismissed?.id, dismissed?.accountId], ["222", "work"]);
  assert.deepEqual(store.list("telegram"), [], "the request is gone from the file and the database");
  assert.deepEqual(store.readAllowFrom("telegram", "work"), [], "nobody was approved");
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, "telegram-pairing.json"), "utf8")).requests, []);
  assert.equal(await store.dismissRequest("telegram", workId), undefined, "an id works once");
  assert.equal((await store.requestPairing("telegram", "222", { accountId: "work" })).created, true, "a dismissed sender may ask again");
  store.close();
});
