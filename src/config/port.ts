/** The gateway port, as the gateway and every client resolve it: flag > env > `gateway.port` > 18789. */
import { DEFAULT_PORT, type Env } from "../infra/index.js";

export function resolveGatewayPort(o: { env: Env; input: Record<string, unknown>; flag?: number | undefined }): number {
  if (o.flag !== undefined) return o.flag;
  const envPort = Number(o.env.OPENCLAW_GATEWAY_PORT ?? o.env.CLAWDBOT_GATEWAY_PORT);
  if (Number.isInteger(envPort) && envPort > 0) return envPort;
  const gateway = o.input.gateway as { port?: unknown } | undefined;
  return typeof gateway?.port === "number" ? gateway.port : DEFAULT_PORT;
}
