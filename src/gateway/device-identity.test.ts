import assert from "node:assert/strict";
import { generateKeyPairSync, sign } from "node:crypto";
import { test } from "node:test";
import type { ConnectParamsT } from "../protocol/index.js";
import { buildDevicePayload, checkDeviceIdentity, deriveDeviceId, isInsecureRemoteOrigin } from "./device-identity.js";

const params = (extra: Partial<ConnectParamsT> = {}): ConnectParamsT =>
  ({ minProtocol: 4, maxProtocol: 4, client: { id: "openclaw-control-ui", mode: "webchat", platform: "MacIntel", deviceFamily: "Desktop" }, role: "operator", scopes: ["operator.read"], auth: { token: "t0k" }, ...extra }) as ConnectParamsT;
const base = { nonce: "n-1", authMode: "token", allowInsecureAuth: false, now: 1_000_000 };

function device(version: "v2" | "v3", pem = false) {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32).toString("base64url");
  const id = deriveDeviceId(raw)!;
  const payload = buildDevicePayload({ version, deviceId: id, clientId: "openclaw-control-ui", clientMode: "webchat", role: "operator", scopes: ["operator.read"], signedAtMs: 1_000_000, token: "t0k", nonce: "n-1", platform: "MacIntel", deviceFamily: "Desktop" });
  const key = pem ? (publicKey.export({ format: "pem", type: "spki" }) as string) : raw;
  return { id, publicKey: key, signature: sign(null, Buffer.from(payload), privateKey).toString("base64url"), signedAt: 1_000_000, nonce: "n-1" };
}

test("v3 payload appends lowercased platform and deviceFamily; v2 does not", () => {
  const p = { deviceId: "d", clientId: "c", clientMode: "m", role: "operator", scopes: ["a", "b"], signedAtMs: 5, token: "", nonce: "n", platform: " MacIntel ", deviceFamily: "Desktop" };
  assert.equal(buildDevicePayload({ version: "v2", ...p }), "v2|d|c|m|operator|a,b|5||n");
  assert.equal(buildDevicePayload({ version: "v3", ...p }), "v3|d|c|m|operator|a,b|5||n|macintel|desktop");
});

test("v2 and v3 signatures verify, with a raw or PEM public key; the device id is the key's SHA-256", () => {
  for (const d of [device("v2"), device("v3"), device("v2", true)]) {
    assert.deepEqual(checkDeviceIdentity({ ...base, params: params({ device: d }), origin: "http://192.168.1.9:18789" }), { ok: true, deviceId: d.id });
  }
  assert.equal(deriveDeviceId("not a key"), undefined);
});

test("a device that is not an object is refused; a tampered scope list breaks the signature", () => {
  const r = checkDeviceIdentity({ ...base, params: params({ device: "yes" }), origin: undefined });
  assert.equal(r.ok === false && r.refusal.code, "DEVICE_AUTH_INVALID");
  const d = device("v2");
  const tampered = checkDeviceIdentity({ ...base, params: params({ device: d, scopes: ["operator.admin"] }), origin: undefined });
  assert.equal(tampered.ok === false && tampered.refusal.code, "DEVICE_AUTH_SIGNATURE_INVALID");
});

test("without a device: only a Control UI page on plain HTTP off loopback is refused, unless trusted-proxy or allowInsecureAuth", () => {
  const lan = "http://192.168.1.9:18789";
  assert.equal(checkDeviceIdentity({ ...base, params: params(), origin: lan }).ok, false);
  assert.equal(checkDeviceIdentity({ ...base, params: params(), origin: "https://box.tail1.ts.net" }).ok, true, "HTTPS: spec §3.8");
  assert.equal(checkDeviceIdentity({ ...base, params: params(), origin: "http://localhost:5173" }).ok, true);
  assert.equal(checkDeviceIdentity({ ...base, params: params(), origin: undefined }).ok, true);
  assert.equal(checkDeviceIdentity({ ...base, authMode: "trusted-proxy", params: params(), origin: lan }).ok, true);
  assert.deepEqual(checkDeviceIdentity({ ...base, allowInsecureAuth: true, params: params(), origin: lan }), { ok: true, insecure: true });
  assert.equal(isInsecureRemoteOrigin("http://[::1]:1"), false);
  assert.equal(isInsecureRemoteOrigin("http://10.0.0.1"), true);
});
