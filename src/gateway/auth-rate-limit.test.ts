import assert from "node:assert/strict";
import { test } from "node:test";
import { AuthRateLimiter } from "./auth.js";

const settings = { maxAttempts: 3, windowMs: 60_000, lockoutMs: 60_000, exemptLoopback: false };

test("failures are counted per credential kind: password guesses never lock the token", () => {
  let now = 1_000_000;
  const rl = new AuthRateLimiter(settings, () => now);
  const src = { ip: "203.0.113.7" };
  for (let i = 0; i < 3; i++) rl.recordFailure(src, "password");
  assert.ok(rl.lockedFor(src, "password") > 0);
  assert.equal(rl.lockedFor(src, "token"), 0);
  assert.deepEqual(rl.check(src, "token"), { allowed: true });
  now += 1;
  assert.equal(rl.lockedFor({ ip: "203.0.113.8" }, "password"), 0, "other sources are unaffected");
});

test("during a lockout one check per lockoutMs/maxAttempts is allowed; the rest wait", () => {
  let now = 1_000_000;
  const rl = new AuthRateLimiter(settings, () => now);
  const src = { ip: "203.0.113.7" };
  for (let i = 0; i < 3; i++) rl.recordFailure(src, "token");
  assert.deepEqual(rl.check(src, "token"), { allowed: true }, "the first check after the lock is free");
  rl.recordFailure(src, "token");
  const waiting = rl.check(src, "token");
  assert.equal(waiting.allowed, false);
  assert.equal(!waiting.allowed && waiting.retryAfterMs, 20_000);
  now += 20_000;
  assert.deepEqual(rl.check(src, "token"), { allowed: true });
  rl.recordSuccess(src, "token");
  assert.equal(rl.lockedFor(src, "token"), 0, "success clears the lock");
});

test("loopback is exempt only without a browser Origin; pages are keyed by origin", () => {
  const rl = new AuthRateLimiter({ ...settings, exemptLoopback: true });
  for (let i = 0; i < 3; i++) rl.recordFailure({ ip: "127.0.0.1" }, "token");
  assert.equal(rl.lockedFor({ ip: "127.0.0.1" }, "token"), 0);
  for (let i = 0; i < 3; i++) rl.recordFailure({ ip: "127.0.0.1", origin: "https://evil.example" }, "token");
  assert.ok(rl.lockedFor({ ip: "127.0.0.1", origin: "https://evil.example" }, "token") > 0);
  assert.equal(rl.lockedFor({ ip: "127.0.0.1", origin: "http://127.0.0.1:18789" }, "token"), 0, "another page has its own bucket");
});

test("the map is bounded: a flood of unique sources keeps at most maxEntries", () => {
  const rl = new AuthRateLimiter({ ...settings, maxEntries: 100 });
  for (let i = 0; i < 5000; i++) rl.recordFailure({ ip: `10.0.${i >> 8}.${i & 255}` }, "token");
  assert.ok(rl.size <= 100, String(rl.size));
});
