/**
 * The page's one connection to the gateway: the browser-safe protocol client over the browser's
 * WebSocket, connecting as OpenClaw's Control UI does (client `openclaw-control-ui`, mode `webchat`,
 * operator role with the UI's scopes), and a classification of refusals the page explains.
 */
import { fromWebSocket, ProtocolClient, type TransportFactory, type WebSocketLike } from "../../src/client/core/index.js";
import { ALL_OPERATOR_SCOPES, type EVENTS, type EventFrame } from "../../src/protocol/index.js";

/** The client id OpenClaw's Control UI connects with. */
export const CONTROL_UI_CLIENT_ID = "openclaw-control-ui";

/** The UI's version, stamped at build time. */
declare const __OPENCLAW_VERSION__: string | undefined;
const UI_VERSION = typeof __OPENCLAW_VERSION__ === "string" ? __OPENCLAW_VERSION__ : "dev";

/** An event name from the protocol's table. */
export type GatewayEventName = (typeof EVENTS)[number];

/** Why a connect failed, as the page explains it. */
export type ConnectFailure =
  | { kind: "auth"; message: string }
  | { kind: "insecure"; message: string }
  | { kind: "unreachable"; message: string };

/**
 * Opens the gateway connection with `token`; `onClose` hears the socket close (during the handshake
 * or later), so the page can reconnect at once instead of waiting for a call to fail.
 */
export function connectGateway(url: string, token: string | undefined, onClose?: (code: number, reason: string) => void): Promise<ProtocolClient> {
  // The DOM types its handlers with full Event objects; the adapter reads only `data`, `code` and `reason`.
  const open = fromWebSocket(WebSocket as unknown as new (url: string) => WebSocketLike);
  const watched: TransportFactory = (target, options) => {
    const transport = open(target, options);
    return {
      ...transport,
      listen: (listeners) =>
        transport.listen({
          ...listeners,
          close: (code, reason) => {
            listeners.close(code, reason);
            onClose?.(code, reason);
          },
        }),
    };
  };
  return ProtocolClient.connect(
    {
      url,
      token,
      timeoutMs: 10_000,
      clientId: CONTROL_UI_CLIENT_ID,
      clientMode: "webchat",
      version: UI_VERSION,
      platform: (globalThis.navigator?.platform || "web").slice(0, 64),
      scopes: [...ALL_OPERATOR_SCOPES],
    },
    watched,
  );
}

const INSECURE_CODES = new Set(["CONTROL_UI_DEVICE_IDENTITY_REQUIRED", "CONTROL_UI_ORIGIN_NOT_ALLOWED", "DEVICE_IDENTITY_REQUIRED"]);
const AUTH_CODES = new Set(["AUTH_TOKEN_MISMATCH", "AUTH_TOKEN_MISSING", "AUTH_PASSWORD_MISMATCH", "AUTH_RATE_LIMITED", "UNAUTHORIZED"]);

/** Sorts a connect error into what the page shows: a refused token, an insecure context/origin, or a network failure. */
export function classifyConnectError(error: unknown): ConnectFailure {
  const e = error as { code?: unknown; message?: unknown; details?: { wire?: { code?: unknown; message?: unknown; details?: { code?: unknown } } } };
  const message = typeof e?.message === "string" ? e.message : String(error);
  const wire = e?.details?.wire;
  const detailCode = typeof wire?.details?.code === "string" ? wire.details.code : undefined;
  if ((detailCode && INSECURE_CODES.has(detailCode)) || /device identity|origin not allowed/i.test(message)) return { kind: "insecure", message };
  if ((detailCode && AUTH_CODES.has(detailCode)) || e?.code === "UNAUTHORIZED" || /unauthori[sz]ed|token|password/i.test(message)) return { kind: "auth", message };
  return { kind: "unreachable", message };
}

/** Subscribes to named protocol events; returns unsubscribe. */
export function onEvents(client: ProtocolClient, names: readonly GatewayEventName[], listener: (event: EventFrame) => void): () => void {
  return client.onEvent((event) => {
    if ((names as readonly string[]).includes(event.event)) listener(event);
  });
}
