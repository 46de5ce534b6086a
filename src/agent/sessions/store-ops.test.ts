/** Session lifecycle on real files: open (new, trigger, idle policy), reset, delete, patch, preview; nothing is removed. */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { tempDirFactory } from "../../../test/helpers/temp.js";
import { AppError } from "../../shared/index.js";
import { appendTranscriptRecord, loadSessionStore, loadTranscript } from "../../storage/index.js";
import { deleteSession, openSessionForMessage, patchSession, previewSession, resetSession } from "./index.js";

const tmp = tempDirFactory("store-ops");
const T0 = 1_800_000_000_000;

test("open: first message creates entry + header; same session next time; /new rotates and archives", async () => {
  const dir = tmp();
  const store = path.join(dir, "sessions.json");
  const a = await openSessionForMessage(store, { key: "agent:main:main", now: T0, text: "hi", cwd: "/w" });
  assert.equal(a.started, "new");
  assert.equal(loadTranscript(a.transcript).records[0]!.type, "session");
  assert.equal(loadTranscript(a.transcript).records[0]!.id, a.sessionId);
  appendTranscriptRecord(a.transcript, { type: "message", message: { role: "user", content: [{ type: "text", text: "hi" }] } });
  const b = await openSessionForMessage(store, { key: "agent:main:main", now: T0 + 1000, text: "again" });
  assert.equal(b.sessionId, a.sessionId);
  assert.equal(b.started, undefined);
  assert.equal(b.entry.lastInteractionAt, T0 + 1000);
  const c = await openSessionForMessage(store, { key: "agent:main:main", now: T0 + 2000, text: "/new tell me more" });
  assert.equal(c.started, "trigger");
  assert.equal(c.text, "tell me more");
  assert.notEqual(c.sessionId, a.sessionId);
  assert.ok(c.archived && /\.reset\./.test(c.archived));
  assert.equal(loadTranscript(c.archived).records.length, 2, "the old history is kept in the archive");
  assert.equal(loadSessionStore(store).entries["agent:main:main"]!.sessionId, c.sessionId);
});

test("open: ten messages racing to open one new session agree on one sessionId and one header", async () => {
  const store = path.join(tmp(), "sessions.json");
  const opened = await Promise.all(Array.from({ length: 10 }, (_, i) => openSessionForMessage(store, { key: "agent:main:main", now: T0 + i, text: `m${i}` })));
  assert.equal(new Set(opened.map((o) => o.sessionId)).size, 1);
  assert.equal(opened.filter((o) => o.started === "new").length, 1);
  const records = loadTranscript(opened[0]!.transcript).records;
  assert.equal(records.filter((r) => r.type === "session").length, 1);
});

test("open: an idle-expired session starts over; a fresh one does not", async () => {
  const store = path.join(tmp(), "sessions.json");
  const policy = { mode: "idle" as const, atHour: 4, idleMinutes: 30 };
  const a = await openSessionForMessage(store, { key: "k", now: T0, policy });
  const b = await openSessionForMessage(store, { key: "k", now: T0 + 10 * 60_000, policy });
  assert.equal(b.sessionId, a.sessionId);
  const c = await openSessionForMessage(store, { key: "k", now: T0 + 50 * 60_000, policy });
  assert.equal(c.started, "idle");
  assert.notEqual(c.sessionId, a.sessionId);
});

test("reset, patch, preview and delete; unknown keys and fields are clear errors", async () => {
  const dir = tmp();
  const store = path.join(dir, "sessions.json");
  const a = await openSessionForMessage(store, { key: "k", now: T0 });
  appendTranscriptRecord(a.transcript, { type: "message", message: { role: "user", content: [{ type: "text", text: "question" }] } });
  appendTranscriptRecord(a.transcript, { type: "message", message: { role: "assistant", content: [{ type: "text", text: "answer" }] } });
  assert.deepEqual(
    previewSession(store, loadSessionStore(store).entries.k!, 1).items.map((i) => i.text),
    ["answer"],
  );
  const patched = await patchSession(store, "k", { label: "work", thinkingLevel: "high" }, T0 + 1);
  assert.equal(patched.label, "work");
  assert.equal((await patchSession(store, "k", { label: null }, T0 + 2)).label, undefined);
  await assert.rejects(patchSession(store, "k", { sessionId: "evil" }, T0), (e: unknown) => e instanceof AppError && e.code === "USAGE" && /sessionId/.test(e.message));
  const r = await resetSession(store, "k", T0 + 3);
  assert.notEqual(r.sessionId, a.sessionId);
  assert.ok(r.archived && existsSync(r.archived));
  assert.equal(loadSessionStore(store).entries.k!.thinkingLevel, "high", "toggles survive a reset");
  const d = await deleteSession(store, "k", T0 + 4);
  assert.equal(d.deleted, true);
  assert.deepEqual(loadSessionStore(store).entries, {});
  assert.equal((await deleteSession(store, "k", T0)).deleted, false, "a missing key is not an error by default");
  await assert.rejects(deleteSession(store, "k", T0, { mustExist: true }), (e: unknown) => e instanceof AppError && e.code === "NOT_FOUND");
  const names = readdirSync(dir);
  assert.ok(names.some((n) => n.includes(".jsonl.reset.")));
  assert.match(readFileSync(path.join(dir, names.find((n) => n.includes(".jsonl.reset."))!), "utf8"), /answer/);
});
