/**
 * Device identity for the Control UI at `connect`, against a real gateway: a page on a plain-HTTP
 * LAN origin without a `device` is refused with CONTROL_UI_DEVICE_IDENTITY_REQUIRED (close 1008)
 * unless allowInsecureAuth is on; loopback pages and non-browser clients need none; an Ed25519
 * device signed over OpenClaw's v2 payload is verified, and a bad one refused.
 */
import assert from "node:assert/strict";
import { generateKeyPairSync, randomUUID, sign } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import WebSocket from "ws";
import { buildDevicePayload, deriveDeviceId } from "../../src/gateway/index.js";
import { pollUntil } from "../../src/infra/index.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

interface Frame {
  type: string;
  id?: string;
  ok?: boolean;
  event?: string;
  payload?: { nonce?: string; ts?: number };
  error?: { code: string; message: string; details?: { code?: string; reason?: string } };
}

type Device = (nonce: string, ts: number, token: string) => Record<string, unknown>;

/** Opens a socket as the Control UI would (Origin + Host), answers the challenge, returns the connect result and close code. */
async function uiConnect(t: { after(fn: () => unknown): void }, gw: TestGateway, opts: { origin?: string; host?: string; clientId?: string; device?: Device; token?: string }) {
  const headers: Record<string, string> = {};
  if (opts.origin) headers.origin = opts.origin;
  if (opts.host) headers.host = opts.host;
  const ws = new WebSocket(gw.url, { headers });
  t.after(() => ws.terminate());
  const frames: Frame[] = [];
  let closeCode: number | undefined;
  ws.on("message", (d) => frames.push(JSON.parse(d.toString()) as Frame));
  ws.on("close", (code) => (closeCode = code));
  ws.on("error", () => undefined);
  assert.ok(await pollUntil(() => frames.some((f) => f.event === "connect.challenge"), 5000, 10), "challenge");
  const challenge = frames.find((f) => f.event === "connect.challenge")!.payload!;
  const token = opts.token ?? gw.token;
  const id = randomUUID();
  const client = { id: opts.clientId ?? "openclaw-control-ui", version: "dev", platform: "web", mode: "webchat", instanceId: "i1" };
  const device = opts.device?.(challenge.nonce!, challenge.ts!, token);
  ws.send(JSON.stringify({ type: "req", id, method: "connect", params: { minProtocol: 3, maxProtocol: 4, client, role: "operator", scopes: SCOPES, auth: { token }, ...(device ? { device } : {}) } }));
  assert.ok(await pollUntil(() => frames.some((f) => f.id === id), 5000, 10), "connect answer");
  const res = frames.find((f) => f.id === id)!;
  if (!res.ok) await pollUntil(() => closeCode !== undefined, 5000, 10);
  return { res, closeCode: () => closeCode };
}

const SCOPES = ["operator.admin", "operator.read", "operator.write", "operator.approvals", "operator.pairing"];

/** A fresh Ed25519 device that signs OpenClaw's v2 payload (raw public key, base64url). */
function newDevice(overrides: { signWith?: string; nonce?: string; signedAt?: number } = {}): Device {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32).toString("base64url");
  const id = deriveDeviceId(raw)!;
  return (nonce, ts, token) => {
    const signedAt = overrides.signedAt ?? ts;
    const payload = buildDevicePayload({ version: "v2", deviceId: id, clientId: "openclaw-control-ui", clientMode: "webchat", role: "operator", scopes: SCOPES, signedAtMs: signedAt, token: overrides.signWith ?? token, nonce: overrides.nonce ?? nonce });
    return { id, publicKey: raw, signature: sign(null, Buffer.from(payload), privateKey).toString("base64url"), signedAt, nonce: overrides.nonce ?? nonce };
  };
}

describe("Control UI device identity", () => {
  test("a plain-HTTP LAN page without a device is refused; loopback pages, HTTPS-less CLIs and signed devices connect", async (t) => {
    const gw = await startTestGateway(t);
    const port = gw.rt.port;
    const lan = { origin: `http://192.168.7.7:${port}`, host: `192.168.7.7:${port}` };

    const refused = await uiConnect(t, gw, lan);
    assert.equal(refused.res.ok, false);
    assert.equal(refused.res.error?.code, "INVALID_REQUEST");
    assert.equal(refused.res.error?.message, "control ui requires device identity (use HTTPS or localhost secure context)");
    assert.equal(refused.res.error?.details?.code, "CONTROL_UI_DEVICE_IDENTITY_REQUIRED");
    assert.equal(refused.closeCode(), 1008);

    const tui = await uiConnect(t, gw, { ...lan, clientId: "openclaw-tui" });
    assert.equal(tui.res.error?.details?.code, "CONTROL_UI_DEVICE_IDENTITY_REQUIRED", "openclaw-tui counts as the Control UI");
    assert.equal((await uiConnect(t, gw, { ...lan, clientId: "test" })).res.ok, true, "other browser clients are not the Control UI");
    assert.equal((await uiConnect(t, gw, { origin: `http://127.0.0.1:${port}` })).res.ok, true, "loopback works with a token");
    assert.equal((await uiConnect(t, gw, { origin: `http://localhost:${port}` })).res.ok, true);
    assert.equal((await uiConnect(t, gw, {})).res.ok, true, "no Origin: not a browser");
    const signed = await uiConnect(t, gw, { ...lan, device: newDevice() });
    assert.equal(signed.res.ok, true, JSON.stringify(signed.res.error));
  });

  test("a bad device is refused with its reason: wrong signature, wrong nonce, stale signedAt, id not derived from the key", async (t) => {
    const gw = await startTestGateway(t);
    const origin = `http://127.0.0.1:${gw.rt.port}`;
    const cases: [Device, string, string][] = [
      [newDevice({ signWith: "another-token" }), "device-signature", "DEVICE_AUTH_SIGNATURE_INVALID"],
      [newDevice({ nonce: "not-the-challenge" }), "device-nonce-mismatch", "DEVICE_AUTH_NONCE_MISMATCH"],
      [newDevice({ signedAt: Date.now() - 10 * 60_000 }), "device-signature-stale", "DEVICE_AUTH_SIGNATURE_EXPIRED"],
      [(n, ts, tok) => ({ ...newDevice()(n, ts, tok), id: "0".repeat(64) }), "device-id-mismatch", "DEVICE_AUTH_DEVICE_ID_MISMATCH"],
    ];
    for (const [device, reason, code] of cases) {
      const r = await uiConnect(t, gw, { origin, device });
      assert.equal(r.res.ok, false, reason);
      assert.equal(r.res.error?.code, "INVALID_REQUEST");
      assert.deepEqual({ code: r.res.error?.details?.code, reason: r.res.error?.details?.reason }, { code, reason });
      assert.equal(r.closeCode(), 1008);
    }
    const wrongToken = await uiConnect(t, gw, { origin, device: newDevice(), token: "wrong" });
    assert.equal(wrongToken.res.error?.details?.code, "AUTH_TOKEN_MISMATCH", "a valid device does not replace the shared token");
  });

  test("gateway.controlUi.allowInsecureAuth admits the LAN page without a device, and says so in the log", async (t) => {
    const gw = await startTestGateway(t, { config: { gateway: { controlUi: { allowInsecureAuth: true } } } });
    const port = gw.rt.port;
    const r = await uiConnect(t, gw, { origin: `http://192.168.7.7:${port}`, host: `192.168.7.7:${port}` });
    assert.equal(r.res.ok, true, JSON.stringify(r.res.error));
    assert.ok(await pollUntil(() => Boolean(gw.rt.logFile && existsSync(gw.rt.logFile) && readFileSync(gw.rt.logFile, "utf8").includes("retired in OpenClaw 2026.9")), 10_000, 20), "the retired setting is named in the log");
    const wrong = await uiConnect(t, gw, { origin: `http://192.168.7.7:${port}`, host: `192.168.7.7:${port}`, token: "wrong" });
    assert.equal(wrong.res.ok, false, "the token is still required");
  });
});
