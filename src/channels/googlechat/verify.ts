/**
 * Inbound authentication for Google Chat webhooks: the `Authorization: Bearer <jwt>` Google Chat
 * sends is verified with jose against Google's key set (x509 PEM map or JWKS, fetched with a
 * timeout, cached for the response's `max-age`, refetched once when a token names an unknown key —
 * at most once per cooldown, so forged key ids cannot turn into a request flood against Google),
 * then its issuer and audience per `audienceType` (and, for app-url tokens, the Chat `email` claim).
 * Every failure is a reason the account counts; none of them echo the token.
 */
import type { CryptoKey, JWK, JWTPayload } from "jose";
import { untilAborted } from "./abort.js";

/** jose is loaded on first use, so importing the channels layer costs no crypto-library load. */
const loadJose = () => import("jose");

/** Why an inbound request was refused. */
export type GoogleChatRejectReason =
  | "missing-token"
  | "malformed-token"
  | "unknown-key"
  | "bad-signature"
  | "expired"
  | "wrong-audience"
  | "wrong-issuer"
  | "wrong-email"
  | "wrong-principal"
  | "keys-unavailable";

/** The service agent that signs Google Workspace add-on tokens. */
const ADDON_EMAIL = /^service-\d+@gcp-sa-gsuiteaddons\.iam\.gserviceaccount\.com$/;

/** A verification failure with its reason. */
export class GoogleChatAuthError extends Error {
  constructor(
    readonly reason: GoogleChatRejectReason,
    message: string,
  ) {
    super(message);
    this.name = "GoogleChatAuthError";
  }
}

/** Where Google's keys are and how long to trust them. */
export interface GoogleKeySetOptions {
  url: string;
  timeoutMs?: number;
  /** Cache lifetime when the response has no `max-age` (default 5 min). */
  defaultMaxAgeMs?: number;
  /** Least time between refetches triggered by unknown key ids (default 30 s). */
  unknownKidCooldownMs?: number;
  now?: () => number;
}

const MAX_AGE = /max-age=(\d+)/i;

/** Google's public keys for one URL, cached by `max-age`. */
export class GoogleKeySet {
  private keys = new Map<string, CryptoKey>();
  private expiresAt = 0;
  private lastUnknownRefetch = Number.NEGATIVE_INFINITY;
  private inflight: Promise<void> | undefined;
  /** How many times the key set was fetched (status and tests). */
  fetches = 0;

  constructor(private readonly options: GoogleKeySetOptions) {}

  private get now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Fetches and parses the key set (one in-flight fetch, bounded by its own timeout, shared by concurrent callers; `signal` only stops this caller's wait). */
  refresh(signal?: AbortSignal): Promise<void> {
    this.inflight ??= this.load().finally(() => {
      this.inflight = undefined;
    });
    return untilAborted(this.inflight, signal).catch((error: unknown) => {
      if (error instanceof GoogleChatAuthError) throw error;
      throw new GoogleChatAuthError("keys-unavailable", `fetching Google's keys from ${this.options.url} was abandoned: ${describeFetchError(error)}`);
    });
  }

  private async load(): Promise<void> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 10_000);
    const res = await fetch(this.options.url, { signal: timeout, headers: { accept: "application/json" } }).catch((error: unknown) => {
      throw new GoogleChatAuthError("keys-unavailable", `fetching Google's keys from ${this.options.url} failed: ${describeFetchError(error)}`);
    });
    this.fetches++;
    if (!res.ok) throw new GoogleChatAuthError("keys-unavailable", `Google's keys at ${this.options.url} answered HTTP ${res.status}`);
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new GoogleChatAuthError("keys-unavailable", `Google's keys at ${this.options.url} are not JSON`);
    }
    const { importJWK, importX509 } = await loadJose();
    const keys = new Map<string, CryptoKey>();
    const jwks = (body as { keys?: unknown }).keys;
    if (Array.isArray(jwks)) {
      for (const jwk of jwks as JWK[]) {
        if (!jwk.kid || (jwk.kty !== "RSA" && jwk.kty !== "EC")) continue;
        keys.set(jwk.kid, (await importJWK(jwk, jwk.alg ?? "RS256")) as CryptoKey);
      }
    } else if (body && typeof body === "object") {
      for (const [kid, pem] of Object.entries(body as Record<string, unknown>)) {
        if (typeof pem === "string" && pem.includes("BEGIN CERTIFICATE")) keys.set(kid, await importX509(pem, "RS256"));
      }
    }
    if (keys.size === 0) throw new GoogleChatAuthError("keys-unavailable", `Google's keys at ${this.options.url} hold no usable key`);
    const maxAge = MAX_AGE.exec(res.headers.get("cache-control") ?? "");
    this.keys = keys;
    this.expiresAt = this.now + (maxAge ? Number(maxAge[1]) * 1000 : (this.options.defaultMaxAgeMs ?? 300_000));
  }

  /** The key for `kid`: from the cache while fresh, else refetched; one extra fetch for an unknown kid. */
  async get(kid: string | undefined, signal?: AbortSignal): Promise<CryptoKey> {
    if (this.now >= this.expiresAt) await this.refresh(signal);
    if (!kid) throw new GoogleChatAuthError("malformed-token", "the token has no key id (kid)");
    let key = this.keys.get(kid);
    if (!key && this.now - this.lastUnknownRefetch >= (this.options.unknownKidCooldownMs ?? 30_000)) {
      this.lastUnknownRefetch = this.now;
      await this.refresh(signal);
      key = this.keys.get(kid);
    }
    if (!key) throw new GoogleChatAuthError("unknown-key", "the token is signed with a key Google does not publish");
    return key;
  }

  /** Number of cached keys (status). */
  get size(): number {
    return this.keys.size;
  }
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError" || error.name === "AbortError") return "timed out";
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}

/** What a Google Chat token must satisfy: keys, accepted issuers, the audience, and for app-url the email claim. */
export interface VerifyGoogleChatTokenOptions {
  keys: GoogleKeySet;
  issuers: string[];
  audience: string;
  /** app-url tokens must carry this `email` (verified). */
  expectedEmail?: string;
  /** The app's numeric OAuth client id: Workspace add-on tokens must carry it as `sub` (app-url only). */
  addOnPrincipal?: string;
  clockToleranceSec?: number;
  signal?: AbortSignal;
}

/** The bearer token from an Authorization header, or undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(value ?? "");
  return m?.[1];
}

/** Verifies one Google Chat bearer token; resolves to its claims or throws GoogleChatAuthError. */
export async function verifyGoogleChatToken(token: string | undefined, o: VerifyGoogleChatTokenOptions): Promise<JWTPayload> {
  if (!token) throw new GoogleChatAuthError("missing-token", "no Authorization: Bearer token");
  const { decodeProtectedHeader, jwtVerify } = await loadJose();
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw new GoogleChatAuthError("malformed-token", "the bearer token is not a JWT");
  }
  const key = await o.keys.get(kid, o.signal);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key, { issuer: o.issuers, audience: o.audience, algorithms: ["RS256"], clockTolerance: o.clockToleranceSec ?? 30 }));
  } catch (error) {
    throw mapJoseError(error);
  }
  if (o.expectedEmail) {
    const email = typeof payload.email === "string" ? payload.email.toLowerCase() : "";
    if (payload.email_verified !== true) throw new GoogleChatAuthError("wrong-email", "the token's email is not verified");
    if (email === o.expectedEmail) return payload;
    // A Workspace add-on token: Google's add-on service agent, bound to this app by its OAuth client id.
    if (!ADDON_EMAIL.test(email)) throw new GoogleChatAuthError("wrong-email", `the token's email is not ${o.expectedEmail}`);
    if (!o.addOnPrincipal || payload.sub !== o.addOnPrincipal) throw new GoogleChatAuthError("wrong-principal", "an add-on token for another app (set appPrincipal to this app's numeric OAuth client id)");
  }
  return payload;
}

function mapJoseError(error: unknown): GoogleChatAuthError {
  const e = error as { code?: string; claim?: string };
  if (e.code === "ERR_JWT_EXPIRED") return new GoogleChatAuthError("expired", "the token has expired");
  if (e.code === "ERR_JWT_CLAIM_VALIDATION_FAILED") {
    if (e.claim === "aud") return new GoogleChatAuthError("wrong-audience", "the token's audience is not this app's audience");
    if (e.claim === "iss") return new GoogleChatAuthError("wrong-issuer", "the token was not issued by Google Chat");
    return new GoogleChatAuthError("malformed-token", `the token's ${e.claim} claim is invalid`);
  }
  if (e.code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED") return new GoogleChatAuthError("bad-signature", "the token's signature does not verify");
  return new GoogleChatAuthError("malformed-token", "the bearer token is malformed");
}
