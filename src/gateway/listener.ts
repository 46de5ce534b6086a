/**
 * One HTTP server per bind host, with the gate every socket passes: the unauthenticated-socket caps
 * (TCP `connection`), handshake and idle timeouts, the browser-origin check on upgrade and on HTTP,
 * the pre-auth frame guard, and liveness pings for authenticated sockets.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { WebSocketServer } from "ws";
import type { OpenClawConfig } from "../config/index.js";
import { type ConnectionHost, handleSocket } from "./connection.js";
import { type HttpHost, handleHttp, isLivenessRequest, isLocalDirectRequest, originVerdict } from "./http.js";
import { checkBrowserOrigin, printableOrigin } from "./origin.js";
import { PreAuthFrameGuard, type SocketPolicy, type UnauthenticatedSockets } from "./socket-guard.js";

function refuseUpgrade(socket: Duplex, status: number, text: string, body = text): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  // Do not wait on a peer that never closes its side.
  setTimeout(() => socket.destroy(), 1000).unref();
}

/** OpenClaw's wording for a refused browser origin, naming the setting that fixes it. */
export const ORIGIN_REFUSED = "origin not allowed (open the Control UI from the gateway host or allow it in gateway.controlUi.allowedOrigins)";

/** What the listener needs of the gateway (the core implements it). */
export interface ListenerHost extends HttpHost, ConnectionHost {
  readiness(): { status: string };
}

/** Creates (does not listen) the HTTP server for one bind host; all hosts share `caps` and `wss`. */
export function createGatewayServer(rt: ListenerHost, wss: WebSocketServer, caps: UnauthenticatedSockets, policy: SocketPolicy): Server {
  const server = createServer(
    {
      headersTimeout: policy.handshakeTimeoutMs,
      requestTimeout: Math.max(30_000, policy.handshakeTimeoutMs),
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(policy.handshakeTimeoutMs / 4))),
      keepAliveTimeout: Math.min(5000, policy.idleTimeoutMs),
    },
    (req, res) => {
      caps.markAsked(req.socket);
      if (caps.isReserve(req.socket) && !isLivenessRequest(req)) {
        res.writeHead(503, { "content-type": "text/plain", connection: "close", "retry-after": "1" });
        res.end("too many connections; only /healthz is answered right now\n");
        return;
      }
      handleHttp(req, res, rt);
    },
  );
  server.on("connection", (socket: Socket) => {
    const admission = caps.admit(socket);
    if (admission === "refused") {
      rt.metrics.connectionsRefused++;
      socket.destroy();
      return;
    }
    socket.once("close", () => caps.release(socket));
    // Idle sockets that never upgrade close; ws clears this timer on upgrade (setTimeout(0)).
    socket.setTimeout(admission === "reserve" ? policy.reserveTimeoutMs : policy.idleTimeoutMs, () => socket.destroy());
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const state = rt.readiness().status;
    if (state === "draining" || state === "stopped") {
      socket.destroy();
      return;
    }
    const tcp = req.socket;
    if (caps.isReserve(tcp)) {
      rt.metrics.connectionsRefused++;
      refuseUpgrade(socket, 503, "Service Unavailable");
      return;
    }
    if (!rt.routes.acceptsUpgrade((req.url ?? "/").split("?")[0]!)) {
      refuseUpgrade(socket, 404, "Not Found");
      return;
    }
    const verdict = originVerdict(req, rt.runningConfig());
    if (!verdict.ok) {
      rt.metrics.originRefused++;
      rt.log.warn(`refused WebSocket from ${tcp.remoteAddress ?? "unknown"}: origin ${printableOrigin(verdict.origin)} (${verdict.reason})`, {
        hint: "add the origin to gateway.controlUi.allowedOrigins if it is yours",
      });
      refuseUpgrade(socket, 403, "Forbidden", `${ORIGIN_REFUSED}\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const guard = new PreAuthFrameGuard(tcp, policy.maxPreAuthPayloadBytes, () => {
        rt.metrics.framesRefused++;
        ws.close(1009, "frame too large before authentication");
        tcp.pause();
        setTimeout(() => ws.terminate(), 1000).unref();
      });
      handleSocket(ws, req, rt, {
        origin: verdict.origin,
        originContext: { host: req.headers.host, isLocalClient: isLocalDirectRequest(req) },
        socket: tcp,
        onAuthenticated: () => {
          guard.release();
          caps.release(tcp);
        },
      });
    });
  });
  return server;
}

/**
 * Re-checks every browser socket's Origin against a new config (as OpenClaw does on reload): a page
 * whose origin is no longer allowed is closed with 1008 "origin not allowed". Returns how many.
 */
export function recheckBrowserOrigins(rt: Pick<ListenerHost, "connections" | "log" | "metrics">, config: OpenClawConfig): number {
  const ui = config.gateway.controlUi;
  let closed = 0;
  for (const c of rt.connections) {
    if (c.origin === undefined || !c.originContext) continue;
    const verdict = checkBrowserOrigin({ origin: c.origin, ...c.originContext, allowedOrigins: ui?.allowedOrigins, allowHostHeaderFallback: ui?.dangerouslyAllowHostHeaderOriginFallback });
    if (verdict.ok) continue;
    rt.metrics.originRefused++;
    rt.log.warn(`closing WebSocket from ${c.ip}: origin ${printableOrigin(c.origin)} is no longer allowed after a config change`, { hint: "add the origin to gateway.controlUi.allowedOrigins if it is yours" });
    c.close(1008, "origin not allowed");
    closed++;
  }
  return closed;
}

/** Pings authenticated sockets; one that sent nothing (not even a pong) since the last ping is closed. */
export function startLiveness(rt: Pick<ConnectionHost, "connections" | "log">, policy: SocketPolicy): () => void {
  let lastPingAt = Date.now();
  const timer = setInterval(() => {
    for (const c of rt.connections) {
      if (!c.authed) continue;
      if (c.lastSeenAt < lastPingAt) {
        rt.log.info(`closing unresponsive connection from ${c.ip}`, { conn: c.id });
        c.ws.terminate();
        continue;
      }
      c.ws.ping();
    }
    lastPingAt = Date.now();
  }, policy.pingIntervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
