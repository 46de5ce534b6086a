/**
 * The one module that knows where OpenClaw keeps things: home, state dir, config path, profiles and
 * the on-disk layout of spec §1. Everything takes the environment explicitly so tests (and the
 * service installer) can resolve paths for an environment other than the current process's.
 */
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export type { Env } from "../shared/index.js";

import type { Env } from "../shared/index.js";

export const DEFAULT_PORT = 18789;
export const DEV_PORT = 19001;
export const STATE_DIR_NAME = ".openclaw";
export const CONFIG_FILE_NAME = "openclaw.json";
/** The 0600 env file `gateway install` writes beside the state (secrets the service needs). */
export const SERVICE_ENV_FILE_NAME = "gateway.env";
/** Older product names whose state dirs and config files we still read. */
export const LEGACY_STATE_DIR_NAMES = [".clawdbot", ".moldbot", ".moltbot"] as const;
export const LEGACY_CONFIG_FILE_NAMES = ["clawdbot.json", "moldbot.json", "moltbot.json"] as const;
const CONFIG_CANDIDATES = [CONFIG_FILE_NAME, ...LEGACY_CONFIG_FILE_NAMES];

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

/** `~` (from OPENCLAW_HOME, HOME, USERPROFILE, then the OS). */
export function resolveHomeDir(env: Env): string {
  const base = nonEmpty(env.HOME) ?? nonEmpty(env.USERPROFILE) ?? os.homedir();
  const override = nonEmpty(env.OPENCLAW_HOME);
  if (override) return path.resolve(expandTilde(override, base));
  return path.resolve(base);
}

function expandTilde(p: string, home: string): string {
  if (p === "~") return home;
  if (p.startsWith("~/") || p.startsWith("~\\")) return path.join(home, p.slice(2));
  return p;
}

/** Expands `~` against the resolved home and makes the path absolute. */
export function expandUserPath(p: string, env: Env): string {
  return path.resolve(expandTilde(p.trim(), resolveHomeDir(env)));
}

/** The state dir a profile maps to (`default` → `~/.openclaw`). */
export function profileStateDir(profile: string, env: Env): string {
  const home = resolveHomeDir(env);
  return profile === "default" ? path.join(home, STATE_DIR_NAME) : path.join(home, `${STATE_DIR_NAME}-${profile}`);
}

export type StateDirSource = "env" | "default" | "legacy";

/** Spec §1.1: OPENCLAW_STATE_DIR, else ~/.openclaw if present, else a legacy dir if present, else ~/.openclaw. */
export function resolveStateDir(env: Env): { stateDir: string; source: StateDirSource } {
  const explicit = nonEmpty(env.OPENCLAW_STATE_DIR) ?? nonEmpty(env.CLAWDBOT_STATE_DIR);
  if (explicit) return { stateDir: expandUserPath(explicit, env), source: "env" };
  const home = resolveHomeDir(env);
  const primary = path.join(home, STATE_DIR_NAME);
  if (existsSync(primary)) return { stateDir: primary, source: "default" };
  for (const name of LEGACY_STATE_DIR_NAMES) {
    const legacy = path.join(home, name);
    if (existsSync(legacy)) return { stateDir: legacy, source: "legacy" };
  }
  return { stateDir: primary, source: "default" };
}

/** Spec §1.2: OPENCLAW_CONFIG_PATH, else the first existing config name in the state dir, else defaults. */
export function resolveConfigPath(env: Env, stateDir = resolveStateDir(env).stateDir): string {
  const explicit = nonEmpty(env.OPENCLAW_CONFIG_PATH) ?? nonEmpty(env.CLAWDBOT_CONFIG_PATH);
  if (explicit) return expandUserPath(explicit, env);
  for (const name of CONFIG_CANDIDATES) {
    const candidate = path.join(stateDir, name);
    if (existsSync(candidate)) return candidate;
  }
  if (nonEmpty(env.OPENCLAW_STATE_DIR) ?? nonEmpty(env.CLAWDBOT_STATE_DIR)) return path.join(stateDir, CONFIG_FILE_NAME);
  const home = resolveHomeDir(env);
  for (const dir of [STATE_DIR_NAME, ...LEGACY_STATE_DIR_NAMES]) {
    for (const name of CONFIG_CANDIDATES) {
      const candidate = path.join(home, dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return path.join(stateDir, CONFIG_FILE_NAME);
}

/** The named on-disk layout of spec §1.6. Only this object spells these names. */
export interface StateLayout {
  stateDir: string;
  envFile: string;
  /** The service's secrets env file (`<stateDir>/gateway.env`), present only after an install that needed one. */
  serviceEnvFile: string;
  credentialsDir: string;
  agentsDir: string;
  agentDir(agentId: string): string;
  authProfilesFile(agentId: string): string;
  sessionsDir(agentId: string): string;
  sessionStoreFile(agentId: string): string;
  defaultWorkspaceDir: string;
  logsDir: string;
  identityDir: string;
  extensionsDir: string;
  memoryDir: string;
  cronDir: string;
  devicesDir: string;
}

/** Builds the layout for a state dir. A named profile's default workspace is `~/.openclaw/workspace-<profile>`. */
export function createStateLayout(stateDir: string, options: { profile?: string | undefined; env: Env }): StateLayout {
  const agentDir = (id: string) => path.join(stateDir, "agents", id, "agent");
  const sessionsDir = (id: string) => path.join(stateDir, "agents", id, "sessions");
  const profile = options.profile;
  const defaultWorkspaceDir =
    profile && profile !== "default"
      ? path.join(resolveHomeDir(options.env), STATE_DIR_NAME, `workspace-${profile}`)
      : path.join(stateDir, "workspace");
  return {
    stateDir,
    envFile: path.join(stateDir, ".env"),
    serviceEnvFile: path.join(stateDir, SERVICE_ENV_FILE_NAME),
    credentialsDir: nonEmpty(options.env.OPENCLAW_OAUTH_DIR)
      ? expandUserPath(options.env.OPENCLAW_OAUTH_DIR!, options.env)
      : path.join(stateDir, "credentials"),
    agentsDir: path.join(stateDir, "agents"),
    agentDir,
    authProfilesFile: (id) => path.join(agentDir(id), "auth-profiles.json"),
    sessionsDir,
    sessionStoreFile: (id) => path.join(sessionsDir(id), "sessions.json"),
    defaultWorkspaceDir,
    logsDir: defaultLogDir(stateDir),
    identityDir: path.join(stateDir, "identity"),
    extensionsDir: path.join(stateDir, "extensions"),
    memoryDir: path.join(stateDir, "memory"),
    cronDir: path.join(stateDir, "cron"),
    devicesDir: path.join(stateDir, "devices"),
  };
}

/** Everything a command needs to know about where it is operating. */
export interface ResolvedPaths {
  home: string;
  profile: string | undefined;
  stateDir: string;
  stateDirSource: StateDirSource;
  configPath: string;
  layout: StateLayout;
}

/** Resolves home, profile, state dir, config path and layout from an environment. */
export function resolvePaths(env: Env): ResolvedPaths {
  const { stateDir, source } = resolveStateDir(env);
  const profile = nonEmpty(env.OPENCLAW_PROFILE);
  return {
    home: resolveHomeDir(env),
    profile,
    stateDir,
    stateDirSource: source,
    configPath: resolveConfigPath(env, stateDir),
    layout: createStateLayout(stateDir, { profile, env }),
  };
}

/**
 * The default rolling-log directory of a state dir: `<stateDir>/logs`. Logs live with the state
 * they describe, so each profile (each state dir) has its own and one OS user never writes into,
 * or reads, another's (a machine-wide `/tmp/openclaw` did both). `logging.file` overrides it.
 */
export function defaultLogDir(stateDir: string): string {
  return path.join(stateDir, "logs");
}
