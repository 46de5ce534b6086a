/**
 * OpenClaw's own CLI answering our gateway's exec approvals (wire shapes: `exec.approval.list` is a
 * bare array of `{ id, request, createdAtMs, expiresAtMs }`, `exec.approval.resolve` takes
 * `{ id, decision }`). Runs only where the real CLI is installed (see real-openclaw.ts).
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import type { AgentsSubsystem } from "../../src/gateway/subsystems/agents/index.js";
import { startTestGateway } from "../helpers/gateway.js";
import { REAL_CLI, runReal } from "./real-openclaw.js";

if (REAL_CLI.skip) console.log(`# skipping OpenClaw approvals interop: ${REAL_CLI.skip}`);

test("OpenClaw's CLI lists and resolves an exec approval on our gateway", { timeout: 120_000, skip: REAL_CLI.skip }, async (t) => {
  const gw = await startTestGateway(t);
  const home = mkdtempSync(path.join(os.tmpdir(), "openclaw-real-home-"));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(path.join(home, ".openclaw"), { recursive: true });
  writeFileSync(path.join(home, ".openclaw", "openclaw.json"), JSON.stringify({ gateway: { mode: "local", port: gw.rt.port, auth: { mode: "token", token: gw.token } } }));
  const broker = (gw.rt.subsystems().find((s) => s.name === "agents") as AgentsSubsystem).approvals;
  const decision = broker.request({ command: "echo from-openclaw", cwd: gw.home, agentId: "main", sessionKey: "agent:main:main", reason: "interop", timeoutMs: 120_000 });
  const target = ["--url", gw.url, "--token", gw.token, "--json"];

  const list = await runReal(["gateway", "call", "exec.approval.list", "--params", "{}", ...target], { home });
  assert.equal(list.code, 0, `${list.stdout}\n${list.stderr}`);
  const rows = JSON.parse(list.stdout) as Array<{ id: string; request: { command: string; agentId: string } }>;
  assert.equal(rows.length, 1, list.stdout);
  assert.deepEqual([rows[0]!.request.command, rows[0]!.request.agentId], ["echo from-openclaw", "main"]);

  const resolve = await runReal(["gateway", "call", "exec.approval.resolve", "--params", JSON.stringify({ id: rows[0]!.id, decision: "allow-once" }), ...target], { home });
  assert.equal(resolve.code, 0, `${resolve.stdout}\n${resolve.stderr}`);
  assert.equal(await decision, "allow-once");

  // Its own `approvals pending` and `approvals resolve` (they use approval.get/resolve and the plugin and system lists).
  const second = broker.request({ command: "echo second", cwd: gw.home, agentId: "main", sessionKey: "agent:main:main", reason: "interop", timeoutMs: 120_000 });
  const pending = await runReal(["approvals", "pending", ...target], { home });
  assert.equal(pending.code, 0, `${pending.stdout}\n${pending.stderr}`);
  const listed = JSON.parse(pending.stdout) as { approvals: Array<{ id: string; kind: string; summary: string }> };
  assert.deepEqual(listed.approvals.map((a) => [a.kind, a.summary]), [["exec", "echo second"]]);
  const answered = await runReal(["approvals", "resolve", listed.approvals[0]!.id, "deny", ...target], { home });
  assert.equal(answered.code, 0, `${answered.stdout}\n${answered.stderr}`);
  assert.equal((JSON.parse(answered.stdout) as { approval: { decision: string } }).approval.decision, "deny");
  assert.equal(await second, "deny");
});
