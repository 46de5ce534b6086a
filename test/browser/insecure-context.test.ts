/**
 * The page's answer to a gateway that refuses a device-less Control UI (OpenClaw 2026.9's
 * `CONTROL_UI_DEVICE_IDENTITY_REQUIRED`, or `CONTROL_UI_ORIGIN_NOT_ALLOWED`): it explains "device
 * identity required" with the three fixes instead of failing silently. The refusal comes from a
 * loopback stand-in for a LAN gateway that serves the built UI and answers `connect` the way
 * OpenClaw 2026.9.6 does (res ok:false INVALID_REQUEST with details.code, then close 1008); our own
 * gateway refuses only non-loopback pages, which a single-host test cannot open.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, test } from "node:test";
import { WebSocketServer } from "ws";
import { pollUntil } from "../../src/infra/index.js";
import { buildControlUiOnce, launchBrowser, openPage } from "./harness.js";

const REFUSALS = {
  CONTROL_UI_DEVICE_IDENTITY_REQUIRED: "control ui requires device identity (use HTTPS or localhost secure context)",
  CONTROL_UI_ORIGIN_NOT_ALLOWED: "origin not allowed (open the Control UI from the gateway host or allow it in gateway.controlUi.allowedOrigins)",
} as const;

/** Serves the built UI and refuses every connect with `code`; records what the page sent. */
async function startRefusingGateway(t: { after(fn: () => unknown): void }, code: keyof typeof REFUSALS) {
  const root = await buildControlUiOnce();
  const connects: Array<Record<string, unknown>> = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const rel = url.pathname.includes("/assets/") ? `assets/${url.pathname.split("/assets/")[1]}` : "index.html";
    try {
      const body = readFileSync(path.join(root, path.normalize(rel).replace(/^(\.\.[/\\])+/, "")));
      res.writeHead(200, { "content-type": rel.endsWith(".js") ? "text/javascript" : rel.endsWith(".css") ? "text/css" : "text/html; charset=utf-8" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  const wss = new WebSocketServer({ server });
  wss.on("connection", (ws) => {
    ws.send(JSON.stringify({ type: "event", event: "connect.challenge", payload: { nonce: randomUUID(), ts: Date.now() } }));
    ws.on("message", (data) => {
      const frame = JSON.parse(String(data)) as { id: string; method: string; params: Record<string, unknown> };
      if (frame.method !== "connect") return;
      connects.push(frame.params);
      ws.send(JSON.stringify({ type: "res", id: frame.id, ok: false, error: { code: "INVALID_REQUEST", message: REFUSALS[code], details: { code } } }));
      ws.close(1008, REFUSALS[code].slice(0, 120));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(async () => {
    for (const c of wss.clients) c.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, connects };
}

describe("Control UI: insecure context", () => {
  for (const code of Object.keys(REFUSALS) as Array<keyof typeof REFUSALS>) {
    test(`${code}: the page explains it with the three fixes`, async (t) => {
      const browser = await launchBrowser(t);
      const gw = await startRefusingGateway(t, code);
      const { page, assertNoErrors } = await openPage(t, browser, { name: `insecure-${code}` });
      await page.goto(`${gw.url}#token=some-token`);
      const box = page.locator('[data-testid="insecure-context"]');
      await box.waitFor({ timeout: 15_000 });
      const explained = ((await box.textContent()) ?? "").replace(/\s+/g, " ");
      assert.match(explained, /Device identity required/);
      for (const fix of ["Tailscale Serve", "tailscale serve", "127.0.0.1", "gateway.controlUi.allowInsecureAuth: true"]) assert.ok(explained.includes(fix), `names ${fix}: ${explained}`);
      assert.ok(explained.includes(REFUSALS[code]), "quotes the gateway's reason");
      assert.equal(await page.locator('[data-testid="auth-error"]').count(), 0, "not mistaken for a wrong token");
      // What the page sent: OpenClaw's Control UI identity.
      assert.ok(await pollUntil(() => gw.connects.length >= 1, 5000, 20));
      const params = gw.connects[0]!;
      assert.deepEqual(params.client && { id: (params.client as { id: string }).id, mode: (params.client as { mode: string }).mode }, { id: "openclaw-control-ui", mode: "webchat" });
      assert.equal(params.role, "operator");
      assert.deepEqual([...(params.scopes as string[])].sort(), ["operator.admin", "operator.approvals", "operator.pairing", "operator.read", "operator.write"]);
      assert.deepEqual(params.auth, { token: "some-token" });
      assertNoErrors();
    });
  }
});
