/** The `connect` request and the `hello-ok` answer (spec §4.4). */
import { v } from "./validate.js";

export const CLIENT_IDS = [
  "webchat-ui",
  "openclaw-control-ui",
  "webchat",
  "cli",
  "gateway-client",
  "openclaw-macos",
  "openclaw-ios",
  "openclaw-android",
  "node-host",
  "test",
  "fingerprint",
  "openclaw-probe",
  "openclaw-tui",
  "openclaw-linux",
  "openclaw-watchos",
  "openclaw-browser-copilot",
  "openclaw-worker",
] as const;
export const CLIENT_MODES = ["webchat", "cli", "ui", "backend", "node", "probe", "test", "worker"] as const;

/** Connect params: known fields checked, newer optional fields accepted as they are. */
export const ConnectParams = v.object(
  {
    minProtocol: v.int({ min: 1 }),
    maxProtocol: v.int({ min: 1 }),
    client: v.object(
      {
        id: v.string({ min: 1, max: 128 }),
        displayName: v.optional(v.string()),
        version: v.optional(v.string()),
        platform: v.optional(v.string()),
        deviceFamily: v.optional(v.string()),
        modelIdentifier: v.optional(v.string()),
        mode: v.string({ min: 1, max: 64 }),
        instanceId: v.optional(v.string()),
      },
      { passthrough: true },
    ),
    role: v.optional(v.enum(["operator", "node"])),
    scopes: v.optional(v.array(v.string())),
    caps: v.optional(v.array(v.string())),
    auth: v.optional(
      v.object({ token: v.optional(v.string()), password: v.optional(v.string()), deviceToken: v.optional(v.string()), bootstrapToken: v.optional(v.string()) }, { passthrough: true }),
    ),
    device: v.optional(v.any()),
  },
  { passthrough: true },
);

export type ConnectParamsT = ReturnType<typeof ConnectParams>;

export interface HelloOk {
  type: "hello-ok";
  protocol: number;
  server: { version: string; connId: string };
  features: { methods: string[]; events: string[] };
  snapshot: Record<string, unknown>;
  auth: { role: string; scopes: string[] };
  policy: { maxPayload: number; maxBufferedBytes: number; tickIntervalMs: number };
}
