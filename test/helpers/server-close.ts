/**
 * Closing a loopback fake server for good. `server.close()` waits for every open connection, and a
 * client that reconnects in a tight loop (a channel account with a 50 ms backoff) can land a new
 * connection between the close and a loop that destroys the known sockets: that one was never
 * destroyed, its stream stays open and the close never finishes. Connections are tracked from the
 * start; once closing starts, any new one is destroyed on arrival.
 */
import type { Server } from "node:http";
import type { Socket } from "node:net";

export interface ClosableServer {
  /** Stops listening, destroys every connection (also ones arriving meanwhile), resolves when closed. */
  close(): Promise<void>;
}

export function closableServer(server: Server): ClosableServer {
  const sockets = new Set<Socket>();
  let closing = false;
  server.on("connection", (socket: Socket) => {
    if (closing) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return {
    async close() {
      if (!server.listening) return;
      closing = true;
      try {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        await closed;
      } finally {
        closing = false;
      }
    },
  };
}
