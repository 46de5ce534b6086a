/** `sandbox explain` as data: effective values with their config paths, short session names expanded. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { explainSandbox, renderSandboxExplanation } from "./explain.js";

test("explain: non-main sandboxes a short-named session of the agent; mounts and tool policy follow the config", () => {
  const config = { agents: { defaults: { sandbox: { mode: "non-main", workspaceAccess: "ro" } }, list: [{ id: "work", tools: { sandbox: { tools: { deny: ["browser"] } } } }] }, tools: { elevated: { enabled: true } } };
  const e = explainSandbox({ config, agentId: "work", sessionKey: "telegram:direct:1", workspace: "/ws/work", stateDir: "/state" });
  assert.equal(e.sessionKey, "agent:work:telegram:direct:1");
  assert.equal(e.mainSessionKey, "agent:work:main");
  assert.equal(e.sandbox.sessionIsSandboxed, true);
  assert.equal(e.sandbox.sources.mode, "agents.defaults.sandbox.mode");
  assert.equal(e.sandbox.scopeKey, "agent:work");
  assert.deepEqual(
    e.sandbox.workspaceMounts.map((m) => [m.containerRoot, m.writable]),
    [
      ["/workspace", true],
      ["/agent", false],
    ],
  );
  assert.deepEqual(e.sandbox.tools.deny, ["browser"]);
  assert.equal(e.sandbox.tools.sources.deny, "agent work tools.sandbox.tools.deny");
  assert.equal(e.elevated.enabled, true);
  assert.ok(e.fixIt.includes("agents.defaults.sandbox.mode=off"));
  const main = explainSandbox({ config, agentId: "work", workspace: "/ws/work", stateDir: "/state" });
  assert.equal(main.sandbox.sessionIsSandboxed, false, "the main session runs direct under non-main");
  assert.deepEqual(main.sandbox.workspaceMounts, []);
  assert.ok(renderSandboxExplanation(e).some((l) => l.includes("Hint: sandbox mode is non-main")));
});
