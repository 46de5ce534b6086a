/** The pairing store's mirror of OpenClaw 2026.9's SQLite state (real SQLite, temp dirs). */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { AppError } from "../shared/index.js";
import { openclawDbFile } from "../storage/index.js";
import { PairingStore } from "./pairing.js";

const T0 = Date.UTC(2026, 0, 1);

function setup(t: { after(fn: () => void): void }, extra: { onProblem?: (e: AppError) => void } = {}) {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-pairing-db-"));
  const credentialsDir = path.join(stateDir, "credentials");
  const now = { t: T0 };
  const store = new PairingStore({ credentialsDir, now: () => now.t, ...extra });
  t.after(() => {
    store.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });
  return { stateDir, credentialsDir, store, now, dbFile: openclawDbFile(stateDir) };
}

/** A second connection, as OpenClaw's CLI would hold it. */
function openclaw(dbFile: string) {
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  const db = new Database(dbFile);
  db.exec(
    "CREATE TABLE IF NOT EXISTS channel_pairing_requests (channel_key TEXT NOT NULL, account_id TEXT NOT NULL, request_id TEXT NOT NULL, code TEXT NOT NULL, created_at TEXT NOT NULL, last_seen_at TEXT NOT NULL, meta_json TEXT, PRIMARY KEY (channel_key, account_id, request_id)) STRICT; CREATE TABLE IF NOT EXISTS channel_pairing_allow_entries (channel_key TEXT NOT NULL, account_id TEXT NOT NULL, entry TEXT NOT NULL, sort_order INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (channel_key, account_id, entry)) STRICT;",
  );
  return {
    requests: () => db.prepare("SELECT account_id, request_id, code FROM channel_pairing_requests ORDER BY created_at").all(),
    allow: () => db.prepare("SELECT account_id, entry FROM channel_pairing_allow_entries ORDER BY account_id, sort_order").all(),
    addRequest: (id: string, code: string, accountId = "default", at = new Date(T0).toISOString()) =>
      db.prepare("INSERT INTO channel_pairing_requests VALUES ('telegram', ?, ?, ?, ?, ?, ?)").run(accountId, id, code, at, at, JSON.stringify({ accountId })),
    addAllow: (entry: string, accountId = "default", order = 0) => db.prepare("INSERT INTO channel_pairing_allow_entries VALUES ('telegram', ?, ?, ?, 0)").run(accountId, entry, order),
    close: () => db.close(),
  };
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"));

test("every write goes to both: a request lands in the files and in OpenClaw's tables; approve removes it from both and allows the sender in both", async (t) => {
  const { store, dbFile, credentialsDir } = setup(t);
  const asked = await store.requestPairing("telegram", "424242", { username: "alice" });
  assert.equal(asked.created, true);
  const oc = openclaw(dbFile);
  t.after(oc.close);
  assert.deepEqual(oc.requests(), [{ account_id: "default", request_id: "424242", code: asked.code }]);
  assert.equal(readJson(path.join(credentialsDir, "telegram-pairing.json")).requests[0].code, asked.code);

  const ok = await store.approvePairing("telegram", asked.code.toLowerCase());
  assert.equal(ok?.id, "424242");
  assert.deepEqual(oc.requests(), []);
  assert.deepEqual(oc.allow(), [{ account_id: "default", entry: "424242" }]);
  assert.deepEqual(readJson(path.join(credentialsDir, "telegram-pairing.json")).requests, []);
  assert.deepEqual(readJson(path.join(credentialsDir, "telegram-allowFrom.json")).allowFrom, ["424242"]);
  assert.deepEqual(store.readAllowFrom("telegram"), ["424242"]);
  assert.equal(await store.approvePairing("telegram", asked.code), undefined, "a code works once");
});

test("DB-only state (OpenClaw 2026.9 after its doctor deleted our files) counts: list, allowFrom, approve, the cap", async (t) => {
  const { store, dbFile, credentialsDir } = setup(t);
  const oc = openclaw(dbFile);
  t.after(oc.close);
  oc.addAllow("111");
  oc.addAllow("555", "work");
  oc.addRequest("222", "ABCDEFGH");
  assert.deepEqual(store.readAllowFrom("telegram"), ["111"]);
  assert.deepEqual(store.readAllowFrom("telegram", "work"), ["555"]);
  assert.deepEqual(
    store.list("telegram").map((r) => [r.id, r.code, r.meta?.accountId]),
    [["222", "ABCDEFGH", "default"]],
  );

  // Another connection's commit is seen at once (the read cache follows data_version).
  oc.addRequest("333", "BCDEFGHJ");
  oc.addAllow("112", "default", 1);
  assert.deepEqual(store.list("telegram").map((r) => r.id), ["222", "333"]);
  assert.deepEqual(store.readAllowFrom("telegram"), ["111", "112"]);

  // Two DB requests + one new = the cap of three; a fourth is refused.
  assert.equal((await store.requestPairing("telegram", "444")).created, true);
  assert.deepEqual(await store.requestPairing("telegram", "666"), { code: "", created: false, capped: true });
  assert.deepEqual(oc.requests().map((r) => (r as { request_id: string }).request_id), ["222", "333", "444"]);

  const ok = await store.approvePairing("telegram", "abcdefgh");
  assert.equal(ok?.id, "222");
  assert.deepEqual(store.readAllowFrom("telegram"), ["111", "112", "222"]);
  assert.deepEqual(readJson(path.join(credentialsDir, "telegram-allowFrom.json")).allowFrom, ["111", "112", "222"], "the file catches up with the DB on write");
  assert.deepEqual(oc.allow(), [
    { account_id: "default", entry: "111" },
    { account_id: "default", entry: "112" },
    { account_id: "default", entry: "222" },
    { account_id: "work", entry: "555" },
  ]);
  assert.deepEqual(store.list("telegram").map((r) => r.id), ["333", "444"]);
});

test("files-only state (older OpenClaw) counts and is copied into the DB on the next write", async (t) => {
  const { store, dbFile, credentialsDir } = setup(t);
  fs.mkdirSync(credentialsDir, { recursive: true });
  const at = new Date(T0).toISOString();
  fs.writeFileSync(path.join(credentialsDir, "telegram-allowFrom.json"), JSON.stringify({ version: 1, allowFrom: [9, "10"] }));
  fs.writeFileSync(path.join(credentialsDir, "telegram-pairing.json"), JSON.stringify({ version: 1, requests: [{ id: "77", code: "WXYZ2345", createdAt: at, lastSeenAt: at, meta: { accountId: "default" } }] }));
  assert.deepEqual(store.readAllowFrom("telegram"), ["9", "10"]);
  assert.deepEqual(store.list("telegram").map((r) => r.code), ["WXYZ2345"]);
  assert.ok(!fs.existsSync(dbFile), "reads create no database");

  await store.requestPairing("telegram", "78");
  const oc = openclaw(dbFile);
  t.after(oc.close);
  assert.deepEqual(oc.requests().map((r) => (r as { request_id: string }).request_id).sort(), ["77", "78"]);
  await store.approvePairing("telegram", "WXYZ2345");
  assert.deepEqual(oc.allow(), [
    { account_id: "default", entry: "9" },
    { account_id: "default", entry: "10" },
    { account_id: "default", entry: "77" },
  ]);
  assert.deepEqual(readJson(path.join(credentialsDir, "telegram-allowFrom.json")).allowFrom, [9, "10", "77"], "the file's own entries are kept as written");
});

test("a request approved on the other side is no longer pending (OpenClaw approved it in the DB; our file still lists it)", async (t) => {
  const { store, dbFile } = setup(t);
  const asked = await store.requestPairing("telegram", "31337");
  const oc = openclaw(dbFile);
  t.after(oc.close);
  // What OpenClaw's approve does: the request leaves its table and the sender joins the allow entries.
  oc.addAllow("31337");
  const raw = new Database(dbFile);
  raw.exec("DELETE FROM channel_pairing_requests");
  raw.close();
  assert.deepEqual(store.list("telegram"), []);
  assert.deepEqual(store.readAllowFrom("telegram"), ["31337"]);
  assert.equal(await store.approvePairing("telegram", asked.code), undefined);
});

test("a corrupt DB: a PAIRING_STORE problem naming the file and the fix, reported once; pairing keeps working from the files; a repaired file is used again", async (t) => {
  const problems: AppError[] = [];
  const { store, dbFile, credentialsDir } = setup(t, { onProblem: (e) => problems.push(e) });
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  fs.writeFileSync(dbFile, "garbage, not SQLite ".repeat(20));
  const asked = await store.requestPairing("telegram", "1");
  assert.equal(asked.created, true);
  assert.deepEqual(store.list("telegram").map((r) => r.id), ["1"]);
  assert.equal((await store.requestPairing("telegram", "1")).code, asked.code);
  assert.ok(await store.approvePairing("telegram", asked.code));
  assert.deepEqual(store.readAllowFrom("telegram"), ["1"]);
  assert.deepEqual(readJson(path.join(credentialsDir, "telegram-allowFrom.json")).allowFrom, ["1"]);
  assert.equal(problems.length, 1, "reported once, not on every message");
  assert.ok(problems[0] instanceof AppError && problems[0].code === "PAIRING_STORE");
  assert.match(problems[0].message, new RegExp(dbFile.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  assert.match(problems[0].hint ?? "", /mv .*openclaw\.sqlite .*\.broken/);
  assert.equal(store.dbProblem()?.code, "PAIRING_STORE");
  assert.match(fs.readFileSync(dbFile, "utf8"), /^garbage/, "the broken file is left for the user");

  // Moved aside: the next write recreates the DB from the files' state.
  fs.renameSync(dbFile, `${dbFile}.broken`);
  await store.requestPairing("telegram", "2");
  assert.equal(store.dbProblem(), undefined);
  const oc = openclaw(dbFile);
  t.after(oc.close);
  assert.deepEqual(oc.requests().map((r) => (r as { request_id: string }).request_id), ["2"]);
});

test("a DB replaced under an open store (restore, move) is reopened, not read through the stale handle", async (t) => {
  const { store, dbFile } = setup(t);
  await store.requestPairing("telegram", "1");
  assert.equal(store.list("telegram").length, 1);
  fs.rmSync(path.join(path.dirname(dbFile)), { recursive: true, force: true });
  fs.rmSync(store.pairingFile("telegram"));
  assert.deepEqual(store.list("telegram"), []);
  const oc = openclaw(dbFile);
  t.after(oc.close);
  oc.addRequest("9", "ABCDEFGH");
  assert.deepEqual(store.list("telegram").map((r) => r.id), ["9"]);
});

test("a broken allowFrom JSON file: reads use the DB's approvals and report the file once (fail closed); approve throws naming it, leaves it as it was and rolls the DB back", async (t) => {
  const problems: AppError[] = [];
  const { store, dbFile, credentialsDir } = setup(t, { onProblem: (e) => problems.push(e) });
  const oc = openclaw(dbFile);
  t.after(oc.close);
  oc.addAllow("111");
  const asked = await store.requestPairing("telegram", "222");
  const allowFile = path.join(credentialsDir, "telegram-allowFrom.json");
  fs.writeFileSync(allowFile, "{ broken");
  assert.deepEqual(store.readAllowFrom("telegram"), ["111"]);
  assert.deepEqual(store.readAllowFrom("telegram"), ["111"]);
  assert.deepEqual(store.list("telegram").map((r) => r.id), ["222"]);
  assert.equal(problems.length, 1, problems.map((p) => p.message).join("\n"));
  assert.equal(problems[0]!.code, "PAIRING_STORE");
  assert.ok(problems[0]!.message.includes(allowFile));

  await assert.rejects(store.approvePairing("telegram", asked.code), (e: unknown) => e instanceof AppError && e.code === "PAIRING_STORE" && e.message.includes(allowFile));
  assert.equal(fs.readFileSync(allowFile, "utf8"), "{ broken");
  assert.equal(store.dbProblem(), undefined, "a file's problem is not blamed on the database");
  assert.deepEqual(oc.requests().map((r) => (r as { request_id: string }).request_id), ["222"], "the DB transaction rolled back");
  assert.deepEqual(oc.allow(), [{ account_id: "default", entry: "111" }]);
});
