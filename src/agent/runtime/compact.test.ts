import assert from "node:assert/strict";
import { test } from "node:test";
import { shouldAutoCompact } from "./compact.js";

const config = (compaction: Record<string, unknown> = {}) => ({
  agents: { defaults: { compaction } },
  models: { providers: { anthropic: { models: [{ id: "tiny", contextWindow: 40_000 }] } } },
});

test("auto-compaction fires above the window minus the reserve (at least the 20 000 floor), never when disabled", () => {
  assert.equal(shouldAutoCompact(config() as never, "anthropic/tiny", 19_999), false);
  assert.equal(shouldAutoCompact(config() as never, "anthropic/tiny", 20_001), true);
  assert.equal(shouldAutoCompact(config({ reserveTokens: 30_000 }) as never, "anthropic/tiny", 15_000), true, "a larger reserve wins over the floor");
  assert.equal(shouldAutoCompact(config({ reserveTokensFloor: 0 }) as never, "anthropic/tiny", 20_001), false, "without the floor Pi's 16 384 reserve applies");
  assert.equal(shouldAutoCompact(config({ enabled: false }) as never, "anthropic/tiny", 39_000), false);
  assert.equal(shouldAutoCompact(config() as never, "anthropic/unknown-big", 100_000), false, "unknown models get the 200k default window");
  assert.equal(shouldAutoCompact(config() as never, undefined, 100_000), false);
});
