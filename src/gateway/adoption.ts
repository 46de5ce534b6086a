/**
 * How a config snapshot becomes the running config: the effective config (env, then CLI overrides,
 * the shared port resolver), the startup guards on it, the reload rule that auth may change but
 * never weaken, the generated token's persistence, and the logger settings that follow from it.
 */
import { randomBytes } from "node:crypto";
import {
  type ConfigSnapshot,
  checkGatewayConfig,
  describeAuthDowngrade,
  type GatewayAuth,
  type GatewayGuardResult,
  loadConfigRuntime,
  type OpenClawConfig,
  resolveGatewayPort,
  resolveRuntimeConfig,
  toGuardError,
} from "../config/index.js";
import { defaultLogDir, type Env, type ResolvedPaths } from "../infra/index.js";
import { configureLogging, type Logger, resolveCurrentLogFile } from "../logging/index.js";
import { collectSecretValues } from "../shared/index.js";
import type { AuthMode } from "./auth.js";
import { type BindMode, guardConfigValid } from "./bind.js";
import { checkTailscaleMode } from "./tailscale.js";

export interface GatewayOverrides {
  port?: number | undefined;
  bind?: BindMode | undefined;
  auth?: AuthMode | undefined;
  token?: string | undefined;
  password?: string | undefined;
  /** `--tailscale off|serve|funnel` (beats gateway.tailscale.mode). */
  tailscale?: "off" | "serve" | "funnel" | undefined;
  /** `--tailscale-reset-on-exit`. */
  tailscaleResetOnExit?: boolean | undefined;
}

/** A snapshot's effective config and what the guards say of it. */
export interface PreparedConfig {
  config: OpenClawConfig;
  check: GatewayGuardResult;
}

/**
 * The effective config of a valid snapshot (env overrides, then CLI overrides) and what the guards
 * say of it: the same check `config validate` runs. `generatedToken` stands in for a missing token
 * when a token generated at start could not be saved.
 */
export function prepareConfig(
  snapshot: ConfigSnapshot,
  o: { env: Env; overrides: GatewayOverrides; allowUnconfigured: boolean; generatedToken: string | undefined },
): PreparedConfig {
  const config = resolveRuntimeConfig(snapshot.config!, o.env).config;
  const v = o.overrides;
  // The one port resolver every command uses: --port > env > gateway.port > the dev profile's 19001 > 18789.
  config.gateway.port = resolveGatewayPort({ env: o.env, input: snapshot.input, flag: v.port });
  if (v.bind) config.gateway.bind = v.bind;
  if (v.tailscale || v.tailscaleResetOnExit) {
    const ts = config.gateway.tailscale ?? { mode: "off" };
    config.gateway.tailscale = { ...ts, ...(v.tailscale ? { mode: v.tailscale } : {}), ...(v.tailscaleResetOnExit ? { resetOnExit: true } : {}) };
  }
  if (v.auth || v.token || v.password) {
    config.gateway.auth = { ...(config.gateway.auth ?? {}), ...(v.auth ? { mode: v.auth } : {}), ...(v.token ? { token: v.token } : {}), ...(v.password ? { password: v.password } : {}) };
  }
  const check = checkGatewayConfig(config, o.env, { allowUnconfigured: o.allowUnconfigured });
  if (check.needsGeneratedToken && o.generatedToken && check.auth) {
    check.auth = { ...check.auth, token: o.generatedToken };
    check.needsGeneratedToken = false;
  }
  return { config, check };
}

/**
 * Whether a prepared config may replace the running one: the startup guards must pass, and auth may
 * change but never weaken or disappear (an emptied or auth-less file keeps the running auth).
 * Returns why not, or undefined.
 */
export function refusalOf(prepared: PreparedConfig, running: GatewayAuth): string | undefined {
  const [refusal] = prepared.check.findings;
  if (refusal) return `${refusal.message} (${refusal.hint})`;
  try {
    checkTailscaleMode(prepared.config.gateway.tailscale?.mode ?? "off", prepared.config.gateway.bind, prepared.check.auth?.mode ?? running.mode);
  } catch (error) {
    const e = error as { message: string; hint?: string };
    return `${e.message}${e.hint ? ` (${e.hint})` : ""}`;
  }
  if (prepared.check.needsGeneratedToken || !prepared.check.auth) {
    return "the new config has no gateway credential (gateway.auth.token/password removed); keeping the running auth — set one, or restart the gateway to have a token generated";
  }
  return describeAuthDowngrade(running, prepared.check.auth);
}

/** Writes a generated token into the config through the editor (comments kept, `.bak`); false when it cannot. */
export async function persistGeneratedToken(configPath: string, env: Env, token: string, log: Logger): Promise<boolean> {
  try {
    const { runConfigSet } = await loadConfigRuntime();
    runConfigSet({ configPath, env, path: "gateway.auth.token", value: token });
    log.warn(`gateway.auth had no credential: generated a token and saved it to gateway.auth.token in ${configPath} (show it with: openclaw config get gateway.auth.token --show-secrets)`);
    return true;
  } catch (error) {
    log.warn(`generated a gateway token but could not save it to ${configPath} (${(error as Error).message}); it lasts until the gateway stops — set gateway.auth.token to choose one`);
    return false;
  }
}

/** Points the process-wide logger at the running config; every secret it holds is masked in every sink. */
export function configureGatewayLogging(
  config: OpenClawConfig,
  auth: GatewayAuth,
  o: { paths: ResolvedPaths; env: Env; verbose?: boolean | undefined; console?: { write(text: string): unknown; isTTY?: boolean } | undefined },
): void {
  const logging = config.logging;
  const secrets = [auth.token, auth.password, ...collectSecretValues(config)].filter((s): s is string => Boolean(s));
  configureLogging({
    fileLevel: logging.level,
    consoleLevel: o.console ? (o.verbose ? "debug" : logging.consoleLevel) : "silent",
    file: logging.file ?? resolveCurrentLogFile(undefined, defaultLogDir(o.paths.stateDir)),
    maxFileBytes: logging.maxFileBytes,
    consoleStyle: logging.consoleStyle,
    color: Boolean(o.console?.isTTY) && o.env.NO_COLOR === undefined,
    ...(o.console ? { console: o.console } : {}),
    redactPatterns: logging.redactPatterns ?? [],
    secrets,
  });
}

/**
 * The config a gateway starts with: valid, passing the guards, and never open by default (spec
 * §3.1) — no credential and no explicit `auth.mode: "none"` gets a generated token, saved to the
 * config so the CLI on this host can use it (or kept for this process when it cannot be saved).
 */
export async function prepareStartConfig(o: {
  load(): Promise<ConfigSnapshot>;
  prepare(snapshot: ConfigSnapshot, generatedToken: string | undefined): PreparedConfig;
  configPath: string;
  env: Env;
  log: Logger;
}): Promise<{ snapshot: ConfigSnapshot; prepared: PreparedConfig; generatedToken: string | undefined }> {
  let snapshot = await o.load();
  guardConfigValid(snapshot);
  let prepared = o.prepare(snapshot, undefined);
  let generatedToken: string | undefined;
  if (!prepared.check.findings.length && prepared.check.needsGeneratedToken) {
    const token = randomBytes(24).toString("hex");
    if (await persistGeneratedToken(o.configPath, o.env, token, o.log)) {
      snapshot = await o.load();
      guardConfigValid(snapshot);
    } else generatedToken = token;
    prepared = o.prepare(snapshot, generatedToken);
  }
  const [refusal] = prepared.check.findings;
  if (refusal) throw toGuardError(refusal);
  return { snapshot, prepared, generatedToken };
}
