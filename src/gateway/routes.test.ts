import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type Route, RouteTable } from "./routes.js";

const route = (method: string, path: string, owner = "test"): Route => ({ method, path, auth: "none", owner, handle: () => undefined });

describe("route table", () => {
  test("exact paths beat prefixes, longer prefixes beat shorter; trailing slashes are ignored", () => {
    const t = new RouteTable();
    t.add(route("POST", "/hooks/*", "hooks"));
    t.add(route("POST", "/hooks/gmail", "gmail"));
    t.add(route("GET", "/healthz", "health"));
    assert.equal(t.match("POST", "/hooks/gmail/").route?.owner, "gmail");
    assert.equal(t.match("POST", "/hooks/other").route?.owner, "hooks");
    assert.equal(t.match("GET", "/healthz/").route?.owner, "health");
    assert.equal(t.match("HEAD", "/healthz").route?.owner, "health", "HEAD is served by GET");
  });

  test("an unknown path is 404, a known path with another method is 405 with Allow", () => {
    const t = new RouteTable();
    t.add(route("GET", "/metrics"));
    assert.deepEqual(t.match("GET", "/nope"), { status: 404 });
    assert.deepEqual(t.match("POST", "/metrics"), { status: 405, allow: ["GET"] });
  });

  test("a fallback route (the Control UI's GET /*) serves GET only where no other route owns the path", () => {
    const t = new RouteTable();
    t.add({ ...route("GET", "/*", "controlUi"), fallback: true });
    t.add(route("GET", "/metrics", "health"));
    t.add(route("POST", "/hooks/*", "hooks"));
    assert.equal(t.match("GET", "/chat").route?.owner, "controlUi");
    assert.equal(t.match("GET", "/metrics").route?.owner, "health");
    assert.deepEqual(t.match("POST", "/chat"), { status: 404 }, "other methods on fallback-only paths stay 404");
    assert.deepEqual(t.match("POST", "/metrics"), { status: 405, allow: ["GET"] });
    assert.deepEqual(t.match("GET", "/hooks/x"), { status: 405, allow: ["POST"] }, "an owned path is not the fallback's");
  });

  test("two owners cannot claim the same route or upgrade path; removal frees it", () => {
    const t = new RouteTable();
    const remove = t.add(route("GET", "/x", "a"));
    assert.throws(() => t.add(route("GET", "/x/", "b")), /already served by a/);
    remove();
    t.add(route("GET", "/x", "b"));
    t.addUpgrade("/", "core");
    assert.throws(() => t.addUpgrade("/", "ui"), /already served by core/);
  });

  test("the WebSocket upgrade is accepted only on registered paths", () => {
    const t = new RouteTable();
    t.addUpgrade("/", "core");
    assert.equal(t.acceptsUpgrade("/"), true);
    assert.equal(t.acceptsUpgrade("/anything"), false);
    assert.equal(t.acceptsUpgrade("/metrics"), false);
  });
});
