/**
 * OpenClaw's own CLI driving agent turns on our gateway (run only where it is installed; see
 * real-openclaw.ts): `openclaw agent --agent main --message hi --json` goes through our `agent`
 * method (two-stage answer) to a loopback Anthropic server and prints the reply; its
 * `sessions --json` lists the session our turn wrote; its `models status --json` reads our state.
 */
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { startFakeLlm } from "../helpers/fake-llm.js";
import { freePort, startTestGateway } from "../helpers/gateway.js";
import { REAL_CLI, type RealRun, runReal } from "./real-openclaw.js";

if (REAL_CLI.skip) console.log(`# skipping OpenClaw agent interop: ${REAL_CLI.skip}`);

const KEY = "sk-ant-api03-INTEROPagentKEY000000000000000000000000";
const show = (r: RealRun) => `openclaw ${r.argv.join(" ")} exited ${r.code}\n--- stdout\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-3000)}`;

test("OpenClaw's agent, sessions and models status commands work against our gateway and state", { timeout: 600_000, skip: REAL_CLI.skip }, async (t) => {
  const llm = await startFakeLlm(() => ({ text: "hello from our gateway", usage: { input: 20, output: 5 } }));
  t.after(() => llm.close());
  const port = await freePort();
  const gw = await startTestGateway(t, {
    port,
    config: {
      gateway: { port },
      agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" } } },
      models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: KEY, models: [] } } },
    },
  });
  // The real CLI runs in the gateway's own home: same config (port and token), same state dir.
  const agent = await runReal(["agent", "--agent", "main", "--message", "hi", "--json"], { home: gw.home, timeoutMs: 180_000 });
  assert.equal(agent.code, 0, show(agent));
  const out = JSON.parse(agent.stdout) as { status: string; runId: string; result: { payloads: Array<{ text: string }> } };
  assert.equal(out.status, "ok", show(agent));
  assert.equal(out.result.payloads[0]!.text, "hello from our gateway");
  assert.equal(llm.requests.length, 1);

  // Its read commands validate strictly: the test gateway's config carries `gateway.reload.debounceMs`
  // (retired in 2026.9), so they run in a home whose config has only the model settings.
  const home = mkdtempSync(path.join(os.tmpdir(), "openclaw-real-agent-"));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(path.join(home, ".openclaw"), { recursive: true });
  writeFileSync(path.join(home, ".openclaw", "openclaw.json"), JSON.stringify({ gateway: { mode: "local" }, agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" } } } }));
  const storeFile = path.join(gw.stateDir, "agents", "main", "sessions", "sessions.json");
  const ours = JSON.parse(readFileSync(storeFile, "utf8")) as Record<string, { sessionId: string }>;
  // OpenClaw 2026.9 lists sessions from its SQLite store: a copy of our state is imported by its
  // doctor (as an upgrade would), then listed.
  cpSync(path.join(gw.stateDir, "agents"), path.join(home, ".openclaw", "agents"), { recursive: true });
  const doctor = await runReal(["doctor", "--fix", "--non-interactive"], { home, timeoutMs: 300_000 });
  assert.notEqual(doctor.code, -1, "OpenClaw's doctor finished");
  const sessions = await runReal(["sessions", "--json"], { home, timeoutMs: 120_000 });
  assert.equal(sessions.code, 0, show(sessions));
  const listed = JSON.parse(sessions.stdout) as { sessions: Array<{ key: string; sessionId?: string; inputTokens?: number }> };
  const row = listed.sessions.find((s) => s.key === "agent:main:main");
  assert.ok(row, show(sessions));
  assert.equal(row.sessionId, ours["agent:main:main"]!.sessionId);
  assert.equal(row.inputTokens, 20);

  const models = await runReal(["models", "status", "--json"], { home, timeoutMs: 120_000 });
  assert.equal(models.code, 0, show(models));
  const status = JSON.parse(models.stdout) as { defaultModel: string };
  assert.equal(status.defaultModel, "anthropic/claude-sonnet-4-6");
  for (const r of [agent, sessions, models]) assert.ok(!`${r.stdout}${r.stderr}`.includes(KEY), "the key never printed");
});
