/**
 * Exec approvals through a real gateway: the broker publishes `exec.approval.requested` to a
 * subscribed client, `exec.approval.resolve` answers it, and the `exec` tool waiting on it runs (or
 * not); the CLI lists and answers pending requests end to end, and `approvals get` shows the
 * allowlist that `allow-always` wrote.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { type ApprovalDecision, execApprovalsPath, execTool, type ToolContext } from "../../src/agent/index.js";
import { type AgentsSubsystem, MAX_PENDING_APPROVALS } from "../../src/gateway/subsystems/agents/index.js";
import type { EventFrame } from "../../src/protocol/index.js";
import { runBinary, runInProcess } from "../helpers/cli.js";
import { startTestGateway, type TestGateway, waitUntil } from "../helpers/gateway.js";

function brokerOf(gw: TestGateway) {
  const agents = gw.rt.subsystems().find((s) => s.name === "agents") as AgentsSubsystem | undefined;
  assert.ok(agents, "the agents subsystem is running");
  return agents.approvals;
}

const REQ = { command: "echo hi", cwd: "/tmp", agentId: "main", sessionKey: "agent:main:main", reason: "test", timeoutMs: 30_000 };

function toolContext(gw: TestGateway, config: Record<string, unknown>, signal = new AbortController().signal): ToolContext {
  const workspace = path.join(gw.home, "ws");
  fs.mkdirSync(workspace, { recursive: true });
  const broker = brokerOf(gw);
  return {
    agentId: "main",
    sessionKey: "agent:main:main",
    workspace,
    config,
    env: { PATH: process.env.PATH, HOME: gw.home },
    signal,
    stateDir: gw.stateDir,
    requestApproval: (r) => broker.request({ ...r, signal }),
    sessions: { list: () => [], history: () => [], send: () => Promise.reject(new Error("unused")), status: () => undefined },
  };
}

describe("exec approvals over the gateway", () => {
  test("a subscribed client sees the request, answers it with exec.approval.resolve, and the request resolves", async (t) => {
    const gw = await startTestGateway(t);
    const client = await gw.connect();
    t.after(() => client.close());
    const events: EventFrame[] = [];
    client.onEvent((e) => events.push(e));
    const broker = brokerOf(gw);
    const answer = broker.request(REQ);
    await waitUntil(() => events.some((e) => e.event === "exec.approval.requested"), 5000, "exec.approval.requested");
    const requested = events.find((e) => e.event === "exec.approval.requested")!.payload as { id: string; request: Record<string, unknown>; createdAtMs: number; expiresAtMs: number };
    assert.deepEqual(requested.request, { command: "echo hi", cwd: "/tmp", agentId: "main", sessionKey: "agent:main:main", reason: "test" });
    assert.equal(requested.expiresAtMs - requested.createdAtMs, 30_000);
    const listed = (await client.call("exec.approval.list", {})) as Array<{ id: string }>;
    assert.deepEqual(
      listed.map((a) => a.id),
      [requested.id],
    );
    const resolved = await client.call("exec.approval.resolve", { id: requested.id, decision: "allow-once" });
    assert.deepEqual(resolved, { ok: true, id: requested.id, decision: "allow-once" });
    assert.equal(await answer, "allow-once");
    await waitUntil(() => events.some((e) => e.event === "exec.approval.resolved"), 5000, "exec.approval.resolved");
    assert.equal((events.find((e) => e.event === "exec.approval.resolved")!.payload as { decision: string }).decision, "allow-once");
    assert.deepEqual(await client.call("exec.approval.list", {}), []);
    // Repeating the same answer is fine; a different one, or an unknown id, is NOT_FOUND.
    assert.equal(((await client.call("exec.approval.resolve", { id: requested.id, decision: "allow-once" })) as { alreadyResolved?: boolean }).alreadyResolved, true);
    await assert.rejects(client.call("exec.approval.resolve", { id: requested.id, decision: "deny" }), /no longer pending \(it ended as allow-once\)/);
    await assert.rejects(client.call("exec.approval.resolve", { id: "nope", decision: "deny" }), /no pending exec approval nope/);
  });

  test("an unanswered request times out, an aborted one ends, the pending list is bounded, and stop ends the rest", async (t) => {
    const gw = await startTestGateway(t);
    const broker = brokerOf(gw);
    assert.equal(await broker.request({ ...REQ, timeoutMs: 20 }), "timeout");
    const huge = broker.request({ ...REQ, timeoutMs: 1e12 });
    // Timers fire in order: had the huge delay overflowed to 1 ms, it would end before this 20 ms one.
    assert.equal(await broker.request({ ...REQ, timeoutMs: 20 }), "timeout");
    assert.equal(broker.list().length, 1, "a huge timeout is clamped, not fired at once");
    broker.resolve(broker.list()[0]!.id, "deny");
    assert.equal(await huge, "deny");
    const ac = new AbortController();
    const aborted = broker.request({ ...REQ, signal: ac.signal });
    assert.equal(broker.list().length, 1);
    ac.abort();
    assert.equal(await aborted, "timeout");
    assert.equal(broker.list().length, 0);
    const many = Array.from({ length: MAX_PENDING_APPROVALS }, () => broker.request(REQ));
    assert.equal(await broker.request(REQ), "timeout", "one past the bound is answered at once");
    await gw.stop();
    assert.deepEqual(new Set(await Promise.all(many)), new Set<ApprovalDecision>(["timeout"]));
  });

  test("exec under ask: the approval event arrives and exec.approval.resolve lets it run; deny is a tool error", async (t) => {
    const gw = await startTestGateway(t);
    const client = await gw.connect();
    t.after(() => client.close());
    const ctx = toolContext(gw, { tools: { exec: { security: "allowlist", ask: "on-miss" } } });
    const answerNext = (decision: "allow-once" | "deny") =>
      new Promise<void>((resolve) => {
        const off = client.onEvent((e) => {
          if (e.event !== "exec.approval.requested") return;
          off();
          void client.call("exec.approval.resolve", { id: (e.payload as { id: string }).id, decision }).then(() => resolve());
        });
      });
    const allowed = answerNext("allow-once");
    const ran = await execTool.run({ command: "echo approved > out.txt && cat out.txt" }, ctx);
    await allowed;
    assert.equal(ran.isError, undefined, ran.content);
    assert.equal(ran.content, "approved\n");
    const denied = answerNext("deny");
    const refused = await execTool.run({ command: "touch refused.txt" }, ctx);
    await denied;
    assert.equal(refused.isError, true);
    assert.match(refused.content, /operator denied/);
    assert.equal(fs.existsSync(path.join(ctx.workspace, "refused.txt")), false);
  });

  test("the CLI lists and answers a pending request (allow-always writes the allowlist that approvals get shows)", async (t) => {
    const config = { tools: { exec: { mode: "ask" } } };
    const gw = await startTestGateway(t, { config });
    const env = { ...gw.env, OPENCLAW_GATEWAY_PORT: String(gw.rt.port) };
    const ctx = toolContext(gw, config);
    fs.writeFileSync(execApprovalsPath(gw.stateDir), JSON.stringify({ version: 1, socket: { path: "/keep.sock" }, agents: { main: { allowlist: [] } } }));
    const running = execTool.run({ command: "printf 'from-cli'" }, ctx);
    await waitUntil(() => brokerOf(gw).list().length === 1, 5000, "a pending approval");

    const pending = await runBinary(["approvals", "pending", "--json"], { env });
    assert.equal(pending.code, 0, pending.stderr);
    const rows = (JSON.parse(pending.stdout) as { approvals: Array<{ id: string; request: { command: string } }> }).approvals;
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.request.command, "printf 'from-cli'");
    const human = await runInProcess(["approvals", "pending"], { env });
    assert.match(human.stdout, new RegExp(`${rows[0]!.id}  exec  agent main`));
    assert.match(human.stdout, /command: printf 'from-cli'/);

    const bad = await runInProcess(["approvals", "resolve", rows[0]!.id, "yes"], { env });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown decision "yes"/);
    const ok = await runInProcess(["approvals", "resolve", rows[0]!.id, "allow-always", "--json"], { env });
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(JSON.parse(ok.stdout), { ok: true, id: rows[0]!.id, decision: "allow-always" });
    const result = await running;
    assert.equal(result.content, "from-cli");

    const missing = await runInProcess(["approvals", "resolve", "no-such-id", "deny", "--json"], { env });
    assert.equal(missing.code, 1, missing.stdout);
    const missingError = (JSON.parse(missing.stdout) as { error: { code: string; hint: string } }).error;
    assert.equal(missingError.code, "NOT_FOUND", "the gateway's own code survives the wire (exit 1, not a usage error)");
    assert.match(missingError.hint, /openclaw approvals pending/);

    const get = await runInProcess(["approvals", "get", "--json"], { env });
    assert.equal(get.code, 0, get.stderr);
    const policy = JSON.parse(get.stdout) as { effective: Record<string, string>; allowlist: Array<{ pattern: string; argPattern?: string; source: string }>; file: string };
    assert.deepEqual(policy.effective, { security: "allowlist", ask: "on-miss", askFallback: "deny" });
    assert.deepEqual(policy.allowlist, [{ pattern: "printf", argPattern: "^from-cli$", source: "allow-always" }]);
    assert.equal(policy.file, execApprovalsPath(gw.stateDir));
    const doc = JSON.parse(fs.readFileSync(policy.file, "utf8")) as { socket: unknown };
    assert.deepEqual(doc.socket, { path: "/keep.sock" }, "unknown keys survive");
    assert.equal((fs.statSync(policy.file).mode & 0o777).toString(8), "600");
  });

  test("OpenClaw's generic approval.get / approval.resolve: pending snapshot, applied once, then the ended snapshot; plugin and system lists are empty", async (t) => {
    const gw = await startTestGateway(t);
    const c = await gw.connect();
    t.after(() => c.close());
    const decision = brokerOf(gw).request(REQ);
    const [row] = (await c.call("exec.approval.list", {})) as Array<{ id: string }>;
    const got = (await c.call("approval.get", { id: row!.id })) as { approval: { status: string; presentation: { kind: string; allowedDecisions: string[]; command: string } } };
    assert.equal(got.approval.status, "pending");
    assert.deepEqual([got.approval.presentation.kind, got.approval.presentation.command], ["exec", "echo hi"]);
    assert.ok(got.approval.presentation.allowedDecisions.includes("allow-always"));
    const first = (await c.call("approval.resolve", { id: row!.id, kind: "exec", decision: "deny" })) as { applied: boolean; approval: { status: string; decision: string; resolver: { id: string } } };
    assert.deepEqual([first.applied, first.approval.status, first.approval.decision], [true, "denied", "deny"]);
    assert.equal(await decision, "deny");
    const again = (await c.call("approval.resolve", { id: row!.id, decision: "deny" })) as { applied: boolean };
    assert.equal(again.applied, false, "a repeated answer is recognised, not applied twice");
    await assert.rejects(c.call("approval.resolve", { id: row!.id, decision: "allow-once" }), /no longer pending/);
    await assert.rejects(c.call("approval.get", { id: "nope" }), /approval not found/);
    assert.deepEqual(await c.call("plugin.approval.list", {}), []);
    assert.deepEqual(await c.call("openclaw.approval.list", {}), []);
  });
});
