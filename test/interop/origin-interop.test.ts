/**
 * Browser-origin decisions, ours against OpenClaw 2026.9.6's real gateway: the same WebSocket
 * opens (Origin/Host/X-Forwarded-For) must be accepted or refused by both. OpenClaw refuses inside
 * `connect` (CONTROL_UI_ORIGIN_NOT_ALLOWED) or, for forwarded requests, with HTTP 403; ours refuses
 * at upgrade with 403. Only the decision is compared. Skipped when the real CLI is not installed.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import WebSocket from "ws";
import { pollUntil } from "../../src/infra/index.js";
import { freePort, startTestGateway } from "../helpers/gateway.js";
import { REAL_CLI, startRealGateway } from "./real-openclaw.js";

/** "ok" when connect succeeds, "refused" on an HTTP refusal or a failed connect. */
function decide(port: number, token: string, headers: Record<string, string>): Promise<"ok" | "refused" | "timeout"> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { headers });
    const deadline = AbortSignal.timeout(5_000);
    const onDeadline = () => done("timeout");
    deadline.addEventListener("abort", onDeadline, { once: true });
    function done(v: "ok" | "refused" | "timeout") {
      deadline.removeEventListener("abort", onDeadline);
      ws.terminate();
      resolve(v);
    }
    ws.on("unexpected-response", () => done("refused"));
    ws.on("error", () => done("refused"));
    ws.on("close", () => done("refused"));
    ws.on("message", (d) => {
      const f = JSON.parse(d.toString()) as { event?: string; id?: string; ok?: boolean };
      if (f.event === "connect.challenge") {
        ws.send(JSON.stringify({ type: "req", id: "c1", method: "connect", params: { minProtocol: 3, maxProtocol: 4, client: { id: "cli", mode: "cli", version: "1", platform: "linux" }, role: "operator", scopes: ["operator.read"], auth: { token } } }));
      } else if (f.id === "c1") done(f.ok ? "ok" : "refused");
    });
  });
}

const cases = (port: number): Record<string, string>[] => [
  {},
  { origin: "https://evil.example" },
  { origin: "null" },
  { origin: `http://127.0.0.1:${port}` },
  { origin: "http://127.0.0.1:3000" },
  { origin: "http://localhost:3000" },
  { origin: "http://127.0.0.1:3000", "x-forwarded-for": "203.0.113.9" },
  { origin: `http://192.168.7.7:${port}`, host: `192.168.7.7:${port}` },
  { origin: `http://10.1.2.3:${port}`, host: `10.1.2.3:${port}` },
  { origin: `http://100.90.1.2:${port}`, host: `100.90.1.2:${port}` },
  { origin: `http://203.0.113.9:${port}`, host: `203.0.113.9:${port}` },
  { origin: "https://box.tail9.ts.net", host: "box.tail9.ts.net" },
  { origin: `http://gw.local:${port}`, host: `gw.local:${port}` },
  { origin: `http://evil.example:${port}`, host: `evil.example:${port}` },
  { origin: `http://192.168.7.7:${port}`, host: `192.168.7.8:${port}` },
];

test("our Origin accept/reject decisions match OpenClaw's real gateway", { skip: REAL_CLI.skip, timeout: 180_000 }, async (t) => {
  const token = "interop-origin-token-0123456789abcdef";
  const home = mkdtempSync(path.join(os.tmpdir(), "openclaw-origin-interop-"));
  mkdirSync(path.join(home, ".openclaw"), { mode: 0o700 });
  const realPort = await freePort();
  writeFileSync(path.join(home, ".openclaw", "openclaw.json"), JSON.stringify({ gateway: { mode: "local", port: realPort, bind: "loopback", auth: { mode: "token", token } } }), { mode: 0o600 });
  const real = await startRealGateway({ home, port: realPort, ready: async () => (await fetch(`http://127.0.0.1:${realPort}/healthz`).catch(() => undefined))?.status === 200 });
  t.after(async () => {
    await real.stop();
    rmSync(home, { recursive: true, force: true, maxRetries: 5 });
  });
  // It refuses device-less connects until its startup finishes: wait for a plain (no Origin) connect.
  assert.ok(await pollUntil(async () => (await decide(realPort, token, {})) === "ok", 90_000, 500), `OpenClaw's gateway never accepted a plain connect:\n${real.output().slice(-2000)}`);
  const ours = await startTestGateway(t);
  const table: string[] = [];
  let agree = 0;
  const ourCases = cases(ours.rt.port);
  const realCases = cases(realPort);
  for (const [i, headers] of realCases.entries()) {
    const theirs = await decide(realPort, token, headers);
    const mine = await decide(ours.rt.port, ours.token, ourCases[i]!);
    if (theirs === mine) agree++;
    table.push(`${JSON.stringify(ourCases[i])}: ours ${mine}, OpenClaw ${theirs}`);
  }
  t.diagnostic(`${agree}/${realCases.length} decisions agree`);
  assert.equal(agree, realCases.length, table.join("\n"));
});
