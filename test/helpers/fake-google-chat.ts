/**
 * A loopback Google for Google Chat tests, one HTTP server on 127.0.0.1:0 speaking the real wire
 * formats:
 * - `GET /oauth2/v3/certs` (JWKS, Google's OIDC keys for app-url tokens) and
 *   `GET /service_accounts/v1/metadata/x509/chat@system.gserviceaccount.com` (`{kid: PEM cert}`,
 *   for project-number tokens), both with `Cache-Control: max-age`;
 * - `POST /token`: the OAuth2 JWT-bearer grant; the assertion's signature is verified against the
 *   service account's public key (issuer = client_email, audience = the token URI, scope chat.bot);
 *   answers `{access_token, expires_in, token_type}`;
 * - `POST /v1/spaces/<id>/messages[?messageReplyOption=…]` (messages.create; checks the bearer access
 *   token, records the message) and `GET /v1/spaces:findDirectMessage?name=users/<id>`.
 * Google's signing keys are the test-only fixtures in test/fixtures/googlechat/ (x509 needs a
 * certificate, which jose cannot make). `mintChatToken` signs Chat-style tokens with the right key,
 * a rogue key under the same kid (forged), or wrong claims. `hang` makes a route accept and never answer.
 */
import { createPublicKey, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo, } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type CryptoKey, exportJWK, exportPKCS8, generateKeyPair, importPKCS8, jwtVerify, SignJWT } from "jose";
import { closableServer } from "./server-close.js";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "googlechat");
const X509_PATH = "/service_accounts/v1/metadata/x509/chat@system.gserviceaccount.com";
const JWKS_PATH = "/oauth2/v3/certs";
const SCOPE = "https://www.googleapis.com/auth/chat.bot";

export type FakeGoogleRoute = "certs" | "token" | "messages";

/** One message the app posted through messages.create. */
export interface FakeChatMessage {
  space: string;
  text: string;
  thread?: string;
  replyOption?: string;
}

export interface FakeGoogleChatOptions {
  /** `max-age` on the key endpoints (default 3600). */
  certsMaxAgeSec?: number;
  /** Access-token lifetime in seconds (default 3600). */
  tokenTtlSec?: number;
  /** DM spaces by user (`users/1` → `spaces/DM1`) for findDirectMessage. */
  directMessages?: Record<string, string>;
}

export interface MintOptions {
  audience: string;
  /** Default chat@system.gserviceaccount.com. */
  issuer?: string;
  /** `google` (the published key), `rotated` (the second fixture key), or `rogue` (an unpublished key reusing the published kid). */
  key?: "google" | "rotated" | "rogue";
  /** Override the kid header. */
  kid?: string;
  /** Seconds until expiry; negative for an expired token (default 300). */
  expiresInSec?: number;
  /** The `email` claim (app-url tokens); omitted when undefined. */
  email?: string;
  /** The `sub` claim (a Workspace add-on token's app principal). */
  subject?: string;
  /** `email_verified` (default true when `email` is set). */
  emailVerified?: boolean;
}

export interface FakeGoogleChat {
  baseUrl: string;
  /** For `certsUrl` with `audienceType: "project-number"`. */
  x509Url: string;
  /** For `certsUrl` with `audienceType: "app-url"`. */
  jwksUrl: string;
  tokenUri: string;
  /** A service-account JSON key whose token_uri points here. */
  serviceAccount: Record<string, string>;
  messages: FakeChatMessage[];
  /** Requests per route (certs, token, messages). */
  hits: Record<FakeGoogleRoute, number>;
  /** Routes that accept a request and never answer. */
  hang: Set<FakeGoogleRoute>;
  /** Publish the second fixture key as well (key rotation). */
  rotate(): void;
  /** Forget every access token issued so far (the Chat API answers 401 to them). */
  revokeTokens(): void;
  mintChatToken(o: MintOptions): Promise<string>;
  close(): Promise<void>;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  cert: string;
  jwk: Record<string, unknown>;
}

async function fixtureKey(n: number): Promise<SigningKey> {
  const pem = readFileSync(path.join(FIXTURES, `google-test-key-${n}.pem`), "utf8");
  const cert = readFileSync(path.join(FIXTURES, `google-test-cert-${n}.pem`), "utf8");
  const kid = `fixture-kid-${n}`;
  const jwk = { ...(await exportJWK(createPublicKey(pem))), kid, alg: "RS256", use: "sig" };
  return { kid, privateKey: await importPKCS8(pem, "RS256"), cert, jwk };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

/** Starts the loopback Google (keys, token endpoint, Chat API). */
export async function startFakeGoogleChat(options: FakeGoogleChatOptions = {}): Promise<FakeGoogleChat> {
  const google = await fixtureKey(1);
  const rotated = await fixtureKey(2);
  const rogue = await generateKeyPair("RS256");
  const published: SigningKey[] = [google];
  const sa = await generateKeyPair("RS256", { extractable: true });
  const saPem = await exportPKCS8(sa.privateKey);
  const clientEmail = "openclaw-test@fake-project.iam.gserviceaccount.com";
  const accessTokens = new Set<string>();
  const messages: FakeChatMessage[] = [];
  const hits: Record<FakeGoogleRoute, number> = { certs: 0, token: 0, messages: 0 };
  const hang = new Set<FakeGoogleRoute>();
  let counter = 0;
  let tokenUri = "";

  const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(JSON.stringify(body));
  };
  const chatError = (res: http.ServerResponse, status: number, message: string) => json(res, status, { error: { code: status, message, status: status === 401 ? "UNAUTHENTICATED" : "INVALID_ARGUMENT" } });

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const cache = { "cache-control": `public, max-age=${options.certsMaxAgeSec ?? 3600}, must-revalidate, no-transform` };
    if (req.method === "GET" && (url.pathname === JWKS_PATH || url.pathname === X509_PATH)) {
      hits.certs++;
      if (hang.has("certs")) return;
      if (url.pathname === JWKS_PATH) return json(res, 200, { keys: published.map((k) => k.jwk) }, cache);
      return json(res, 200, Object.fromEntries(published.map((k) => [k.kid, k.cert])), cache);
    }
    if (req.method === "POST" && url.pathname === "/token") {
      hits.token++;
      if (hang.has("token")) return;
      const form = new URLSearchParams(await readBody(req));
      if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") return json(res, 400, { error: "unsupported_grant_type", error_description: "Invalid grant_type" });
      try {
        const { payload } = await jwtVerify(form.get("assertion") ?? "", sa.publicKey, { issuer: clientEmail, audience: tokenUri, algorithms: ["RS256"] });
        if (payload.scope !== SCOPE) return json(res, 400, { error: "invalid_scope", error_description: `scope ${String(payload.scope)}` });
      } catch {
        return json(res, 400, { error: "invalid_grant", error_description: "Invalid JWT Signature." });
      }
      const token = `ya29.fake-${randomBytes(12).toString("hex")}`;
      accessTokens.add(token);
      return json(res, 200, { access_token: token, expires_in: options.tokenTtlSec ?? 3600, token_type: "Bearer" });
    }
    if (url.pathname.startsWith("/v1/")) {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      if (!bearer || !accessTokens.has(bearer)) return chatError(res, 401, "Request had invalid authentication credentials.");
      if (req.method === "GET" && url.pathname === "/v1/spaces:findDirectMessage") {
        const space = options.directMessages?.[url.searchParams.get("name") ?? ""];
        return space ? json(res, 200, { name: space, spaceType: "DIRECT_MESSAGE" }) : chatError(res, 404, "DM space not found.");
      }
      const m = /^\/v1\/(spaces\/[^/]+)\/messages$/.exec(url.pathname);
      if (req.method === "POST" && m) {
        hits.messages++;
        if (hang.has("messages")) return;
        const body = JSON.parse(await readBody(req)) as { text?: string; thread?: { name?: string } };
        if (typeof body.text !== "string" || body.text.length > 4096) return chatError(res, 400, "Invalid message text.");
        const replyOption = url.searchParams.get("messageReplyOption") ?? undefined;
        messages.push({ space: m[1]!, text: body.text, ...(body.thread?.name ? { thread: body.thread.name } : {}), ...(replyOption ? { replyOption } : {}) });
        counter++;
        return json(res, 200, { name: `${m[1]}/messages/fake-${counter}`, text: body.text, ...(body.thread?.name ? { thread: { name: body.thread.name } } : {}) });
      }
    }
    json(res, 404, { error: { code: 404, message: `no route ${req.method} ${url.pathname}` } });
  });
  const closer = closableServer(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tokenUri = `${baseUrl}/token`;

  return {
    baseUrl,
    x509Url: `${baseUrl}${X509_PATH}`,
    jwksUrl: `${baseUrl}${JWKS_PATH}`,
    tokenUri,
    serviceAccount: { type: "service_account", project_id: "fake-project", private_key_id: "fake-sa-kid", private_key: saPem, client_email: clientEmail, client_id: "1234567890", token_uri: tokenUri },
    messages,
    hits,
    hang,
    revokeTokens() {
      accessTokens.clear();
    },
    rotate() {
      if (!published.includes(rotated)) published.push(rotated);
    },
    async mintChatToken(o) {
      const signer = o.key === "rogue" ? rogue.privateKey : o.key === "rotated" ? rotated.privateKey : google.privateKey;
      const kid = o.kid ?? (o.key === "rotated" ? rotated.kid : google.kid);
      const now = Math.floor(Date.now() / 1000);
      const exp = now + (o.expiresInSec ?? 300);
      return new SignJWT({ ...(o.email !== undefined ? { email: o.email, email_verified: o.emailVerified ?? true } : {}) })
        .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
        .setIssuer(o.issuer ?? "chat@system.gserviceaccount.com")
        .setSubject(o.subject ?? "fake-subject")
        .setAudience(o.audience)
        .setIssuedAt(Math.min(now, exp - 60))
        .setExpirationTime(exp)
        .sign(signer);
    },
    close: () => closer.close(),
  };
}
