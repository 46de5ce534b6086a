/**
 * `doctor` on a brand-new healthy install exits 0: "no backup yet" is informational for the first
 * 7 days of a state dir, then a warning (exit 3). Spawned binary (`npm run build` first).
 */
import assert from "node:assert/strict";
import { readdirSync, utimesSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runBinary, tempHome } from "../helpers/cli.js";
import { freePort } from "../helpers/gateway.js";

const DAY = 24 * 60 * 60 * 1000;

async function freshInstall(t: { after(fn: () => void): void }) {
  const { home, env: bare } = tempHome(t);
  // A healthy install has a credential for its default model (anthropic/claude-opus-4-6).
  const env = { ...bare, ANTHROPIC_API_KEY: "sk-ant-api03-PLANTEDdoctorKEY00000000000000000" };
  const set = await runBinary(["config", "set", "gateway.mode", "local"], { env });
  assert.equal(set.code, 0, set.stderr);
  // A port nothing listens on, so no other gateway on this machine answers the probe.
  const port = await runBinary(["config", "set", "gateway.port", String(await freePort())], { env });
  assert.equal(port.code, 0, port.stderr);
  const token = await runBinary(["doctor", "--non-interactive", "--generate-gateway-token"], { env });
  assert.ok(token.code === 0 || token.code === 3, `${token.code}\n${token.stdout}\n${token.stderr}`);
  return { home, env, stateDir: path.join(home, ".openclaw") };
}

test("doctor on a brand-new healthy install exits 0; no backup yet is informational", async (t) => {
  const { env } = await freshInstall(t);
  const r = await runBinary(["doctor", "--json"], { env });
  const report = JSON.parse(r.stdout) as { ok: boolean; remaining: unknown[]; findings: Array<{ checkId: string; severity: string; title: string }> };
  assert.deepEqual(report.remaining, [], r.stdout);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  const backup = report.findings.find((f) => f.checkId === "backup.stale");
  assert.ok(backup, "the no-backup note is still shown");
  assert.equal(backup.severity, "info");
  assert.match(backup.title, /0 days old/);
  const human = await runBinary(["doctor"], { env });
  assert.equal(human.code, 0, human.stdout);
  assert.match(human.stdout, /\[backup\] info/);
  assert.ok(!human.stdout.includes(env.ANTHROPIC_API_KEY) && !r.stdout.includes(env.ANTHROPIC_API_KEY));

  // Without any credential the default model cannot answer: a warning naming the fix, exit 3.
  const { ANTHROPIC_API_KEY: _key, ...noKey } = env;
  const missing = await runBinary(["doctor", "--json"], { env: noKey });
  assert.equal(missing.code, 3, missing.stdout);
  const remaining = (JSON.parse(missing.stdout) as { remaining: Array<{ checkId: string; title: string; fix: string }> }).remaining;
  assert.deepEqual(remaining.map((f) => [f.checkId, f.title, f.fix]), [["model.auth_missing", "agent main: default model anthropic/claude-opus-4-6 has no usable anthropic credential (none found)", "openclaw models auth setup-token --provider anthropic"]]);
});

test("the same install 30 days later with no backup: doctor warns and exits 3", async (t) => {
  const { env, stateDir } = await freshInstall(t);
  const old = new Date(Date.now() - 30 * DAY);
  for (const entry of readdirSync(stateDir)) utimesSync(path.join(stateDir, entry), old, old);
  utimesSync(stateDir, old, old);
  const r = await runBinary(["doctor", "--json"], { env });
  const report = JSON.parse(r.stdout) as { remaining: Array<{ checkId: string; severity: string }> };
  assert.equal(r.code, 3, r.stdout);
  assert.deepEqual(
    report.remaining.map((f) => [f.checkId, f.severity]),
    [["backup.stale", "warn"]],
  );
});
