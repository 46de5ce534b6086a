/**
 * The gateway port, as the gateway, every client and the service installer resolve it:
 * `--port` > OPENCLAW_GATEWAY_PORT > `gateway.port` > the installed service's own port > the dev
 * profile's 19001 > 18789. The service's port sits below the config so that drift between the two
 * stays visible, and above the defaults so `--profile dev gateway install --port 19789` is honoured
 * by every later `--profile dev` command.
 */
import { DEFAULT_PORT, DEV_PORT, type Env } from "../infra/index.js";

export type GatewayPortSource = "flag" | "env" | "config" | "service" | "profile" | "default";

export interface GatewayPortResolution {
  port: number;
  source: GatewayPortSource;
  /** The variable that set it (source `env`). */
  variable?: string;
}

export interface ResolvePortOptions {
  env: Env;
  input: Record<string, unknown>;
  flag?: number | undefined;
  /** The port in the installed service definition for this profile, when there is one. */
  servicePort?: number | undefined;
}

/** The port and where it came from. */
export function resolveGatewayPortDetail(o: ResolvePortOptions): GatewayPortResolution {
  if (o.flag !== undefined) return { port: o.flag, source: "flag" };
  for (const variable of ["OPENCLAW_GATEWAY_PORT", "CLAWDBOT_GATEWAY_PORT"]) {
    const raw = o.env[variable]?.trim();
    if (!raw) continue;
    const envPort = Number(raw);
    if (Number.isInteger(envPort) && envPort > 0 && envPort <= 65535) return { port: envPort, source: "env", variable };
  }
  const gateway = o.input.gateway as { port?: unknown } | undefined;
  if (typeof gateway?.port === "number") return { port: gateway.port, source: "config" };
  if (o.servicePort !== undefined) return { port: o.servicePort, source: "service" };
  if (o.env.OPENCLAW_PROFILE?.trim() === "dev") return { port: DEV_PORT, source: "profile" };
  return { port: DEFAULT_PORT, source: "default" };
}

/** The port only (see `resolveGatewayPortDetail`). */
export function resolveGatewayPort(o: ResolvePortOptions): number {
  return resolveGatewayPortDetail(o).port;
}
