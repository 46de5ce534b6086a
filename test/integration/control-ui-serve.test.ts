/**
 * The gateway serves the Control UI's static files (controlUi subsystem): paths, SPA fallback,
 * traversal refusal, headers, caching, base path, disabled/missing states, the auth-gated
 * control-ui-config.json, and the WebSocket upgrade on `/` still working next to it.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { startTestGateway, type TestGateway, waitUntil } from "../helpers/gateway.js";

const INDEX = '<!doctype html><html><head><script type="module" src="./assets/index-AbC123xy.js"></script></head><body>ui</body></html>';
const ASSET = "console.log('control ui');";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Every answer each gateway gave in these tests (checked for its token after each test). */
const answers = new Map<TestGateway, Answer[]>();

/** A raw HTTP request (the path goes on the wire as written: no URL normalisation). */
function raw(gw: TestGateway, rawPath: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: gw.rt.port, path: rawPath, method: options.method ?? "GET", headers: options.headers ?? {} }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => {
        const answer = { status: res.statusCode ?? 0, headers: res.headers, body };
        answers.get(gw)?.push(answer);
        resolve(answer);
      });
    });
    req.on("error", reject);
    req.end();
  });
}

function uiRoot(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "openclaw-ui-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, "assets"));
  writeFileSync(path.join(dir, "index.html"), INDEX);
  writeFileSync(path.join(dir, "assets", "index-AbC123xy.js"), ASSET);
  writeFileSync(path.join(dir, "assets", "style-Zz99Yy88.css"), "body{}");
  writeFileSync(path.join(dir, "favicon.svg"), "<svg/>");
  writeFileSync(path.join(dir, "secret.gz"), "x");
  return dir;
}

/** Records every answer of `gw` and, after the test, checks that none carried its token. */
function watchForToken(t: { after(fn: () => void): void }, gw: TestGateway): void {
  const seen: Answer[] = [];
  answers.set(gw, seen);
  t.after(() => {
    answers.delete(gw);
    assert.ok(seen.length > 0);
    for (const a of seen) assert.ok(!a.body.includes(gw.token) && !JSON.stringify(a.headers).includes(gw.token), `token leaked in a ${a.status} answer`);
  });
}

async function uiGateway(t: { after(fn: () => void): void }, controlUi: Record<string, unknown> = {}): Promise<{ gw: TestGateway; root: string }> {
  const root = uiRoot(t);
  const gw = await startTestGateway(t, { config: { gateway: { controlUi: { root, ...controlUi } } } });
  watchForToken(t, gw);
  return { gw, root };
}

function assertUiHeaders(a: Answer): void {
  assert.equal(a.headers["x-frame-options"], "DENY");
  assert.equal(a.headers["x-content-type-options"], "nosniff");
  assert.equal(a.headers["referrer-policy"], "no-referrer");
  assert.equal(
    a.headers["content-security-policy"],
    "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws: wss:",
  );
}

describe("control UI static files", () => {
  test("/ is index.html without auth, assets are immutable, headers and types are right, HEAD has no body", async (t) => {
    const { gw } = await uiGateway(t);
    const index = await raw(gw, "/");
    assert.equal(index.status, 200);
    assert.equal(index.body, INDEX);
    assert.equal(index.headers["content-type"], "text/html; charset=utf-8");
    assert.equal(index.headers["cache-control"], "no-cache");
    assert.ok(index.headers["last-modified"]);
    assertUiHeaders(index);
    const again = await raw(gw, "/", { headers: { "if-modified-since": String(index.headers["last-modified"]) } });
    assert.equal(again.status, 304);
    assert.equal(again.body, "");
    const js = await raw(gw, "/assets/index-AbC123xy.js");
    assert.equal(js.status, 200);
    assert.equal(js.body, ASSET);
    assert.equal(js.headers["content-type"], "text/javascript; charset=utf-8");
    assert.equal(js.headers["cache-control"], "public, max-age=31536000, immutable");
    assertUiHeaders(js);
    const css = await raw(gw, "/chat/assets/style-Zz99Yy88.css");
    assert.equal(css.status, 200, "any path containing /assets/ maps to assets/");
    assert.equal(css.headers["content-type"], "text/css; charset=utf-8");
    assert.equal((await raw(gw, "/__openclaw__/favicon.svg")).body, "<svg/>", "OpenClaw's alias for root files");
    const icon = await raw(gw, "/favicon.svg");
    assert.equal(icon.headers["content-type"], "image/svg+xml");
    assert.equal(icon.headers["cache-control"], "no-cache");
    const head = await raw(gw, "/assets/index-AbC123xy.js", { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.body, "");
    assert.equal(head.headers["content-length"], String(Buffer.byteLength(ASSET)));
  });

  test("SPA fallback only for extension-less paths whose Accept allows HTML; missing files are 404", async (t) => {
    const { gw } = await uiGateway(t);
    for (const accept of [undefined, "text/html,application/xhtml+xml", "*/*", "text/*;q=0.5"]) {
      const a = await raw(gw, "/chat/main", accept ? { headers: { accept } } : {});
      assert.equal(a.status, 200, `Accept ${accept}`);
      assert.equal(a.body, INDEX);
    }
    for (const accept of ["application/json", "text/html;q=0", "text/html;q=0, */*"]) {
      const a = await raw(gw, "/chat/main", { headers: { accept } });
      assert.equal(a.status, 404, `Accept ${accept}`);
      assert.equal(a.headers["content-type"], "text/plain; charset=utf-8");
    }
    for (const missing of ["/assets/gone-12345678.js", "/nothing.png", "/secret.gz"]) {
      const a = await raw(gw, missing, { headers: { accept: "text/html" } });
      assert.equal(a.status, 404, missing);
      assert.equal(a.body, "Not Found");
    }
    const api = await raw(gw, "/v1/models", { headers: { accept: "text/html" } });
    assert.equal(api.status, 404, "/v1 is never the UI");
  });

  test("path traversal is refused: encoded dots, .. segments, backslashes, symlinks out of the root", async (t) => {
    const { gw, root } = await uiGateway(t);
    const outside = path.join(path.dirname(root), `outside-${path.basename(root)}.txt`);
    writeFileSync(outside, "OUTSIDE");
    t.after(() => rmSync(outside, { force: true }));
    const { symlinkSync } = await import("node:fs");
    symlinkSync(outside, path.join(root, "assets", "link-12345678.txt"));
    const attempts = [
      "/%2e%2e/openclaw.json",
      "/%2E%2E/%2e%2e/etc/passwd",
      "/assets/../../x",
      "/assets/..%2f..%2fopenclaw.json",
      "/..%5c..%5copenclaw.json",
      `/assets/%2e%2e/%2e%2e/${path.basename(outside)}`,
      "/assets/link-12345678.txt",
      "/%00index.html",
      "/%E0%A4%A",
    ];
    for (const p of attempts) {
      const a = await raw(gw, p, { headers: { accept: "application/json" } });
      assert.equal(a.status, 404, p);
      assert.ok(!a.body.includes("OUTSIDE") && !a.body.includes('"gateway"'), p);
    }
    const config = readFileSync(gw.configPath, "utf8");
    for (const p of ["/%2e%2e/openclaw.json", "/assets/../../openclaw.json"]) {
      const a = await raw(gw, p);
      assert.ok(!a.body.includes(config.slice(0, 40)), `${p} served the config`);
    }
  });

  test("unknown non-GET paths keep their JSON 401/404, GET-only routes keep 405, the WS upgrade on / still connects", async (t) => {
    const { gw } = await uiGateway(t);
    for (const p of ["/", "/nope", "/assets/index-AbC123xy.js"]) {
      const anon = await raw(gw, p, { method: "POST" });
      assert.equal(anon.status, 401, `POST ${p}`);
      assert.deepEqual(JSON.parse(anon.body), { ok: false, error: "unauthorized" });
      const authed = await raw(gw, p, { method: "POST", headers: { authorization: `Bearer ${gw.token}` } });
      assert.equal(authed.status, 404, `POST ${p} with auth`);
      assert.match(String(authed.headers["content-type"]), /^application\/json/);
    }
    const metrics = await raw(gw, "/metrics", { method: "POST", headers: { authorization: `Bearer ${gw.token}` } });
    assert.equal(metrics.status, 405);
    const client = await gw.connect();
    const health = (await client.call("health", {})) as { ok: boolean };
    assert.equal(health.ok, true);
    client.close();
  });

  test("control-ui-config.json is auth-gated and carries basePath and serverVersion (never the token)", async (t) => {
    const { gw } = await uiGateway(t);
    const anon = await raw(gw, "/control-ui-config.json");
    assert.equal(anon.status, 401);
    for (const p of ["/control-ui-config.json", "/__openclaw__/control-ui-config.json"]) {
      const a = await raw(gw, p, { headers: { authorization: `Bearer ${gw.token}` } });
      assert.equal(a.status, 200, p);
      assert.equal(a.headers["cache-control"], "no-cache");
      assert.deepEqual(JSON.parse(a.body), { basePath: "", serverVersion: "0.0.0-test" });
    }
  });
});

describe("control UI base path, enabled, missing assets", () => {
  test("basePath is normalised; <base> redirects to <base>/ keeping the query; outside it is not the UI", async (t) => {
    const { gw } = await uiGateway(t, { basePath: " openclaw/ " });
    const redirect = await raw(gw, "/openclaw?x=1");
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.location, "/openclaw/?x=1");
    const index = await raw(gw, "/openclaw/");
    assert.equal(index.status, 200);
    assert.equal(index.body, INDEX);
    assert.equal((await raw(gw, "/openclaw/assets/index-AbC123xy.js")).body, ASSET);
    assert.equal((await raw(gw, "/openclaw/sessions")).status, 200, "SPA fallback under the base");
    const outside = await raw(gw, "/");
    assert.equal(outside.status, 401, "outside the base GET / is as before: auth-gated");
    const cfg = await raw(gw, "/openclaw/control-ui-config.json", { headers: { authorization: `Bearer ${gw.token}` } });
    assert.equal(JSON.parse(cfg.body).basePath, "/openclaw");
  });

  test("controlUi.enabled:false answers 404 text/plain at once (hot), and true brings it back", async (t) => {
    const { gw } = await uiGateway(t);
    assert.equal((await raw(gw, "/")).status, 200);
    const config = JSON.parse(readFileSync(gw.configPath, "utf8")) as { gateway: { controlUi: Record<string, unknown> } };
    config.gateway.controlUi.enabled = false;
    writeFileSync(gw.configPath, JSON.stringify(config));
    await waitUntil(async () => (await raw(gw, "/")).status === 404, 5000, "UI disabled");
    const off = await raw(gw, "/");
    assert.equal(off.headers["content-type"], "text/plain; charset=utf-8");
    assert.equal(off.body, "Not Found");
    assert.equal((await raw(gw, "/assets/index-AbC123xy.js")).status, 404);
    const client = await gw.connect();
    client.close();
    config.gateway.controlUi.enabled = true;
    writeFileSync(gw.configPath, JSON.stringify(config));
    await waitUntil(async () => (await raw(gw, "/")).status === 200, 5000, "UI enabled again");
  });

  test("a basePath change re-mounts the UI without restarting the gateway", async (t) => {
    const { gw } = await uiGateway(t);
    const port = gw.rt.port;
    const config = JSON.parse(readFileSync(gw.configPath, "utf8")) as { gateway: { controlUi: Record<string, unknown> } };
    config.gateway.controlUi.basePath = "/ui2";
    writeFileSync(gw.configPath, JSON.stringify(config));
    await waitUntil(async () => (await raw(gw, "/ui2")).status === 302, 5000, "UI under /ui2");
    assert.equal((await raw(gw, "/ui2/")).body, INDEX);
    assert.equal((await raw(gw, "/")).status, 401);
    assert.equal(gw.rt.port, port);
  });

  test("a missing root answers 503 text/plain naming the fix", async (t) => {
    const gw = await startTestGateway(t, { config: { gateway: { controlUi: { root: path.join(os.tmpdir(), "openclaw-no-such-ui-root") } } } });
    watchForToken(t, gw);
    const a = await raw(gw, "/");
    assert.equal(a.status, 503);
    assert.equal(a.headers["content-type"], "text/plain; charset=utf-8");
    assert.match(a.body, /Control UI assets not found at .*openclaw-no-such-ui-root/);
    assert.match(a.body, /gateway\.controlUi\.root/);
    assert.ok(!a.body.includes(gw.token));
  });
});
