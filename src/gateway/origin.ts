/**
 * Browser-origin check for the gateway port (cross-site WebSocket hijacking guard), with OpenClaw
 * 2026.9's accept/reject rules. Clients without an `Origin` header (CLI, services) are not browsers
 * and pass; a browser page passes when it is listed in `gateway.controlUi.allowedOrigins`, when it
 * is the gateway's own page on a trusted host, or when a local client opens it from a loopback page.
 */
import { BlockList, isIP } from "node:net";

export type OriginVerdict = { ok: true; origin?: string; matchedBy?: OriginMatch } | { ok: false; origin: string; reason: string };

/** Which rule admitted a browser origin (logged; "host-header-fallback" is a security metric in OpenClaw). */
export type OriginMatch = "allowlist" | "host-header-fallback" | "private-same-origin" | "local-loopback";

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

const PRIVATE = new BlockList();
PRIVATE.addSubnet("10.0.0.0", 8, "ipv4");
PRIVATE.addSubnet("172.16.0.0", 12, "ipv4");
PRIVATE.addSubnet("192.168.0.0", 16, "ipv4");
PRIVATE.addSubnet("169.254.0.0", 16, "ipv4");
PRIVATE.addSubnet("100.64.0.0", 10, "ipv4");
PRIVATE.addSubnet("127.0.0.0", 8, "ipv4");
PRIVATE.addAddress("::1", "ipv6");
PRIVATE.addSubnet("fc00::", 7, "ipv6");
PRIVATE.addSubnet("fe80::", 10, "ipv6");

/** Whether an IP literal is loopback or private: RFC 1918, link-local, CGNAT/Tailscale (100.64/10), IPv6 ULA. */
export function isPrivateOrLoopbackIp(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1];
  if (mapped) return PRIVATE.check(mapped, "ipv4");
  const family = isIP(bare);
  if (family === 4) return PRIVATE.check(bare, "ipv4");
  if (family === 6) return PRIVATE.check(bare, "ipv6");
  return false;
}

interface ParsedOrigin {
  /** `scheme://host[:port]` lowercased, default port omitted (URL.origin form). */
  origin: string;
  /** `host[:port]` as a Host header would carry it. */
  host: string;
  hostname: string;
}

function parseOrigin(value: string): ParsedOrigin | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#\\]+\/?$/i.test(value)) return undefined;
  try {
    const url = new URL(value);
    if (url.username || url.password || !url.host) return undefined;
    const host = url.host.toLowerCase();
    return { origin: `${url.protocol.toLowerCase()}//${host}`, host, hostname: url.hostname.toLowerCase() };
  } catch {
    return undefined;
  }
}

/** The hostname of a Host header (brackets of an IPv6 literal removed). */
function hostHeaderName(host: string): string {
  if (host.startsWith("[")) return host.slice(1, host.indexOf("]") >>> 0);
  if (isIP(host) === 6) return host;
  return host.split(":")[0] ?? "";
}

/** Same-origin trust for a Host: loopback names (local peers only), private/loopback IP literals, `.local` and `.ts.net` names. */
function isTrustedSameOriginHost(host: string, isLocalClient: boolean): boolean {
  const name = hostHeaderName(host);
  if (!name) return false;
  if (isLoopbackHostname(name)) return isLocalClient;
  if (isIP(name) !== 0) return isPrivateOrLoopbackIp(name);
  return name.endsWith(".local") || name.endsWith(".ts.net");
}

/** A printable, bounded form of an untrusted header for logs and errors. */
export function printableOrigin(value: string): string {
  const clean = value.replace(/[^\x20-\x7e]/g, "?");
  return clean.length > 120 ? `${clean.slice(0, 120)}…` : clean;
}

/**
 * Decides whether a request's `Origin` may use the gateway, in OpenClaw's order: a missing Origin is
 * not a browser (allowed); `null`, empty or malformed is refused; then `allowedOrigins` (`"*"` or
 * the exact origin, default ports normalised); then `dangerouslyAllowHostHeaderOriginFallback`
 * (Origin host == Host); then same-origin on a trusted Host (a public IP or an arbitrary DNS name
 * could be rebound to this machine, so it needs the allowlist); then a local direct client on a
 * loopback page, any port.
 */
export function checkBrowserOrigin(params: {
  origin: string | string[] | undefined;
  host: string | string[] | undefined;
  allowedOrigins?: readonly string[] | undefined;
  allowHostHeaderFallback?: boolean | undefined;
  /** The peer is on loopback and no proxy forwarded the request. */
  isLocalClient?: boolean | undefined;
}): OriginVerdict {
  const raw = Array.isArray(params.origin) ? params.origin.join(",") : params.origin;
  if (raw === undefined) return { ok: true };
  const origin = raw.trim();
  if (origin === "" || origin.toLowerCase() === "null") return { ok: false, origin: origin || "(empty)", reason: "opaque origin (null)" };
  const parsed = parseOrigin(origin);
  if (!parsed) return { ok: false, origin, reason: "origin missing or invalid" };
  for (const entry of params.allowedOrigins ?? []) {
    const e = entry.trim().toLowerCase();
    if (e === "*" || e === parsed.origin || parseOrigin(e)?.origin === parsed.origin) return { ok: true, origin, matchedBy: "allowlist" };
  }
  const hostRaw = Array.isArray(params.host) ? params.host[0] : params.host;
  const host = hostRaw?.trim().toLowerCase() ?? "";
  if (host && parsed.host === host) {
    if (params.allowHostHeaderFallback === true) return { ok: true, origin, matchedBy: "host-header-fallback" };
    if (isTrustedSameOriginHost(host, params.isLocalClient === true)) return { ok: true, origin, matchedBy: "private-same-origin" };
  }
  if (params.isLocalClient === true && isLoopbackHostname(parsed.hostname)) return { ok: true, origin, matchedBy: "local-loopback" };
  return { ok: false, origin, reason: "origin not allowed" };
}
