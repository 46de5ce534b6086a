/**
 * Bounds on the gateway's sockets before and after auth: handshake and idle timeouts, caps on
 * concurrent unauthenticated sockets (overall and per address, with a small reserve that may only
 * ask for liveness), and a WebSocket frame-header guard that refuses an oversized pre-auth frame as
 * soon as its header arrives, before any of its payload is buffered.
 */
import type { Socket } from "node:net";
import { HANDSHAKE_TIMEOUT_MS, MAX_PREAUTH_PAYLOAD_BYTES } from "../protocol/index.js";

/** Socket limits; every field can be overridden through `GatewayOptions.sockets`. */
export interface SocketPolicy {
  /** HTTP request headers (and the WS upgrade) and the WS `connect` must arrive within this. */
  handshakeTimeoutMs: number;
  /** A socket that has not upgraded closes after this long without traffic. */
  idleTimeoutMs: number;
  /** Authenticated sockets are pinged this often; one that answers nothing for a whole interval is closed. */
  pingIntervalMs: number;
  /** Concurrent sockets not yet authenticated (raw TCP included), overall. */
  maxUnauthenticated: number;
  /** The same, per remote address. */
  maxUnauthenticatedPerAddress: number;
  /** Extra sockets beyond the caps that may only ask for `/healthz`, `/health` or `/readyz`. */
  healthReserve: number;
  /** How long a reserve socket may take to ask. */
  reserveTimeoutMs: number;
  /** Largest message a client may send before it authenticates. */
  maxPreAuthPayloadBytes: number;
}

/** Defaults: silent sockets close within 10 s; caps a real user never reaches. */
export const DEFAULT_SOCKET_POLICY: SocketPolicy = {
  handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
  idleTimeoutMs: 10_000,
  pingIntervalMs: 15_000,
  maxUnauthenticated: 1024,
  maxUnauthenticatedPerAddress: 256,
  healthReserve: 64,
  reserveTimeoutMs: 2000,
  maxPreAuthPayloadBytes: MAX_PREAUTH_PAYLOAD_BYTES,
};

function positiveInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  const n = Number(value);
  return n > 0 ? n : undefined;
}

/**
 * The effective policy: explicit options, then `OPENCLAW_HANDSHAKE_TIMEOUT_MS`, then
 * `gateway.handshakeTimeoutMs`, then the defaults. The idle timeout never exceeds the handshake
 * budget unless set explicitly, so a silent socket is gone once the handshake could not finish.
 */
export function resolveSocketPolicy(input: {
  options?: Partial<SocketPolicy> | undefined;
  handshakeTimeoutMs?: number | undefined;
  env: Record<string, string | undefined>;
  configHandshakeTimeoutMs?: number | undefined;
}): SocketPolicy {
  const handshakeTimeoutMs =
    input.options?.handshakeTimeoutMs ??
    input.handshakeTimeoutMs ??
    positiveInt(input.env.OPENCLAW_HANDSHAKE_TIMEOUT_MS) ??
    input.configHandshakeTimeoutMs ??
    DEFAULT_SOCKET_POLICY.handshakeTimeoutMs;
  return {
    ...DEFAULT_SOCKET_POLICY,
    idleTimeoutMs: Math.min(DEFAULT_SOCKET_POLICY.idleTimeoutMs, handshakeTimeoutMs),
    reserveTimeoutMs: Math.min(DEFAULT_SOCKET_POLICY.reserveTimeoutMs, handshakeTimeoutMs),
    ...input.options,
    handshakeTimeoutMs,
  };
}

export type Admission = "admitted" | "reserve" | "refused";

interface Tracked {
  address: string;
  reserve: boolean;
  released: boolean;
  /** A reserve socket that has sent its request (it is never evicted). */
  asked: boolean;
}

/** Counts unauthenticated sockets per address and overall; decides at the TCP `connection` event. */
export class UnauthenticatedSockets {
  private readonly perAddress = new Map<string, number>();
  private readonly tracked = new WeakMap<Socket, Tracked>();
  private total = 0;
  /** Reserve sockets in arrival order (oldest first), so the oldest silent one can be evicted. */
  private readonly reserve = new Set<Socket>();

  constructor(
    private readonly policy: SocketPolicy,
    /** Called for each reserve socket closed to make room (counted with refusals). */
    private readonly onEvict: () => void = () => undefined,
  ) {}

  /** Admits a new socket, admits it to the liveness-only reserve, or refuses it. */
  admit(socket: Socket): Admission {
    const address = normalizeAddress(socket.remoteAddress);
    const mine = this.perAddress.get(address) ?? 0;
    if (this.total < this.policy.maxUnauthenticated && mine < this.policy.maxUnauthenticatedPerAddress) {
      this.perAddress.set(address, mine + 1);
      this.total++;
      this.tracked.set(socket, { address, reserve: false, released: false, asked: false });
      return "admitted";
    }
    if (this.policy.healthReserve <= 0) return "refused";
    if (this.reserve.size >= this.policy.healthReserve) {
      // A health prober asks at once; a flood that only connects must not crowd it out, so the
      // oldest reserve socket that has not asked yet makes room.
      const silent = [...this.reserve].find((s) => !this.tracked.get(s)?.asked);
      if (!silent) return "refused";
      this.release(silent);
      silent.destroy();
      this.onEvict();
    }
    this.reserve.add(socket);
    this.tracked.set(socket, { address, reserve: true, released: false, asked: false });
    return "reserve";
  }

  /** Marks a reserve socket whose request arrived: it is not evicted while it is answered. */
  markAsked(socket: Socket): void {
    const t = this.tracked.get(socket);
    if (t) t.asked = true;
  }

  /** Whether the socket came in on the liveness-only reserve. */
  isReserve(socket: Socket): boolean {
    return this.tracked.get(socket)?.reserve === true;
  }

  /** Stops counting a socket (it authenticated or closed). Idempotent. */
  release(socket: Socket): void {
    const t = this.tracked.get(socket);
    if (!t || t.released) return;
    t.released = true;
    if (t.reserve) {
      this.reserve.delete(socket);
      return;
    }
    this.total--;
    const left = (this.perAddress.get(t.address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(t.address, left);
    else this.perAddress.delete(t.address);
  }

  /** Current counts, for metrics and tests. */
  counts(): { unauthenticated: number; reserve: number; addresses: number } {
    return { unauthenticated: this.total, reserve: this.reserve.size, addresses: this.perAddress.size };
  }
}

function normalizeAddress(address: string | undefined): string {
  if (!address) return "unknown";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

/**
 * Follows WebSocket frame headers in a client's byte stream and calls `onViolation` as soon as a
 * message's declared length passes `limit` — on the header, before its payload is buffered. Runs
 * only until `release()` (after auth the socket's own maxPayload applies).
 */
export class PreAuthFrameGuard {
  private header = Buffer.alloc(14);
  private headerLength = 0;
  private skip = 0;
  private messageBytes = 0;
  private violated = false;
  private readonly listener = (chunk: Buffer) => this.feed(chunk);

  constructor(
    private readonly socket: Socket,
    private readonly limit: number,
    private readonly onViolation: (declaredBytes: number) => void,
  ) {
    // Runs before ws's own 'data' listener, so the limit fires before ws buffers the chunk.
    socket.prependListener("data", this.listener);
  }

  release(): void {
    this.socket.removeListener("data", this.listener);
  }

  private feed(chunk: Buffer): void {
    if (this.violated) {
      this.socket.destroy();
      return;
    }
    let i = 0;
    while (i < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        continue;
      }
      this.header[this.headerLength++] = chunk[i++]!;
      const need = this.headerNeeds();
      if (this.headerLength < need) continue;
      const declared = this.payloadLength();
      const opcode = this.header[0]! & 0x0f;
      const fin = (this.header[0]! & 0x80) !== 0;
      this.headerLength = 0;
      if (opcode < 0x08) {
        this.messageBytes += declared;
        if (this.messageBytes > this.limit) {
          this.violated = true;
          this.onViolation(this.messageBytes);
          return;
        }
        if (fin) this.messageBytes = 0;
      }
      this.skip = declared;
    }
  }

  /** Header bytes needed so far: 2, then the extended length and mask key once known. */
  private headerNeeds(): number {
    if (this.headerLength < 2) return 2;
    const len7 = this.header[1]! & 0x7f;
    const masked = (this.header[1]! & 0x80) !== 0;
    return 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + (masked ? 4 : 0);
  }

  private payloadLength(): number {
    const len7 = this.header[1]! & 0x7f;
    if (len7 < 126) return len7;
    if (len7 === 126) return this.header.readUInt16BE(2);
    const high = this.header.readUInt32BE(2);
    // Anything at or past 2^32 is far over every limit; report it as such without losing precision.
    return high > 0 ? Number.MAX_SAFE_INTEGER : this.header.readUInt32BE(6);
  }
}
