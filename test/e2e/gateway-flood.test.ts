/**
 * The built gateway, spawned as its own process, under a flood: 40 pre-auth frames that each
 * declare 24 MiB and try to send 20 MiB, plus 5,000 silent TCP sockets. RSS stays within 64 MiB of
 * the idle figure, `/healthz` and a connected client's `health` keep answering, and every silent
 * socket is closed (the handshake budget is shortened through OPENCLAW_HANDSHAKE_TIMEOUT_MS).
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { GatewayClient, probeHealthz } from "../../src/client/index.js";
import { pollUntil } from "../../src/infra/index.js";
import { BIN, ROOT, tempHome } from "../helpers/cli.js";
import { freePort } from "../helpers/gateway.js";
import { frameHeader, openTcp, rawUpgrade, type Tracked } from "../helpers/raw-ws.js";

const MiB = 1024 * 1024;

function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
}

const healthzOk = (port: number) => probeHealthz(port, 2000);

/** Upgrades, declares a 24 MiB frame and writes up to 20 MiB of it until the gateway cuts it off. */
async function partialFrame(port: number): Promise<Tracked | undefined> {
  let s: Tracked;
  try {
    s = await rawUpgrade(port);
  } catch {
    return undefined; // refused at the cap: fine
  }
  s.socket.write(frameHeader(24 * MiB));
  const chunk = Buffer.alloc(MiB, 0x61);
  for (let sent = 0; sent < 20 * MiB && !s.closed; sent += MiB) {
    if (!s.socket.write(chunk)) await new Promise((r) => s.socket.once("drain", r).once("close", r));
  }
  return s;
}

test("40 pre-auth partial frames + 5,000 silent sockets: RSS grows ≤ 64 MiB, /healthz and health answer, silent sockets close", { timeout: 90_000 }, async (t) => {
  const { home, env } = tempHome(t);
  const stateDir = path.join(home, ".openclaw");
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const port = await freePort();
  const token = randomBytes(24).toString("hex");
  writeFileSync(
    path.join(stateDir, "openclaw.json"),
    JSON.stringify({ gateway: { mode: "local", port, auth: { token } }, logging: { file: path.join(home, "logs", "openclaw.log") } }),
    { mode: 0o600 },
  );
  const child: ChildProcess = spawn(process.execPath, [BIN, "gateway", "--port", String(port)], {
    env: { ...env, OPENCLAW_STATE_DIR: stateDir, OPENCLAW_HANDSHAKE_TIMEOUT_MS: "1500" } as NodeJS.ProcessEnv,
    cwd: ROOT,
    stdio: "ignore",
  });
  const sockets: Tracked[] = [];
  t.after(() => {
    for (const s of sockets) s.socket.destroy();
    child.kill("SIGKILL");
  });
  assert.ok(await pollUntil(() => healthzOk(port), 15_000, 50), "the gateway comes up");
  const client = await GatewayClient.connect({ url: `ws://127.0.0.1:${port}`, token, timeoutMs: 5000, clientId: "test", clientMode: "test" });
  t.after(() => client.close());
  await client.call("health", {});
  const idleRss = rssMiB(child.pid!);
  let peakRss = idleRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMiB(child.pid!))), 25);
  t.after(() => clearInterval(sampler));

  const frames = Promise.all(Array.from({ length: 40 }, () => partialFrame(port)));
  // In batches no larger than the listen backlog: an overflowed accept queue leaves client sockets
  // the gateway never saw, which no server-side timeout can close.
  for (let i = 0; i < 5000; i += 250) {
    const batch = Array.from({ length: 250 }, () => openTcp(port));
    sockets.push(...batch);
    await pollUntil(() => batch.every((s) => s.connected || s.closed), 10_000, 5);
  }
  const partial = (await frames).filter((s): s is Tracked => s !== undefined);
  sockets.push(...partial);

  const health = (await client.call("health", {}, { timeoutMs: 5000 })) as { ok: boolean };
  assert.equal(health.ok, true, "a connected client's health answers during the flood");
  assert.ok(await pollUntil(() => healthzOk(port), 10_000, 50), "/healthz answers during the flood");
  clearInterval(sampler);
  peakRss = Math.max(peakRss, rssMiB(child.pid!));
  t.diagnostic(`RSS idle ${idleRss.toFixed(1)} MiB, peak ${peakRss.toFixed(1)} MiB (+${(peakRss - idleRss).toFixed(1)})`);
  assert.ok(peakRss - idleRss <= 64, `RSS grew by ${(peakRss - idleRss).toFixed(1)} MiB (idle ${idleRss.toFixed(1)}, peak ${peakRss.toFixed(1)})`);
  assert.ok(await pollUntil(() => sockets.every((s) => s.closed), 30_000, 100), `silent sockets close: ${sockets.filter((s) => !s.closed).length} still open`);
  assert.equal(((await client.call("health", {})) as { ok: boolean }).ok, true, "the client survives the flood");
});
