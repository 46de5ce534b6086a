import assert from "node:assert/strict";
import { test } from "node:test";
import { checkModelRef, isModelPath, type ModelAuthFacts, modelRefsIn } from "./model-auth.js";

const facts = (over: Partial<ModelAuthFacts> = {}): ModelAuthFacts => ({ profileProviders: new Set(), envKeys: new Set(), customProviders: new Map(), aliases: new Map(), envFile: "/s/.env", ...over });

test("checkModelRef: known/unknown providers, credentials from env, profiles, custom apiKey; aliases; local providers", () => {
  assert.equal(checkModelRef("openai/gpt-4", facts())[0]?.kind, "no-credentials");
  assert.deepEqual(checkModelRef("openai/gpt-4", facts({ envKeys: new Set(["OPENAI_API_KEY"]) })), []);
  assert.deepEqual(checkModelRef("anthropic/claude-opus-4-6", facts({ profileProviders: new Set(["anthropic"]) })), []);
  assert.equal(checkModelRef("acme/x", facts())[0]?.kind, "unknown-provider");
  assert.equal(checkModelRef("acme/x", facts({ customProviders: new Map([["acme", { apiKey: false }]]) }))[0]?.kind, "no-credentials");
  assert.deepEqual(checkModelRef("acme/x", facts({ customProviders: new Map([["acme", { apiKey: true }]]) })), []);
  assert.deepEqual(checkModelRef("ollama/llama3.3", facts()), []);
  assert.equal(checkModelRef("gpt-4", facts())[0]?.kind, "not-a-ref");
  assert.equal(checkModelRef("fast", facts({ aliases: new Map([["fast", "openai/gpt-4"]]) }))[0]?.kind, "no-credentials");
  // A ref with a slash in the model id keeps its provider.
  assert.deepEqual(checkModelRef("openrouter/meta-llama/llama-3", facts({ envKeys: new Set(["OPENROUTER_API_KEY"]) })), []);
});

test("isModelPath and modelRefsIn", () => {
  for (const p of [["agents", "defaults", "model"], ["agents", "defaults", "model", "primary"], ["agents", "defaults", "model", "fallbacks", 0], ["agents", "defaults", "imageModel"], ["agents", "list", 0, "model"], ["agents", "entries", "main", "model"]]) assert.ok(isModelPath(p), p.join("."));
  for (const p of [["agents", "defaults", "models"], ["agents", "defaults", "workspace"], ["models", "providers"], ["agents", "defaults", "model", "primary", "x", "y"]]) assert.ok(!isModelPath(p), p.join("."));
  assert.deepEqual(modelRefsIn({ primary: "a/b", fallbacks: ["c/d"] }), ["a/b", "c/d"]);
  assert.deepEqual(modelRefsIn(["a/b"]), ["a/b"]);
  assert.deepEqual(modelRefsIn(3), []);
});
