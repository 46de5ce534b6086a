/**
 * The built CLI's `openclaw gateway --tailscale serve --tailscale-reset-on-exit`, end to end with a
 * fake `tailscale` on PATH: the route is published for the gateway's port, the URL is logged, and
 * SIGTERM resets it; a setup OpenClaw refuses exits with its one-line error.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { pollUntil } from "../../src/infra/index.js";
import { BIN, ROOT, runBinary } from "../helpers/cli.js";
import { FAKE_MAGICDNS, fakeTailscale } from "../helpers/fake-tailscale.js";
import { freePort } from "../helpers/gateway.js";

function home(t: { after(fn: () => unknown): void }, port: number): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "openclaw-ts-cli-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, ".openclaw"), { mode: 0o700 });
  writeFileSync(path.join(dir, ".openclaw", "openclaw.json"), JSON.stringify({ gateway: { mode: "local", port, auth: { mode: "token", token: "c".repeat(40) } } }), { mode: 0o600 });
  return dir;
}

test("gateway --tailscale serve --tailscale-reset-on-exit publishes the port and resets it on SIGTERM", { timeout: 60_000 }, async (t) => {
  const ts = fakeTailscale(t);
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, "gateway", "--tailscale", "serve", "--tailscale-reset-on-exit"], { env: { HOME: home(t, port), ...ts.env, NO_COLOR: "1" }, cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  t.after(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  assert.ok(await pollUntil(() => ts.calls().length >= 2 || child.exitCode !== null, 30_000, 50), `tailscale serve ran:\n${output}`);
  assert.deepEqual(ts.calls(), ["status --json", `serve --bg --yes --https=443 http://127.0.0.1:${port}`]);
  assert.ok(await pollUntil(() => output.includes(`serve enabled: https://${FAKE_MAGICDNS}/`), 10_000, 50), output);
  child.kill("SIGTERM");
  assert.equal(await exited, 0, output);
  assert.deepEqual(ts.calls().slice(2), ["serve reset"]);
  assert.ok(!output.includes("c".repeat(40)), "the token is not printed");
});

test("gateway --tailscale serve --bind lan exits with OpenClaw's one-line refusal; a failing tailscale serve names its exit and stderr", { timeout: 60_000 }, async (t) => {
  const ts = fakeTailscale(t, { failOn: "serve" });
  const port = await freePort();
  const env = { HOME: home(t, port), ...ts.env, NO_COLOR: "1" };
  const lan = await runBinary(["gateway", "--tailscale", "serve", "--bind", "lan"], { env });
  assert.equal(lan.code, 78, lan.stderr);
  assert.match(lan.stderr, /tailscale serve\/funnel requires gateway bind=loopback \(127\.0\.0\.1\)/);
  const failed = await runBinary(["gateway", "--tailscale", "serve"], { env });
  assert.equal(failed.code, 1, failed.stderr);
  assert.match(failed.stderr, /tailscale serve --bg --yes --https=443 http:\/\/127\.0\.0\.1:\d+ failed \(exit 1\): error: Serve is not enabled on your tailnet\./);
});
