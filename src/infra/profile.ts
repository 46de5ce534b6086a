/**
 * Global `--profile <name>` / `--dev` applied to an environment (spec §1.3). The flag fills
 * OPENCLAW_PROFILE, OPENCLAW_STATE_DIR and OPENCLAW_CONFIG_PATH. Where an inherited variable
 * disagrees with the flag, the flag wins (the user typed it just now) and we say so loudly, instead
 * of silently operating on another state dir (OpenClaw #111128).
 */
import path from "node:path";
import { AppError } from "../shared/index.js";
import { CONFIG_FILE_NAME, DEV_PORT, type Env, expandUserPath, profileStateDir } from "./paths.js";

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
  if (dev && !env.OPENCLAW_GATEWAY_PORT?.trim()) out.OPENCLAW_GATEWAY_PORT = String(DEV_PORT);
  return { env: out, warnings };
}
