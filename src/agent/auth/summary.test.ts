import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { saveAuthStore } from "./store.js";
import { authFixCommand, summarizeAgentModelAuth } from "./summary.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-auth-summary-"));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const NOW = Date.UTC(2026, 5, 1);
const HOUR = 3_600_000;
const ACCESS = "sk-ant-oat01-PLANTEDsummaryACCESS000000000000000";
const KEY = "sk-proj-PLANTEDsummaryKEY000000000000000000000";

describe("summarizeAgentModelAuth", () => {
  test("states per provider: expired OAuth, env key ok, cooldown; problems carry the fix; no secret anywhere", () => {
    const file = path.join(root, "a", "auth-profiles.json");
    saveAuthStore(file, {
      version: 1,
      profiles: {
        "anthropic:claude": { type: "oauth", provider: "anthropic", access: ACCESS, refresh: "r", expires: NOW - HOUR },
        "openrouter:default": { type: "api_key", provider: "openrouter", key: KEY },
      },
      usageStats: { "openrouter:default": { cooldownUntil: NOW + 10 * 60_000, disabledReason: "rate_limit", errorCount: 2 } },
    });
    const config = { agents: { defaults: { model: { primary: "anthropic/claude-opus-4-6", fallbacks: ["openai/gpt-5", "openrouter/x/y"] } } } };
    const m = summarizeAgentModelAuth({ config, env: { OPENAI_API_KEY: KEY }, storeFile: file, agentId: "main", now: NOW });
    assert.equal(m.defaultModel, "anthropic/claude-opus-4-6");
    assert.deepEqual(m.fallbacks, ["openai/gpt-5", "openrouter/x/y"]);
    assert.deepEqual(
      m.providers.map((p) => [p.provider, p.status, p.source]),
      [
        ["anthropic", "expired", "none"],
        ["openai", "ok", "env:OPENAI_API_KEY"],
        ["openrouter", "cooldown", "profiles:openrouter:default"],
      ],
    );
    assert.equal(m.status, "expired");
    assert.equal(m.checkExitCode, 1);
    assert.deepEqual(m.expiring, [{ profileId: "anthropic:claude", provider: "anthropic", type: "oauth", status: "expired", expiresAt: new Date(NOW - HOUR).toISOString(), remainingMs: -HOUR }]);
    assert.deepEqual(m.cooldowns, [{ profileId: "openrouter:default", provider: "openrouter", kind: "cooldown", reason: "rate_limit", until: new Date(NOW + 10 * 60_000).toISOString() }]);
    assert.ok(m.problems.includes(`anthropic:claude expired at ${new Date(NOW - HOUR).toISOString()} — run \`openclaw models auth setup-token --provider anthropic\``), m.problems.join("\n"));
    const json = JSON.stringify(m);
    assert.ok(!json.includes(ACCESS) && !json.includes(KEY));
  });

  test("expiring within 24 h, missing, an unreadable store, and the fix command per provider", () => {
    const file = path.join(root, "b", "auth-profiles.json");
    saveAuthStore(file, { version: 1, profiles: { "anthropic:tok": { type: "token", provider: "anthropic", token: ACCESS, expires: NOW + 3 * HOUR } } });
    const m = summarizeAgentModelAuth({ config: { agents: { defaults: { model: "anthropic/claude-opus-4-6" } } }, env: {}, storeFile: file, agentId: "main", now: NOW });
    assert.equal(m.status, "expiring");
    assert.equal(m.checkExitCode, 2);
    assert.deepEqual(m.problems, [`anthropic:tok expires within 24 h (${new Date(NOW + 3 * HOUR).toISOString()}) — run \`openclaw models auth setup-token --provider anthropic\``]);

    const none = summarizeAgentModelAuth({ config: { agents: { defaults: { model: "openai/gpt-5" } } }, env: {}, storeFile: path.join(root, "none", "auth-profiles.json"), agentId: "main", now: NOW });
    assert.equal(none.status, "missing");
    assert.deepEqual(none.problems, ["No credentials found for profile openai:default — run `openclaw models auth paste-token --provider openai`"]);

    const badFile = path.join(root, "bad", "auth-profiles.json");
    fs.mkdirSync(path.dirname(badFile), { recursive: true });
    fs.writeFileSync(badFile, "{ not json");
    const bad = summarizeAgentModelAuth({ config: {}, env: { ANTHROPIC_API_KEY: KEY }, storeFile: badFile, agentId: "main", now: NOW });
    assert.equal(bad.status, "ok");
    assert.match(bad.problems[0]!, /cannot read auth profiles .*bad\/auth-profiles.json/);

    assert.equal(authFixCommand("anthropic"), "openclaw models auth setup-token --provider anthropic");
    assert.equal(authFixCommand("openai"), "openclaw models auth paste-token --provider openai");
  });
});
