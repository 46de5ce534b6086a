/**
 * `gateway status`: one verdict from every layer — the supervisor's view, an RPC probe, the config
 * the CLI uses against the one the service uses, drift between the installed definition and what
 * install would write now, token sources by fingerprint, and where the logs are. Never prints.
 */
import { GatewayClient, probeReadyz, type ReadyzAnswer, resolveGatewayTarget } from "../client/index.js";
import { readConfigInput, resolveGatewayPort } from "../config/index.js";
import { type Env, fingerprintSecret, loadDotEnvFile, type ResolvedPaths, resolveStateDir } from "../infra/index.js";
import {
  type Drift,
  describeGatewayExit,
  diffDefinitions,
  gatewayExitFix,
  type InstalledService,
  installedServicePort,
  isLegacyServiceName,
  planInstall,
  type ResolvedManager,
  type ServiceRuntime,
  serviceConfigPath,
  serviceName,
} from "../service/index.js";
import { toAppError } from "../shared/index.js";
import { resolveGatewayLogFile } from "./log-file.js";

export type ServiceState = "uninstalled" | "running" | "stopped" | "restarting" | "failed" | "unknown";

export interface StatusWarning {
  code: "config-mismatch" | "profile-mismatch" | "drift" | "unreachable" | "token-mismatch" | "not-supervised" | "preflight" | "other-install" | "failed" | "port-held" | "crash-loop";
  message: string;
  fix: string;
}

export interface OtherInstall {
  kind: string;
  name: string;
  definitionPath: string;
  configPath: string;
  profile: string | null;
  legacy: boolean;
}

export interface GatewayServiceStatus {
  profile: string | null;
  supervisor: { kind: string; label: string; fallbackFrom?: string; fallbackReasons?: string[] };
  service: {
    name: string;
    installed: boolean;
    definitionPath: string;
    state: ServiceState;
    runtime: ServiceRuntime;
    command?: string[];
    port?: number;
    /** Names of the variables in the service's env file (never values). */
    envFileKeys: string[];
    envFile?: string;
  };
  config: {
    cli: { path: string; exists: boolean; valid: boolean };
    service?: { path: string; exists: boolean; valid: boolean };
    mismatch: boolean;
  };
  drift: Drift[];
  tokens: Array<{ source: string; fingerprint: string }>;
  probe: { ok: boolean; url: string; durationMs?: number; error?: string } | null;
  logs: { file: string; service: string[] };
  otherInstalls: OtherInstall[];
  warnings: StatusWarning[];
  verdict: "running" | "degraded" | "stopped";
}

export interface CollectStatusOptions {
  resolved: ResolvedManager;
  env: Env;
  paths: ResolvedPaths;
  version: string;
  runtimePath: string;
  entryPath: string;
  platform: NodeJS.Platform;
  probe: boolean;
  probeTimeoutMs: number;
  deep: boolean;
  /** Extra definitions found by `--deep` beyond the active supervisor (other supervisors, system units). */
  extraInstalls?: InstalledService[];
}

function configState(path: string, env: Env): { path: string; exists: boolean; valid: boolean } {
  const input = readConfigInput({ configPath: path, env, lenientEnv: true });
  return { path, exists: input.exists, valid: input.readable && input.issues.length === 0 };
}

async function probeGateway(url: string, auth: { token?: string; password?: string }, timeoutMs: number, version: string): Promise<GatewayServiceStatus["probe"]> {
  const started = Date.now();
  try {
    const client = await GatewayClient.connect({ url, ...auth, timeoutMs, clientId: "cli", clientMode: "probe", version });
    try {
      await client.call("health", {}, { timeoutMs });
    } finally {
      client.close();
    }
    return { ok: true, url, durationMs: Date.now() - started };
  } catch (error) {
    return { ok: false, url, error: toAppError(error).message };
  }
}

export async function collectGatewayServiceStatus(o: CollectStatusOptions): Promise<GatewayServiceStatus> {
  const { manager, fallback } = o.resolved;
  const warnings: StatusWarning[] = [];
  const configured = readConfigInput({ configPath: o.paths.configPath, env: o.env, lenientEnv: true });
  const gatewayCfg = (configured.input.gateway ?? {}) as { port?: unknown; auth?: { token?: unknown } };
  // The one port resolver, with the installed service's own port: a service installed with
  // `--port` for a profile whose config has no gateway.port is not drift.
  const existing = manager.readInstalled(serviceName(manager.kind, o.env));
  const plan = planInstall({
    manager,
    env: o.env,
    paths: o.paths,
    port: resolveGatewayPort({ env: o.env, input: configured.input, servicePort: existing ? installedServicePort(existing) : undefined }),
    runtimePath: o.runtimePath,
    entryPath: o.entryPath,
    version: o.version,
    platform: o.platform,
    force: false,
  });
  const name = plan.definition.name;
  const installed = plan.installed;
  const runtime = installed ? manager.runtime(name) : { status: "stopped" as const, loaded: false };
  const profile = o.env.OPENCLAW_PROFILE && o.env.OPENCLAW_PROFILE !== "default" ? o.env.OPENCLAW_PROFILE : null;

  // Config the service uses vs the one this CLI uses (seed 000: *Service Running But Config Mismatch*).
  const cli = configState(o.paths.configPath, o.env);
  let serviceCfg: GatewayServiceStatus["config"]["service"];
  let drift: Drift[] = [];
  if (installed) {
    serviceCfg = configState(serviceConfigPath(installed.environment, o.paths.home), { ...o.env, ...installed.environment });
    drift = diffDefinitions(installed, plan.definition);
  }
  const mismatch = serviceCfg !== undefined && serviceCfg.path !== cli.path;
  const fromProfile = profile ? `openclaw --profile ${profile}` : "openclaw";
  if (mismatch && serviceCfg) {
    warnings.push({
      code: "config-mismatch",
      message: `the service uses ${serviceCfg.path} but this CLI uses ${cli.path}`,
      fix: `run \`${fromProfile} gateway install --force\` from the profile/state dir the service should use (or unset OPENCLAW_STATE_DIR/OPENCLAW_CONFIG_PATH in this shell)`,
    });
  }
  const driftOnly = drift.filter((d) => !(mismatch && (d.field === "env:OPENCLAW_CONFIG_PATH" || d.field === "env:OPENCLAW_STATE_DIR")));
  if (driftOnly.length > 0) {
    warnings.push({ code: "drift", message: `the installed ${manager.label} differs from what install writes now: ${driftOnly.map((d) => d.message).join("; ")}`, fix: `${fromProfile} gateway install --force` });
  }

  // Token sources side by side, by fingerprint only.
  const tokens: GatewayServiceStatus["tokens"] = [];
  const configToken = typeof gatewayCfg.auth?.token === "string" && gatewayCfg.auth.token && !gatewayCfg.auth.token.includes("${") ? gatewayCfg.auth.token : undefined;
  if (configToken) tokens.push({ source: "config", fingerprint: fingerprintSecret(configToken) });
  if (o.env.OPENCLAW_GATEWAY_TOKEN) tokens.push({ source: "env", fingerprint: fingerprintSecret(o.env.OPENCLAW_GATEWAY_TOKEN) });
  const inlineToken = installed?.environment.OPENCLAW_GATEWAY_TOKEN;
  const fileToken = installed?.envFile ? loadDotEnvFile(installed.envFile).OPENCLAW_GATEWAY_TOKEN : undefined;
  const serviceToken = fileToken ?? inlineToken;
  if (serviceToken) tokens.push({ source: fileToken ? "service env file" : "service definition (inline)", fingerprint: fingerprintSecret(serviceToken) });
  const cliToken = o.env.OPENCLAW_GATEWAY_TOKEN ?? configToken;
  if (serviceToken && cliToken && serviceToken !== cliToken) {
    warnings.push({
      code: "token-mismatch",
      message: `the service's token (${fingerprintSecret(serviceToken)}) differs from the CLI's (${fingerprintSecret(cliToken)}); clients will get "token mismatch"`,
      fix: `${fromProfile} gateway install --force (rewrites the service env from the current config), then ${fromProfile} gateway restart`,
    });
  }

  // Other installs: always the active supervisor's other definitions (cheap); --deep adds more.
  const others: OtherInstall[] = [];
  const candidates = [...manager.list(), ...(o.extraInstalls ?? [])];
  for (const other of candidates) {
    if (other.name === name && other.kind === manager.kind) continue;
    const legacy = isLegacyServiceName(other.name);
    if (legacy && !o.deep) continue;
    others.push({
      kind: other.kind,
      name: other.name,
      definitionPath: other.definitionPath,
      configPath: serviceConfigPath(other.environment, o.paths.home),
      profile: other.environment.OPENCLAW_PROFILE ?? null,
      legacy,
    });
  }
  if (!installed) {
    for (const other of others.filter((x) => !x.legacy && x.kind === manager.kind)) {
      warnings.push({
        code: "profile-mismatch",
        message: `no service is installed for ${profile ? `profile ${profile}` : "the default profile"} (${cli.path}); ${other.name} is installed for ${other.profile ? `profile ${other.profile}` : "the default profile"} and uses ${other.configPath}`,
        fix: other.profile ? `manage it with \`openclaw --profile ${other.profile} gateway status\`, or install one for this profile: \`${fromProfile} gateway install\`` : `manage it without --profile (\`openclaw gateway status\`), or install one for this profile: \`${fromProfile} gateway install\``,
      });
    }
  }
  if (o.deep) {
    for (const other of others.filter((x) => x.legacy || x.kind !== manager.kind)) {
      warnings.push({ code: "other-install", message: `other gateway-like service: ${other.kind} ${other.name} (${other.definitionPath}) uses ${other.configPath}`, fix: other.legacy ? "remove it: openclaw doctor --deep" : "stop it if two gateways share credentials (WhatsApp/Signal sessions conflict)" });
    }
  }

  // RPC probe on the service's port (else the CLI's), with the CLI's credentials.
  const port = installed ? installedServicePort(installed) : undefined;
  let probe: GatewayServiceStatus["probe"] = null;
  let answer: ReadyzAnswer | undefined;
  if (o.probe) {
    let target: ReturnType<typeof resolveGatewayTarget> | undefined;
    try {
      target = resolveGatewayTarget({ env: o.env, configPath: o.paths.configPath, flags: port ? { port } : {} });
    } catch (error) {
      probe = { ok: false, url: "", error: toAppError(error).message };
    }
    if (target) {
      probe = await probeGateway(target.url, { ...(target.token ? { token: target.token } : {}), ...(target.password ? { password: target.password } : {}) }, o.probeTimeoutMs, o.version);
      const local = /^wss?:\/\/127\.0\.0\.1:(\d+)$/.exec(target.url);
      if (local) answer = await probeReadyz(Number(local[1]), Math.min(o.probeTimeoutMs, 1000));
    }
  }

  const state: ServiceState = !installed ? "uninstalled" : runtime.status;
  // Whatever answers on the service's port is not the service's gateway: that is the cause, not "token missing".
  const servicePid = runtime.pid;
  const impostor = installed && answer && answer.pid !== undefined && answer.pid !== servicePid ? answer.pid : undefined;
  if (installed && impostor !== undefined && probe) {
    warnings.push({
      code: "port-held",
      message: `port ${port ?? "?"} is held by pid ${impostor}, not by the service's gateway${servicePid ? ` (pid ${servicePid})` : ` (${state})`}; the RPC probe reached that process`,
      fix: `stop pid ${impostor} or move this profile to a free port (${fromProfile} gateway install --port <n> --force)`,
    });
    probe = { ...probe, ok: false, ...(probe.ok ? { error: `answered by pid ${impostor}, not the service's gateway` } : {}) };
  }
  if (state === "failed") {
    const fix = gatewayExitFix(runtime.lastExitStatus);
    warnings.push({ code: "failed", message: `the service failed${runtime.detail ? `: ${runtime.detail}` : ""}`, fix: fix ? fix.replace(/openclaw gateway/g, `${fromProfile} gateway`) : `openclaw config validate, then ${fromProfile} gateway start` });
  }
  if (state === "restarting" && runtime.lastExitStatus !== undefined && runtime.lastExitStatus !== 0) {
    const fix = gatewayExitFix(runtime.lastExitStatus);
    warnings.push({
      code: "crash-loop",
      message: `the gateway keeps exiting: last exit ${describeGatewayExit(runtime.lastExitStatus, runtime.lastExitSignal)}${runtime.lastError ? `: ${runtime.lastError}` : ""}`,
      fix: fix ?? `${fromProfile} logs --limit 50`,
    });
  }
  if (state === "running" && probe && !probe.ok && impostor === undefined) {
    warnings.push({ code: "unreachable", message: `the service is running but the gateway does not answer at ${probe.url}: ${probe.error}`, fix: `${fromProfile} logs --limit 50; then ${fromProfile} gateway restart` });
  }
  if (state !== "running" && probe?.ok && impostor === undefined) {
    warnings.push({ code: "not-supervised", message: `a gateway answers at ${probe.url} but not under the ${manager.label}; it will not come back after a crash or reboot`, fix: `stop the foreground gateway, then ${fromProfile} gateway ${installed ? "start" : "install"}` });
  }
  if (fallback) {
    warnings.push({ code: "preflight", message: `using the detached supervisor: ${fallback.problems.map((p) => p.message).join("; ")}`, fix: fallback.problems.map((p) => p.fix).join("; ") });
  }
  const problems = warnings.some((w) => w.code !== "preflight" && w.code !== "other-install");
  const running = state === "running" || state === "restarting" || probe?.ok === true;
  const verdict = !running ? "stopped" : problems || (probe !== null && !probe.ok) ? "degraded" : "running";

  return {
    profile,
    supervisor: { kind: manager.kind, label: manager.label, ...(fallback ? { fallbackFrom: fallback.from, fallbackReasons: fallback.problems.map((p) => p.message) } : {}) },
    service: {
      name,
      installed: installed !== undefined,
      definitionPath: installed?.definitionPath ?? manager.definitionPath(name),
      state,
      runtime,
      ...(installed ? { command: installed.programArguments } : {}),
      ...(port ? { port } : {}),
      envFileKeys: installed?.envFileKeys ?? [],
      ...(installed?.envFile ? { envFile: installed.envFile } : {}),
    },
    config: { cli, ...(serviceCfg ? { service: serviceCfg } : {}), mismatch },
    drift,
    tokens,
    probe,
    logs: { file: serviceLogFile(o.env, o.paths, installed, serviceCfg?.path), service: manager.logHints(name, installed) },
    otherInstalls: others,
    warnings,
    verdict,
  };
}

/** The file log of the gateway a service runs: its environment decides the state dir, its config a `logging.file`. */
function serviceLogFile(env: Env, paths: ResolvedPaths, installed: { environment: Record<string, string | undefined> } | undefined, serviceConfigPath: string | undefined): string {
  if (!installed) return resolveGatewayLogFile(env, paths);
  const merged = { ...env, ...installed.environment };
  const stateDir = installed.environment.OPENCLAW_STATE_DIR ? resolveStateDir(merged).stateDir : paths.stateDir;
  return resolveGatewayLogFile(merged, { configPath: serviceConfigPath ?? paths.configPath, stateDir });
}
