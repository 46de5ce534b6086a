/**
 * Device identity at `connect` for browser clients. The Control UI proves a device with an Ed25519
 * key: `device = {id, publicKey, signature, signedAt, nonce}` where `id` is the hex SHA-256 of the
 * raw public key and the signature covers OpenClaw's v2 payload
 * `v2|deviceId|clientId|clientMode|role|scopes,csv|signedAtMs|token|nonce` (or v3, which adds the
 * lowercased platform and deviceFamily). A Control UI page on a plain-HTTP, non-loopback origin
 * without a device is refused unless `gateway.controlUi.allowInsecureAuth` is on (spec §3.8;
 * retired in OpenClaw 2026.9, still honoured here) or the gateway trusts a proxy for auth.
 */
import { createHash, createPublicKey, verify } from "node:crypto";
import type { ConnectParamsT } from "../protocol/index.js";
import { isLoopbackHostname } from "./origin.js";

/** Client ids OpenClaw treats as the Control UI. */
export const CONTROL_UI_CLIENT_IDS: ReadonlySet<string> = new Set(["openclaw-control-ui", "openclaw-tui"]);

/** How far `signedAt` may be from the gateway's clock (OpenClaw: 2 minutes). */
export const DEVICE_SIGNATURE_SKEW_MS = 120_000;

/** OpenClaw's message for a Control UI connect without a device. */
export const DEVICE_IDENTITY_REQUIRED_MESSAGE = "control ui requires device identity (use HTTPS or localhost secure context)";

/** A refused connect: wire message and `details.code`/`reason`. */
export interface DeviceRefusal {
  message: string;
  code: string;
  reason?: string;
}

/** What the check needs to know about the connect and the gateway's settings. */
export interface DeviceCheckInput {
  params: ConnectParamsT;
  /** The page's Origin (browsers only). */
  origin: string | undefined;
  /** The nonce of this socket's `connect.challenge`. */
  nonce: string;
  authMode: string;
  allowInsecureAuth: boolean;
  now?: number;
}

/** The outcome: refused, or admitted (with the verified device id, or `insecure` when allowInsecureAuth let it in). */
export type DeviceVerdict = { ok: false; refusal: DeviceRefusal } | { ok: true; deviceId?: string; insecure?: boolean };

/** Whether a page origin is plain HTTP on a host other than loopback (no secure context in a browser). */
export function isInsecureRemoteOrigin(origin: string | undefined): boolean {
  if (!origin) return false;
  try {
    const url = new URL(origin);
    return url.protocol === "http:" && !isLoopbackHostname(url.hostname);
  } catch {
    return false;
  }
}

const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

function decodeBase64Url(value: string): Buffer {
  return Buffer.from(value.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}

/** The raw 32-byte Ed25519 public key from base64/base64url or PEM, or undefined. */
function rawPublicKey(publicKey: string): Buffer | undefined {
  try {
    if (publicKey.includes("BEGIN")) {
      const der = createPublicKey(publicKey).export({ format: "der", type: "spki" });
      return der.subarray(der.length - 32);
    }
    const raw = decodeBase64Url(publicKey);
    return raw.length === 32 ? raw : undefined;
  } catch {
    return undefined;
  }
}

/** The device id OpenClaw derives from a public key: hex SHA-256 of the raw key. */
export function deriveDeviceId(publicKey: string): string | undefined {
  const raw = rawPublicKey(publicKey);
  return raw ? createHash("sha256").update(raw).digest("hex") : undefined;
}

/** OpenClaw's v2 device payload (v3 appends lowercased platform and deviceFamily). */
export function buildDevicePayload(p: { version: "v2" | "v3"; deviceId: string; clientId: string; clientMode: string; role: string; scopes: readonly string[]; signedAtMs: number; token: string; nonce: string; platform?: string | undefined; deviceFamily?: string | undefined }): string {
  const base = ["v2", p.deviceId, p.clientId, p.clientMode, p.role, p.scopes.join(","), String(p.signedAtMs), p.token, p.nonce];
  if (p.version === "v2") return base.join("|");
  const meta = (s: string | undefined) => (s ?? "").trim().toLowerCase();
  return ["v3", ...base.slice(1), meta(p.platform), meta(p.deviceFamily)].join("|");
}

function verifySignature(raw: Buffer, payload: string, signature: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: "der", type: "spki" });
    return verify(null, Buffer.from(payload, "utf8"), key, decodeBase64Url(signature));
  } catch {
    return false;
  }
}

const invalid = (reason: string, code: string, message: string): DeviceVerdict => ({ ok: false, refusal: { message, code, reason } });

/** Verifies a presented `device` block against this socket's challenge. */
function verifyDevice(input: DeviceCheckInput, device: Record<string, unknown>): DeviceVerdict {
  const { params } = input;
  const id = typeof device.id === "string" ? device.id : "";
  const publicKey = typeof device.publicKey === "string" ? device.publicKey : "";
  const raw = rawPublicKey(publicKey);
  if (!raw || createHash("sha256").update(raw).digest("hex") !== id) return invalid("device-id-mismatch", "DEVICE_AUTH_DEVICE_ID_MISMATCH", "device identity mismatch");
  const signedAt = device.signedAt;
  if (typeof signedAt !== "number" || Math.abs((input.now ?? Date.now()) - signedAt) > DEVICE_SIGNATURE_SKEW_MS) return invalid("device-signature-stale", "DEVICE_AUTH_SIGNATURE_EXPIRED", "device signature expired");
  const nonce = typeof device.nonce === "string" ? device.nonce.trim() : "";
  if (!nonce) return invalid("device-nonce-missing", "DEVICE_AUTH_NONCE_REQUIRED", "device nonce required");
  if (nonce !== input.nonce) return invalid("device-nonce-mismatch", "DEVICE_AUTH_NONCE_MISMATCH", "device nonce mismatch");
  const signature = typeof device.signature === "string" ? device.signature : "";
  const auth = params.auth;
  const common = {
    deviceId: id,
    clientId: params.client.id,
    clientMode: params.client.mode,
    role: params.role ?? "operator",
    scopes: params.scopes ?? [],
    signedAtMs: signedAt,
    token: auth?.token ?? auth?.deviceToken ?? auth?.bootstrapToken ?? "",
    nonce,
    platform: params.client.platform,
    deviceFamily: params.client.deviceFamily,
  };
  const ok = verifySignature(raw, buildDevicePayload({ version: "v3", ...common }), signature) || verifySignature(raw, buildDevicePayload({ version: "v2", ...common }), signature);
  if (!ok) return invalid("device-signature", "DEVICE_AUTH_SIGNATURE_INVALID", "device signature invalid");
  return { ok: true, deviceId: id };
}

/**
 * Checks a connect's device identity: a presented `device` must verify (any client); a Control UI
 * page on a plain-HTTP, non-loopback origin must present one unless allowInsecureAuth or
 * trusted-proxy auth applies. Loopback pages and non-browser clients (no Origin) need none.
 */
export function checkDeviceIdentity(input: DeviceCheckInput): DeviceVerdict {
  const device = input.params.device;
  if (device !== undefined && device !== null) {
    if (typeof device !== "object" || Array.isArray(device)) return invalid("device-invalid", "DEVICE_AUTH_INVALID", "device identity invalid");
    return verifyDevice(input, device as Record<string, unknown>);
  }
  if (!CONTROL_UI_CLIENT_IDS.has(input.params.client.id) || !isInsecureRemoteOrigin(input.origin)) return { ok: true };
  if (input.authMode === "trusted-proxy") return { ok: true };
  if (input.allowInsecureAuth) return { ok: true, insecure: true };
  return { ok: false, refusal: { message: DEVICE_IDENTITY_REQUIRED_MESSAGE, code: "CONTROL_UI_DEVICE_IDENTITY_REQUIRED" } };
}
