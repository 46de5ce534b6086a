/**
 * Browser-origin check for the gateway port (cross-site WebSocket hijacking guard). Clients without
 * an `Origin` header (CLI, services) are not browsers and pass; a browser page passes only when it
 * is the gateway's own page or listed in `gateway.controlUi.allowedOrigins`.
 */
import { isIP } from "node:net";

export type OriginVerdict = { ok: true; origin?: string } | { ok: false; origin: string; reason: string };

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** Whether a hostname (URL form, IPv6 may be bracketed) names this machine's loopback. */
export function isLoopbackHostname(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return LOOPBACK_NAMES.has(h) || h.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(h) || h === "[::ffff:127.0.0.1]" || h === "::ffff:127.0.0.1";
}

/** Whether a socket address is loopback (IPv4, IPv6 or IPv4-mapped). */
export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && /^(127\.|::1$|::ffff:127\.)/.test(address);
}

interface HostPort {
  scheme: string;
  hostname: string;
  port: string;
}

function parseOriginUrl(value: string): HostPort | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    if (url.pathname !== "/" || url.search || url.hash || url.username) return undefined;
    const port = url.port || (url.protocol === "https:" ? "443" : "80");
    return { scheme: url.protocol.slice(0, -1), hostname: url.hostname.toLowerCase(), port };
  } catch {
    return undefined;
  }
}

function parseHostHeader(host: string | undefined): { hostname: string; port: string | undefined } | undefined {
  if (!host) return undefined;
  try {
    const url = new URL(`http://${host}`);
    return { hostname: url.hostname.toLowerCase(), port: url.port || undefined };
  } catch {
    return undefined;
  }
}

/** `scheme://host:port` with default ports made explicit, for comparing origins. */
function canonical(o: HostPort): string {
  return `${o.scheme}://${o.hostname}:${o.port}`;
}

/** A printable, bounded form of an untrusted header for logs and errors. */
export function printableOrigin(value: string): string {
  const clean = value.replace(/[^\x20-\x7e]/g, "?");
  return clean.length > 120 ? `${clean.slice(0, 120)}…` : clean;
}

/**
 * Decides whether a request's `Origin` may use the gateway. Allowed: no Origin header; an origin in
 * `allowedOrigins` (`"*"` allows any, which `security audit` flags); the gateway's own origin, i.e.
 * the request's `Host` when that Host is an IP literal or a loopback name (a DNS name could be
 * rebound to this machine, so it needs the allowlist or `dangerouslyAllowHostHeaderOriginFallback`);
 * and loopback aliases of it (localhost vs 127.0.0.1) on the same port. `Origin: null` is refused.
 */
export function checkBrowserOrigin(params: {
  origin: string | string[] | undefined;
  host: string | undefined;
  allowedOrigins?: readonly string[] | undefined;
  allowHostHeaderFallback?: boolean | undefined;
}): OriginVerdict {
  const raw = Array.isArray(params.origin) ? params.origin.join(",") : params.origin;
  if (raw === undefined) return { ok: true };
  const origin = raw.trim();
  if (origin === "" || origin.toLowerCase() === "null") return { ok: false, origin: origin || "(empty)", reason: "opaque origin (null)" };
  const parsed = parseOriginUrl(origin);
  if (!parsed) return { ok: false, origin, reason: "not an http(s) origin" };
  const allowed = params.allowedOrigins ?? [];
  if (allowed.includes("*")) return { ok: true, origin };
  for (const entry of allowed) {
    const a = parseOriginUrl(entry.trim());
    if (a && canonical(a) === canonical(parsed)) return { ok: true, origin };
  }
  const host = parseHostHeader(params.host);
  if (host && (host.port ?? (parsed.scheme === "https" ? "443" : "80")) === parsed.port) {
    const literal = isIP(host.hostname.replace(/^\[|\]$/g, "")) !== 0 || isLoopbackHostname(host.hostname);
    if (host.hostname === parsed.hostname && (literal || params.allowHostHeaderFallback)) return { ok: true, origin };
    if (isLoopbackHostname(host.hostname) && isLoopbackHostname(parsed.hostname)) return { ok: true, origin };
  }
  return { ok: false, origin, reason: "origin not allowed" };
}
