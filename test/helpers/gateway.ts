/**
 * Starts a real gateway in this process on 127.0.0.1 with a temp state dir and a token, for tests
 * that drive it with the real client, raw WebSockets or HTTP.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { GatewayClient } from "../../src/client/index.js";
import { type GatewayOptions, GatewayRuntime } from "../../src/gateway/index.js";
import { resolvePaths } from "../../src/infra/index.js";

export interface TestGateway {
  rt: GatewayRuntime;
  home: string;
  stateDir: string;
  configPath: string;
  env: Record<string, string | undefined>;
  token: string;
  url: string;
  connect(options?: { token?: string; timeoutMs?: number }): Promise<GatewayClient>;
  stop(): Promise<void>;
}

/** A port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startTestGateway(
  t: { after(fn: () => unknown): void },
  /**
   * `channels: true` runs the configured channel accounts (off by default: test configs carry fake tokens for real services);
   * `memory: true` runs the memory watchers and background syncs (off by default: OPENCLAW_SKIP_MEMORY=1).
   */
  options: { config?: Record<string, unknown>; raw?: string; port?: number; gateway?: Partial<GatewayOptions>; channels?: boolean; memory?: boolean; env?: Record<string, string> } = {},
): Promise<TestGateway> {
  const home = mkdtempSync(path.join(os.tmpdir(), "openclaw-gw-"));
  const stateDir = path.join(home, ".openclaw");
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const token = `test-${randomBytes(16).toString("hex")}`;
  const configPath = path.join(stateDir, "openclaw.json");
  const config = options.config ?? {};
  const gateway = (config.gateway ?? {}) as Record<string, unknown>;
  const full = {
    ...config,
    gateway: { mode: "local", ...gateway, auth: { token, ...((gateway.auth as object | undefined) ?? {}) }, reload: { debounceMs: 50, ...((gateway.reload as object | undefined) ?? {}) } },
    logging: { file: path.join(home, "logs", "openclaw.log"), ...((config.logging as object | undefined) ?? {}) },
  };
  writeFileSync(configPath, options.raw ?? `${JSON.stringify(full, null, 2)}\n`, { mode: 0o600 });
  const env: Record<string, string | undefined> = { HOME: home, PATH: process.env.PATH, OPENCLAW_STATE_DIR: stateDir, NO_COLOR: "1", ...(options.channels ? {} : { OPENCLAW_SKIP_CHANNELS: "1" }), ...(options.memory ? {} : { OPENCLAW_SKIP_MEMORY: "1" }), ...options.env };
  const rt = await GatewayRuntime.start({
    paths: resolvePaths(env),
    env,
    version: "0.0.0-test",
    overrides: { port: options.port ?? 0 },
    tickIntervalMs: 60_000,
    handshakeTimeoutMs: 2000,
    restartDelayMs: 50,
    ...options.gateway,
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await rt.stop("test done");
  };
  t.after(async () => {
    await stop();
    rmSync(home, { recursive: true, force: true });
  });
  const url = () => `ws://127.0.0.1:${rt.port}`;
  return {
    rt,
    home,
    stateDir,
    configPath,
    env,
    token,
    get url() {
      return url();
    },
    connect: (o = {}) => GatewayClient.connect({ url: url(), token: o.token ?? token, timeoutMs: o.timeoutMs ?? 3000, clientId: "test", clientMode: "test" }),
    stop,
  };
}

/** Polls `predicate` (microtask/IO turns, then short waits) until true or the deadline. */
export async function waitUntil(predicate: () => boolean | Promise<boolean>, timeoutMs = 5000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  if (await predicate()) return;
  throw new Error(`timed out waiting for ${what}`);
}
