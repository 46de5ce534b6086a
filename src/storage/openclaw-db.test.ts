import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { AppError } from "../shared/index.js";
import { openclawDbFile, openOpenClawPairingDb } from "./openclaw-db.js";

function tempState(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-statedb-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test("creates state/ 0700 and openclaw.sqlite 0600 in WAL with OpenClaw's pairing tables and indexes; a read never creates it", (t) => {
  const state = tempState(t);
  assert.equal(openOpenClawPairingDb(state, { create: false }), undefined);
  assert.ok(!fs.existsSync(path.join(state, "state")), "a read creates nothing");
  const db = openOpenClawPairingDb(state, { create: true })!;
  t.after(() => db.close());
  const file = openclawDbFile(state);
  assert.equal(db.file, file);
  assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  const raw = new Database(file, { readonly: true });
  t.after(() => raw.close());
  assert.equal(raw.pragma("journal_mode", { simple: true }), "wal");
  assert.equal(raw.pragma("user_version", { simple: true }), 0, "user_version is OpenClaw's, never set by us");
  const names = (raw.prepare("SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as Array<{ type: string; name: string }>).map((r) => `${r.type}:${r.name}`);
  assert.deepEqual(names, [
    "index:idx_channel_pairing_allow_account",
    "index:idx_channel_pairing_requests_code",
    "index:idx_channel_pairing_requests_created",
    "table:channel_pairing_allow_entries",
    "table:channel_pairing_requests",
  ]);
  assert.match((raw.prepare("SELECT sql FROM sqlite_schema WHERE name = 'channel_pairing_requests'").get() as { sql: string }).sql, /\) STRICT$/);
});

test("rows round-trip in OpenClaw's shape (lower-case keys, meta_json with accountId, no '*' or duplicates); other tables and user_version are left alone", (t) => {
  const state = tempState(t);
  const file = openclawDbFile(state);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const raw = new Database(file);
  raw.exec("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT); INSERT INTO kv VALUES ('a', 'b'); PRAGMA user_version = 18;");
  raw.close();
  const db = openOpenClawPairingDb(state, { create: true })!;
  t.after(() => db.close());
  db.transaction(() => {
    db.replaceRequests("Telegram", [{ accountId: "Work", requestId: "42", code: "ABCDEFGH", createdAt: "2026-01-01T00:00:00.000Z", lastSeenAt: "2026-01-01T00:01:00.000Z", meta: { username: "al", accountId: "work" } }]);
    db.replaceAllow("telegram", "default", ["7", "*", "8", "7", " "]);
  });
  assert.deepEqual(db.readRequests("TELEGRAM"), [
    { accountId: "work", requestId: "42", code: "ABCDEFGH", createdAt: "2026-01-01T00:00:00.000Z", lastSeenAt: "2026-01-01T00:01:00.000Z", meta: { username: "al", accountId: "work" } },
  ]);
  assert.deepEqual(db.readAllow("telegram"), [
    { accountId: "default", entry: "7" },
    { accountId: "default", entry: "8" },
  ]);
  const check = new Database(file, { readonly: true });
  t.after(() => check.close());
  assert.deepEqual(check.prepare("SELECT channel_key, account_id, meta_json FROM channel_pairing_requests").all(), [{ channel_key: "telegram", account_id: "work", meta_json: '{"username":"al","accountId":"work"}' }]);
  assert.deepEqual(check.prepare("SELECT entry, sort_order, typeof(updated_at) AS t FROM channel_pairing_allow_entries ORDER BY sort_order").all(), [
    { entry: "7", sort_order: 0, t: "integer" },
    { entry: "8", sort_order: 1, t: "integer" },
  ]);
  assert.deepEqual(check.prepare("SELECT * FROM kv").all(), [{ k: "a", v: "b" }]);
  assert.equal(check.pragma("user_version", { simple: true }), 18);
});

test("data_version moves when another connection commits, not on our own writes", (t) => {
  const state = tempState(t);
  const db = openOpenClawPairingDb(state, { create: true })!;
  t.after(() => db.close());
  const v0 = db.dataVersion();
  db.transaction(() => db.replaceAllow("telegram", "default", ["1"]));
  assert.equal(db.dataVersion(), v0);
  const other = new Database(openclawDbFile(state));
  other.prepare("INSERT INTO channel_pairing_allow_entries VALUES ('telegram', 'default', '2', 1, 0)").run();
  other.close();
  assert.notEqual(db.dataVersion(), v0);
  assert.deepEqual(
    db.readAllow("telegram").map((r) => r.entry),
    ["1", "2"],
  );
});

test("a file that is not SQLite is a PAIRING_STORE error naming it and the fix, and is left as it was", (t) => {
  const state = tempState(t);
  const file = openclawDbFile(state);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, "this is not a database, just some text that is long enough to be read as a header");
  assert.throws(
    () => openOpenClawPairingDb(state, { create: true }),
    (e: unknown) => e instanceof AppError && e.code === "PAIRING_STORE" && e.message.includes(file) && /not a database/.test(e.message) && (e.hint ?? "").includes(`mv ${file} ${file}.broken`),
  );
  assert.match(fs.readFileSync(file, "utf8"), /^this is not a database/);
});
