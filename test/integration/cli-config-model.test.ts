/**
 * `config set` of a model ref warns (never refuses) when the provider is unknown or has no
 * credentials: no auth profile, no key variable in the environment or `<stateDir>/.env`.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import JSON5 from "json5";
import { runInProcess, tempHome } from "../helpers/cli.js";

function setup(t: { after(fn: () => void): void }) {
  const { home, env } = tempHome(t);
  const stateDir = path.join(home, ".openclaw");
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(stateDir, "openclaw.json"), '{ gateway: { mode: "local" } }\n', { mode: 0o600 });
  return { home, env, stateDir, configPath: path.join(stateDir, "openclaw.json") };
}

const model = (configPath: string) => (JSON5.parse(readFileSync(configPath, "utf8")) as { agents?: { defaults?: { model?: unknown } } }).agents?.defaults?.model;

describe("config set of a model ref", () => {
  test("openai/gpt-4 without OPENAI_API_KEY or an auth profile: written, with a warning naming the fix", async (t) => {
    const s = setup(t);
    const r = await runInProcess(["config", "set", "agents.defaults.model", "openai/gpt-4"], { env: s.env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(model(s.configPath), "openai/gpt-4", "a warning, not a refusal");
    const warnings = r.stderr.split("\n").filter((l) => l.startsWith("warning:"));
    assert.equal(warnings.length, 1, r.stderr);
    assert.match(warnings[0]!, /no credentials for provider "openai"/);
    assert.match(warnings[0]!, /OPENAI_API_KEY/);
    assert.match(warnings[0]!, /openclaw models auth paste-token --provider openai/);
  });

  test("--json keeps stdout one JSON value; the warning goes to stderr", async (t) => {
    const s = setup(t);
    const r = await runInProcess(["config", "set", "agents.defaults.model.primary", '"openai/gpt-4"', "--json"], { env: s.env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { path: string }).path, "agents.defaults.model.primary");
    assert.match(r.stderr, /no credentials for provider "openai"/);
  });

  test("an unknown provider is named", async (t) => {
    const s = setup(t);
    const r = await runInProcess(["config", "set", "agents.defaults.model", '{ primary: "acme/brain-1", fallbacks: ["openai/gpt-4"] }'], { env: { ...s.env, OPENAI_API_KEY: "sk-test-0000000000000000" } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /provider "acme" is not a built-in provider and is not defined under models\.providers/);
    assert.doesNotMatch(r.stderr, /"openai"/, "the fallback has a key in the environment");
  });

  test("no warning when a credential exists: state-dir .env, an auth profile, models.providers apiKey, a local provider", async (t) => {
    const s = setup(t);
    writeFileSync(path.join(s.stateDir, ".env"), "OPENAI_API_KEY=sk-from-dotenv-000000000000\n", { mode: 0o600 });
    const agentDir = path.join(s.stateDir, "agents", "main", "agent");
    mkdirSync(agentDir, { recursive: true });
    writeFileSync(path.join(agentDir, "auth-profiles.json"), JSON.stringify({ version: 1, profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: "sk-ant-test-0000000000" } } }), { mode: 0o600 });
    const quiet = async (...args: string[]) => {
      const r = await runInProcess(["config", "set", ...args], { env: s.env });
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /^warning:/m, `${args.join(" ")}: ${r.stderr}`);
    };
    await quiet("agents.defaults.model", "openai/gpt-4");
    await quiet("agents.defaults.model", "anthropic/claude-opus-4-6");
    await quiet("agents.defaults.model", "ollama/llama3.3");
    await quiet("models.providers.acme", '{ baseUrl: "http://127.0.0.1:9", apiKey: "acme-key-0000000000", api: "openai-completions", models: [] }');
    await quiet("agents.defaults.model", "acme/brain-1");
  });

  test("other paths never warn about models", async (t) => {
    const s = setup(t);
    const r = await runInProcess(["config", "set", "agents.defaults.workspace", "~/work"], { env: s.env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr.trim(), "");
  });
});
