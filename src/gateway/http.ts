/**
 * HTTP on the gateway port: liveness (`/health`, `/healthz`: open, reveals nothing), readiness
 * (`/readyz`, with the pid that answers), Prometheus `/metrics` and everything else behind the browser-origin check and the
 * gateway's auth.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { checkCredentials } from "./auth.js";
import { checkBrowserOrigin, printableOrigin } from "./origin.js";
import type { GatewayRuntime } from "./runtime.js";

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
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
  const path = (req.url ?? "/").split("?")[0]!;
  return path.replace(/\/+$/, "") || "/";
}

/** `GET|HEAD /health`, `/healthz` or `/readyz`: answered even when the socket caps are full. */
export function isLivenessRequest(req: IncomingMessage): boolean {
  const route = routeOf(req);
  return (route === "/health" || route === "/healthz" || route === "/readyz") && (req.method === "GET" || req.method === "HEAD");
}

/** The browser-origin verdict for a request, per `gateway.controlUi` (no Origin header: not a browser, allowed). */
export function originVerdict(req: IncomingMessage, rt: GatewayRuntime): ReturnType<typeof checkBrowserOrigin> {
  const ui = rt.config.gateway.controlUi;
  return checkBrowserOrigin({
    origin: req.headers.origin,
    host: req.headers.host,
    allowedOrigins: ui?.allowedOrigins,
    allowHostHeaderFallback: ui?.dangerouslyAllowHostHeaderOriginFallback,
  });
}

export function handleHttp(req: IncomingMessage, res: ServerResponse, rt: GatewayRuntime): void {
  const route = routeOf(req);
  if ((route === "/health" || route === "/healthz") && (req.method === "GET" || req.method === "HEAD")) {
    send(res, 200, { ok: true, status: "live" });
    return;
  }
  if (route === "/readyz" && (req.method === "GET" || req.method === "HEAD")) {
    const ready = rt.readiness();
    // The pid lets a supervisor's client tell its own gateway from another process holding the port.
    send(res, ready.ok ? 200 : 503, ready.ok ? { ok: true, status: "ready", pid: process.pid } : { ok: false, status: ready.status, reasons: ready.reasons, pid: process.pid });
    return;
  }
  const ip = req.socket.remoteAddress ?? "unknown";
  const verdict = originVerdict(req, rt);
  if (!verdict.ok) {
    rt.metrics.originRefused++;
    rt.log.warn(`refused HTTP ${req.method} ${route.slice(0, 100)} from ${ip}: origin ${printableOrigin(verdict.origin)} (${verdict.reason})`);
    send(res, 403, { ok: false, error: "origin not allowed; add it to gateway.controlUi.allowedOrigins if it is yours" });
    return;
  }
  if (rt.auth.mode !== "none") {
    const source = { ip, origin: verdict.origin };
    const kind = rt.auth.mode === "password" ? "password" : "token";
    const given = presented(req);
    if (given.token !== undefined) {
      const decision = rt.limiter.check(source, kind);
      if (!decision.allowed) {
        send(res, 429, { ok: false, error: "too many failed auth attempts" }, { "retry-after": String(Math.ceil(decision.retryAfterMs / 1000)) });
        return;
      }
    }
    const problem = checkCredentials(rt.auth, given);
    if (problem) {
      // Only wrong credentials count; a request without any is not guessing.
      if (given.token !== undefined) rt.limiter.recordFailure(source, kind);
      rt.metrics.authFailures++;
      send(res, 401, { ok: false, error: "unauthorized" }, { "www-authenticate": 'Bearer realm="openclaw"' });
      return;
    }
    rt.limiter.recordSuccess(source, kind);
  }
  if (route === "/metrics" && req.method === "GET") {
    send(res, 200, rt.metrics.render());
    return;
  }
  send(res, 404, { ok: false, error: `no route ${req.method} ${route}` });
}
