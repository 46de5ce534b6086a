/**
 * The built CLI and webhooks config: a hooks token equal to the gateway token stops `gateway run`
 * with exit 78 and one line naming hooks.token (never the secret), `config validate` reports it at
 * hooks.token, and `security audit --json` lists the hooks findings with OpenClaw's check ids.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runBinary, tempHome } from "../helpers/cli.js";
import { freePort } from "../helpers/gateway.js";

const SAME = "reused-secret-0123456789abcdef01234567";

function writeConfig(home: string, config: Record<string, unknown>): void {
  const dir = path.join(home, ".openclaw");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(dir, "openclaw.json"), JSON.stringify(config, null, 2), { mode: 0o600 });
}

test("hooks.token equal to the gateway token: gateway run exits 78 naming hooks.token; config validate refuses it; audit reports it critical", async (t) => {
  const { home, env } = tempHome(t);
  const port = await freePort();
  writeConfig(home, { gateway: { mode: "local", port, auth: { token: SAME } }, hooks: { enabled: true, token: SAME } });

  const run = await runBinary(["gateway", "run"], { env, timeoutMs: 30_000 });
  assert.equal(run.code, 78, run.stderr);
  assert.match(run.stderr, /hooks\.token must differ from gateway\.auth\.token/);
  assert.ok(!`${run.stdout}${run.stderr}`.includes(SAME), "the secret is never printed");

  const validate = await runBinary(["config", "validate"], { env });
  assert.notEqual(validate.code, 0);
  assert.match(`${validate.stdout}${validate.stderr}`, /hooks\.token/);
  assert.ok(!`${validate.stdout}${validate.stderr}`.includes(SAME));

  const audit = await runBinary(["security", "audit", "--json"], { env });
  const report = JSON.parse(audit.stdout) as { findings: Array<{ checkId: string; severity: string }> };
  const hooks = Object.fromEntries(report.findings.filter((f) => f.checkId.startsWith("hooks.")).map((f) => [f.checkId, f.severity]));
  assert.equal(hooks["hooks.token_reuse_gateway_token"], "critical");
  assert.equal(hooks["hooks.default_session_key_unset"], "warn");
  assert.equal(hooks["hooks.allowed_agent_ids_unrestricted"], "warn");
  assert.ok(!audit.stdout.includes(SAME), "the audit never echoes the secret");
});
