/** `openclaw gateway [run]` — the gateway in the foreground (the daemon code loads only here). */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { ensureDir, resolveCommandEnv, resolvePaths, writeFileAtomic } from "../../../infra/index.js";
import { AppError } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";
import { readVersion } from "../../version.js";

const BINDS = ["loopback", "lan", "tailnet", "auto", "custom"] as const;
const AUTHS = ["none", "token", "password", "trusted-proxy"] as const;
const TAILSCALE = ["off", "serve", "funnel"] as const;

export const run: CommandHandler = async (ctx) => {
  const o = ctx.options;
  // Spec §1.5: the shell already filled the environment from the state dir's .env and the service's
  // env file (resolveCommandEnv, the same as every other command); `gateway --dev` switches profile here.
  let env = ctx.env;
  if (o.dev === true && !env.OPENCLAW_PROFILE) env = resolveCommandEnv({ dev: true }, env).env;
  const paths = o.dev === true ? resolvePaths(env) : ctx.paths();
  if (o.bind !== undefined && !BINDS.includes(o.bind as (typeof BINDS)[number])) {
    throw new AppError("USAGE", `invalid --bind "${String(o.bind)}"`, { hint: `Use one of ${BINDS.join(", ")}.` });
  }
  if (o.auth !== undefined && !AUTHS.includes(o.auth as (typeof AUTHS)[number])) {
    throw new AppError("USAGE", `invalid --auth "${String(o.auth)}"`, { hint: `Use one of ${AUTHS.join(", ")}.` });
  }
  if (o.tailscale !== undefined && !TAILSCALE.includes(o.tailscale as (typeof TAILSCALE)[number])) {
    throw new AppError("USAGE", `Invalid --tailscale. Use "off", "serve", or "funnel".`, { hint: "openclaw gateway --tailscale serve publishes the gateway on your tailnet over HTTPS." });
  }
  if (o.port !== undefined && (!Number.isInteger(o.port) || (o.port as number) < 0 || (o.port as number) > 65535)) {
    throw new AppError("USAGE", `invalid --port ${String(o.port)}`, { hint: "Use a port between 1 and 65535 (0 picks a free one)." });
  }
  if (o.dev === true && !existsSync(paths.configPath)) {
    ensureDir(paths.stateDir);
    ensureDir(paths.layout.defaultWorkspaceDir);
    const token = randomBytes(24).toString("hex");
    writeFileAtomic(paths.configPath, `// Created by openclaw gateway --dev\n${JSON.stringify({ gateway: { mode: "local", bind: "loopback", auth: { mode: "token", token } } }, null, 2)}\n`);
    ctx.warn(`created ${paths.configPath} (loopback, generated token; show it with: openclaw --dev config get gateway.auth.token --show-secrets)`);
  }
  const { runGatewayForeground } = await import("../../../gateway/index.js");
  const result = await runGatewayForeground({
    paths,
    env,
    version: readVersion(),
    overrides: {
      port: typeof o.port === "number" ? o.port : undefined,
      bind: o.bind as (typeof BINDS)[number] | undefined,
      auth: o.auth as (typeof AUTHS)[number] | undefined,
      token: typeof o.token === "string" ? o.token : undefined,
      password: typeof o.password === "string" ? o.password : undefined,
      tailscale: o.tailscale as (typeof TAILSCALE)[number] | undefined,
      tailscaleResetOnExit: o["tailscale-reset-on-exit"] === true ? true : undefined,
    },
    allowUnconfigured: o["allow-unconfigured"] === true || o.dev === true,
    verbose: o.verbose === true,
    force: o.force === true,
    console: ctx.io.stderr,
    say: (line) => ctx.warn(line),
    signal: ctx.io.signal,
  });
  return { data: result, human: result.message, exitCode: result.exitCode };
};
