import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { AppError } from "../../shared/index.js";
import { cooldownMs, recordProfileFailure, recordProfileSuccess, resolveCooldownPolicy, unusableUntil } from "./cooldown.js";
import { resolveAuthCandidates, resolveProfileOrder } from "./credentials.js";
import { type AuthStore, createAuthStore, loadAuthStore, saveAuthStore, updateAuthStore } from "./store.js";
import { resolveAuthStoreLocation } from "./store-path.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-auth-"));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const MIN = 60_000;
const HOUR = 60 * MIN;
const policy = resolveCooldownPolicy(undefined);

function store(profiles: AuthStore["profiles"], extra: Partial<AuthStore> = {}): AuthStore {
  return { ...createAuthStore(), profiles, ...extra };
}

describe("cooldowns and disables (spec §9.4)", () => {
  test("cooldown grows 1 min → 5 min → 25 min → 1 h and stays capped", () => {
    assert.deepEqual([1, 2, 3, 4, 5, 9].map(cooldownMs), [MIN, 5 * MIN, 25 * MIN, HOUR, HOUR, HOUR]);
    const s = store({ "a:1": { type: "api_key", provider: "a", key: "k" } });
    let now = 1_000_000;
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      const st = recordProfileFailure({ store: s, profileId: "a:1", provider: "a", reason: "rate_limit", now, policy });
      seen.push(st.cooldownUntil! - now);
      now += 1000;
    }
    assert.deepEqual(seen, [MIN, 5 * MIN, 25 * MIN, HOUR]);
  });

  test("billing disables 5 h, doubling, capped at 24 h; per-provider base from config", () => {
    const s = store({});
    const hours = [1, 2, 3, 4].map((i) => (recordProfileFailure({ store: s, profileId: "a:1", provider: "a", reason: "billing", now: i, policy }).disabledUntil! - i) / HOUR);
    assert.deepEqual(hours, [5, 10, 20, 24]);
    const custom = resolveCooldownPolicy({ billingBackoffHoursByProvider: { b: 1 }, billingMaxHours: 3 });
    const s2 = store({});
    const h2 = [1, 2, 3].map((i) => (recordProfileFailure({ store: s2, profileId: "b:1", provider: "b", reason: "billing", now: i, policy: custom }).disabledUntil! - i) / HOUR);
    assert.deepEqual(h2, [1, 2, 3]);
  });

  test("counters reset after the failure window; success clears them and records lastGood", () => {
    const s = store({});
    recordProfileFailure({ store: s, profileId: "a:1", provider: "a", reason: "auth", now: 0, policy });
    recordProfileFailure({ store: s, profileId: "a:1", provider: "a", reason: "auth", now: 1, policy });
    const later = recordProfileFailure({ store: s, profileId: "a:1", provider: "a", reason: "auth", now: 25 * HOUR, policy });
    assert.equal(later.errorCount, 1);
    assert.equal(later.cooldownUntil, 25 * HOUR + MIN);
    recordProfileSuccess({ store: s, profileId: "a:1", provider: "a", now: 26 * HOUR });
    assert.deepEqual(s.usageStats?.["a:1"], { lastUsed: 26 * HOUR });
    assert.equal(s.lastGood?.a, "a:1");
    assert.equal(unusableUntil(s.usageStats?.["a:1"], 26 * HOUR), undefined);
  });
});

describe("rotation order (spec §9.3)", () => {
  const profiles: AuthStore["profiles"] = {
    "p:key-old": { type: "api_key", provider: "p", key: "k1" },
    "p:key-new": { type: "api_key", provider: "p", key: "k2" },
    "p:oauth": { type: "oauth", provider: "p", access: "a", refresh: "r", expires: 10 * HOUR },
    "q:other": { type: "api_key", provider: "q", key: "k3" },
  };
  const usage = { "p:key-old": { lastUsed: 1 }, "p:key-new": { lastUsed: 5 } };

  test("without an order: OAuth before API keys, least recently used first", () => {
    assert.deepEqual(resolveProfileOrder({ provider: "p", store: store(profiles, { usageStats: usage }), now: 0 }), ["p:oauth", "p:key-old", "p:key-new"]);
  });

  test("the store's order beats auth.order, which beats auth.profiles", () => {
    const s = store(profiles, { usageStats: usage });
    const authConfig = { order: { p: ["p:key-new", "p:oauth"] }, profiles: { "p:key-old": { provider: "p", mode: "api_key" } } };
    assert.deepEqual(resolveProfileOrder({ provider: "p", store: s, authConfig, now: 0 }), ["p:key-new", "p:oauth"]);
    s.order = { p: ["p:key-old"] };
    assert.deepEqual(resolveProfileOrder({ provider: "p", store: s, authConfig, now: 0 }), ["p:key-old"]);
    assert.deepEqual(resolveProfileOrder({ provider: "p", store: store(profiles), authConfig: { profiles: authConfig.profiles }, now: 0 }), ["p:key-old"]);
  });

  test("cooling profiles go last, soonest back first", () => {
    const s = store(profiles, { usageStats: { "p:oauth": { cooldownUntil: 500 }, "p:key-old": { disabledUntil: 300 } } });
    assert.deepEqual(resolveProfileOrder({ provider: "p", store: s, now: 0 }), ["p:key-new", "p:key-old", "p:oauth"]);
  });

  test("candidates: profiles, then the env key, then models.providers apiKey; expired ones dropped", () => {
    const s = store({ "anthropic:gone": { type: "token", provider: "anthropic", token: "t", expires: 5 }, "anthropic:ok": { type: "api_key", provider: "anthropic", key: "k" } });
    const c = resolveAuthCandidates({ provider: "anthropic", store: s, env: { ANTHROPIC_API_KEY: " envkey " }, configApiKey: "cfgkey", now: 10 });
    assert.deepEqual(c.map((x) => [x.profileId, x.secret]), [["anthropic:ok", "k"], ["env:ANTHROPIC_API_KEY", "envkey"], ["config:models.providers.anthropic.apiKey", "cfgkey"]]);
    assert.deepEqual(resolveAuthCandidates({ provider: "ollama", store: s, env: {}, now: 0 }).map((x) => x.source), ["none"]);
    assert.deepEqual(resolveAuthCandidates({ provider: "openai", store: s, env: {}, now: 0 }), []);
  });
});

describe("auth-profiles.json", () => {
  test("round trip at 0600, unknown credential shapes skipped, unreadable file named in the error", () => {
    const file = path.join(root, "a", "agent", "auth-profiles.json");
    saveAuthStore(file, store({ "x:1": { type: "api_key", provider: "x", key: "k" } }, { order: { x: ["x:1"] } }));
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const raw = JSON.parse(fs.readFileSync(file, "utf8"));
    raw.profiles["x:weird"] = { type: "passkey", provider: "x" };
    fs.writeFileSync(file, JSON.stringify(raw));
    const loaded = loadAuthStore(file);
    assert.deepEqual(Object.keys(loaded.profiles), ["x:1"]);
    assert.deepEqual(loaded.order, { x: ["x:1"] });
    fs.writeFileSync(file, "{ not json");
    assert.throws(() => loadAuthStore(file), (e: unknown) => e instanceof AppError && e.code === "AUTH_STORE" && e.message.includes(file));
  });

  test("updates run under a lock file; a stale lock (> 30 s) is reclaimed, a fresh one is waited for", () => {
    const file = path.join(root, "b", "agent", "auth-profiles.json");
    const lock = `${file}.lock`;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(lock, "99999");
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    updateAuthStore(file, (s) => {
      assert.ok(fs.existsSync(lock), "held during the update");
      s.profiles["y:1"] = { type: "token", provider: "y", token: "t" };
    });
    assert.equal(fs.existsSync(lock), false, "released after");
    assert.ok(loadAuthStore(file).profiles["y:1"]);
    fs.writeFileSync(lock, "12345");
    assert.throws(
      () => updateAuthStore(file, () => assert.fail("ran without the lock"), { waitMs: 150 }),
      (e: unknown) => e instanceof AppError && e.code === "AUTH_STORE" && /locked by another process/.test(e.message),
    );
    assert.ok(fs.existsSync(lock), "someone else's live lock is left alone");
  });

  test("the store location: --agent, OPENCLAW_AGENT_DIR, default agent, configured agentDir; unknown agent named", () => {
    const agentDirOf = (id: string) => `/state/agents/${id}/agent`;
    const config = { agents: { list: [{ id: "Work" }, { id: "home", default: true, agentDir: "~/custom" }] } };
    assert.equal(resolveAuthStoreLocation({ config, agentDirOf, home: "/h" }).file, "/h/custom/auth-profiles.json");
    assert.equal(resolveAuthStoreLocation({ config, agentDirOf, agentId: "WORK" }).file, "/state/agents/work/agent/auth-profiles.json");
    assert.equal(resolveAuthStoreLocation({ config: {}, agentDirOf, env: { OPENCLAW_AGENT_DIR: "/x" } }).file, "/x/auth-profiles.json");
    assert.equal(resolveAuthStoreLocation({ config: {}, agentDirOf }).agentId, "main");
    assert.throws(() => resolveAuthStoreLocation({ config, agentDirOf, agentId: "nope" }), /agent "nope" is not configured/);
  });
});
