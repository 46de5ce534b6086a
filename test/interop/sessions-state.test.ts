/**
 * State compatibility with OpenClaw 2026.9 (run only where its CLI is installed; see
 * real-openclaw.ts): a session store and transcript written by our storage code — including a
 * transcript whose torn tail our loader repaired — are imported by OpenClaw's own `doctor --fix`
 * (it moves `sessions.json` + JSONL into its SQLite store) and listed by its `sessions --json`,
 * whose top level and core row fields match ours.
 */
import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { loadTranscript, openTranscriptAppender, updateSessionStore } from "../../src/storage/index.js";
import { runInProcess } from "../helpers/cli.js";
import { REAL_CLI, runReal } from "./real-openclaw.js";

if (REAL_CLI.skip) console.log(`# skipping OpenClaw sessions-state interop: ${REAL_CLI.skip}`);

test("OpenClaw's doctor imports our sessions.json and transcript; its sessions --json lists them in our shape", { timeout: 300_000, skip: REAL_CLI.skip }, async (t) => {
  const home = mkdtempSync(path.join(os.tmpdir(), "openclaw-real-sessions-"));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const sessions = path.join(home, ".openclaw", "agents", "main", "sessions");
  mkdirSync(sessions, { recursive: true });
  const transcript = path.join(sessions, "s-interop.jsonl");
  const app = openTranscriptAppender(transcript);
  app.append({ type: "session", version: 3, id: "s-interop", timestamp: new Date().toISOString(), cwd: home });
  app.append({ type: "message", id: "m1", parentId: null, timestamp: new Date().toISOString(), message: { role: "user", content: [{ type: "text", text: "hello" }], timestamp: Date.now() } });
  app.close();
  appendFileSync(transcript, '{"type":"message","id":"m2","par');
  assert.equal(loadTranscript(transcript).problems.tornTail?.action, "truncated");
  await updateSessionStore(path.join(sessions, "sessions.json"), (e) => ({ entries: { ...e, "agent:main:main": { sessionId: "s-interop", updatedAt: Date.now(), model: "claude-x" } }, result: undefined }));

  const ours = JSON.parse((await runInProcess(["sessions", "--json"], { env: { HOME: home, PATH: process.env.PATH, NO_COLOR: "1" } })).stdout);
  const doctor = await runReal(["doctor", "--fix", "--non-interactive"], { home, timeoutMs: 240_000 });
  assert.match(doctor.stdout + doctor.stderr, /Legacy entries: 1/, doctor.stdout.slice(-3000));
  assert.match(doctor.stdout + doctor.stderr, /imported=2/, "both whole records imported");
  const real = await runReal(["sessions", "--json"], { home });
  assert.equal(real.code, 0, real.stderr);
  const theirs = JSON.parse(real.stdout);
  assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort(), "same top-level shape");
  assert.equal(theirs.sessions.length, 1);
  assert.equal(theirs.sessions[0].key, "agent:main:main");
  assert.equal(theirs.sessions[0].sessionId, "s-interop");
  const core = ["key", "kind", "agentId", "sessionId", "updatedAt", "ageMs", "totalTokens", "totalTokensFresh", "contextTokens", "model", "modelProvider"];
  for (const k of core) {
    assert.ok(k in theirs.sessions[0], `theirs has ${k}`);
    assert.ok(k in ours.sessions[0], `ours has ${k}`);
  }
});
