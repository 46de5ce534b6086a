/** `gateway.*` (spec §2.7) — owned: unknown keys are rejected. */
import { z } from "zod";
import { AnyRecord, loose, Port, SecretInput, StringList, strict } from "./common.js";

export const GatewayAuth = strict({
  mode: z.enum(["none", "token", "password", "trusted-proxy"]).optional().describe("How clients authenticate; inferred from token/password when unset."),
  token: SecretInput.optional().describe("Shared gateway token (or OPENCLAW_GATEWAY_TOKEN)."),
  password: SecretInput.optional().describe("Shared gateway password (or OPENCLAW_GATEWAY_PASSWORD)."),
  allowTailscale: z.boolean().optional().describe("Accept Tailscale Serve identity headers for WS/Control UI auth."),
  trustedProxy: loose({ userHeader: z.string().optional(), allowUsers: StringList.optional(), allowLoopback: z.boolean().optional() }).optional(),
  rateLimit: strict({
    maxAttempts: z.number().int().min(1).default(10),
    windowMs: z.number().int().min(1).default(60_000),
    lockoutMs: z.number().int().min(0).default(300_000),
    exemptLoopback: z.boolean().default(true),
  })
    .optional()
    .describe("Failed-auth limiter per client address."),
});

export const GatewayConfig = strict({
  mode: z.enum(["local", "remote"]).optional().describe('Must be "local" for this host to run a gateway; "remote" makes the CLI talk to gateway.remote.url.'),
  port: Port.default(18789).describe("WebSocket + HTTP port. Precedence: --port > OPENCLAW_GATEWAY_PORT > gateway.port."),
  bind: z.enum(["loopback", "lan", "tailnet", "auto", "custom"]).default("loopback").describe("Where the gateway listens; anything beyond loopback requires auth."),
  customBindHost: z.ipv4().optional().describe("IPv4 address for bind=custom."),
  auth: GatewayAuth.optional(),
  trustedProxies: StringList.optional().describe("Reverse-proxy addresses whose forwarded headers are trusted."),
  allowRealIpFallback: z.boolean().optional(),
  tailscale: strict({ mode: z.enum(["off", "serve", "funnel"]).default("off"), resetOnExit: z.boolean().optional() }).optional(),
  // Not served yet: known keys typed, OpenClaw 2026.9's newer ones (environment, embedSandbox, …) kept as they are.
  controlUi: loose({
    enabled: z.boolean().default(true).describe("Serve the Control UI on the gateway port."),
    basePath: z.string().optional(),
    root: z.string().optional(),
    allowedOrigins: StringList.optional(),
    allowInsecureAuth: z.boolean().optional().describe("Allow token-only auth over plain HTTP (no device identity)."),
    dangerouslyDisableDeviceAuth: z.boolean().optional(),
    dangerouslyAllowHostHeaderOriginFallback: z.boolean().optional(),
  }).optional(),
  remote: strict({
    url: z.string().optional().describe("WebSocket URL of the remote gateway (mode=remote)."),
    transport: z.enum(["ssh", "direct"]).optional(),
    token: SecretInput.optional(),
    password: SecretInput.optional(),
    tlsFingerprint: z.string().optional(),
    sshTarget: z.string().optional(),
    sshIdentity: z.string().optional(),
  }).optional(),
  reload: strict({
    mode: z.enum(["off", "hot", "restart", "hybrid"]).default("hybrid").describe("How config edits reach a running gateway."),
    debounceMs: z.number().int().min(0).default(300),
    deferralTimeoutMs: z.number().int().min(0).optional(),
  }).optional(),
  tls: strict({
    enabled: z.boolean().default(false),
    autoGenerate: z.boolean().optional(),
    certPath: z.string().optional(),
    keyPath: z.string().optional(),
    caPath: z.string().optional(),
  }).optional(),
  http: AnyRecord.optional().describe("Optional HTTP endpoints (chat completions, responses, security headers)."),
  tools: loose({ allow: StringList.optional(), deny: StringList.optional() }).optional(),
  nodes: AnyRecord.optional(),
  push: AnyRecord.optional(),
  handshakeTimeoutMs: z.number().int().min(100).optional(),
  channelHealthCheckMinutes: z.number().int().min(0).optional(),
  channelStaleEventThresholdMinutes: z.number().int().min(1).optional(),
  channelMaxRestartsPerHour: z.number().int().min(0).optional(),
});
