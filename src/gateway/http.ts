/**
 * HTTP on the gateway port: liveness (`/health`, `/healthz`: open, reveals nothing), readiness
 * (`/readyz`), Prometheus `/metrics` and everything else behind the gateway's auth.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { checkCredentials } from "./auth.js";
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

export function handleHttp(req: IncomingMessage, res: ServerResponse, rt: GatewayRuntime): void {
  const url = new URL(req.url ?? "/", "http://localhost");
  const route = url.pathname.replace(/\/+$/, "") || "/";
  if ((route === "/health" || route === "/healthz") && (req.method === "GET" || req.method === "HEAD")) {
    send(res, 200, { ok: true, status: "live" });
    return;
  }
  if (route === "/readyz" && (req.method === "GET" || req.method === "HEAD")) {
    const ready = rt.readiness();
    send(res, ready.ok ? 200 : 503, ready.ok ? { ok: true, status: "ready" } : { ok: false, status: ready.status, reasons: ready.reasons });
    return;
  }
  const ip = req.socket.remoteAddress ?? "unknown";
  if (rt.auth.mode !== "none") {
    const wait = rt.limiter.retryAfter(ip);
    if (wait > 0) {
      send(res, 429, { ok: false, error: "too many failed auth attempts" }, { "retry-after": String(Math.ceil(wait / 1000)) });
      return;
    }
    const problem = checkCredentials(rt.auth, presented(req));
    if (problem) {
      rt.limiter.recordFailure(ip);
      rt.metrics.authFailures++;
      send(res, 401, { ok: false, error: "unauthorized" }, { "www-authenticate": 'Bearer realm="openclaw"' });
      return;
    }
    rt.limiter.recordSuccess(ip);
  }
  if (route === "/metrics" && req.method === "GET") {
    send(res, 200, rt.metrics.render());
    return;
  }
  send(res, 404, { ok: false, error: `no route ${req.method} ${route}` });
}
