/** A real gateway on a temp port, driven by the real client and by the CLI in-process. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runInProcess } from "../helpers/cli.js";
import { startTestGateway } from "../helpers/gateway.js";

test("health and status answer over the real client; the CLI reaches them with --url", async (t) => {
  const gw = await startTestGateway(t);
  const client = await gw.connect();
  t.after(() => client.close());
  assert.equal(client.hello.type, "hello-ok");
  assert.equal(client.hello.protocol, 4);
  const health = (await client.call("health")) as { ok: boolean; defaultAgentId: string };
  assert.equal(health.ok, true);
  assert.equal(health.defaultAgentId, "main");
  const r = await runInProcess(["gateway", "call", "status", "--json", "--url", gw.url, "--token", gw.token], { env: gw.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).pid, process.pid);
  const h = await runInProcess(["health", "--json"], { env: { ...gw.env, OPENCLAW_GATEWAY_PORT: String(gw.rt.port) } });
  assert.equal(h.code, 0, h.stderr || h.stdout);
  assert.equal(JSON.parse(h.stdout).ok, true);
});

test("an unreachable gateway exits 4", async (t) => {
  const gw = await startTestGateway(t);
  const port = gw.rt.port;
  await gw.stop();
  const r = await runInProcess(["health", "--json"], { env: { ...gw.env, OPENCLAW_GATEWAY_PORT: String(port) } });
  assert.equal(r.code, 4, r.stdout);
  assert.equal(JSON.parse(r.stdout).error.code, "UNREACHABLE");
});
