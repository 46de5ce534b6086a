/**
 * The outbound half of Google Chat: an OAuth2 access token from the service account (JWT-bearer
 * grant, the assertion signed with jose, scope chat.bot, cached until shortly before it expires,
 * one in-flight request shared), and the Chat API calls we make (`spaces.messages.create`,
 * `spaces.findDirectMessage`). Every request has a deadline; errors carry the HTTP status and
 * Google's message, never the access token or the key.
 */
import { AppError } from "../../shared/index.js";
import { untilAborted } from "./abort.js";
import type { GoogleServiceAccount } from "./config.js";

/** The OAuth scope a Chat app acting as itself asks for. */
export const GOOGLE_CHAT_SCOPE = "https://www.googleapis.com/auth/chat.bot";
/** Refresh this long before Google's `expires_in` runs out. */
const EXPIRY_MARGIN_MS = 60_000;

/** The service account, where the Chat API is, and the per-request deadline. */
export interface GoogleChatApiOptions {
  serviceAccount: GoogleServiceAccount;
  apiBaseUrl: string;
  timeoutMs: number;
  now?: () => number;
}

/** A Chat API message as created. */
export interface GoogleChatSentMessage {
  name: string;
  thread?: { name?: string };
}

function deadline(timeoutMs: number, signal?: AbortSignal): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/** One line about a failed fetch: "timed out after N ms" or the network error code. */
export function describeGoogleFetchError(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError") return `timed out after ${timeoutMs} ms`;
  if (error.name === "AbortError") return "aborted";
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}

async function googleError(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error?: { message?: string; status?: string } | string; error_description?: string };
    const err = body.error;
    const message = typeof err === "object" ? (err.message ?? err.status) : (body.error_description ?? err);
    if (message) return `HTTP ${res.status}: ${String(message).slice(0, 200)}`;
  } catch {
    // not JSON
  }
  return `HTTP ${res.status}`;
}

/** Access tokens and Chat API calls for one service account. */
export class GoogleChatApi {
  private token: { value: string; expiresAt: number } | undefined;
  private inflight: Promise<string> | undefined;
  /** Token grants made (status and tests). */
  tokenFetches = 0;

  constructor(private readonly o: GoogleChatApiOptions) {}

  private get now(): number {
    return (this.o.now ?? Date.now)();
  }

  /** A valid access token: the cached one, or a new grant (`force` skips the cache, for probes). */
  accessToken(o: { force?: boolean; signal?: AbortSignal; timeoutMs?: number } = {}): Promise<string> {
    if (!o.force && this.token && this.now < this.token.expiresAt) return Promise.resolve(this.token.value);
    if (o.force) return this.grant(o.signal, o.timeoutMs);
    // Shared by concurrent sends: bounded by its own timeout; a caller's signal only stops that caller's wait.
    this.inflight ??= this.grant(undefined, o.timeoutMs).finally(() => {
      this.inflight = undefined;
    });
    return untilAborted(this.inflight, o.signal);
  }

  private async grant(signal?: AbortSignal, timeoutMs = this.o.timeoutMs): Promise<string> {
    const sa = this.o.serviceAccount;
    const { importPKCS8, SignJWT } = await import("jose");
    let assertion: string;
    try {
      const key = await importPKCS8(sa.privateKey, "RS256");
      assertion = await new SignJWT({ scope: GOOGLE_CHAT_SCOPE })
        .setProtectedHeader({ alg: "RS256", typ: "JWT", ...(sa.privateKeyId ? { kid: sa.privateKeyId } : {}) })
        .setIssuer(sa.clientEmail)
        .setAudience(sa.tokenUri)
        .setIssuedAt(Math.floor(this.now / 1000))
        .setExpirationTime(Math.floor(this.now / 1000) + 3600)
        .sign(key);
    } catch {
      throw new AppError("CONFIG_INVALID", `the service account ${sa.clientEmail} has a private_key that cannot sign (not a PKCS#8 RSA key)`, { hint: "download a new JSON key for the service account" });
    }
    let res: Response;
    try {
      res = await fetch(sa.tokenUri, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }).toString(),
        signal: deadline(timeoutMs, signal),
      });
    } catch (error) {
      throw new AppError("UNAVAILABLE", `googlechat access token from ${sa.tokenUri} failed: ${describeGoogleFetchError(error, timeoutMs)}`, { hint: "check network access to Google's token endpoint" });
    }
    if (!res.ok) {
      const why = await googleError(res);
      throw new AppError(res.status === 400 || res.status === 401 ? "UNAUTHORIZED" : "UNAVAILABLE", `googlechat access token for ${sa.clientEmail} refused: ${why}`, { hint: "check that the service-account key is current (not deleted in Google Cloud)" });
    }
    const body = (await res.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== "string" || !body.access_token) throw new AppError("UNAVAILABLE", `googlechat token endpoint ${sa.tokenUri} answered without access_token`);
    this.tokenFetches++;
    const ttl = typeof body.expires_in === "number" ? body.expires_in * 1000 : 3600_000;
    this.token = { value: body.access_token, expiresAt: this.now + Math.max(0, ttl - EXPIRY_MARGIN_MS) };
    return body.access_token;
  }

  private async call<T>(method: "GET" | "POST", pathAndQuery: string, body: unknown, what: string, signal?: AbortSignal, retried = false): Promise<T> {
    const token = await this.accessToken({ ...(signal ? { signal } : {}) });
    let res: Response;
    try {
      res = await fetch(`${this.o.apiBaseUrl}${pathAndQuery}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json; charset=utf-8" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: deadline(this.o.timeoutMs, signal),
      });
    } catch (error) {
      throw new AppError("UNAVAILABLE", `googlechat ${what} failed: ${describeGoogleFetchError(error, this.o.timeoutMs)}`, { hint: "check network access to the Chat API" });
    }
    if (res.status === 401) {
      // A revoked or expired token: grant a new one and try once more.
      this.token = undefined;
      if (!retried) {
        await res.body?.cancel();
        return this.call<T>(method, pathAndQuery, body, what, signal, true);
      }
    }
    if (!res.ok) {
      const code = res.status === 404 ? "NOT_FOUND" : res.status === 403 || res.status === 401 ? "FORBIDDEN" : res.status === 429 ? "RATE_LIMITED" : "UNAVAILABLE";
      throw new AppError(code, `googlechat ${what} failed: ${await googleError(res)}`, { hint: res.status === 403 || res.status === 404 ? "the app must be a member of the space (add it in Google Chat)" : "retry later" });
    }
    return (await res.json().catch(() => ({}))) as T;
  }

  /** `spaces.messages.create`: posts `text` in `space`, as a reply in `thread` when given. */
  createMessage(space: string, text: string, thread?: string, signal?: AbortSignal): Promise<GoogleChatSentMessage> {
    const query = thread ? "?messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD" : "";
    return this.call<GoogleChatSentMessage>("POST", `/v1/${space}/messages${query}`, { text, ...(thread ? { thread: { name: thread } } : {}) }, `send to ${space}`, signal);
  }

  /** `spaces.findDirectMessage`: the DM space between the app and `users/<id>`. */
  async findDirectMessage(user: string, signal?: AbortSignal): Promise<string> {
    const space = await this.call<{ name?: string }>("GET", `/v1/spaces:findDirectMessage?name=${encodeURIComponent(user)}`, undefined, `find the DM with ${user}`, signal);
    if (!space.name) throw new AppError("NOT_FOUND", `googlechat has no DM space with ${user}`, { hint: "the user must message the app first" });
    return space.name;
  }
}
