/**
 * The model SDKs load only when a request is made: no command chunk of the built CLI (`status`,
 * `health`, `config get`, `models status`, …) statically reaches @anthropic-ai/sdk or openai; they
 * sit in chunks reached through dynamic `import()` alone — and, bundled, they still work.
 */
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { ROOT, runBinary, tempHome } from "../helpers/cli.js";
import { startFakeLlm } from "../helpers/fake-llm.js";

const DIST = path.join(ROOT, "dist");
/** Strings only the SDKs' HTTP cores carry (and grammy's HTTP error text: the Telegram SDK is lazy too). */
const SDK_MARKER = /x-stainless-|anthropic-version|Network request for '/i;

function staticGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"|^import\s+"(\.[^"]+)"/gm)) staticGraph(path.resolve(path.dirname(file), (m[1] ?? m[2])!), seen);
  return seen;
}

test("no CLI command statically loads a model SDK; the SDKs are their own lazy chunks", () => {
  const entry = path.join(DIST, "cli.js");
  const text = readFileSync(entry, "utf8");
  const commandChunks = [...text.matchAll(/import\("\.\/(chunks\/[^"]+\.js)"\)/g)].map((m) => path.join(DIST, m[1]!));
  assert.ok(commandChunks.length > 20, "the command table imports its commands lazily");
  for (const file of [entry, ...commandChunks]) {
    const hits = [...staticGraph(file)].filter((f) => SDK_MARKER.test(readFileSync(f, "utf8")));
    assert.deepEqual(hits.map((f) => path.basename(f)), [], `${path.relative(DIST, file)} statically loads a model SDK`);
  }
  // The checker can fail: the SDK code is in the build, in chunks nobody imports statically.
  const sdkChunks = readdirSync(path.join(DIST, "chunks")).filter((f) => f.endsWith(".js") && SDK_MARKER.test(readFileSync(path.join(DIST, "chunks", f), "utf8")));
  assert.ok(sdkChunks.length >= 1, "the SDKs are bundled somewhere");
});

test("the bundled SDKs make real requests: models status --probe from the built binary", async (t) => {
  const llm = await startFakeLlm(() => ({ text: "OK" }));
  t.after(() => llm.close());
  const h = tempHome(t);
  mkdirSync(path.join(h.home, ".openclaw"), { recursive: true });
  const config = { models: { providers: { anthropic: { baseUrl: llm.anthropicUrl }, openai: { baseUrl: llm.openaiUrl } } }, agents: { defaults: { model: { primary: "anthropic/claude-test", fallbacks: ["openai/gpt-test"] } } } };
  writeFileSync(path.join(h.home, ".openclaw", "openclaw.json"), JSON.stringify(config));
  const r = await runBinary(["models", "status", "--probe", "--json"], { env: { ...h.env, ANTHROPIC_API_KEY: "sk-ant-api03-bundled-test-key-000000000", OPENAI_API_KEY: "sk-bundled-test-key-1111111111111" } });
  assert.equal(r.code, 0, r.stderr);
  const probes = JSON.parse(r.stdout).probes as Array<{ provider: string; status: string }>;
  assert.deepEqual(probes.map((p) => [p.provider, p.status]), [["anthropic", "ok"], ["openai", "ok"]]);
  assert.deepEqual(llm.requests.map((q) => q.api).sort(), ["anthropic", "openai"]);
});
