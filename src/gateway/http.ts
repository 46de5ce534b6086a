/**
 * HTTP on the gateway port, dispatched through the route table subsystems register into: routes
 * with `auth: "none"` (liveness) answer anyone; every other route, and every unknown path, is behind
 * the browser-origin check and the gateway's shared secret (or the route's own verifier).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { GatewayAuth, OpenClawConfig } from "../config/index.js";
import type { Logger } from "../logging/index.js";
import { AppError } from "../shared/index.js";
import { type AuthRateLimiter, checkCredentials } from "./auth.js";
import type { GatewayMetrics } from "./metrics.js";
import { checkBrowserOrigin, isLoopbackAddress, printableOrigin } from "./origin.js";
import { normalizeRoutePath, type RouteTable, readBody } from "./routes.js";

/** Writes a JSON (or plain text) answer with the gateway's standard headers. */
export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": typeof body === "string" ? "text/plain; version=0.0.4; charset=utf-8" : "application/json; charset=utf-8",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...headers,
  });
  res.end(text);
}

/** Credentials from `Authorization: Bearer <token>` (token or password), or Basic with the password. */
function presented(req: IncomingMessage): { token?: string; password?: string } {
  const header = req.headers.authorization ?? "";
  const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
  if (bearer) return { token: bearer, password: bearer };
  const basic = /^Basic\s+(.+)$/i.exec(header)?.[1];
  if (basic) {
    const decoded = Buffer.from(basic, "base64").toString("utf8");
    const password = decoded.slice(decoded.indexOf(":") + 1);
    return { password, token: password };
  }
  return {};
}

function routeOf(req: IncomingMessage): string {
  return normalizeRoutePath((req.url ?? "/").split("?")[0]!);
}

/** `GET|HEAD /health`, `/healthz` or `/readyz`: answered even when the socket caps are full. */
export function isLivenessRequest(req: IncomingMessage): boolean {
  const route = routeOf(req);
  return (route === "/health" || route === "/healthz" || route === "/readyz") && (req.method === "GET" || req.method === "HEAD");
}

/** The browser-origin verdict for a request, per `gateway.controlUi` (no Origin header: not a browser, allowed). */
export function originVerdict(req: IncomingMessage, config: OpenClawConfig): ReturnType<typeof checkBrowserOrigin> {
  const ui = config.gateway.controlUi;
  return checkBrowserOrigin({
    origin: req.headers.origin,
    host: req.headers.host,
    allowedOrigins: ui?.allowedOrigins,
    allowHostHeaderFallback: ui?.dangerouslyAllowHostHeaderOriginFallback,
    isLocalClient: isLocalDirectRequest(req),
  });
}

/** A direct local peer: loopback socket address and no proxy forwarding headers. */
export function isLocalDirectRequest(req: IncomingMessage): boolean {
  const h = req.headers;
  if (h["x-forwarded-for"] !== undefined || h["x-real-ip"] !== undefined || h.forwarded !== undefined) return false;
  return isLoopbackAddress(req.socket.remoteAddress);
}

/** What HTTP dispatch needs of the gateway (the core implements it). */
export interface HttpHost {
  readonly log: Logger;
  readonly metrics: GatewayMetrics;
  readonly routes: RouteTable;
  runningConfig(): OpenClawConfig;
  runningAuth(): GatewayAuth;
  authLimiter(): AuthRateLimiter;
}

const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Checks the shared secret of a bearer route; answers and returns false when refused. */
function gate(req: IncomingMessage, res: ServerResponse, host: HttpHost, source: { ip: string; origin: string | undefined }): boolean {
  const auth = host.runningAuth();
  if (auth.mode === "none") return true;
  const kind = auth.mode === "password" ? "password" : "token";
  const given = presented(req);
  const limiter = host.authLimiter();
  if (given.token !== undefined) {
    const decision = limiter.check(source, kind);
    if (!decision.allowed) {
      send(res, 429, { ok: false, error: "too many failed auth attempts" }, { "retry-after": String(Math.ceil(decision.retryAfterMs / 1000)) });
      return false;
    }
  }
  const problem = checkCredentials(auth, given);
  if (problem) {
    // Only wrong credentials count; a request without any is not guessing.
    if (given.token !== undefined) limiter.recordFailure(source, kind);
    host.metrics.authFailures++;
    send(res, 401, { ok: false, error: "unauthorized" }, { "www-authenticate": 'Bearer realm="openclaw"' });
    return false;
  }
  limiter.recordSuccess(source, kind);
  return true;
}

/** Dispatches one request through the route table: origin, auth, body limit, timeout. */
export function handleHttp(req: IncomingMessage, res: ServerResponse, host: HttpHost): void {
  void serve(req, res, host).catch((error: unknown) => {
    host.log.error(`http ${req.method} ${routeOf(req).slice(0, 100)} failed: ${(error as Error).message}`);
    if (!res.headersSent) send(res, 500, { ok: false, error: "internal error" });
    else res.destroy();
  });
}

async function serve(req: IncomingMessage, res: ServerResponse, host: HttpHost): Promise<void> {
  const path = routeOf(req);
  const method = req.method ?? "GET";
  const match = host.routes.match(method, path);
  const auth = match.route?.auth ?? "bearer";
  const ip = req.socket.remoteAddress ?? "unknown";
  let origin: string | undefined;
  if (auth !== "none") {
    const verdict = originVerdict(req, host.runningConfig());
    if (!verdict.ok) {
      host.metrics.originRefused++;
      host.log.warn(`refused HTTP ${method} ${path.slice(0, 100)} from ${ip}: origin ${printableOrigin(verdict.origin)} (${verdict.reason})`);
      send(res, 403, { ok: false, error: "origin not allowed; add it to gateway.controlUi.allowedOrigins if it is yours" });
      return;
    }
    origin = verdict.origin;
    // Unknown paths are behind auth too: nothing is revealed to an unauthenticated caller.
    if (auth === "bearer" && !gate(req, res, host, { ip, origin })) return;
  }
  if (!match.route) {
    if (match.status === 405) send(res, 405, { ok: false, error: `${method} is not allowed on ${path}` }, { allow: match.allow.join(", ") });
    else send(res, 404, { ok: false, error: `no route ${method} ${path}` });
    return;
  }
  const route = match.route;
  const timeoutMs = route.timeoutMs ?? 30_000;
  let body: Buffer = Buffer.alloc(0);
  if (BODY_METHODS.has(method)) {
    try {
      body = await readBody(req, route.bodyLimitBytes ?? 1024 * 1024, timeoutMs);
    } catch (error) {
      const tooLarge = error instanceof AppError && error.code === "PAYLOAD_TOO_LARGE";
      route.onBodyRefused?.(tooLarge ? "too-large" : "timeout", { ip, path });
      send(res, tooLarge ? 413 : 408, { ok: false, error: (error as Error).message }, { connection: "close" });
      return;
    }
  }
  if (typeof auth === "object" && !(await auth.verify(req, body))) {
    host.metrics.authFailures++;
    send(res, 401, { ok: false, error: "unauthorized" });
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  const outcome = await Promise.race([Promise.resolve(route.handle({ req, url: new URL(req.url ?? "/", "http://localhost"), body, ip }, res)), timedOut]);
  clearTimeout(timer);
  if (outcome === "timeout" && !res.headersSent) send(res, 503, { ok: false, error: `${route.owner} did not answer within ${timeoutMs} ms` });
}
