/** HTTP on the gateway port: open liveness/readiness, Prometheus /metrics behind the token, everything else auth-gated. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import WebSocket from "ws";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

async function get(gw: TestGateway, route: string, token?: string): Promise<{ status: number; type: string; body: string; headers: Headers }> {
  const res = await fetch(`http://127.0.0.1:${gw.rt.port}${route}`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get("content-type") ?? "", body: await res.text(), headers: res.headers };
}

function metricValue(text: string, name: string): number {
  const m = new RegExp(`^${name.replace(/[{}"=,]/g, "\\$&")} ([0-9.e+-]+)$`, "m").exec(text);
  assert.ok(m, `metric ${name} in:\n${text}`);
  return Number(m[1]);
}

/** One failed WebSocket auth (wrong token), to the close. */
function failWsAuth(gw: TestGateway): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(gw.url);
    ws.on("error", reject);
    ws.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as { event?: string };
      if (frame.event !== "connect.challenge") return;
      ws.send(JSON.stringify({ type: "req", id: "c", method: "connect", params: { minProtocol: 3, maxProtocol: 4, client: { id: "test", mode: "test" }, auth: { token: "wrong" } } }));
    });
    ws.on("close", (code) => resolve(code));
  });
}

describe("liveness and readiness", () => {
  test("GET /health and /healthz answer 200 {ok:true,status:live} with and without a token", async (t) => {
    const gw = await startTestGateway(t);
    for (const route of ["/health", "/healthz", "/healthz/"]) {
      for (const token of [undefined, gw.token]) {
        const r = await get(gw, route, token);
        assert.equal(r.status, 200, `${route} token=${token !== undefined}`);
        assert.match(r.type, /^application\/json/);
        assert.deepEqual(JSON.parse(r.body), { ok: true, status: "live" });
        assert.ok(!r.body.includes(gw.token), "the health body never contains the token");
      }
    }
    const withQuery = await get(gw, `/health?token=${gw.token}`);
    assert.equal(withQuery.status, 200);
    assert.ok(!withQuery.body.includes(gw.token));
    const wrong = await get(gw, "/healthz", "wrong-token");
    assert.equal(wrong.status, 200, "liveness ignores credentials entirely");
  });

  test("GET /readyz is 200 when the gateway is ready", async (t) => {
    const gw = await startTestGateway(t);
    const r = await get(gw, "/readyz");
    assert.equal(r.status, 200);
    // The pid tells a service installer its own gateway from another process holding the port.
    assert.deepEqual(JSON.parse(r.body), { ok: true, status: "ready", pid: process.pid });
    assert.ok(!r.body.includes(gw.token));
  });
});

describe("/metrics", () => {
  test("needs the token: none → 401, wrong → 401, right → 200 Prometheus text", async (t) => {
    const gw = await startTestGateway(t);
    const none = await get(gw, "/metrics");
    assert.equal(none.status, 401);
    assert.match(none.headers.get("www-authenticate") ?? "", /Bearer/);
    assert.ok(!none.body.includes("openclaw_"), "no metrics leak without auth");
    const wrong = await get(gw, "/metrics", "wrong-token");
    assert.equal(wrong.status, 401);
    const right = await get(gw, "/metrics", gw.token);
    assert.equal(right.status, 200);
    assert.match(right.type, /^text\/plain/);
    assert.match(right.body, /^# TYPE openclaw_uptime_seconds gauge$/m);
    assert.ok(metricValue(right.body, "openclaw_uptime_seconds") >= 0);
    assert.ok(!right.body.includes(gw.token));
  });

  test("counts RPCs by method and failed auths", async (t) => {
    const gw = await startTestGateway(t);
    const client = await gw.connect();
    t.after(() => client.close());
    await client.call("health");
    await client.call("health");
    assert.equal(await failWsAuth(gw), 1008);
    const bad = await get(gw, "/metrics", "wrong-token");
    assert.equal(bad.status, 401);
    const r = await get(gw, "/metrics", gw.token);
    assert.equal(r.status, 200);
    assert.ok(r.body.includes('openclaw_rpc_requests_total{method="health"'), r.body);
    assert.equal(metricValue(r.body, 'openclaw_rpc_requests_total{method="health",outcome="ok"}'), 2);
    assert.ok(metricValue(r.body, "openclaw_auth_failures_total") >= 2, "the WS and the HTTP failure both count");
    assert.ok(metricValue(r.body, "openclaw_ws_connections") >= 1);
    assert.match(r.body, /^openclaw_rpc_duration_ms_count\{method="health"\} 2$/m);
  });
});

describe("other routes", () => {
  test("anything else is 401 without auth and 404 with it (GET paths are the Control UI's: control-ui-serve.test.ts)", async (t) => {
    const gw = await startTestGateway(t);
    for (const route of ["/", "/nope", "/v1/chat/completions", "/metrics/extra"]) {
      for (const method of ["POST", "PUT", "DELETE"]) {
        const anon = await fetch(`http://127.0.0.1:${gw.rt.port}${route}`, { method });
        const anonBody = await anon.text();
        assert.equal(anon.status, 401, `${method} ${route} without auth`);
        assert.ok(!anonBody.includes(gw.token));
        const authed = await fetch(`http://127.0.0.1:${gw.rt.port}${route}`, { method, headers: { authorization: `Bearer ${gw.token}` } });
        const authedBody = await authed.text();
        assert.equal(authed.status, 404, `${method} ${route} with auth`);
        assert.ok(!authedBody.includes(gw.token));
      }
    }
    const api = await get(gw, "/v1/chat/completions", gw.token);
    assert.equal(api.status, 404, "GET /v1/* is never the UI");
    const post = await fetch(`http://127.0.0.1:${gw.rt.port}/metrics`, { method: "POST", headers: { authorization: `Bearer ${gw.token}` } });
    assert.equal(post.status, 405, "only GET /metrics is routed");
    assert.equal(post.headers.get("allow"), "GET");
    await post.body?.cancel();
  });
});
