/** Unauthenticated HTTP probes of a gateway on the loopback port: liveness and readiness (with the answering pid). */
import { get } from "node:http";

/** The cheapest liveness check: does `GET /healthz` on the loopback port answer 200 within the timeout? */
export function probeHealthz(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get({ host: "127.0.0.1", port, path: "/healthz", timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
  });
}

export interface ReadyzAnswer {
  /** 200: ready. */
  ready: boolean;
  statusCode: number;
  /** The pid of the process that answered, when it says (ours always does; older gateways may not). */
  pid?: number;
  status?: string;
}

/**
 * `GET /readyz` on the loopback port: whether whatever listens there is a ready gateway, and which
 * process it is. Undefined when nothing answers within the timeout. The body is read up to 16 KiB.
 */
export function probeReadyz(port: number, timeoutMs = 1000): Promise<ReadyzAnswer | undefined> {
  return new Promise((resolve) => {
    const req = get({ host: "127.0.0.1", port, path: "/readyz", timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        if (body.length < 16_384) body += chunk;
      });
      res.on("end", () => {
        const answer: ReadyzAnswer = { ready: res.statusCode === 200, statusCode: res.statusCode ?? 0 };
        try {
          const parsed = JSON.parse(body) as { pid?: unknown; status?: unknown };
          if (typeof parsed.pid === "number" && Number.isInteger(parsed.pid)) answer.pid = parsed.pid;
          if (typeof parsed.status === "string") answer.status = parsed.status;
        } catch {
          // not our gateway, or not JSON: no pid
        }
        resolve(answer);
      });
      res.on("error", () => resolve(undefined));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(undefined));
  });
}
