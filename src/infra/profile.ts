/**
 * Global `--profile <name>` / `--dev` applied to an environment (spec §1.3), then the environment
 * files every command shares with the gateway and its service (spec §1.5). The flag fills
 * OPENCLAW_PROFILE, OPENCLAW_STATE_DIR and OPENCLAW_CONFIG_PATH. Where an inherited variable
 * disagrees with the flag, the flag wins (the user typed it just now) and we say so loudly, instead
 * of silently operating on another state dir (OpenClaw #111128).
 *
 * `--dev` does not export OPENCLAW_GATEWAY_PORT: an exported port would outrank the dev profile's
 * config and its installed service, so `--dev health` would probe 19001 while the dev service
 * listens elsewhere. The dev port is the dev profile's default instead (config `resolveGatewayPort`).
 */
import path from "node:path";
import { AppError } from "../shared/index.js";
import { fillEnvFromFiles } from "./dotenv.js";
import { CONFIG_FILE_NAME, type Env, expandUserPath, profileStateDir, resolveStateDir, SERVICE_ENV_FILE_NAME } from "./paths.js";

const PROFILE_NAME = /^[A-Za-z0-9_-]+$/;

export interface ProfileResult {
  env: Env;
  /** Lines to print on stderr: an inherited variable was overridden. */
  warnings: string[];
}

/** Returns a copy of `env` with the profile applied. Throws `PROFILE` for bad input. */
export function applyProfile(options: { profile?: string | undefined; dev?: boolean }, env: Env): ProfileResult {
  const { dev = false } = options;
  if (dev && options.profile !== undefined) {
    throw new AppError("PROFILE", "Cannot combine --dev with --profile", { hint: "--dev is --profile dev with port 19001; use one of them." });
  }
  const profile = dev ? "dev" : options.profile;
  if (profile === undefined) return { env, warnings: [] };
  if (!PROFILE_NAME.test(profile)) {
    throw new AppError("PROFILE", `invalid profile name "${profile}"`, { hint: "Profile names use letters, digits, _ and - only." });
  }
  const out: Env = { ...env };
  const warnings: string[] = [];
  const stateDir = profileStateDir(profile, env);
  const configPath = path.join(stateDir, CONFIG_FILE_NAME);
  const flag = dev ? "--dev" : `--profile ${profile}`;

  const inheritedState = env.OPENCLAW_STATE_DIR?.trim();
  if (inheritedState && expandUserPath(inheritedState, env) !== stateDir) {
    warnings.push(
      `warning: ${flag} wins over inherited OPENCLAW_STATE_DIR=${inheritedState}; using ${stateDir} (unset OPENCLAW_STATE_DIR to silence this)`,
    );
  }
  const inheritedConfig = env.OPENCLAW_CONFIG_PATH?.trim();
  if (inheritedConfig && expandUserPath(inheritedConfig, env) !== configPath) {
    warnings.push(
      `warning: ${flag} wins over inherited OPENCLAW_CONFIG_PATH=${inheritedConfig}; using ${configPath} (unset OPENCLAW_CONFIG_PATH to silence this)`,
    );
  }
  const inheritedProfile = env.OPENCLAW_PROFILE?.trim();
  if (inheritedProfile && inheritedProfile !== profile) {
    warnings.push(`warning: ${flag} wins over inherited OPENCLAW_PROFILE=${inheritedProfile}`);
  }
  out.OPENCLAW_PROFILE = profile;
  out.OPENCLAW_STATE_DIR = stateDir;
  out.OPENCLAW_CONFIG_PATH = configPath;
  return { env: out, warnings };
}

export interface CommandEnv extends ProfileResult {
  /** Keys filled from a file, and the file (for "where did this come from" notes; never values). */
  sources: Record<string, string>;
}

/**
 * The environment a command runs with, the same one the gateway and its service get: the process
 * environment, then `<stateDir>/.env`, then the service's env file (`OPENCLAW_SERVICE_ENV_FILE`,
 * else `<stateDir>/gateway.env`), each only filling keys still absent. Two files disagreeing on a
 * key is a warning (names only), as in OpenClaw.
 */
export function resolveCommandEnv(options: { profile?: string | undefined; dev?: boolean }, processEnv: Env): CommandEnv {
  const profiled = applyProfile(options, processEnv);
  const { stateDir } = resolveStateDir(profiled.env);
  const serviceEnvFile = profiled.env.OPENCLAW_SERVICE_ENV_FILE?.trim() || path.join(stateDir, SERVICE_ENV_FILE_NAME);
  const fill = fillEnvFromFiles(profiled.env, [path.join(stateDir, ".env"), serviceEnvFile]);
  const warnings = [...profiled.warnings];
  for (const c of fill.conflicts) {
    warnings.push(`warning: ${c.key} differs between ${c.used} and ${c.ignored}; commands use ${c.used} (a service started with ${c.ignored} gets its value) — keep one`);
  }
  return { env: fill.env, warnings, sources: fill.sources };
}
