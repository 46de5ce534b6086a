import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { parseJson5 } from "./json5/index.js";
import { readConfigInput } from "./load-input.js";
import { mergePatchConfig } from "./write-whole.js";

test("a merge patch that creates an object drops its null members (RFC 7386) instead of writing literal nulls", (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "openclaw-patch-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const configPath = path.join(dir, "openclaw.json");
  writeFileSync(configPath, '// keep me\n{ gateway: { mode: "local" } }\n');
  const env = { HOME: dir };
  const baseHash = readConfigInput({ configPath, env }).hash ?? undefined;
  const patch = JSON.stringify({ channels: { telegram: { enabled: true, tokenFile: null, accounts: { work: { name: "W", botToken: null } } } } });
  const result = mergePatchConfig({ configPath, env, baseHash, patch });
  assert.equal(result.written, true);
  const text = readFileSync(configPath, "utf8");
  assert.doesNotMatch(text, /null/);
  assert.match(text, /\/\/ keep me/);
  assert.deepEqual((parseJson5(text) as { channels: unknown }).channels, { telegram: { enabled: true, accounts: { work: { name: "W" } } } });
});
