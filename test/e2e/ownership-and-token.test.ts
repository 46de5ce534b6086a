/**
 * Two small end-to-end guarantees: a restore run as root into another user's home leaves the files
 * owned by that user, and `doctor --generate-gateway-token --yes` stores a fresh token (never over
 * an existing one).
 */
import assert from "node:assert/strict";
import { chownSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import JSON5 from "json5";
import { runBinary, tempHome } from "../helpers/cli.js";

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

test("restore as root into another user's home gives the files to that user", { skip: !isRoot && "needs root to chown" }, async (t) => {
  const { home, env } = tempHome(t);
  const state = path.join(home, ".openclaw");
  mkdirSync(path.join(state, "credentials"), { recursive: true, mode: 0o700 });
  writeFileSync(path.join(state, "openclaw.json"), '{ gateway: { mode: "local" } }\n', { mode: 0o600 });
  writeFileSync(path.join(state, "credentials", "c.json"), '{"k":1}\n', { mode: 0o600 });
  const archive = path.join(home, "out", "b.tar.gz");
  const created = await runBinary(["backup", "create", "--output", archive], { env });
  assert.equal(created.code, 0, created.stderr);

  const target = path.join(home, "other-user");
  mkdirSync(target, { mode: 0o755 });
  chownSync(target, 12345, 12345);
  const restored = await runBinary(["backup", "restore", archive, "--state-dir", path.join(target, ".openclaw")], { env: { ...env, HOME: target } });
  assert.equal(restored.code, 0, restored.stderr + restored.stdout);
  for (const rel of [".openclaw", ".openclaw/openclaw.json", ".openclaw/credentials", ".openclaw/credentials/c.json"]) {
    assert.equal(statSync(path.join(target, rel)).uid, 12345, `${rel} is owned by the home's user`);
  }
  assert.equal(statSync(path.join(target, ".openclaw", "credentials", "c.json")).mode & 0o777, 0o600);
});

test("doctor --generate-gateway-token --yes stores a token once and never replaces it", async (t) => {
  const { home, env } = tempHome(t);
  const state = path.join(home, ".openclaw");
  mkdirSync(state, { recursive: true, mode: 0o700 });
  const config = path.join(state, "openclaw.json");
  writeFileSync(config, '// mine\n{ gateway: { mode: "local" } }\n', { mode: 0o600 });
  const first = await runBinary(["doctor", "--generate-gateway-token", "--yes", "--json"], { env });
  assert.ok(first.code === 0 || first.code === 3, first.stderr);
  const written = JSON5.parse(readFileSync(config, "utf8")) as { gateway: { auth: { mode: string; token: string } } };
  assert.equal(written.gateway.auth.mode, "token");
  assert.match(written.gateway.auth.token, /^[0-9a-f]{48}$/);
  assert.ok(readFileSync(config, "utf8").startsWith("// mine"), "comments survive");
  assert.ok(!first.stdout.includes(written.gateway.auth.token), "the new token is not printed");
  const again = await runBinary(["doctor", "--generate-gateway-token", "--yes", "--json"], { env });
  assert.ok(again.code === 0 || again.code === 3, again.stderr);
  const after = JSON5.parse(readFileSync(config, "utf8")) as { gateway: { auth: { token: string } } };
  assert.equal(after.gateway.auth.token, written.gateway.auth.token, "an existing token is kept");
});
