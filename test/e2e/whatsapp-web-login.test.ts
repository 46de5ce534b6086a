/**
 * WhatsApp's QR login through the gateway (`web.login.start` / `web.login.wait`, what the Control UI
 * calls): start answers with the QR Baileys emits as a PNG data URL, wait answers once the phone
 * links (pairing, 515 restart, open) and the account then runs on the new session. Real Baileys
 * sockets against a loopback server (only their sendMessage/readMessages are recorded).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { whatsappPlugin } from "../../src/channels/index.js";
import { pollUntil } from "../../src/infra/index.js";
import { emitOpen, recordingSocketFactory, startFakeWhatsApp } from "../helpers/fake-whatsapp.js";
import { startTestGateway } from "../helpers/gateway.js";

test("web.login.start shows the QR, web.login.wait reports the link and the account starts", { timeout: 60_000 }, async (t) => {
  const server = await startFakeWhatsApp();
  t.after(() => server.close());
  const rec = await recordingSocketFactory(server);
  const gw = await startTestGateway(t, {
    channels: true,
    gateway: { channelPlugins: () => [whatsappPlugin({ socketFactory: rec.factory, socketOptions: rec.socketOptions }) as never] },
    config: { channels: { whatsapp: { dmPolicy: "allowlist", allowFrom: ["+15550004444"] } } },
  });
  const client = await gw.connect({ timeoutMs: 30_000 });
  t.after(() => client.close());
  type Account = { linked?: boolean; running?: boolean; connected?: boolean };
  const account = async () => ((await client.call("channels.status", {})) as { channelAccounts: { whatsapp: Account[] } }).channelAccounts.whatsapp[0] ?? {};
  assert.equal((await account()).linked, false, "not linked before the login");

  const start = client.call("web.login.start", { channel: "whatsapp" }) as Promise<{ message: string; qrDataUrl?: string; sessionKey: string }>;
  assert.ok(await pollUntil(() => rec.sockets.length === 1, 10_000, 10), "the login opened a socket");
  rec.sockets[0]!.ev.emit("connection.update", { qr: "2@QR-GATEWAY,abc" });
  const started = await start;
  assert.match(started.qrDataUrl ?? "", /^data:image\/png;base64,/);
  assert.match(started.message, /Linked devices/);

  const wait = client.call("web.login.wait", { channel: "whatsapp", sessionKey: started.sessionKey, timeoutMs: 20_000 }) as Promise<{ connected: boolean; message: string }>;
  // The phone scans: WhatsApp pairs the device, asks for a restart (515), then the new socket opens.
  rec.sockets[0]!.ev.emit("creds.update", { me: { id: "15550005555:3@s.whatsapp.net", name: "Ops" } });
  rec.sockets[0]!.ev.emit("connection.update", { connection: "close", lastDisconnect: { error: { output: { statusCode: 515 } }, date: new Date() } });
  assert.ok(await pollUntil(() => rec.sockets.length === 2, 10_000, 10), "a new socket after 515");
  emitOpen(rec.sockets[1]!);
  assert.deepEqual(await wait, { connected: true, message: "linked as +15550005555", sessionKey: started.sessionKey });

  // The account starts on the new session.
  assert.ok(await pollUntil(() => rec.sockets.length === 3, 10_000, 10), "the account opened its own socket");
  emitOpen(rec.sockets[2]!);
  assert.ok(await pollUntil(async () => (await account()).connected === true, 10_000, 20), "the account runs linked");
  assert.equal((await account()).linked, true);
});
