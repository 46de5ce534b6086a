/** Effective sandbox settings and the naming rules. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isSessionSandboxed, resolveSandboxSettings, sandboxContainerName, sandboxMainSessionKey, sandboxScopeKey, slugifyScopeKey } from "./settings.js";

describe("sandbox settings", () => {
  test("OpenClaw's defaults when nothing is set", () => {
    const s = resolveSandboxSettings({}, "main");
    assert.equal(s.mode, "off");
    assert.equal(s.scope, "agent");
    assert.equal(s.workspaceAccess, "none");
    assert.equal(s.docker.image, "openclaw-sandbox:bookworm-slim");
    assert.equal(s.docker.containerPrefix, "openclaw-sbx-");
    assert.equal(s.docker.network, "none");
    assert.deepEqual(s.prune, { idleHours: 24, maxAgeDays: 7 });
    assert.equal(s.sources.mode, "default");
  });

  test("an agent's sandbox block wins over agents.defaults.sandbox, key by key; binds add up", () => {
    const config = {
      agents: {
        defaults: { sandbox: { mode: "non-main", scope: "session", docker: { image: "base:1", binds: ["/a:/a:ro"], env: { A: "1" } }, prune: { idleHours: 2 } } },
        list: [{ id: "main" }, { id: "work", sandbox: { mode: "all", docker: { network: "bridge", binds: ["/b:/b"], env: { B: "2" } } } }],
      },
    };
    const work = resolveSandboxSettings(config, "work");
    assert.equal(work.mode, "all");
    assert.equal(work.sources.mode, "agents.list[1].sandbox.mode");
    assert.equal(work.scope, "session");
    assert.equal(work.sources.scope, "agents.defaults.sandbox.scope");
    assert.equal(work.docker.image, "base:1");
    assert.equal(work.docker.network, "bridge");
    assert.deepEqual(work.docker.binds, ["/a:/a:ro", "/b:/b"]);
    assert.deepEqual(work.docker.env, { A: "1", B: "2" });
    assert.deepEqual(work.prune, { idleHours: 2, maxAgeDays: 7 });
    assert.equal(resolveSandboxSettings(config, "main").mode, "non-main");
    const entries = resolveSandboxSettings({ agents: { entries: { ops: { sandbox: { mode: "all" } } } } }, "ops");
    assert.equal(entries.sources.mode, "agents.entries.ops.sandbox.mode");
  });

  test("non-main sandboxes every session but the agent's main one; all sandboxes every one; off none", () => {
    const main = sandboxMainSessionKey({}, "main");
    assert.equal(main, "agent:main:main");
    assert.equal(isSessionSandboxed({ mode: "non-main" }, "agent:main:main", main), false);
    assert.equal(isSessionSandboxed({ mode: "non-main" }, "agent:main:telegram:direct:42", main), true);
    assert.equal(isSessionSandboxed({ mode: "all" }, "agent:main:main", main), true);
    assert.equal(isSessionSandboxed({ mode: "off" }, "agent:main:x", main), false);
    assert.equal(sandboxMainSessionKey({ session: { mainKey: "home" } }, "work"), "agent:work:home");
    assert.equal(sandboxMainSessionKey({ session: { scope: "global" } }, "work"), "global");
  });

  test("scope keys and container names (prefix + readable slug + hash, at most 63 chars)", () => {
    assert.equal(sandboxScopeKey("session", "agent:main:x", "main"), "agent:main:x");
    assert.equal(sandboxScopeKey("agent", "agent:main:x", "main"), "agent:main");
    assert.equal(sandboxScopeKey("shared", "agent:main:x", "main"), "shared");
    assert.match(slugifyScopeKey("agent:main:main"), /^agent-main-main-[0-9a-f]{8}$/);
    assert.equal(sandboxContainerName("openclaw-sbx-", "shared", "shared"), "openclaw-sbx-shared");
    const long = sandboxContainerName("a-very-long-prefix-that-goes-on-and-on-and-on-", "session", "agent:main:telegram:group:-100123456789:topic:99");
    assert.ok(long.length <= 63, long);
    assert.match(long, /-[0-9a-f]{8}$/);
  });
});
