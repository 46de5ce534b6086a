/**
 * How the CLI finds its gateway when the config cannot be read: it says the config is invalid
 * (file:line:col) and that the port and token could not be read from it, not "token missing".
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runInProcess, tempHome } from "../helpers/cli.js";
import { startTestGateway } from "../helpers/gateway.js";

test("health with an unparseable openclaw.json names the file:line:col, not a missing token", async (t) => {
  const gw = await startTestGateway(t);
  const { home, env } = tempHome(t);
  const stateDir = path.join(home, ".openclaw");
  mkdirSync(stateDir, { recursive: true });
  const configPath = path.join(stateDir, "openclaw.json");
  writeFileSync(configPath, `{\n  gateway: {\n    port: ${gw.rt.port},\n    auth: { token: "${gw.token}" }\n  ,,\n}\n`);
  const run = await runInProcess(["health", "--json"], { env: { ...env, OPENCLAW_GATEWAY_PORT: String(gw.rt.port) } });
  assert.notEqual(run.code, 0, run.stdout);
  const error = (JSON.parse(run.stdout) as { error: { code: string; message: string; hint: string } }).error;
  assert.equal(error.code, "CONFIG_PARSE", error.message);
  assert.match(error.message, new RegExp(`^${configPath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:5:\\d+`));
  assert.match(error.message, /the gateway port and token could not be read from it/);
  assert.match(error.hint, /config validate/);
  assert.ok(!run.stdout.includes(gw.token), "the token in the broken file is never printed");

  const human = await runInProcess(["health"], { env: { ...env, OPENCLAW_GATEWAY_PORT: String(gw.rt.port) } });
  assert.match(human.stderr, /^error: .*openclaw\.json:5:\d+/m, human.stderr);
  assert.doesNotMatch(human.stderr, /^error: unauthorized: gateway token missing/m);
});
