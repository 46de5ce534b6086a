/**
 * `openclaw status`: fast local triage without the gateway — where things are, whether the gateway
 * answers (probe bounded to ~1 s), the service, agents and sessions, channels, model auth, the last
 * errors in the log and the next command to run. `--all` adds the redacted log tail; `--deep` adds
 * the gateway's own health, channel and model views over RPC. Secret values never leave: tokens are
 * shown as fingerprints, and `redactStatus` masks every known secret in the final report.
 */
import os from "node:os";
import path from "node:path";
import { type AgentModelAuth, authFixCommand, summarizeAgentModelAuth } from "../agent/index.js";
import { GatewayClient } from "../client/index.js";
import { type Env, fingerprintSecret, loadDotEnvFile, type ResolvedPaths, readSmallRegularFile } from "../infra/index.js";
import { parseLogLine, readLogTail } from "../logging/index.js";
import { collectSecretValues, isSecretKey, redactValue, toAppError } from "../shared/index.js";
import { summarizeSessions } from "../storage/index.js";
import { channelEntries } from "./audit/rules.js";
import { type BackupRunRecord, type BackupSchedule, describeBackupSchedule, loadBackupRun, loadBackupSchedule } from "./maintenance/schedule-file.js";
import type { GatewayServiceStatus } from "./service-status.js";
import { collectSnapshot, obj } from "./snapshot.js";

const DAY = 24 * 60 * 60 * 1000;

export interface StatusReport {
  version: string;
  os: { platform: string; release: string; arch: string; node: string };
  profile: string | null;
  stateDir: string;
  configPath: string;
  config: { exists: boolean; readable: boolean; problems: string[] };
  gateway: { url: string; mode: string; reachable: boolean; durationMs?: number; error?: string };
  service: { kind: string; name: string; installed: boolean; state: string; pid?: number; warnings: string[] } | null;
  tokens: Array<{ source: string; fingerprint: string }>;
  agents: Array<{ id: string; sessions: number; lastActivityAt: number | null }>;
  sessionsTotal: number;
  channels: Array<{ id: string; path: string; dmPolicy: string | null; groupPolicy: string | null }>;
  auth: Array<{ agentId: string; profile: string; provider: string; type: string; status: "ok" | "expiring" | "expired" | "disabled"; expiresAt?: string }>;
  authMissing: string[];
  /** Per agent: default model, each provider's auth state, expiring logins, cooldowns, problems with fixes. */
  modelAuth: AgentModelAuth[];
  logs: { file: string; lastErrors: Array<{ time: string; message: string }> };
  next: string;
  logTail?: string[];
  deep?: { health?: unknown; channels?: unknown; models?: unknown; error?: string };
  /** The backup schedule and its last run (`<state>/backup/*.json`; null: none scheduled or run). */
  backup?: { schedule: BackupSchedule | null; lastRun: BackupRunRecord | null; line: string } | null;
  /** The gateway's memory summary (`health.memory`: per agent state, files, chunks, dirty, last indexed, errors); absent when the gateway is down or does not report it. */
  memory?: unknown;
}

export interface CollectStatusReportOptions {
  env: Env;
  paths: ResolvedPaths;
  version: string;
  service?: GatewayServiceStatus;
  /** Target resolved by the client layer (no probe yet). */
  target: { url: string; token?: string; password?: string; source: string } | { error: string };
  logFile: string;
  probeTimeoutMs: number;
  all: boolean;
  deep: boolean;
  now?: number;
}

/**
 * Connects (and with `deep`, asks for health, channels and models). A deep probe connects as a plain
 * CLI client: OpenClaw's gateway gives `probe`-mode connections no scopes, so only `health` answers there.
 */
async function probe(target: { url: string; token?: string; password?: string }, o: CollectStatusReportOptions, deep: boolean): Promise<{ reachable: boolean; durationMs?: number; error?: string; deep?: StatusReport["deep"]; memory?: unknown }> {
  const started = Date.now();
  try {
    const client = await GatewayClient.connect({ url: target.url, ...(target.token ? { token: target.token } : {}), ...(target.password ? { password: target.password } : {}), timeoutMs: o.probeTimeoutMs, clientId: "cli", clientMode: deep ? "cli" : "probe", version: o.version });
    try {
      const durationMs = Date.now() - started;
      if (!deep) {
        // The memory line comes from the gateway's health (cheap, cached; no SQLite in this process). A gateway that
        // does not answer it in time only loses the line.
        const health = await client.call("health", {}, { timeoutMs: o.probeTimeoutMs }).catch(() => undefined);
        const memory = (health as { memory?: unknown } | undefined)?.memory;
        return { reachable: true, durationMs, ...(memory !== undefined ? { memory } : {}) };
      }
      const call = (m: "health" | "channels.status" | "models.list", params: Record<string, unknown>) => client.call(m, params, { timeoutMs: Math.max(o.probeTimeoutMs, 5000) }).catch((e: unknown) => ({ error: toAppError(e).message }));
      const [health, channels, models] = await Promise.all([call("health", {}), call("channels.status", { probe: true }), call("models.list", { view: "configured" })]);
      const memory = (health as { memory?: unknown } | undefined)?.memory;
      return { reachable: true, durationMs, deep: { health, channels, models }, ...(memory !== undefined ? { memory } : {}) };
    } finally {
      client.close();
    }
  } catch (error) {
    return { reachable: false, error: toAppError(error).message };
  }
}

/** Every secret value status knows about, for the final mask: config secrets, env secrets, service env file, auth profiles. */
/** Credential fields of auth-profiles.json are secrets whatever their names look like. */
const CREDENTIAL_FIELDS: ReadonlySet<string> = new Set(["access", "refresh", "key", "token", "apiKey", "secret", "password"]);

export function collectKnownSecrets(o: { env: Env; input: Record<string, unknown>; serviceEnvFile?: string; authProfileFiles: string[]; readJson: (f: string) => unknown }): string[] {
  const out = new Set(collectSecretValues(o.input));
  for (const [k, v] of Object.entries(o.env)) if (v && v.length >= 4 && isSecretKey(k)) out.add(v);
  if (o.serviceEnvFile) for (const v of Object.values(loadDotEnvFile(o.serviceEnvFile))) if (v.length >= 4) out.add(v);
  for (const f of o.authProfileFiles) for (const v of collectSecretValues(o.readJson(f), CREDENTIAL_FIELDS)) out.add(v);
  return [...out].sort((a, b) => b.length - a.length);
}

export async function collectStatusReport(o: CollectStatusReportOptions): Promise<{ report: StatusReport; secrets: string[] }> {
  const now = o.now ?? Date.now();
  const snap = collectSnapshot({ env: o.env, paths: o.paths, now, serviceEnvFileKeys: o.service?.service.envFileKeys ?? [] });
  const input = snap.input;
  const gateway = obj(input.gateway);
  const probeResult = "error" in o.target ? { reachable: false, error: o.target.error } : await probe(o.target, o, o.deep);

  const agents = snap.agentIds.map((id) => {
    const s = summarizeSessions(o.paths.layout.sessionStoreFile(id), now);
    return { id, sessions: s.count, lastActivityAt: s.recent[0]?.updatedAt ?? null };
  });
  const auth: StatusReport["auth"] = [];
  for (const ap of snap.authProfiles) {
    for (const p of ap.profiles) {
      const status = p.disabledUntil && p.disabledUntil > now ? "disabled" : p.expires === undefined ? "ok" : p.expires <= now ? "expired" : p.expires - now < 7 * DAY ? "expiring" : "ok";
      auth.push({ agentId: ap.agentId, profile: p.id, provider: p.provider, type: p.type, status, ...(p.expires ? { expiresAt: new Date(p.expires).toISOString() } : {}) });
    }
  }
  const authMissing = snap.agentIds.filter((id) => !snap.authProfiles.some((a) => a.agentId === id && a.profiles.length > 0));
  // Credentials also come from the environment and <stateDir>/.env (the process env wins).
  const authEnv = { ...loadDotEnvFile(path.join(o.paths.stateDir, ".env")), ...o.env };
  const modelAuth = snap.agentIds.map((id) => summarizeAgentModelAuth({ config: input, env: authEnv, storeFile: o.paths.layout.authProfilesFile(id), agentId: id, now }));
  const authBroken = modelAuth.flatMap((m) => m.providers.filter((p) => p.status === "missing" || p.status === "expired"));

  const tail = readLogTail({ file: o.logFile, limit: 400, maxBytes: 256_000 });
  const lastErrors: StatusReport["logs"]["lastErrors"] = [];
  for (const line of tail.lines) {
    const parsed = parseLogLine(line);
    if (parsed.type === "log" && (parsed.entry.level === "error" || parsed.entry.level === "fatal")) lastErrors.push({ time: parsed.entry.time, message: parsed.entry.message });
  }

  const tokens: StatusReport["tokens"] = [];
  const auth0 = obj(gateway.auth);
  if (typeof auth0.token === "string" && auth0.token && !snap.envRefs.some((r) => r.path === "gateway.auth.token")) tokens.push({ source: "config", fingerprint: fingerprintSecret(auth0.token) });
  if (o.env.OPENCLAW_GATEWAY_TOKEN) tokens.push({ source: "env", fingerprint: fingerprintSecret(o.env.OPENCLAW_GATEWAY_TOKEN) });
  for (const t of o.service?.tokens ?? []) if (t.source.startsWith("service")) tokens.push(t);
  const remoteToken = obj(gateway.remote).token;
  if (typeof remoteToken === "string" && remoteToken) tokens.push({ source: "remote", fingerprint: fingerprintSecret(remoteToken) });

  const configProblems = snap.config.issues.map((i) => `${i.file ? `${i.file}${i.line ? `:${i.line}` : ""}: ` : ""}${i.message}`);
  const svc = o.service;
  const next = !snap.config.exists
    ? "openclaw gateway --dev   (or: openclaw config set gateway.mode local)"
    : configProblems.length
      ? "openclaw config validate"
      : gateway.mode === undefined
        ? "openclaw config set gateway.mode local"
        : !probeResult.reachable && svc?.service.installed
          ? "openclaw gateway status   (then: openclaw gateway restart)"
          : !probeResult.reachable
            ? "openclaw gateway install   (or run it in the foreground: openclaw gateway)"
            : authBroken.length
              ? authFixCommand(authBroken[0]!.provider)
              : lastErrors.length || (svc?.warnings.length ?? 0) > 0
                ? "openclaw doctor"
                : "all good — openclaw status --deep for live channel probes";

  // Two small JSON reads (never the tar or SQLite code).
  const backupSchedule = loadBackupSchedule(o.paths.stateDir) ?? null;
  const backupRun = loadBackupRun(o.paths.stateDir) ?? null;
  const backupLine = describeBackupSchedule(backupSchedule ?? undefined, backupRun ?? undefined, now);
  const report: StatusReport = {
    version: o.version,
    os: { platform: process.platform, release: os.release(), arch: process.arch, node: process.version },
    profile: o.paths.profile && o.paths.profile !== "default" ? o.paths.profile : null,
    stateDir: o.paths.stateDir,
    configPath: o.paths.configPath,
    config: { exists: snap.config.exists, readable: snap.config.readable, problems: configProblems },
    gateway: { url: "error" in o.target ? "" : o.target.url, mode: typeof gateway.mode === "string" ? gateway.mode : "unset", reachable: probeResult.reachable, ...(probeResult.durationMs !== undefined ? { durationMs: probeResult.durationMs } : {}), ...(probeResult.error ? { error: probeResult.error } : {}) },
    service: svc ? { kind: svc.supervisor.kind, name: svc.service.name, installed: svc.service.installed, state: svc.service.state, ...(svc.service.runtime.pid ? { pid: svc.service.runtime.pid } : {}), warnings: svc.warnings.filter((w) => w.code !== "preflight").map((w) => w.message) } : null,
    tokens,
    agents,
    sessionsTotal: agents.reduce((n, a) => n + a.sessions, 0),
    channels: channelEntries(input).map((c) => ({ id: c.id, path: c.path.join("."), dmPolicy: typeof c.settings.dmPolicy === "string" ? c.settings.dmPolicy : null, groupPolicy: typeof c.settings.groupPolicy === "string" ? c.settings.groupPolicy : null })),
    auth,
    authMissing,
    modelAuth,
    logs: { file: o.logFile, lastErrors: lastErrors.slice(-5) },
    next,
    ...(o.all ? { logTail: tail.lines.slice(-200) } : {}),
    ...(probeResult.deep ? { deep: probeResult.deep } : o.deep ? { deep: { error: probeResult.error ?? "gateway unreachable" } } : {}),
    ...("memory" in probeResult && probeResult.memory !== undefined ? { memory: probeResult.memory } : {}),
  };
  const secrets = collectKnownSecrets({
    env: o.env,
    input,
    ...(svc?.service.envFile ? { serviceEnvFile: svc.service.envFile } : {}),
    authProfileFiles: snap.authProfiles.map((a) => a.file),
    readJson: (f) => {
      try {
        // Non-blocking and bounded, like every optional read status makes.
        return JSON.parse(readSmallRegularFile(f, 4 * 1024 * 1024) ?? "{}");
      } catch {
        return {};
      }
    },
  });
  if (backupLine) report.backup = { schedule: backupSchedule, lastRun: backupRun, line: backupLine };
  return { report, secrets };
}

/** The report with every known secret and phone number masked (for `--all`, pasteable). */
export function redactStatus<T>(value: T, secrets: string[]): T {
  return redactValue(value, { literals: secrets, phones: true });
}
