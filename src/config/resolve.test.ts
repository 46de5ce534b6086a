import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { REDACTED, resolveRuntimeConfig, toPublicConfig } from "./resolve.js";
import { ConfigSchema, type OpenClawConfig } from "./schema/index.js";

const HOME = path.join(path.sep, "home", "tester");

function config(input: Record<string, unknown> = {}): OpenClawConfig {
  return ConfigSchema.parse(input);
}

const FILE = {
  gateway: { port: 18800, auth: { token: "file-token-value" } },
  logging: { level: "warn", consoleLevel: "error", file: "~/logs/openclaw.log" },
  agents: { defaults: { workspace: "~/ws" }, list: [{ id: "main", workspace: "~/ws-main", agentDir: "~/agent-main" }] },
};

describe("resolveRuntimeConfig: env precedence", () => {
  test("without env overrides the file values are kept and no sources are recorded", () => {
    const { config: out, sources, warnings } = resolveRuntimeConfig(config(FILE), { HOME });
    assert.equal(out.gateway.port, 18800);
    assert.equal(out.gateway.auth?.token, "file-token-value");
    assert.equal(out.logging.level, "warn");
    assert.deepEqual(sources, {});
    assert.deepEqual(warnings, []);
  });

  test("OPENCLAW_GATEWAY_PORT beats the file", () => {
    const { config: out, sources } = resolveRuntimeConfig(config(FILE), { HOME, OPENCLAW_GATEWAY_PORT: " 19001 " });
    assert.equal(out.gateway.port, 19001);
    assert.equal(sources["gateway.port"], "env:OPENCLAW_GATEWAY_PORT");
  });

  test("OPENCLAW_GATEWAY_PORT beats the default when the file has no port", () => {
    assert.equal(resolveRuntimeConfig(config(), { HOME, OPENCLAW_GATEWAY_PORT: "19001" }).config.gateway.port, 19001);
  });

  for (const bad of ["abc", "0", "70000", "12.5", "-1"]) {
    test(`an invalid OPENCLAW_GATEWAY_PORT=${bad} is ignored with a warning`, () => {
      const { config: out, sources, warnings } = resolveRuntimeConfig(config(FILE), { HOME, OPENCLAW_GATEWAY_PORT: bad });
      assert.equal(out.gateway.port, 18800);
      assert.equal(sources["gateway.port"], undefined);
      assert.equal(warnings.length, 1);
      assert.ok(warnings[0]!.includes("OPENCLAW_GATEWAY_PORT") && warnings[0]!.includes(bad), warnings[0]);
    });
  }

  test("OPENCLAW_GATEWAY_TOKEN beats the file token and is recorded in sources", () => {
    const { config: out, sources } = resolveRuntimeConfig(config(FILE), { HOME, OPENCLAW_GATEWAY_TOKEN: "env-token-value" });
    assert.equal(out.gateway.auth?.token, "env-token-value");
    assert.equal(sources["gateway.auth.token"], "env:OPENCLAW_GATEWAY_TOKEN");
  });

  test("OPENCLAW_GATEWAY_PASSWORD sets the password and keeps the other auth keys", () => {
    const { config: out, sources } = resolveRuntimeConfig(config(FILE), { HOME, OPENCLAW_GATEWAY_PASSWORD: "pw-from-env" });
    assert.equal(out.gateway.auth?.password, "pw-from-env");
    assert.equal(out.gateway.auth?.token, "file-token-value");
    assert.equal(sources["gateway.auth.password"], "env:OPENCLAW_GATEWAY_PASSWORD");
  });

  test("the OPENCLAW_ variable beats its legacy CLAWDBOT_ fallback", () => {
    const both = resolveRuntimeConfig(config(FILE), { HOME, OPENCLAW_GATEWAY_TOKEN: "new", CLAWDBOT_GATEWAY_TOKEN: "old" });
    assert.equal(both.config.gateway.auth?.token, "new");
    const legacy = resolveRuntimeConfig(config(FILE), { HOME, CLAWDBOT_GATEWAY_TOKEN: "old" });
    assert.equal(legacy.config.gateway.auth?.token, "old");
    assert.equal(legacy.sources["gateway.auth.token"], "env:CLAWDBOT_GATEWAY_TOKEN");
  });

  test("OPENCLAW_LOG_LEVEL sets both the file and the console level", () => {
    const { config: out, sources } = resolveRuntimeConfig(config(FILE), { HOME, OPENCLAW_LOG_LEVEL: "debug" });
    assert.equal(out.logging.level, "debug");
    assert.equal(out.logging.consoleLevel, "debug");
    assert.equal(sources["logging.level"], "env:OPENCLAW_LOG_LEVEL");
    assert.equal(sources["logging.consoleLevel"], "env:OPENCLAW_LOG_LEVEL");
  });

  test("an invalid OPENCLAW_LOG_LEVEL is ignored with a warning", () => {
    const { config: out, warnings } = resolveRuntimeConfig(config(FILE), { HOME, OPENCLAW_LOG_LEVEL: "loud" });
    assert.equal(out.logging.level, "warn");
    assert.equal(out.logging.consoleLevel, "error");
    assert.ok(warnings.length >= 1 && warnings.every((w) => w.includes("OPENCLAW_LOG_LEVEL")), JSON.stringify(warnings));
  });

  test("blank env values are ignored", () => {
    const { config: out, sources } = resolveRuntimeConfig(config(FILE), { HOME, OPENCLAW_GATEWAY_PORT: "  ", OPENCLAW_GATEWAY_TOKEN: "" });
    assert.equal(out.gateway.port, 18800);
    assert.equal(out.gateway.auth?.token, "file-token-value");
    assert.deepEqual(sources, {});
  });

  test("the input config is not modified", () => {
    const input = config(FILE);
    const copy = structuredClone(input);
    resolveRuntimeConfig(input, { HOME, OPENCLAW_GATEWAY_PORT: "19001", OPENCLAW_GATEWAY_TOKEN: "x", OPENCLAW_LOG_LEVEL: "trace" });
    assert.deepEqual(input, copy);
  });
});

describe("resolveRuntimeConfig: ~ expansion", () => {
  test("~ is expanded in logging.file and agent workspaces / agentDirs", () => {
    const { config: out } = resolveRuntimeConfig(config(FILE), { HOME });
    assert.equal(out.logging.file, path.join(HOME, "logs", "openclaw.log"));
    assert.equal(out.agents?.defaults?.workspace, path.join(HOME, "ws"));
    assert.equal(out.agents?.list?.[0]?.workspace, path.join(HOME, "ws-main"));
    assert.equal(out.agents?.list?.[0]?.agentDir, path.join(HOME, "agent-main"));
  });

  test("~ follows OPENCLAW_HOME", () => {
    const alt = path.join(path.sep, "srv", "oc");
    const { config: out } = resolveRuntimeConfig(config(FILE), { HOME, OPENCLAW_HOME: alt });
    assert.equal(out.logging.file, path.join(alt, "logs", "openclaw.log"));
  });

  test("absolute paths are kept", () => {
    const { config: out } = resolveRuntimeConfig(config({ logging: { file: "/var/log/oc.log" } }), { HOME });
    assert.equal(out.logging.file, "/var/log/oc.log");
  });
});

describe("toPublicConfig", () => {
  test("replaces secret values, keeps ${VAR} references, SecretRefs and other keys", () => {
    const input = {
      gateway: { port: 18789, auth: { mode: "token", token: "a3f9c2e7b1d04f6a8c5e", password: "${GW_PASSWORD}" } },
      models: { providers: { openai: { apiKey: "sk-live-123456789", baseUrl: "https://api.example/v1" } } },
      channels: {
        telegram: { enabled: true, botToken: "123456:ABCDEF", allowFrom: ["tg:1"] },
        slack: { botToken: { source: "env", id: "SLACK_BOT_TOKEN" } },
      },
      agents: { list: [{ id: "main", tools: { allow: ["x"] } }] },
    };
    const before = structuredClone(input);
    const out = toPublicConfig(input);
    assert.deepEqual(out, {
      gateway: { port: 18789, auth: { mode: "token", token: REDACTED, password: "${GW_PASSWORD}" } },
      models: { providers: { openai: { apiKey: REDACTED, baseUrl: "https://api.example/v1" } } },
      channels: {
        telegram: { enabled: true, botToken: REDACTED, allowFrom: ["tg:1"] },
        slack: { botToken: { source: "env", id: "SLACK_BOT_TOKEN" } },
      },
      agents: { list: [{ id: "main", tools: { allow: ["x"] } }] },
    });
    assert.equal(REDACTED, "__OPENCLAW_REDACTED__");
    assert.deepEqual(input, before);
  });

  test("a secret inside a larger string is redacted entirely", () => {
    const out = toPublicConfig({ hooks: { token: "prefix-${HOOK_TOKEN}" } });
    assert.deepEqual(out, { hooks: { token: REDACTED } });
  });
});
