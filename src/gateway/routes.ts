/**
 * The gateway's HTTP route table. Subsystems register routes (method, path, auth, body limit,
 * timeout) and WebSocket upgrade paths into it; the listener dispatches through it. Webhooks, the
 * Control UI's static files and the OpenAI-compatible endpoints plug in here.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError } from "../shared/index.js";

/** How a route authenticates: not at all, the gateway's shared secret, or its own verifier (webhook signatures). */
export type RouteAuth = "none" | "bearer" | { verify(req: IncomingMessage, body: Buffer): boolean | Promise<boolean> };

export interface RouteRequest {
  req: IncomingMessage;
  url: URL;
  /** The request body, read within the route's limit (empty for GET/HEAD). */
  body: Buffer;
  ip: string;
}

export interface Route {
  /** HTTP method, or "*" for any. HEAD is served by a GET route. */
  method: string;
  /** An exact path ("/healthz") or a prefix ending in "/*" ("/hooks/*"). Trailing slashes are ignored. */
  path: string;
  auth: RouteAuth;
  /** Largest accepted body; larger requests get 413 before the handler runs. Default 1 MiB. */
  bodyLimitBytes?: number;
  /** The handler must answer within this; otherwise 503. Default 30 s. */
  timeoutMs?: number;
  /**
   * A catch-all (the Control UI's `GET /*`): other methods on paths it covers stay 404, not 405, so
   * unknown non-GET requests keep answering as before.
   */
  fallback?: boolean;
  /** The subsystem that owns the route (for errors and listings). */
  owner: string;
  /** Told when the body was refused before `handle` ran (413 over the limit, 408 too slow), so the owner can count it. */
  onBodyRefused?(reason: "too-large" | "timeout", request: { ip: string; path: string }): void;
  handle(request: RouteRequest, res: ServerResponse): void | Promise<void>;
}

export type RouteMatch = { route: Route; status?: undefined } | { route?: undefined; status: 404 } | { route?: undefined; status: 405; allow: string[] };

/** Normalizes a request path: no trailing slash except for the root. */
export function normalizeRoutePath(pathname: string): string {
  return pathname.replace(/\/+$/, "") || "/";
}

function pathMatches(pattern: string, path: string): boolean {
  if (pattern.endsWith("/*")) {
    const base = pattern.slice(0, -2);
    return path === base || path.startsWith(`${base}/`);
  }
  return pattern === path;
}

export class RouteTable {
  private readonly routes: Route[] = [];
  private readonly upgrades = new Map<string, string>();

  /** Adds a route; the returned function removes it. A route that overlaps an existing one exactly is refused. */
  add(route: Route): () => void {
    const path = route.path === "/" ? "/" : route.path.replace(/\/+$/, "");
    const clash = this.routes.find((r) => r.path === path && (r.method === route.method || r.method === "*" || route.method === "*"));
    if (clash) throw new AppError("INTERNAL", `route ${route.method} ${path} of ${route.owner} is already served by ${clash.owner}`);
    const entry = { ...route, path };
    this.routes.push(entry);
    return () => {
      const i = this.routes.indexOf(entry);
      if (i >= 0) this.routes.splice(i, 1);
    };
  }

  /** Allows the WebSocket upgrade on a path (the control plane on "/"); every other path refuses it. */
  addUpgrade(path: string, owner: string): () => void {
    const p = normalizeRoutePath(path);
    const holder = this.upgrades.get(p);
    if (holder) throw new AppError("INTERNAL", `WebSocket path ${p} of ${owner} is already served by ${holder}`);
    this.upgrades.set(p, owner);
    return () => this.upgrades.delete(p);
  }

  acceptsUpgrade(pathname: string): boolean {
    return this.upgrades.has(normalizeRoutePath(pathname));
  }

  /** The route for a request: exact paths win over prefixes, longer prefixes over shorter. */
  match(method: string, pathname: string): RouteMatch {
    const path = normalizeRoutePath(pathname);
    const candidates = this.routes
      .filter((r) => pathMatches(r.path, path))
      .sort((a, b) => Number(b.path === path) - Number(a.path === path) || b.path.length - a.path.length);
    if (candidates.length === 0) return { status: 404 };
    const wanted = method === "HEAD" ? ["HEAD", "GET"] : [method];
    const route = candidates.find((r) => r.method === "*" || wanted.includes(r.method));
    const owners = candidates.filter((r) => !r.fallback);
    // A path some route owns answers 405 for its other methods rather than falling back.
    if (route && !(route.fallback && owners.length > 0)) return { route };
    if (owners.length === 0) return { status: 404 };
    return { status: 405, allow: [...new Set(owners.map((r) => r.method))] };
  }

  /** Every route, for listings and tests. */
  list(): Array<Pick<Route, "method" | "path" | "owner">> {
    return this.routes.map(({ method, path, owner }) => ({ method, path, owner }));
  }
}

/** Reads a request body up to `limit` bytes; rejects with 413 past it (the socket is not read further). */
export function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? NaN);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new AppError("PAYLOAD_TOO_LARGE", `request body of ${declared} bytes is over the route's limit of ${limit}`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      cleanup();
      reject(new AppError("TIMEOUT", `request body not received within ${timeoutMs} ms`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(new AppError("PAYLOAD_TOO_LARGE", `request body is over the route's limit of ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}
