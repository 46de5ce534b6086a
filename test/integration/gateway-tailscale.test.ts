/**
 * `--bind tailnet` and `--tailscale serve|funnel` against a real gateway. A fake `tailscale` script
 * on PATH records its argv, answers `status --json` with a MagicDNS name, and fails a chosen
 * subcommand (exit 1 + stderr) when told to.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import type { NetworkInterfaceInfo } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { pollUntil } from "../../src/infra/index.js";
import { runInProcess, tempHome } from "../helpers/cli.js";
import { fakeTailscale } from "../helpers/fake-tailscale.js";
import { freePort, startTestGateway } from "../helpers/gateway.js";


const v4 = (address: string): NetworkInterfaceInfo => ({ address, family: "IPv4", netmask: "255.0.0.0", mac: "00:00:00:00:00:00", internal: false, cidr: null });

function logOf(rt: { logFile: string | undefined }): string {
  return rt.logFile && existsSync(rt.logFile) ? readFileSync(rt.logFile, "utf8") : "";
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

describe("gateway --bind tailnet", () => {
  test("with no tailnet address the gateway listens on loopback only and warns that tailscale is missing", async (t) => {
    const gw = await startTestGateway(t, { config: { gateway: { bind: "tailnet" } }, env: { PATH: "/nonexistent" }, gateway: { networkInterfaces: () => ({ lo: [{ ...v4("127.0.0.1"), internal: true }] }) } });
    assert.equal((await fetch(`http://127.0.0.1:${gw.rt.port}/healthz`)).status, 200);
    assert.ok(await pollUntil(() => logOf(gw.rt).includes("tailscale not found: install Tailscale or use --bind loopback"), 10_000, 20), logOf(gw.rt).slice(-600));
  });

  test("with a tailnet address it binds that address as well as 127.0.0.1: one that cannot be bound fails the start", async (t) => {
    await assert.rejects(
      startTestGateway(t, { config: { gateway: { bind: "tailnet" } }, gateway: { networkInterfaces: () => ({ tailscale0: [v4("100.99.88.77")] }) } }),
      (e: Error & { code?: string }) => e.code === "GATEWAY_PORT_IN_USE" && /100\.99\.88\.77/.test(e.message),
    );
  });
});

describe("gateway --tailscale serve|funnel", () => {
  test("serve runs tailscale status + serve --bg for the loopback port, logs the MagicDNS URL, and resets on stop with resetOnExit", async (t) => {
    const ts = fakeTailscale(t);
    const gw = await startTestGateway(t, { config: { gateway: { tailscale: { mode: "serve", resetOnExit: true } } }, env: ts.env });
    const port = gw.rt.port;
    assert.deepEqual(ts.calls(), ["status --json", `serve --bg --yes --https=443 http://127.0.0.1:${port}`]);
    assert.ok(await pollUntil(() => logOf(gw.rt).includes("serve enabled: https://box.tail1234.ts.net/ (WS via wss://box.tail1234.ts.net)"), 10_000, 20));
    await gw.stop();
    assert.deepEqual(ts.calls().slice(2), ["serve reset"]);
  });

  test("without resetOnExit the background route is left in place on stop", async (t) => {
    const ts = fakeTailscale(t);
    const gw = await startTestGateway(t, { config: { gateway: { tailscale: { mode: "serve" } } }, env: ts.env });
    await gw.stop();
    assert.equal(ts.calls().length, 2, ts.calls().join("; "));
  });

  test("a failing tailscale serve fails the start with its exit code and first stderr line, and frees the port", async (t) => {
    const ts = fakeTailscale(t, { failOn: "serve" });
    const port = await freePort();
    await assert.rejects(startTestGateway(t, { port, config: { gateway: { tailscale: { mode: "serve" } } }, env: ts.env }), (e: Error & { code?: string }) => {
      assert.equal(e.code, "GATEWAY_TAILSCALE_FAILED");
      assert.match(e.message, /tailscale serve --bg --yes --https=443 http:\/\/127\.0\.0\.1:\d+ failed \(exit 1\): error: Serve is not enabled on your tailnet\.$/);
      return true;
    });
    assert.equal(await portIsFree(port), true, "the listener was closed");
  });

  test("no tailscale binary on PATH is a start error naming it", async (t) => {
    await assert.rejects(startTestGateway(t, { config: { gateway: { tailscale: { mode: "serve" } } }, env: { PATH: "/nonexistent" } }), (e: Error & { code?: string }) => e.code === "GATEWAY_TAILSCALE_FAILED" && /tailscale was not found on PATH/.test(e.message));
  });

  test("serve needs bind=loopback; funnel needs password auth; funnel with a password runs tailscale funnel", async (t) => {
    const ts = fakeTailscale(t);
    await assert.rejects(startTestGateway(t, { config: { gateway: { bind: "lan", tailscale: { mode: "serve" } } }, env: ts.env }), (e: Error & { code?: string }) => e.code === "GATEWAY_CONFIG_INVALID" && e.message === "tailscale serve/funnel requires gateway bind=loopback (127.0.0.1)");
    await assert.rejects(startTestGateway(t, { config: { gateway: { tailscale: { mode: "funnel" } } }, env: ts.env }), /tailscale funnel requires gateway auth mode=password \(set gateway\.auth\.password or OPENCLAW_GATEWAY_PASSWORD\)/);
    assert.deepEqual(ts.calls(), [], "nothing ran for a refused setup");
    const gw = await startTestGateway(t, { config: { gateway: { auth: { mode: "password", password: "correct-horse-battery" }, tailscale: { mode: "funnel" } } }, env: ts.env });
    assert.deepEqual(ts.calls(), ["status --json", `funnel --bg --yes --https=443 http://127.0.0.1:${gw.rt.port}`]);
  });

  test("a config reload that turns serve on publishes the route; one that breaks its rules is refused and keeps the running config", async (t) => {
    const ts = fakeTailscale(t);
    const gw = await startTestGateway(t, { env: ts.env });
    const edit = (patch: (c: { gateway: Record<string, unknown> }) => void) => {
      const config = JSON.parse(readFileSync(gw.configPath, "utf8")) as { gateway: Record<string, unknown> };
      patch(config);
      const tmp = path.join(path.dirname(gw.configPath), `.edit-${randomBytes(4).toString("hex")}.tmp`);
      writeFileSync(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, gw.configPath);
    };
    edit((c) => (c.gateway.tailscale = { mode: "serve" }));
    assert.ok(await pollUntil(() => ts.calls().length === 2, 10_000, 20), ts.calls().join("; "));
    assert.equal(ts.calls()[1], `serve --bg --yes --https=443 http://127.0.0.1:${gw.rt.port}`);
    edit((c) => {
      c.gateway.tailscale = { mode: "funnel" };
    });
    assert.ok(await pollUntil(() => /reload refused: tailscale funnel requires gateway auth mode=password/.test(gw.rt.reloadState.lastError ?? ""), 10_000, 20), String(gw.rt.reloadState.lastError));
    assert.equal(ts.calls().length, 2, "nothing ran for the refused change");
  });

  test("the CLI refuses a bad --tailscale value with OpenClaw's sentence", async (t) => {
    const { env } = tempHome(t);
    const r = await runInProcess(["gateway", "run", "--tailscale", "public"], { env });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Invalid --tailscale\. Use "off", "serve", or "funnel"\./, "openclaw gateway run's wording");
  });
});
