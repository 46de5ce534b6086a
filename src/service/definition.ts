/**
 * What `gateway install` would write now (spec §7.2), and the drift between that and what is
 * installed: binary path, Node path, port, environment, env file.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { type Env, type ResolvedPaths, resolveHomeDir } from "../infra/index.js";
import { resolveServiceNames, serviceDescription } from "./names.js";
import type { InstalledService, ServiceDefinition, ServiceKind } from "./types.js";

export interface BuildDefinitionOptions {
  kind: ServiceKind;
  env: Env;
  paths: ResolvedPaths;
  port: number;
  /** Absolute runtime binary (node, or bun with `--runtime bun`). */
  runtimePath: string;
  /** Absolute CLI entry (`<install>/bin/openclaw.mjs`). */
  entryPath: string;
  version: string;
  platform: NodeJS.Platform;
  /** Secrets the service needs that the gateway cannot find in config or the state `.env`. */
  secrets: Record<string, string>;
}

/** The minimal PATH written into the service (spec §7.2): the runtime's dir first, then user and system bins. */
export function servicePath(runtimePath: string, home: string, platform: NodeJS.Platform): string | undefined {
  if (platform === "win32") return undefined;
  const dirs =
    platform === "darwin"
      ? [path.dirname(runtimePath), "/opt/homebrew/bin", "/usr/local/bin", "/usr/bin", "/bin"]
      : [path.dirname(runtimePath), `${home}/.local/bin`, `${home}/.npm-global/bin`, `${home}/bin`, "/usr/local/bin", "/usr/bin", "/bin"];
  return [...new Set(dirs)].join(":");
}

/** The variable naming the service to the gateway itself, per supervisor. */
function nameVariable(kind: ServiceKind): string | undefined {
  if (kind === "systemd" || kind === "supervisor") return "OPENCLAW_SYSTEMD_UNIT";
  if (kind === "launchd") return "OPENCLAW_LAUNCHD_LABEL";
  return "OPENCLAW_WINDOWS_TASK_NAME";
}

export function serviceName(kind: ServiceKind, env: Env): string {
  const names = resolveServiceNames(env);
  if (kind === "launchd") return names.launchdLabel;
  if (kind === "schtasks") return names.taskName;
  return names.systemdUnit;
}

/** Builds the definition for this profile and environment. Secret values go to the env file only. */
export function buildServiceDefinition(o: BuildDefinitionOptions): ServiceDefinition {
  const names = resolveServiceNames(o.env);
  const home = resolveHomeDir(o.env);
  const name = serviceName(o.kind, o.env);
  const environment: Record<string, string> = {};
  const put = (k: string, v: string | undefined) => {
    if (v !== undefined && v !== "") environment[k] = v;
  };
  put("HOME", home);
  put("PATH", servicePath(o.runtimePath, home, o.platform));
  put("OPENCLAW_PROFILE", names.profile);
  put("OPENCLAW_STATE_DIR", o.paths.stateDir);
  put("OPENCLAW_CONFIG_PATH", o.paths.configPath);
  put("OPENCLAW_GATEWAY_PORT", String(o.port));
  const nameVar = nameVariable(o.kind);
  if (nameVar) put(nameVar, o.kind === "systemd" || o.kind === "supervisor" ? `${name}.service` : name);
  put("NODE_EXTRA_CA_CERTS", o.env.NODE_EXTRA_CA_CERTS);
  put("TZ", o.env.TZ);
  put("OPENCLAW_SERVICE_MARKER", "openclaw");
  put("OPENCLAW_SERVICE_KIND", "gateway");
  put("OPENCLAW_SERVICE_VERSION", o.version);
  const secretKeys = Object.keys(o.secrets).sort();
  const envFile = secretKeys.length > 0 ? o.paths.layout.serviceEnvFile : undefined;
  if (envFile && o.kind !== "systemd") put("OPENCLAW_SERVICE_ENV_FILE", envFile);
  return {
    kind: o.kind,
    name,
    description: serviceDescription(names.profile, o.version),
    programArguments: [o.runtimePath, o.entryPath, "gateway", "--port", String(o.port)],
    workingDirectory: home,
    environment,
    ...(envFile ? { envFile } : {}),
    secretKeys,
    stdoutPath: path.join(o.paths.layout.logsDir, "gateway.log"),
    stderrPath: path.join(o.paths.layout.logsDir, "gateway.err.log"),
    port: o.port,
    ...(names.profile ? { profile: names.profile } : {}),
    stateDir: o.paths.stateDir,
    configPath: o.paths.configPath,
    version: o.version,
  };
}

export interface Drift {
  /** `runtime`, `entry`, `port`, `args`, `env:<KEY>`, `env-file`. */
  field: string;
  installed: string | undefined;
  expected: string | undefined;
  message: string;
}

/** The port a gateway command line asks for (`--port N` / `--port=N`). */
export function portFromArgs(args: string[]): number | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const v = a === "--port" ? args[i + 1] : a.startsWith("--port=") ? a.slice(7) : undefined;
    if (v !== undefined && /^\d+$/.test(v)) return Number(v);
  }
  return undefined;
}

/** Keys whose change is not drift: the version stamp moves with every update. */
const IGNORED_ENV = new Set(["OPENCLAW_SERVICE_VERSION"]);

/** Differences between the installed definition and the one install would write now. */
export function diffDefinitions(installed: InstalledService, expected: ServiceDefinition): Drift[] {
  const out: Drift[] = [];
  const [iRuntime, iEntry, ...iRest] = installed.programArguments;
  const [eRuntime, eEntry, ...eRest] = expected.programArguments;
  if (iRuntime !== eRuntime) {
    const missing = iRuntime !== undefined && path.isAbsolute(iRuntime) && !existsSync(iRuntime);
    out.push({ field: "runtime", installed: iRuntime, expected: eRuntime, message: `runtime ${iRuntime ?? "(none)"}${missing ? " (missing)" : ""} → ${eRuntime}` });
  }
  if (iEntry !== eEntry) {
    const missing = iEntry !== undefined && path.isAbsolute(iEntry) && !existsSync(iEntry);
    out.push({ field: "entry", installed: iEntry, expected: eEntry, message: `entry ${iEntry ?? "(none)"}${missing ? " (missing)" : ""} → ${eEntry}` });
  }
  const iPort = portFromArgs(iRest);
  if (iPort !== expected.port) {
    out.push({ field: "port", installed: iPort === undefined ? undefined : String(iPort), expected: String(expected.port), message: `port ${iPort ?? "(none)"} → ${expected.port}` });
  } else if (iRest.join(" ") !== eRest.join(" ")) {
    out.push({ field: "args", installed: iRest.join(" "), expected: eRest.join(" "), message: `arguments "${iRest.join(" ")}" → "${eRest.join(" ")}"` });
  }
  const keys = new Set([...Object.keys(installed.environment), ...Object.keys(expected.environment)]);
  for (const k of keys) {
    if (IGNORED_ENV.has(k)) continue;
    const a = installed.environment[k];
    const b = expected.environment[k];
    if (a === b) continue;
    // Secrets inlined in an old definition are drift, but their values are never shown.
    const secretish = /TOKEN|PASSWORD|SECRET|KEY$/i.test(k) && k !== "OPENCLAW_SERVICE_MARKER";
    const show = (v: string | undefined) => (v === undefined ? "(unset)" : secretish ? "(set)" : v);
    out.push({ field: `env:${k}`, installed: secretish ? show(a) : a, expected: secretish ? show(b) : b, message: `${k}: ${show(a)} → ${show(b)}` });
  }
  if ((installed.envFile ?? "") !== (expected.envFile ?? "")) {
    out.push({ field: "env-file", installed: installed.envFile, expected: expected.envFile, message: `env file ${installed.envFile ?? "(none)"} → ${expected.envFile ?? "(none)"}` });
  } else if (expected.envFile) {
    const missing = expected.secretKeys.filter((k) => !installed.envFileKeys.includes(k));
    if (missing.length) out.push({ field: "env-file", installed: installed.envFileKeys.join(","), expected: expected.secretKeys.join(","), message: `env file lacks ${missing.join(", ")}` });
  }
  return out;
}

/** The config path a service uses, from its environment (spec §7.6 step 4). */
export function serviceConfigPath(environment: Record<string, string>, fallbackHome: string): string {
  const home = environment.HOME || fallbackHome;
  if (environment.OPENCLAW_CONFIG_PATH) return environment.OPENCLAW_CONFIG_PATH;
  const stateDir = environment.OPENCLAW_STATE_DIR || serviceStateDir(environment, home);
  return path.join(stateDir, "openclaw.json");
}

export function serviceStateDir(environment: Record<string, string>, fallbackHome: string): string {
  const home = environment.HOME || fallbackHome;
  if (environment.OPENCLAW_STATE_DIR) return environment.OPENCLAW_STATE_DIR;
  const p = environment.OPENCLAW_PROFILE;
  return p && p !== "default" ? path.join(home, `.openclaw-${p}`) : path.join(home, ".openclaw");
}
