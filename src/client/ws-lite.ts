/**
 * A small WebSocket client (RFC 6455, text frames) for the CLI. The `ws` package pulls in http,
 * https, tls and zlib and costs ~60 ms of start-up; the CLI needs one short-lived connection, so this
 * speaks the protocol over a plain socket (TLS loaded only for wss://).
 */
import { createHash, randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { connect as netConnect, type Socket } from "node:net";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export interface LiteOptions {
  handshakeTimeout?: number;
  maxPayload?: number;
  headers?: Record<string, string>;
}

export class LiteWebSocket extends EventEmitter {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readyState = LiteWebSocket.CONNECTING;
  private socket: Socket | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private closeSent = false;
  private closeCode = 1006;
  private closeReason = "";
  private readonly maxPayload: number;
  private handshakeTimer: NodeJS.Timeout | undefined;

  constructor(url: string, options: LiteOptions = {}) {
    super();
    this.maxPayload = options.maxPayload ?? 64 * 1024 * 1024;
    const u = new URL(url);
    if (u.protocol !== "ws:" && u.protocol !== "wss:") throw new Error(`unsupported URL scheme ${u.protocol} (use ws:// or wss://)`);
    const secure = u.protocol === "wss:";
    const port = Number(u.port || (secure ? 443 : 80));
    const host = u.hostname.replace(/^\[|\]$/g, "");
    const key = randomBytes(16).toString("base64");
    const start = (socket: Socket) => {
      this.socket = socket;
      const timer = setTimeout(() => this.fail(new Error("handshake timed out")), options.handshakeTimeout ?? 10_000);
      this.handshakeTimer = timer;
      socket.once("connect", () => undefined);
      const request = [
        `GET ${u.pathname || "/"}${u.search} HTTP/1.1`,
        `Host: ${u.host}`,
        "Upgrade: websocket",
        "Connection: Upgrade",
        `Sec-WebSocket-Key: ${key}`,
        "Sec-WebSocket-Version: 13",
        ...Object.entries(options.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
        "",
        "",
      ].join("\r\n");
      socket.write(request);
      let head = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) return;
        socket.off("data", onData);
        clearTimeout(timer);
        const lines = head.subarray(0, end).toString("latin1").split("\r\n");
        const status = /^HTTP\/1\.1 (\d{3})/.exec(lines[0] ?? "")?.[1];
        const accept = lines.find((l) => /^sec-websocket-accept:/i.test(l))?.split(":")[1]?.trim();
        const expected = createHash("sha1").update(key + GUID).digest("base64");
        if (status !== "101" || accept !== expected) {
          this.fail(new Error(`unexpected server response: ${lines[0] ?? "(none)"}`));
          return;
        }
        this.readyState = LiteWebSocket.OPEN;
        socket.on("data", (d: Buffer) => this.onData(d));
        this.emit("open");
        const rest = head.subarray(end + 4);
        if (rest.length > 0) this.onData(rest);
      };
      socket.on("data", onData);
      socket.on("error", (error) => this.fail(error));
      socket.on("close", () => this.finish());
    };
    if (secure) {
      void import("node:tls").then((tls) => start(tls.connect({ host, port, servername: host })));
    } else {
      start(netConnect({ host, port }));
    }
  }

  private fail(error: Error): void {
    if (this.readyState === LiteWebSocket.CLOSED) return;
    this.emit("error", error);
    this.socket?.destroy();
    this.finish();
  }

  private finish(): void {
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    if (this.readyState === LiteWebSocket.CLOSED) return;
    this.readyState = LiteWebSocket.CLOSED;
    this.emit("close", this.closeCode, Buffer.from(this.closeReason));
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (this.buffer.length < 2) return;
      const b0 = this.buffer[0]!;
      const b1 = this.buffer[1]!;
      let len = b1 & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (this.buffer.length < 4) return;
        len = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (this.buffer.length < 10) return;
        len = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      const masked = (b1 & 0x80) !== 0;
      if (masked) offset += 4;
      if (len > this.maxPayload) {
        this.close(1009, "message too big");
        return;
      }
      if (this.buffer.length < offset + len) return;
      let payload = this.buffer.subarray(offset, offset + len);
      if (masked) {
        const mask = this.buffer.subarray(offset - 4, offset);
        payload = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
      }
      this.buffer = this.buffer.subarray(offset + len);
      this.onFrame(b0 & 0x80, b0 & 0x0f, payload);
    }
  }

  private onFrame(fin: number, opcode: number, payload: Buffer): void {
    if (opcode === 0x8) {
      this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      this.closeReason = payload.subarray(2).toString("utf8");
      if (!this.closeSent) this.sendFrame(0x8, payload.subarray(0, 2));
      this.closeSent = true;
      this.socket?.end();
      return;
    }
    if (opcode === 0x9) {
      this.sendFrame(0xa, payload);
      return;
    }
    if (opcode === 0xa) return;
    if (opcode === 0x1 || opcode === 0x2 || opcode === 0x0) {
      this.fragments.push(payload);
      if (!fin) return;
      const data = Buffer.concat(this.fragments);
      this.fragments = [];
      this.emit("message", data, opcode === 0x2);
    }
  }

  private sendFrame(opcode: number, payload: Buffer): void {
    if (!this.socket || this.socket.destroyed) return;
    const len = payload.length;
    const header = len < 126 ? Buffer.alloc(6) : len < 65536 ? Buffer.alloc(8) : Buffer.alloc(14);
    header[0] = 0x80 | opcode;
    let o = 2;
    if (len < 126) header[1] = 0x80 | len;
    else if (len < 65536) {
      header[1] = 0x80 | 126;
      header.writeUInt16BE(len, 2);
      o = 4;
    } else {
      header[1] = 0x80 | 127;
      header.writeBigUInt64BE(BigInt(len), 2);
      o = 10;
    }
    const mask = randomBytes(4);
    mask.copy(header, o);
    const body = Buffer.allocUnsafe(len);
    for (let i = 0; i < len; i++) body[i] = payload[i]! ^ mask[i % 4]!;
    this.socket.write(Buffer.concat([header, body]));
  }

  send(text: string): void {
    if (this.readyState !== LiteWebSocket.OPEN) throw new Error("WebSocket is not open");
    this.sendFrame(0x1, Buffer.from(text, "utf8"));
  }

  close(code = 1000, reason = ""): void {
    if (this.readyState === LiteWebSocket.CLOSED || this.closeSent) return;
    this.readyState = LiteWebSocket.CLOSING;
    this.closeSent = true;
    const body = Buffer.alloc(2 + Buffer.byteLength(reason));
    body.writeUInt16BE(code, 0);
    body.write(reason, 2);
    this.sendFrame(0x8, body);
    const timer = setTimeout(() => this.socket?.destroy(), 1000);
    timer.unref();
  }

  terminate(): void {
    this.socket?.destroy();
    this.finish();
  }
}
