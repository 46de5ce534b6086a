/**
 * Binding the gateway's HTTP servers: one per host, all on the port the first one got (port 0 picks
 * a free one), `::1` skipped where IPv6 is off, and a port in use named with the pid that holds it.
 */
import type { Server } from "node:http";
import { findPortHolders } from "../infra/index.js";
import { AppError } from "../shared/index.js";

/** Listens `createServer()` on every host; closes what it opened and throws `GATEWAY_PORT_IN_USE` on failure. */
export async function bindServers(hosts: readonly string[], port: number, createServer: () => Server): Promise<{ servers: Server[]; port: number }> {
  const servers: Server[] = [];
  let actualPort = port;
  for (const [i, host] of hosts.entries()) {
    const server = createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen({ host, port: actualPort, exclusive: true }, () => {
          server.off("error", reject);
          resolve();
        });
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ::1 may be unavailable (IPv6 disabled); loopback still works on 127.0.0.1.
      if (i > 0 && host === "::1" && (code === "EADDRNOTAVAIL" || code === "EAFNOSUPPORT")) continue;
      for (const s of servers) s.close();
      if (code === "EADDRINUSE") {
        const holders = findPortHolders(actualPort);
        const who = holders.length ? ` by pid ${holders.map((h) => `${h.pid}${h.command ? ` (${h.command.slice(0, 80)})` : ""}`).join(", ")}` : "";
        throw new AppError("GATEWAY_PORT_IN_USE", `another process is already listening on ${host}:${actualPort}${who}`, {
          hint: `Stop it, run openclaw gateway --force to replace it, or choose another port (--port or gateway.port).`,
        });
      }
      throw new AppError("GATEWAY_PORT_IN_USE", `failed to bind gateway socket on ${host}:${actualPort}: ${code ?? (error as Error).message}`, {
        hint: "Check the bind address and port.",
      });
    }
    if (i === 0) actualPort = (server.address() as { port: number }).port;
    servers.push(server);
  }
  return { servers, port: actualPort };
}
