import assert from "node:assert/strict";
import { test } from "node:test";
import { checkBrowserOrigin, isPrivateOrLoopbackIp } from "./origin.js";

const at = (origin: string | undefined, host = "127.0.0.1:18789", allowedOrigins?: string[], isLocalClient = true) =>
  checkBrowserOrigin({ origin, host, allowedOrigins, isLocalClient }).ok;
const remote = (origin: string, host: string) => at(origin, host, undefined, false);

test("rule 1: no Origin (CLI, services) passes; null, empty and malformed origins do not", () => {
  assert.equal(at(undefined), true);
  assert.equal(at("null"), false);
  assert.equal(at(""), false);
  assert.equal(at("file://"), false);
  assert.equal(at("http://127.0.0.1:18789/path"), false, "an origin has no path");
  assert.equal(at("http://user@127.0.0.1:18789"), false, "nor credentials");
  assert.equal(at("chrome-extension://abc"), false, "a well-formed foreign scheme is refused unless listed");
});

test("rule 2: allowedOrigins admits '*' or the exact origin, case-insensitively; nothing else", () => {
  assert.equal(remote("https://gw.example.com", "gw.example.com"), false);
  assert.equal(at("https://GW.example.com", "gw.example.com", ["https://gw.example.com"], false), true);
  assert.equal(at("https://gw.example.com", "gw.example.com", ["HTTPS://GW.EXAMPLE.COM:443"], false), true, "default port is normalised");
  assert.equal(at("https://gw.example.com.evil.example", "x", ["https://gw.example.com"], false), false);
  assert.equal(at("http://gw.example.com", "x", ["https://gw.example.com"], false), false, "scheme matters");
  assert.equal(at("https://anything.example", "1.2.3.4:18789", ["*"], false), true);
  assert.equal(at("chrome-extension://abcdefghijklmnopabcdefghijklmnop", "x", ["chrome-extension://abcdefghijklmnopabcdefghijklmnop"], false), true);
});

test("rule 3: the host-header fallback accepts Origin host == Host for any name, only when switched on", () => {
  const fallback = (origin: string, host: string) => checkBrowserOrigin({ origin, host, allowHostHeaderFallback: true, isLocalClient: false });
  assert.deepEqual(fallback("http://gw.example.com:18789", "gw.example.com:18789"), { ok: true, origin: "http://gw.example.com:18789", matchedBy: "host-header-fallback" });
  assert.equal(fallback("http://gw.example.com:18789", "gw.example.com:18790").ok, false, "the port is part of the host");
  assert.equal(remote("http://gw.example.com:18789", "gw.example.com:18789"), false, "off: a DNS name could be rebound here");
});

test("rule 4: same-origin on a trusted Host: private/loopback IPs, .local and .ts.net names, loopback names only for local peers", () => {
  assert.equal(remote("http://192.168.1.5:18789", "192.168.1.5:18789"), true);
  assert.equal(remote("http://10.0.0.7:18789", "10.0.0.7:18789"), true);
  assert.equal(remote("http://172.20.1.1:18789", "172.20.1.1:18789"), true);
  assert.equal(remote("http://100.101.102.103:18789", "100.101.102.103:18789"), true, "a Tailscale (CGNAT) address is private");
  assert.equal(remote("http://[fd7a:115c:a1e0::1]:18789", "[fd7a:115c:a1e0::1]:18789"), true, "IPv6 ULA");
  assert.equal(remote("http://203.0.113.9:18789", "203.0.113.9:18789"), false, "a public IP is not trusted");
  assert.equal(remote("http://8.8.8.8:18789", "8.8.8.8:18789"), false);
  assert.equal(remote("http://gateway.local:18789", "gateway.local:18789"), true);
  assert.equal(remote("https://box.tail1234.ts.net", "box.tail1234.ts.net"), true);
  assert.equal(remote("https://box.tail1234.ts.net", "other.tail1234.ts.net"), false, "Origin host must equal Host");
  assert.equal(remote("http://evil.example:18789", "evil.example:18789"), false);
  assert.equal(remote("http://localhost:18789", "localhost:18789"), false, "a loopback name from a remote peer (a proxy) is not trusted");
  assert.equal(at("http://localhost:18789", "localhost:18789"), true);
  assert.equal(remote("http://127.0.0.1:18789", "127.0.0.1:18789"), false, "nor a loopback IP literal (OpenClaw: loopback hosts need a local peer)");
});

test("rule 5: a local client on a loopback page passes on any port; a remote one does not", () => {
  assert.equal(at("http://127.0.0.1:18789"), true);
  assert.equal(at("http://localhost:18789"), true);
  assert.equal(at("http://[::1]:18789"), true);
  assert.equal(at("http://localhost:3000"), true, "a local dev server");
  assert.equal(remote("http://localhost:3000", "127.0.0.1:18789"), false);
  assert.equal(at("https://evil.example"), false, "a foreign site stays refused even for a local client");
});

test("private-or-loopback IP ranges", () => {
  for (const ip of ["10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.0.1", "169.254.1.1", "100.64.0.1", "100.127.255.255", "127.0.0.1", "::1", "fe80::1", "fc00::1", "::ffff:192.168.1.1"]) assert.equal(isPrivateOrLoopbackIp(ip), true, ip);
  for (const ip of ["172.32.0.1", "100.128.0.1", "1.1.1.1", "2001:db8::1", "::ffff:8.8.8.8", "example.com"]) assert.equal(isPrivateOrLoopbackIp(ip), false, ip);
});
