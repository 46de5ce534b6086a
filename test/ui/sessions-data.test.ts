/**
 * The Sessions page's pure parts: rows from `sessions.list` (label, channel, tokens and model
 * fallbacks), the search, relative times, token counts and the `#/chat?session=` hand-off to WebChat.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { agentOfKey, chatHashFor, filterSessions, formatAgo, formatTokens, sessionFromHash, sessionRows } from "../../ui/src/sessions-data.js";

const NOW = 1_800_000_000_000;

const LIST = {
  count: 4,
  sessions: [
    { key: "agent:main:main", agentId: "main", updatedAt: NOW - 90_000, inputTokens: 1200, outputTokens: 300, model: "claude-sonnet-4-6", modelProvider: "anthropic", lastChannel: "webchat" },
    { key: "agent:ops:telegram:direct:42", agentId: "ops", updatedAt: NOW - 3 * 3600_000, channel: "telegram", displayName: "Ada (DM)", totalTokens: 12_345 },
    { key: "agent:main:side", agentId: "main", updatedAt: NOW - 2_000, label: "Release notes" },
    { agentId: "main", updatedAt: NOW },
    "junk",
  ],
};

describe("sessions data", () => {
  test("rows from sessions.list: newest first, label/channel/token/model fallbacks, malformed entries skipped", () => {
    const rows = sessionRows(LIST);
    assert.deepEqual(
      rows.map((r) => [r.key, r.agentId, r.label, r.channel, r.tokens, r.model]),
      [
        ["agent:main:side", "main", "Release notes", undefined, undefined, undefined],
        ["agent:main:main", "main", undefined, "webchat", 1500, "anthropic/claude-sonnet-4-6"],
        ["agent:ops:telegram:direct:42", "ops", "Ada (DM)", "telegram", 12_345, undefined],
      ],
    );
    assert.deepEqual(sessionRows(null), []);
    assert.deepEqual(sessionRows({ sessions: [{ key: "agent:x:y" }] }).map((r) => [r.agentId, r.updatedAt]), [["x", undefined]]);
  });

  test("search: every term must match the key, label, channel or agent, case-insensitively", () => {
    const rows = sessionRows(LIST);
    const keys = (q: string) => filterSessions(rows, q).map((r) => r.key);
    assert.equal(keys("").length, 3);
    assert.equal(keys("   ").length, 3);
    assert.deepEqual(keys("side"), ["agent:main:side"]);
    assert.deepEqual(keys("RELEASE"), ["agent:main:side"]);
    assert.deepEqual(keys("telegram"), ["agent:ops:telegram:direct:42"]);
    assert.deepEqual(keys("ops ada"), ["agent:ops:telegram:direct:42"]);
    assert.deepEqual(keys("main"), ["agent:main:side", "agent:main:main"]);
    assert.deepEqual(keys("webchat"), ["agent:main:main"]);
    assert.deepEqual(keys("main telegram"), []);
  });

  test("relative times and token counts", () => {
    assert.equal(formatAgo(undefined, NOW), "never");
    assert.equal(formatAgo(NOW - 1000, NOW), "just now");
    assert.equal(formatAgo(NOW - 42_000, NOW), "42s ago");
    assert.equal(formatAgo(NOW - 5 * 60_000, NOW), "5m ago");
    assert.equal(formatAgo(NOW - 3 * 3600_000, NOW), "3h ago");
    assert.equal(formatAgo(NOW - 2 * 86_400_000, NOW), "2d ago");
    assert.deepEqual([950, 1234, 12_345, 2_500_000].map(formatTokens), ["950", "1.2k", "12k", "2.5M"]);
  });

  test("the chat link round-trips a session key through the hash", () => {
    const key = "agent:ops:telegram:group:-100123#topic/7";
    const hash = chatHashFor(key);
    assert.ok(hash.startsWith("#/chat?session="));
    assert.equal(sessionFromHash(hash), key);
    assert.equal(sessionFromHash("#/chat"), undefined);
    assert.equal(sessionFromHash("#/chat?session="), undefined);
    assert.equal(agentOfKey(key), "ops");
    assert.equal(agentOfKey("global"), undefined);
  });
});
