/**
 * The Control UI's pure parts, without a browser: the URL token handoff and its scoped
 * sessionStorage key, the overview's folding of `status`/`health`/`channels.status` (drop counters
 * summed per account), connect-error classification, and WebChat's transcript updates from `chat`
 * events. The browser tests (test/browser/) drive the same code through a real page.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createTokenStore, readUrlHandoff, resolveGatewayWsUrl, tokenStorageKey } from "../ui/src/auth.js";
import { applyChatEvent, entriesFromHistory, parseChatEvent, sessionKeysFor } from "../ui/src/chat-data.js";
import { buildOverview, formatDuration } from "../ui/src/overview-data.js";

describe("token handoff", () => {
  test("#token= is taken and stripped, other fragment keys and the route stay", () => {
    const h = readUrlHandoff("http://127.0.0.1:18789/#token=abc%2Bdef&x=1");
    assert.equal(h.token, "abc+def");
    assert.equal(h.from, "fragment");
    assert.equal(h.cleanUrl, "http://127.0.0.1:18789/#x=1");
    assert.equal(readUrlHandoff("http://h/#token=t").cleanUrl, "http://h/");
  });

  test("?token= works too (the page warns), and a password in the URL is dropped unused", () => {
    const h = readUrlHandoff("http://h:1/?token=q1&password=p&keep=1#/chat");
    assert.deepEqual([h.token, h.from, h.cleanUrl, h.changed], ["q1", "query", "http://h:1/?keep=1#/chat", true]);
  });

  test("a hash route alone is left alone", () => {
    const h = readUrlHandoff("http://h/#/chat");
    assert.deepEqual([h.token, h.changed, h.cleanUrl], [undefined, false, "http://h/#/chat"]);
  });

  test("the token is stored under a key scoped to the gateway's WebSocket URL; the unscoped legacy key is removed", () => {
    const map = new Map<string, string>([["openclaw.control.token.v1", "old"]]);
    const storage = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k) };
    const url = resolveGatewayWsUrl({ protocol: "http:", host: "127.0.0.1:18789" });
    assert.equal(url, "ws://127.0.0.1:18789");
    assert.equal(resolveGatewayWsUrl({ protocol: "https:", host: "gw.example.ts.net" }), "wss://gw.example.ts.net");
    const store = createTokenStore(storage, url);
    store.save("tok");
    assert.deepEqual([...map], [[tokenStorageKey(url), "tok"]]);
    assert.equal(store.load(), "tok");
    store.clear();
    assert.equal(store.load(), undefined);
    const throwing = { getItem: () => { throw new Error("denied"); }, setItem: () => { throw new Error("denied"); }, removeItem: () => { throw new Error("denied"); } };
    const quiet = createTokenStore(throwing, url);
    quiet.save("x");
    assert.equal(quiet.load(), undefined);
  });
});

describe("overview data", () => {
  test("folds status, health and channels.status; drops are summed per account", () => {
    const d = buildOverview({
      status: {
        runtimeVersion: "2026.11.0",
        uptimeMs: 3_725_000,
        gateway: { port: 18789, urls: ["ws://127.0.0.1:18789"], authMode: "token" },
        sessions: { count: 3 },
        modelAuth: [{ agentId: "main", status: "expiring", expiring: [{ profileId: "anthropic:me", expiresAt: 1_000 + 2 * 3600_000 }] }],
      },
      health: { agents: [{}, {}], configReload: { hash: "abc123", mode: "hybrid", lastError: "openclaw.json:4: bad" } },
      channels: {
        channelOrder: ["telegram", "webchat"],
        channelLabels: { telegram: "Telegram" },
        channelAccounts: {
          telegram: [
            { accountId: "default", running: true, connected: true, dropped: { "not-allowlisted": 2, "pairing-pending": 1 } },
            { accountId: "alt", running: false, lastError: "401 Unauthorized" },
          ],
          webchat: [{ accountId: "default", running: true, connected: false, dropped: {} }],
        },
      },
      now: 1_000,
    });
    assert.equal(d.version, "2026.11.0");
    assert.equal(formatDuration(d.uptimeMs), "1h 2m");
    assert.deepEqual([d.port, d.authMode, d.configHash, d.reloadError, d.agents, d.sessions], [18789, "token", "abc123", "openclaw.json:4: bad", 2, 3]);
    assert.deepEqual(
      d.channels.map((c) => [c.channel, c.label, c.accountId, c.state, c.drops, c.dropDetail]),
      [
        ["telegram", "Telegram", "default", "connected", 3, "not-allowlisted 2, pairing-pending 1"],
        ["telegram", "Telegram", "alt", "stopped: 401 Unauthorized", 0, ""],
        ["webchat", "webchat", "default", "running, not connected", 0, ""],
      ],
    );
    assert.deepEqual(d.modelAuth, [{ agentId: "main", status: "expiring", expiry: "anthropic:me expires in 2h 0m" }]);
  });

  test("missing or malformed answers degrade to blanks instead of throwing", () => {
    const d = buildOverview({ status: null, health: "x", channels: { channelAccounts: { telegram: "nope" } }, serverVersion: "9.9.9" });
    assert.deepEqual([d.version, d.authMode, d.channels.length, d.agents, d.configHash], ["9.9.9", "unknown", 0, 0, undefined]);
  });
});

describe("WebChat transcript", () => {
  test("history keeps user and assistant text; chat events stream into one entry per run", () => {
    const history = entriesFromHistory({ messages: [{ role: "user", content: "hi" }, { role: "toolResult", content: "x" }, { role: "assistant", content: [{ type: "text", text: "hello" }, { type: "thinking", thinking: "…" }] }] });
    assert.deepEqual(history.map((e) => [e.role, e.text]), [["user", "hi"], ["assistant", "hello"]]);
    const delta = parseChatEvent({ runId: "r1", sessionKey: "agent:main:main", seq: 1, state: "delta", message: { role: "assistant", content: [{ type: "text", text: "ec" }] } })!;
    let entries = applyChatEvent(history, delta);
    assert.deepEqual(entries.at(-1), { role: "assistant", runId: "r1", state: "streaming", text: "ec" });
    entries = applyChatEvent(entries, parseChatEvent({ runId: "r1", sessionKey: "agent:main:main", seq: 2, state: "final", message: { role: "assistant", content: [{ type: "text", text: "echo" }] } })!);
    assert.equal(entries.length, 3);
    assert.deepEqual(entries.at(-1), { role: "assistant", runId: "r1", state: "final", text: "echo" });
    const failed = applyChatEvent([], parseChatEvent({ runId: "r2", sessionKey: "s", state: "error", errorMessage: "rate limited" })!);
    assert.equal(failed[0]!.text, "(error: rate limited)");
    assert.equal(applyChatEvent([], parseChatEvent({ runId: "r3", sessionKey: "s", state: "aborted" })!)[0]!.text, "(aborted)");
    assert.equal(parseChatEvent({ runId: "r", sessionKey: "s", state: "weird" }), undefined);
  });

  test("an agent's sessions: main first, others of that agent only", () => {
    assert.deepEqual(sessionKeysFor("ops", { sessions: [{ key: "agent:ops:zeta" }, { key: "agent:main:main" }, { key: "agent:ops:main" }, { key: "agent:ops:alpha" }] }), ["agent:ops:main", "agent:ops:alpha", "agent:ops:zeta"]);
  });
});
