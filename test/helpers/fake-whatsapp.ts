/**
 * What the WhatsApp tests share: a loopback WebSocket server a real Baileys socket connects to
 * (it accepts the connection and stays silent — no Noise handshake), a socket factory that builds the
 * real `makeWASocket` against it and records what the adapter sends, and a linked auth state written
 * through Baileys' own multi-file auth state.
 */
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import type { WhatsAppSocket, WhatsAppSocketFactory } from "../../src/channels/index.js";

/** A loopback WhatsApp Web endpoint that accepts connections. */
export interface FakeWhatsAppServer {
  url: string;
  connections(): number;
  close(): Promise<void>;
}

export async function startFakeWhatsApp(): Promise<FakeWhatsAppServer> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  let connections = 0;
  wss.on("connection", () => connections++);
  await new Promise<void>((resolve) => wss.on("listening", () => resolve()));
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ws/chat`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

/** One message the adapter sent, as seen at the socket. */
export interface SentWhatsApp {
  jid: string;
  text: string;
}

/**
 * The real Baileys `makeWASocket`, pointed at `server`. Baileys keeps its handshake timer
 * (`connectTimeoutMs`) alive after `end()`, so it is short: a test's process exits soon after it. Only `sendMessage` and `readMessages` of each
 * socket instance are wrapped (recorded, answered with an id): a loopback server cannot complete
 * WhatsApp's Noise handshake and Signal sessions, so the real ones could not send.
 */
export async function recordingSocketFactory(server: FakeWhatsAppServer, connectTimeoutMs = 5000) {
  const { makeWASocket } = await import("@whiskeysockets/baileys");
  const sockets: WhatsAppSocket[] = [];
  const sent: SentWhatsApp[] = [];
  const read: unknown[] = [];
  const factory: WhatsAppSocketFactory = (config) => {
    const sock = makeWASocket(config as never) as unknown as WhatsAppSocket;
    sock.sendMessage = async (jid, content) => {
      sent.push({ jid, text: content.text });
      return { key: { id: `OUT${sent.length}` } };
    };
    sock.readMessages = async (keys) => {
      read.push(...keys);
    };
    sockets.push(sock);
    return sock;
  };
  return { factory, sockets, sent, read, socketOptions: { waWebSocketUrl: server.url, connectTimeoutMs, keepAliveIntervalMs: 600_000, defaultQueryTimeoutMs: 2000, fireInitQueries: false } };
}

/** Writes a linked session for `+<digits>` into `authDir` through Baileys (creds and a few signal keys). */
export async function seedLinkedAuth(authDir: string, digits: string): Promise<void> {
  const { useMultiFileAuthState } = await import("@whiskeysockets/baileys");
  const { state, saveCreds } = await useMultiFileAuthState(authDir);
  state.creds.me = { id: `${digits}:7@s.whatsapp.net`, name: "Ops" };
  await saveCreds();
  await state.keys.set({ "pre-key": { "1": state.creds.signedIdentityKey, "2": state.creds.signedIdentityKey }, "app-state-sync-version": {} } as never);
}

/**
 * What Baileys emits when a linked socket comes up: `connection: "open"`, then — once the offline
 * notifications are handled — a flush of the event buffer and `receivedPendingNotifications: true`.
 */
export function emitOpen(sock: WhatsAppSocket): void {
  sock.ev.emit("connection.update", { connection: "open" });
  (sock.ev as unknown as { flush(): void }).flush();
  sock.ev.emit("connection.update", { receivedPendingNotifications: true });
}
