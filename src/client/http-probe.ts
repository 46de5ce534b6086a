/** The cheapest liveness check: does `GET /healthz` on the loopback port answer 200 within the timeout? */
import { get } from "node:http";

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
