import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { contextWindowOf, DEFAULT_CONTEXT_WINDOW, listCatalog, resolveModelCatalog } from "./catalog.js";

const config = {
  models: {
    providers: {
      anthropic: { models: [{ id: "claude-sonnet-4-5", contextWindow: 1_000_000 }] },
      local: { baseUrl: "http://127.0.0.1:1/v1", models: [{ id: "m1", name: "Model One", contextWindow: 32_000, input: ["text"] }, { id: "" }] },
    },
  },
  agents: { defaults: { model: { primary: "local/m1", fallbacks: ["anthropic/claude-haiku-4-5"] } } },
};

describe("model catalog", () => {
  test("built-in rows merge with config rows, config winning field by field", () => {
    const rows = new Map(resolveModelCatalog(config).map((r) => [r.key, r]));
    assert.equal(rows.get("anthropic/claude-sonnet-4-5")?.contextWindow, 1_000_000);
    assert.equal(rows.get("anthropic/claude-sonnet-4-5")?.name, "Claude Sonnet 4.5");
    assert.equal(rows.get("anthropic/claude-sonnet-4-5")?.source, "builtin+config");
    assert.deepEqual(rows.get("local/m1"), { key: "local/m1", id: "m1", provider: "local", name: "Model One", contextWindow: 32_000, maxTokens: 8192, input: ["text"], reasoning: false, source: "config" });
    assert.ok(rows.has("openai/gpt-5"));
    assert.ok(![...rows.keys()].some((k) => k === "local/"), "an entry without id is skipped");
  });

  test("views: all is everything, configured is the chain plus config rows, default is the allowlist when set", () => {
    const all = listCatalog(config, "all").map((r) => r.key);
    assert.ok(all.length > 10);
    assert.deepEqual(listCatalog(config, "default").map((r) => r.key), all);
    assert.deepEqual(listCatalog(config, "configured").map((r) => r.key).sort(), ["anthropic/claude-haiku-4-5", "anthropic/claude-sonnet-4-5", "local/m1"]);
    const withAllow = { ...config, agents: { defaults: { ...config.agents.defaults, models: { "openai/gpt-5": { alias: "g" }, "custom/unknown": {} } } } };
    assert.deepEqual(listCatalog(withAllow, "default").map((r) => [r.key, r.contextWindow]), [["openai/gpt-5", 400_000], ["custom/unknown", DEFAULT_CONTEXT_WINDOW]]);
  });

  test("contextWindowOf: catalog, config entry, alias, else 200k; agents.defaults.contextTokens caps it", () => {
    assert.equal(contextWindowOf(config, "local/m1"), 32_000);
    assert.equal(contextWindowOf(config, "openai/gpt-4o"), 128_000);
    assert.equal(contextWindowOf(config, "nobody/knows"), 200_000);
    assert.equal(contextWindowOf(config, "not a ref"), 200_000);
    const aliased = { agents: { defaults: { models: { "openai/gpt-4o": { alias: "fast" } }, contextTokens: 50_000 } } };
    assert.equal(contextWindowOf(aliased, "fast"), 50_000);
    assert.equal(contextWindowOf({ agents: { defaults: { models: { "openai/gpt-4o": { alias: "fast" } } } } }, "fast"), 128_000);
  });
});
