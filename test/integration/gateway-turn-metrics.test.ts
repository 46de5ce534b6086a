/**
 * Turn metrics through a real gateway: summaries recorded on the agents subsystem show up in
 * `/metrics` (Prometheus text) and in `health.turns`, with no message content or secret.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { TurnSummary } from "../../src/agent/index.js";
import type { AgentsSubsystem } from "../../src/gateway/subsystems/agents/index.js";
import { startTestGateway } from "../helpers/gateway.js";

const SECRET = "sk-ant-api03-PLANTEDmetricsKEY0000000000000000";

function summary(over: Partial<TurnSummary>): TurnSummary {
  return {
    runId: "r1",
    agentId: "main",
    sessionKey: "agent:main:main",
    status: "ok",
    startedAt: 1000,
    endedAt: 2000,
    model: "anthropic/claude-test",
    provider: "anthropic",
    inputTokens: 100,
    outputTokens: 20,
    modelCalls: 1,
    toolCalls: 0,
    failovers: 0,
    providerErrors: [],
    providerFirstByteMs: 80,
    providerTotalMs: 400,
    ...over,
  };
}

describe("turn metrics", () => {
  test("recorded turns are scraped from /metrics and summarised in health", async (t) => {
    const gw = await startTestGateway(t);
    const agents = gw.rt.subsystems().find((s) => s.name === "agents") as AgentsSubsystem;
    agents.turns.record(summary({}));
    agents.turns.record(
      summary({
        runId: "r2",
        status: "error",
        inputTokens: 50,
        outputTokens: 0,
        modelCalls: 2,
        failovers: 1,
        provider: "openai",
        providerErrors: [{ provider: "anthropic", model: "claude-test", kind: "auth" }],
        providerFirstByteMs: 200,
        providerTotalMs: 3000,
        errorMessage: `401 invalid x-api-key ${SECRET}`,
      }),
    );
    agents.turns.record(summary({ runId: "r3", status: "aborted", modelCalls: 0, provider: undefined, inputTokens: 0, outputTokens: 0 }));
    const res = await fetch(`http://127.0.0.1:${gw.rt.port}/metrics`, { headers: { authorization: `Bearer ${gw.token}` } });
    assert.equal(res.status, 200);
    const text = await res.text();
    const value = (line: string) => {
      const found = text.split("\n").find((l) => l.startsWith(`${line} `));
      assert.ok(found, `missing ${line}\n${text}`);
      return Number(found.slice(line.length + 1));
    };
    assert.equal(value('openclaw_agent_turns_total{status="ok"}'), 1);
    assert.equal(value('openclaw_agent_turns_total{status="error"}'), 1);
    assert.equal(value('openclaw_agent_turns_total{status="aborted"}'), 1);
    assert.equal(value('openclaw_agent_turns_total{status="timeout"}'), 0);
    assert.equal(value('openclaw_agent_tokens_total{direction="input"}'), 150);
    assert.equal(value('openclaw_agent_tokens_total{direction="output"}'), 20);
    assert.equal(value("openclaw_agent_failovers_total"), 1);
    assert.equal(value("openclaw_agent_model_calls_total"), 3);
    assert.equal(value('openclaw_provider_errors_total{provider="anthropic",kind="auth"}'), 1);
    assert.equal(value('openclaw_provider_first_byte_ms_count{provider="anthropic"}'), 1);
    assert.equal(value('openclaw_provider_first_byte_ms_sum{provider="anthropic"}'), 80);
    assert.equal(value('openclaw_provider_first_byte_ms_bucket{provider="anthropic",le="100"}'), 1);
    assert.equal(value('openclaw_provider_first_byte_ms_bucket{provider="anthropic",le="50"}'), 0);
    assert.equal(value('openclaw_provider_duration_ms_count{provider="openai"}'), 2);
    assert.equal(value('openclaw_provider_duration_ms_sum{provider="openai"}'), 3000);
    assert.equal(value('openclaw_provider_duration_ms_bucket{provider="openai",le="1000"}'), 0);
    assert.equal(value('openclaw_provider_duration_ms_bucket{provider="openai",le="2500"}'), 2);
    assert.match(text, /# TYPE openclaw_provider_duration_ms histogram/);
    // The core's lines are still there, and every sample line is well-formed.
    assert.ok(value("openclaw_uptime_seconds") >= 0);
    for (const line of text.trim().split("\n")) assert.match(line, /^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? -?[\d.e+]+)$/, line);

    const c = await gw.connect();
    t.after(() => c.close());
    const health = (await c.call("health", {})) as { turns: { total: number; byStatus: Record<string, number>; failovers: number; providerErrors: number; lastError: { message: string } | null } };
    assert.equal(health.turns.total, 3);
    assert.deepEqual(health.turns.byStatus, { ok: 1, error: 1, aborted: 1, timeout: 0 });
    assert.equal(health.turns.failovers, 1);
    assert.equal(health.turns.providerErrors, 1);
    assert.match(health.turns.lastError?.message ?? "", /^401 invalid x-api-key/);
    assert.ok(!JSON.stringify(health).includes(SECRET), "the planted key is redacted from health");
    assert.ok(!text.includes(SECRET));
  });
});

describe("turn metrics from real turns", () => {
  test("a turn that fails over from a 401 primary is counted with its tokens, provider error and latency", async (t) => {
    const { startFakeLlm } = await import("../helpers/fake-llm.js");
    const llm = await startFakeLlm((req) => (req.api === "anthropic" ? { status: 401, message: "invalid x-api-key" } : { text: "pong", usage: { input: 30, output: 4 } }));
    t.after(() => llm.close());
    const gw = await startTestGateway(t, {
      config: {
        models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: SECRET }, openai: { baseUrl: llm.openaiUrl, apiKey: "sk-proj-PLANTEDmetricsOPENAI000000000000000" } } },
        agents: { defaults: { model: { primary: "anthropic/claude-test", fallbacks: ["openai/gpt-test"] } } },
      },
    });
    const c = await gw.connect();
    t.after(() => c.close());
    const final = (await c.call("agent", { message: "ping", agentId: "main", idempotencyKey: "m1" }, { expectFinal: true, timeoutMs: 20_000 })) as { status: string };
    assert.equal(final.status, "ok", JSON.stringify(final));
    const scrape = async () => (await fetch(`http://127.0.0.1:${gw.rt.port}/metrics`, { headers: { authorization: `Bearer ${gw.token}` } })).text();
    const { pollUntil } = await import("../../src/infra/index.js");
    // The summary is recorded when the run settles, which may be just after the final answer.
    assert.ok(await pollUntil(async () => (await scrape()).includes('openclaw_agent_turns_total{status="ok"} 1'), 5000));
    const text = await scrape();
    assert.match(text, /^openclaw_agent_tokens_total\{direction="input"\} 30$/m);
    assert.match(text, /^openclaw_agent_tokens_total\{direction="output"\} 4$/m);
    assert.match(text, /^openclaw_agent_failovers_total 1$/m);
    assert.match(text, /^openclaw_provider_errors_total\{provider="anthropic",kind="auth"\} 1$/m);
    assert.match(text, /^openclaw_provider_first_byte_ms_count\{provider="openai"\} 1$/m);
    assert.ok(!text.includes(SECRET));
  });
});
