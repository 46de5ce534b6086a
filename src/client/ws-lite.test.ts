/** The CLI's small WebSocket client against the real `ws` server the gateway uses. */
import assert from "node:assert/strict";
import { once } from "node:events";
import { test } from "node:test";
import { WebSocketServer } from "ws";
import { LiteWebSocket } from "./ws-lite.js";

async function server(t: { after(fn: () => unknown): void }, onConnection: (ws: import("ws").WebSocket) => void) {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await once(wss, "listening");
  wss.on("connection", onConnection);
  t.after(() => new Promise<void>((r) => wss.close(() => r())));
  return `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
}

test("echoes text of every length class (7-bit, 16-bit and 64-bit lengths)", async (t) => {
  const url = await server(t, (ws) => ws.on("message", (d) => ws.send(d.toString())));
  const client = new LiteWebSocket(url);
  await once(client, "open");
  for (const size of [0, 5, 125, 126, 65535, 65536, 300_000]) {
    const text = "x".repeat(size);
    const got = once(client, "message");
    client.send(text);
    const [data] = (await got) as [Buffer];
    assert.equal(data.toString(), text, `size ${size}`);
  }
  client.close();
  await once(client, "close");
});

test("reassembles fragmented messages, answers pings, reports the server's close code and reason", async (t) => {
  const url = await server(t, (ws) => {
    ws.send("hel", { fin: false });
    ws.send("lo", { fin: true });
    ws.ping();
    ws.on("pong", () => ws.close(4001, "bye now"));
  });
  const client = new LiteWebSocket(url);
  const [data] = (await once(client, "message")) as [Buffer];
  assert.equal(data.toString(), "hello");
  const [code, reason] = (await once(client, "close")) as [number, Buffer];
  assert.equal(code, 4001);
  assert.equal(reason.toString(), "bye now");
});

test("a refused connection is an error then a close, never a hang", async () => {
  const client = new LiteWebSocket("ws://127.0.0.1:1");
  const [error] = (await once(client, "error")) as [NodeJS.ErrnoException];
  assert.equal(error.code, "ECONNREFUSED");
  assert.equal(client.readyState, LiteWebSocket.CLOSED);
});

test("a server that is not a WebSocket server is rejected", async (t) => {
  const { createServer } = await import("node:http");
  const http = createServer((_req, res) => res.end("plain http"));
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  t.after(() => http.close());
  const client = new LiteWebSocket(`ws://127.0.0.1:${(http.address() as { port: number }).port}`);
  const [error] = (await once(client, "error")) as [Error];
  assert.match(error.message, /unexpected server response: HTTP\/1\.1 200/);
});
