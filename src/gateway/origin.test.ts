import assert from "node:assert/strict";
import { test } from "node:test";
import { checkBrowserOrigin } from "./origin.js";

const at = (origin: string | undefined, host = "127.0.0.1:18789", allowedOrigins?: string[]) => checkBrowserOrigin({ origin, host, allowedOrigins }).ok;

test("no Origin (CLI, services) passes; null, empty and non-http origins do not", () => {
  assert.equal(at(undefined), true);
  assert.equal(at("null"), false);
  assert.equal(at(""), false);
  assert.equal(at("file://"), false);
  assert.equal(at("chrome-extension://abc"), false);
});

test("the gateway's own origin and loopback aliases on the same port pass; other ports and sites do not", () => {
  assert.equal(at("http://127.0.0.1:18789"), true);
  assert.equal(at("http://localhost:18789"), true);
  assert.equal(at("http://[::1]:18789"), true);
  assert.equal(at("http://localhost:3000"), false);
  assert.equal(at("https://evil.example"), false);
  assert.equal(at("http://192.168.1.5:18789", "192.168.1.5:18789"), true, "an IP-literal Host is the page's own origin");
});

test("a DNS Host is not trusted as the origin (rebinding) unless listed or the fallback is on", () => {
  assert.equal(at("http://evil.example:18789", "evil.example:18789"), false);
  assert.equal(at("https://gw.example.com", "gw.example.com", ["https://gw.example.com"]), true);
  assert.equal(at("https://gw.example.com:443", "gw.example.com", ["https://gw.example.com"]), true, "default port is normalised");
  assert.equal(checkBrowserOrigin({ origin: "http://gw.example.com:18789", host: "gw.example.com:18789", allowHostHeaderFallback: true }).ok, true);
  assert.equal(at("https://anything.example", "127.0.0.1:18789", ["*"]), true);
});
