/**
 * `openclaw pairing list|approve` through the built binary on a real temp state dir: a request made
 * by the store (as a channel would) is listed, approved into `credentials/<channel>-allowFrom.json`,
 * and the access policy then lets that sender through; bad input is one clear line.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { decideInbound, PairingStore } from "../../src/channels/index.js";
import { openclawDbFile } from "../../src/storage/index.js";
import { runBinary, tempHome } from "../helpers/cli.js";
import { writeFile } from "../helpers/inspect.js";

function setup(t: { after(fn: () => void): void }, channels: Record<string, unknown> = { telegram: { botToken: "${TELEGRAM_BOT_TOKEN}" } }) {
  const { home, env } = tempHome();
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const stateDir = path.join(home, ".openclaw");
  writeFile(path.join(stateDir, "openclaw.json"), JSON.stringify({ gateway: { mode: "local" }, channels }));
  const credentialsDir = path.join(stateDir, "credentials");
  const store = new PairingStore({ credentialsDir });
  t.after(() => store.close());
  return { env, stateDir, credentialsDir, store };
}

test("list → approve → the sender passes the DM policy; a code works once", async (t) => {
  const { env, credentialsDir, store } = setup(t);
  const req = await store.requestPairing("telegram", "424242", { senderName: "Ann" });
  assert.equal(req.created, true);

  const list = await runBinary(["pairing", "list", "telegram", "--json"], { env });
  assert.equal(list.code, 0, list.stderr);
  const parsed = JSON.parse(list.stdout) as { channel: string; requests: Array<{ id: string; code: string; meta: Record<string, string> }> };
  assert.equal(parsed.channel, "telegram");
  assert.deepEqual(parsed.requests.map((r) => [r.id, r.code, r.meta.senderName]), [["424242", req.code, "Ann"]]);
  const human = await runBinary(["pairing", "list"], { env });
  assert.ok(human.stdout.includes(req.code) && human.stdout.includes("424242"), `the only configured channel is the default:\n${human.stdout}${human.stderr}`);

  const msg = { channel: "telegram", accountId: "default", chatType: "direct" as const, senderId: "424242", text: "hi", messageId: "1", mentioned: false, ts: 0 };
  assert.deepEqual(decideInbound(msg, { channelConfig: {}, pairingAllowFrom: store.readAllowFrom("telegram") }), { allow: false, reason: "pairing-pending", pairing: true });

  const approve = await runBinary(["pairing", "approve", "telegram", req.code.toLowerCase(), "--notify"], { env });
  assert.equal(approve.code, 0, approve.stderr);
  assert.match(approve.stdout, /Approved telegram sender 424242/);
  assert.match(approve.stdout, /Not notified \(.+\); the approval stands/, "no gateway: the approval stands and says why nobody was told");
  const allowFile = path.join(credentialsDir, "telegram-allowFrom.json");
  assert.deepEqual(JSON.parse(readFileSync(allowFile, "utf8")), { version: 1, allowFrom: ["424242"] });
  assert.equal(statSync(allowFile).mode & 0o777, 0o600);
  assert.deepEqual(decideInbound(msg, { channelConfig: {}, pairingAllowFrom: store.readAllowFrom("telegram") }), { allow: true });

  const again = await runBinary(["pairing", "approve", "--channel", "telegram", req.code], { env });
  assert.equal(again.code, 1);
  assert.match(again.stderr, new RegExp(`no pending telegram pairing request has code "${req.code}"`));
  assert.match(again.stderr, /hint: openclaw pairing list telegram/);
});

test("an OpenClaw-written pending file is listed and approved for its account; usage errors are one line", async (t) => {
  const { env, credentialsDir } = setup(t, { telegram: {}, whatsapp: {} });
  const now = new Date().toISOString();
  writeFile(path.join(credentialsDir, "whatsapp-pairing.json"), JSON.stringify({ version: 1, requests: [{ id: "+15551234567", code: "WXYZ2345", createdAt: now, lastSeenAt: now, meta: { accountId: "work" } }] }));
  const list = await runBinary(["pairing", "list", "--channel", "whatsapp", "--account", "work", "--json"], { env });
  assert.equal((JSON.parse(list.stdout) as { requests: unknown[] }).requests.length, 1);
  const ok = await runBinary(["pairing", "approve", "whatsapp", "WXYZ2345"], { env });
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(JSON.parse(readFileSync(path.join(credentialsDir, "whatsapp-work-allowFrom.json"), "utf8")).allowFrom, ["+15551234567"]);

  const ambiguous = await runBinary(["pairing", "list"], { env });
  assert.equal(ambiguous.code, 2);
  assert.match(ambiguous.stderr, /channel required \(configured: telegram, whatsapp\)/);
  const conflict = await runBinary(["pairing", "list", "telegram", "--channel", "whatsapp"], { env });
  assert.match(conflict.stderr, /conflicting pairing channels/);
  const blank = await runBinary(["pairing", "list", "telegram", "--account", " "], { env });
  assert.match(blank.stderr, /--account must not be blank/);
  const traversal = await runBinary(["pairing", "list", "../etc"], { env });
  assert.equal(traversal.code, 2);
  assert.match(traversal.stderr, /invalid channel id/);
});

test("OpenClaw 2026.9's SQLite state: a request only the database holds is listed and approved into both stores", async (t) => {
  const { env, stateDir, credentialsDir, store } = setup(t);
  const Database = (await import("better-sqlite3")).default;
  const dbFile = openclawDbFile(stateDir);
  const asked = await store.requestPairing("telegram", "777");
  rmSync(path.join(credentialsDir, "telegram-pairing.json")); // what OpenClaw's doctor does after importing it
  const list = await runBinary(["pairing", "list", "telegram", "--json"], { env });
  assert.equal(list.code, 0, list.stderr);
  assert.deepEqual((JSON.parse(list.stdout) as { requests: Array<{ id: string; code: string }> }).requests.map((r) => [r.id, r.code]), [["777", asked.code]]);
  const approve = await runBinary(["pairing", "approve", "telegram", asked.code], { env });
  assert.equal(approve.code, 0, approve.stderr);
  const db = new Database(dbFile, { readonly: true });
  t.after(() => db.close());
  assert.deepEqual(db.prepare("SELECT account_id, entry FROM channel_pairing_allow_entries").all(), [{ account_id: "default", entry: "777" }]);
  assert.deepEqual(db.prepare("SELECT * FROM channel_pairing_requests").all(), []);
  assert.deepEqual(JSON.parse(readFileSync(path.join(credentialsDir, "telegram-allowFrom.json"), "utf8")).allowFrom, ["777"]);
  assert.deepEqual(store.readAllowFrom("telegram"), ["777"], "a running store sees the CLI's commit");
});

test("a corrupt state/openclaw.sqlite: pairing list/approve still work from the files, with one warning naming the file and the fix", async (t) => {
  const { env, stateDir, store } = setup(t);
  const dbFile = openclawDbFile(stateDir);
  mkdirSync(path.dirname(dbFile), { recursive: true });
  writeFileSync(dbFile, "not a database ".repeat(20));
  const asked = await store.requestPairing("telegram", "888");
  assert.equal(asked.created, true);
  const list = await runBinary(["pairing", "list", "telegram", "--json"], { env });
  assert.equal(list.code, 0, list.stderr);
  assert.deepEqual((JSON.parse(list.stdout) as { requests: Array<{ id: string }> }).requests.map((r) => r.id), ["888"]);
  const warnings = list.stderr.split("\n").filter((l) => l.includes("openclaw.sqlite"));
  assert.equal(warnings.length, 1, list.stderr);
  assert.match(warnings[0]!, /cannot be used as OpenClaw's state database.*mv .*openclaw\.sqlite .*\.broken.*keeps working from the credentials\/\*\.json files/);
  const approve = await runBinary(["pairing", "approve", "telegram", asked.code], { env });
  assert.equal(approve.code, 0, approve.stderr);
  assert.deepEqual(store.readAllowFrom("telegram"), ["888"]);
});
