/**
 * Raw sockets for hardening tests: a WebSocket upgrade over a plain TCP socket (so a test can write
 * frame headers by hand), and a silent-socket counter.
 */
import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";

/** A TCP socket that records whether the server closed it. */
export interface Tracked {
  socket: Socket;
  connected: boolean;
  closed: boolean;
  received: Buffer[];
}

/** Opens a TCP socket to the gateway and tracks its close (errors count as closed). */
export function openTcp(port: number): Tracked {
  const socket = connect({ host: "127.0.0.1", port });
  const tracked: Tracked = { socket, connected: false, closed: false, received: [] };
  socket.on("connect", () => (tracked.connected = true));
  socket.on("data", (d: Buffer) => tracked.received.push(d));
  socket.on("error", () => undefined);
  socket.on("close", () => (tracked.closed = true));
  return tracked;
}

/** Performs the WebSocket opening handshake by hand; resolves once the 101 arrived. */
export function rawUpgrade(port: number, headers: Record<string, string> = {}): Promise<Tracked> {
  const t = openTcp(port);
  const key = randomBytes(16).toString("base64");
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  t.socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`);
  return new Promise((resolve, reject) => {
    const check = () => {
      const text = Buffer.concat(t.received).toString("latin1");
      if (text.includes("\r\n\r\n")) {
        t.socket.off("data", check);
        if (text.startsWith("HTTP/1.1 101")) resolve(t);
        else reject(new Error(`upgrade refused: ${text.split("\r\n")[0]}`));
      }
    };
    t.socket.on("data", check);
    t.socket.once("close", () => reject(new Error("closed during upgrade")));
  });
}

/** A masked client frame header (FIN, text) declaring `length` payload bytes. */
export function frameHeader(length: number, opcode = 0x1): Buffer {
  const mask = randomBytes(4);
  if (length < 126) return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | length]), mask]);
  if (length < 65536) {
    const h = Buffer.from([0x80 | opcode, 0x80 | 126, 0, 0]);
    h.writeUInt16BE(length, 2);
    return Buffer.concat([h, mask]);
  }
  const h = Buffer.alloc(10);
  h[0] = 0x80 | opcode;
  h[1] = 0x80 | 127;
  h.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
  h.writeUInt32BE(length >>> 0, 6);
  return Buffer.concat([h, mask]);
}

/** The close code in the first server close frame received after the 101 response, if any. */
export function closeCodeOf(t: Tracked): number | undefined {
  const all = Buffer.concat(t.received);
  const start = all.indexOf("\r\n\r\n");
  let i = start + 4;
  while (i + 2 <= all.length) {
    const opcode = all[i]! & 0x0f;
    let len = all[i + 1]! & 0x7f;
    let off = 2;
    if (len === 126) {
      len = all.readUInt16BE(i + 2);
      off = 4;
    } else if (len === 127) {
      len = all.readUInt32BE(i + 6);
      off = 10;
    }
    if (opcode === 0x8 && len >= 2) return all.readUInt16BE(i + off);
    i += off + len;
  }
  return undefined;
}
