import assert from "node:assert/strict";
import fs from "node:fs";
import { after, describe, test } from "node:test";
import { explainToolDenial, resolveAgentTools, resolveToolPolicyLayers } from "./policy.js";
import { sessionStatusTool, sessionsHistoryTool, sessionsListTool, sessionsSendTool } from "./session-tools.js";
import { createTestToolContext, type TestToolContext } from "./test-context.js";

const ALL = ["read", "write", "edit", "exec", "sessions_list", "sessions_history", "sessions_send", "session_status"];
function names(config: Record<string, unknown>, agentId = "main", provider = "anthropic", model?: string): string[] {
  return resolveAgentTools({ config, agentId, provider, ...(model ? { model } : {}) }).map((t) => t.name);
}

describe("tool policy (profile → provider profile → allow/deny; deny wins)", () => {
  test("no profile and full offer every built-in", () => {
    assert.deepEqual(names({}), ALL);
    assert.deepEqual(names({ tools: { profile: "full" } }), ALL);
  });

  test("profiles: minimal, coding, messaging", () => {
    assert.deepEqual(names({ tools: { profile: "minimal" } }), ["session_status"]);
    assert.deepEqual(names({ tools: { profile: "coding" } }), ALL);
    assert.deepEqual(names({ tools: { profile: "messaging" } }), ["sessions_list", "sessions_history", "sessions_send", "session_status"]);
    assert.deepEqual(names({ tools: { profile: "minimal", alsoAllow: ["read"] } }), ["read", "session_status"]);
  });

  test("allow narrows, groups and wildcards expand, case-insensitive; bash means exec", () => {
    assert.deepEqual(names({ tools: { allow: ["group:fs"] } }), ["read", "write", "edit"]);
    assert.deepEqual(names({ tools: { allow: ["SESSIONS_*", "Bash"] } }), ["exec", "sessions_list", "sessions_history", "sessions_send"]);
    assert.deepEqual(names({ tools: { allow: ["group:openclaw"] } }), ["sessions_list", "sessions_history", "sessions_send", "session_status"]);
    assert.deepEqual(names({ tools: { deny: ["group:runtime", "write"] } }), ["read", "edit", "sessions_list", "sessions_history", "sessions_send", "session_status"]);
  });

  test("deny wins over allow at every layer", () => {
    // The matrix: a tool allowed by one layer and denied by any other layer is gone.
    const denySites: Array<Record<string, unknown>> = [
      { tools: { allow: ["exec", "read"], deny: ["exec"] } },
      { tools: { allow: ["exec", "read"], byProvider: { anthropic: { deny: ["exec"] } } } },
      { tools: { allow: ["exec", "read"] }, agents: { list: [{ id: "main", tools: { deny: ["exec"] } }] } },
      { tools: { allow: ["exec", "read"] }, agents: { entries: { main: { tools: { deny: ["group:runtime"] } } } } },
      { agents: { entries: { main: { tools: { allow: ["exec", "read"], byProvider: { anthropic: { deny: ["exec"] } } } } } } },
      { tools: { deny: ["*"] }, agents: { entries: { main: { tools: { allow: ["exec", "read"] } } } } },
    ];
    for (const config of denySites) {
      assert.equal(names(config).includes("exec"), false, JSON.stringify(config));
    }
    const layers = resolveToolPolicyLayers({ config: denySites[2]!, agentId: "main", provider: "anthropic" });
    assert.equal(explainToolDenial("exec", layers), "denied by agents.main.tools.deny");
    assert.equal(explainToolDenial("write", layers), "not in tools.allow");
  });

  test("byProvider: provider profile, provider/model key first, other providers untouched", () => {
    const config = { tools: { profile: "coding", byProvider: { anthropic: { profile: "minimal" }, "openai/gpt-5": { allow: ["group:fs", "sessions_list"] } } } };
    assert.deepEqual(names(config, "main", "anthropic"), ["session_status"]);
    assert.deepEqual(names(config, "main", "openai", "gpt-5"), ["read", "write", "edit", "sessions_list"]);
    assert.deepEqual(names(config, "main", "openai", "gpt-4o"), ALL);
    assert.deepEqual(names(config, "main", "OpenRouter"), ALL);
  });

  test("per-agent overrides: its profile replaces the global one, other agents keep the global policy", () => {
    const config = { tools: { profile: "minimal" }, agents: { list: [{ id: "coder", tools: { profile: "coding", deny: ["sessions_send"] } }, { id: "main" }] } };
    assert.deepEqual(names(config, "main"), ["session_status"]);
    assert.deepEqual(names(config, "coder"), ALL.filter((n) => n !== "sessions_send"));
  });
});

const made: TestToolContext[] = [];
after(() => {
  for (const c of made) fs.rmSync(c.root, { recursive: true, force: true });
});

describe("session tools", () => {
  test("list, history, send and status go through ctx.sessions", async () => {
    const sent: Array<[string, string, number | undefined]> = [];
    const c = createTestToolContext({
      sessions: {
        list: (o) => [{ key: "agent:main:other", sessionId: "s2", agentId: o.agentId ?? "main", updatedAt: 5 }],
        history: (key, o) => [{ role: "user", text: `hi ${key} ${o.limit}` }],
        send: async (key, message, o) => {
          sent.push([key, message, o.timeoutMs]);
          return { runId: "r1", status: "ok", reply: "pong" };
        },
        status: (key) => (key === "agent:main:main" ? { model: "anthropic/claude" } : undefined),
      },
    });
    made.push(c);
    const list = JSON.parse((await sessionsListTool.run({ agentId: "main" }, c)).content);
    assert.equal(list.sessions[0].key, "agent:main:other");
    const hist = JSON.parse((await sessionsHistoryTool.run({ sessionKey: "agent:main:other", limit: 3 }, c)).content);
    assert.equal(hist.messages[0].text, "hi agent:main:other 3");
    const send = await sessionsSendTool.run({ sessionKey: "agent:main:other", message: "ping", timeoutSeconds: 2 }, c);
    assert.equal(JSON.parse(send.content).reply, "pong");
    assert.deepEqual(sent, [["agent:main:other", "ping", 2000]]);
    assert.match((await sessionsSendTool.run({ sessionKey: "current", message: "x" }, c)).content, /cannot send to the current session/);
    assert.equal(JSON.parse((await sessionStatusTool.run({}, c)).content).model, "anthropic/claude");
    assert.match((await sessionStatusTool.run({ sessionKey: "nope" }, c)).content, /no session nope/);
    assert.match((await sessionsHistoryTool.run({ sessionKey: "" }, c)).content, /sessionKey is required/);
  });

  test("a failing sessions port becomes a tool error, not a thrown error", async () => {
    const c = createTestToolContext();
    made.push(c);
    const r = await sessionsSendTool.run({ sessionKey: "agent:main:x", message: "hi" }, c);
    assert.equal(r.isError, true);
    assert.match(r.content, /sessions_send: no sessions in this test/);
  });
});

describe("the gateway's credentials stay out of tool results", () => {
  test("exec children do not inherit them, and a result that contains one has it masked", async () => {
    const key = "sk-ant-planted-0123456789abcdef";
    const token = "gw-token-planted-0123456789";
    const c = createTestToolContext();
    made.push(c);
    c.env = { ...c.env, ANTHROPIC_API_KEY: key, OPENCLAW_GATEWAY_TOKEN: token, HARMLESS: "visible-value" };
    fs.writeFileSync(`${c.workspace}/leak.txt`, `key=${key}\n`);
    const tools = resolveAgentTools({ config: {}, agentId: "main", provider: "anthropic" });
    const exec = tools.find((t) => t.name === "exec")!;
    const read = tools.find((t) => t.name === "read")!;
    const env = await exec.run({ command: 'echo "a=${ANTHROPIC_API_KEY:-unset} t=${OPENCLAW_GATEWAY_TOKEN:-unset} h=$HARMLESS"' }, c);
    assert.equal(env.content, "a=unset t=unset h=visible-value\n");
    const file = await read.run({ path: "leak.txt" }, c);
    assert.ok(!file.content.includes(key), file.content);
    assert.match(file.content, /^key=sk-a/);
    const echoed = await exec.run({ command: "cat leak.txt" }, c);
    assert.ok(!echoed.content.includes(key), echoed.content);
  });
});
