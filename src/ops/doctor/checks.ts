/**
 * Doctor's checks, in the seed's order: each is a pure function from the collected inputs to
 * findings with an optional proposed repair. Later capabilities register more checks here.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { type AgentModelAuth, authFixCommand } from "../../agent/index.js";
import { type ConfigIssue, parseJson5 } from "../../config/index.js";
import { type PathSegment, parseConfigPath } from "../../shared/index.js";
import { ALLOWLIST_CHECK_IDS, type AuditFinding, allowlistFindings, type DeepProbe, runAuditRules } from "../audit/rules.js";
import { type BackupRunRecord, type BackupSchedule, checkBackupSchedule } from "../maintenance/schedule-file.js";
import type { MemoryFacts } from "../memory.js";
import type { GatewayServiceStatus } from "../service-status.js";
import { obj, type Snapshot, workspaceDirs } from "../snapshot.js";
import { checkAgentModelAuth } from "./agent-model-auth.js";
import { telegramConfigFindings } from "./channels.js";
import type { DoctorFinding } from "./finding.js";
import { memoryFindings } from "./memory.js";
import { checkModelRef, type ModelAuthFacts, modelRefsIn } from "./model-auth.js";
import { type SandboxFacts, sandboxImageFindings } from "./sandbox.js";
import { signalConfigFindings } from "./signal.js";
import { checkTranscriptFacts } from "./transcripts.js";

export type { DoctorFinding, DoctorSeverity } from "./finding.js";

export interface DoctorInputs {
  snap: Snapshot;
  env: Record<string, string | undefined>;
  /** Schema problems (unknown keys, bad values), with file:line. */
  schemaIssues: ConfigIssue[];
  service?: GatewayServiceStatus;
  deep: boolean;
  /** The install is a git checkout (update check applies). */
  gitInstall?: { root: string };
  /** `OPENCLAW_SERVICE_REPAIR_POLICY=external`: never propose service changes. */
  serviceRepairExternal: boolean;
  auditDeep?: DeepProbe;
  /** Newest backup archive time, when known (backup capability registers a check using it). */
  latestBackupAt?: number;
  /** `openclaw backup schedule` and its last run (`<state>/backup/*.json`). */
  backupSchedule?: { schedule?: BackupSchedule; run?: BackupRunRecord };
  /** When the state dir began (see `stateDirSince`); absent when it does not exist yet. */
  stateDirSince?: number;
  /** Providers with credentials, for the configured model refs (see `loadModelAuthFacts`). */
  modelAuth?: ModelAuthFacts;
  /** Each agent's model auth (default model, provider states, cooldowns). */
  agentModelAuth?: AgentModelAuth[];
  /** Each agent's memory index status (see `collectMemoryFacts`); absent: only the file check runs. */
  memory?: MemoryFacts[];
  /** Docker and image facts when some agent's sandbox is on (see `collectSandboxFacts`); absent: nothing to check. */
  sandbox?: SandboxFacts;
}

export interface DoctorCheck {
  step: string;
  title: string;
  run(inputs: DoctorInputs): DoctorFinding[];
}

const DAY = 24 * 60 * 60 * 1000;

/** Legacy key moves (spec §10.3) that are deterministic. */
const LEGACY_MOVES: Array<[string[], string[]]> = [
  [["routing", "allowFrom"], ["channels", "whatsapp", "allowFrom"]],
  [["routing", "queue"], ["messages", "queue"]],
  [["routing", "bindings"], ["bindings"]],
  [["routing", "agentToAgent"], ["tools", "agentToAgent"]],
  [["routing", "groupChat", "historyLimit"], ["messages", "groupChat", "historyLimit"]],
  [["routing", "groupChat", "mentionPatterns"], ["messages", "groupChat", "mentionPatterns"]],
  [["browser", "ssrfPolicy", "allowPrivateNetwork"], ["browser", "ssrfPolicy", "dangerouslyAllowPrivateNetwork"]],
];

function at(input: Record<string, unknown>, p: readonly PathSegment[]): unknown {
  let v: unknown = input;
  for (const s of p) v = (v as Record<string, unknown> | undefined)?.[s as string];
  return v;
}

/** Entries people leave from templates (the channels' own rule). */
export { isPlaceholder } from "../../channels/index.js";

const updateCheck: DoctorCheck = {
  step: "update",
  title: "Update check (git installs)",
  run: ({ gitInstall }) =>
    gitInstall
      ? [{ checkId: "update.git_install", step: "update", severity: "info", title: `source install at ${gitInstall.root}`, fix: `cd ${gitInstall.root} && git pull --rebase && npm install && npm run build` }]
      : [],
};

const configCheck: DoctorCheck = {
  step: "config",
  title: "Config: load, validate, migrate legacy keys",
  run: ({ snap, schemaIssues, env }) => {
    const out: DoctorFinding[] = [];
    const { config, input } = snap;
    for (const issue of config.issues) {
      out.push({ checkId: `config.${issue.kind}`, step: "config", severity: "error", title: issue.message, detail: [issue.file && `${issue.file}${issue.line ? `:${issue.line}:${issue.column ?? 1}` : ""}`, issue.excerpt].filter(Boolean).join("\n"), fix: "Fix the file by hand (openclaw config validate shows every problem); doctor never rewrites a file it cannot parse." });
    }
    if (!config.exists) {
      out.push({ checkId: "config.missing", step: "config", severity: "warn", title: `no config at ${snap.paths.configPath}`, fix: "openclaw gateway --dev (creates a loopback config with a generated token), or openclaw config set gateway.mode local" });
      return out;
    }
    if (!config.readable) return out;
    const gateway = obj(input.gateway);
    if (gateway.mode === undefined) {
      out.push({
        checkId: "config.gateway_mode_unset",
        step: "config",
        severity: "warn",
        title: "gateway.mode is not set: the gateway refuses to start",
        fix: "openclaw config set gateway.mode local",
        repair: { id: "config.gateway_mode_local", summary: 'set gateway.mode to "local"', safe: false, actions: [{ kind: "config-set", path: ["gateway", "mode"], value: "local" }] },
      });
    }
    // Moves copy the file's own text (`${VAR}` references stay references), never substituted values.
    let rawInput: Record<string, unknown> = {};
    try {
      rawInput = (parseJson5(config.raw ?? "{}") ?? {}) as Record<string, unknown>;
    } catch {
      rawInput = {};
    }
    for (const [from, to] of LEGACY_MOVES) {
      if (at(input, from) === undefined) continue;
      const value = at(rawInput, from);
      const target = at(input, to);
      out.push({
        checkId: "config.legacy_key",
        step: "config",
        severity: "warn",
        title: `legacy key ${from.join(".")} (now ${to.join(".")})`,
        ...(target !== undefined || value === undefined
          ? { fix: `${to.join(".")} is already set: merge ${from.join(".")} into it by hand, then openclaw config unset ${from.join(".")}` }
          : { repair: { id: `config.migrate.${from.join(".")}`, summary: `move ${from.join(".")} → ${to.join(".")}`, safe: true, actions: [{ kind: "config-set", path: to, value }, { kind: "config-unset", path: from }] } }),
      });
    }
    for (const issue of schemaIssues) {
      const unknown = issue.kind === "schema" && issue.message.startsWith("unknown key");
      const where = issue.file ? `${issue.file}${issue.line ? `:${issue.line}:${issue.column ?? 1}` : ""}` : undefined;
      out.push({
        checkId: unknown ? "config.unknown_key" : "config.invalid_value",
        step: "config",
        severity: "error",
        title: `${issue.path ? `${issue.path}: ` : ""}${issue.message}`,
        ...(where ? { detail: where } : {}),
        ...(unknown && issue.path
          ? { fix: `rename or remove it (openclaw config unset ${issue.path})`, repair: { id: `config.drop_unknown.${issue.path}`, summary: `remove unknown key ${issue.path}`, safe: false, actions: [{ kind: "config-unset", path: parseConfigPath(issue.path) }] } }
          : { fix: "openclaw config validate; then openclaw config set <path> <value>" }),
      });
    }
    for (const ref of snap.envRefs) {
      if (ref.shell === "set" || ref.providedBy) continue;
      out.push({
        checkId: ref.shell === "empty" ? "config.env_var_empty" : "config.env_var_missing",
        step: "config",
        severity: "warn",
        title: `\${${ref.name}} at ${ref.path} is ${ref.shell === "empty" ? "empty" : "not set"}`,
        detail: "Not in this shell, the state dir .env, the config env block or the service env file; the gateway cannot start with it empty.",
        fix: `add ${ref.name}=<value> to ${snap.paths.layout.envFile} (use a non-empty placeholder like not-configured for keys you do not have yet), or remove the reference`,
      });
    }
    out.push(...telegramConfigFindings(input, rawInput, env));
    out.push(...signalConfigFindings(snap.signal));
    // Allowlists that drop messages silently (placeholders, non-E.164, empty) or `open` without "*".
    for (const f of allowlistFindings(input)) out.push({ checkId: f.checkId, step: "config", severity: f.severity, title: f.title, detail: f.detail, ...(f.remediation ? { fix: f.remediation } : {}) });
    return out;
  },
};

const authCheck: DoctorCheck = {
  step: "auth",
  title: "Model auth profiles",
  run: ({ snap }) => {
    const out: DoctorFinding[] = [];
    for (const ap of snap.authProfiles) {
      if (ap.parseError) {
        out.push({ checkId: "auth.unreadable", step: "auth", severity: "error", title: `${ap.file} cannot be parsed: ${ap.parseError}`, fix: "Restore it from a backup, or add the credential again: openclaw models auth paste-token --provider <provider>" });
        continue;
      }
      for (const p of ap.profiles) {
        if (!p.id.includes(":")) {
          out.push({ checkId: "auth.profile_id", step: "auth", severity: "warn", title: `auth profile id "${p.id}" (agent ${ap.agentId}) has no provider prefix`, fix: `rename it to "${p.provider}:default" in ${ap.file}` });
        }
        if (p.expires === undefined) continue;
        const left = p.expires - snap.now;
        if (left <= 0) out.push({ checkId: "auth.expired", step: "auth", severity: "warn", title: `auth profile ${p.id} (agent ${ap.agentId}) expired ${new Date(p.expires).toISOString()}`, fix: authFixCommand(p.provider) });
        else if (left <= DAY) out.push({ checkId: "auth.expiring", step: "auth", severity: "warn", title: `auth profile ${p.id} (agent ${ap.agentId}) expires within 24 h (${new Date(p.expires).toISOString()})`, fix: authFixCommand(p.provider) });
        else if (left < 7 * DAY) out.push({ checkId: "auth.expiring", step: "auth", severity: "info", title: `auth profile ${p.id} (agent ${ap.agentId}) expires in ${Math.ceil(left / DAY)} day(s)`, fix: authFixCommand(p.provider) });
        if (p.disabledUntil && p.disabledUntil > snap.now) out.push({ checkId: "auth.disabled", step: "auth", severity: "warn", title: `auth profile ${p.id} is disabled until ${new Date(p.disabledUntil).toISOString()} (billing or auth failures)`, fix: "Check the provider account's billing, then wait or log in again." });
      }
      if (ap.legacyFlat) out.push({ checkId: "auth.legacy_flat", step: "auth", severity: "warn", title: `${ap.file} uses the legacy flat { provider: { apiKey } } shape`, fix: "Add the credential again (openclaw models auth paste-token --provider <provider>) to rewrite it as <provider>:default profiles." });
    }
    return out;
  },
};

/** Configured model refs (defaults and per agent) whose provider is unknown or has no credentials. */
const modelCredentialsCheck: DoctorCheck = {
  step: "auth",
  title: "Model credentials",
  run: ({ snap, modelAuth }) => {
    if (!modelAuth) return [];
    const agents = obj(snap.input.agents);
    const where: Array<[string, unknown]> = [
      ["agents.defaults.model", obj(agents.defaults).model],
      ["agents.defaults.imageModel", obj(agents.defaults).imageModel],
      ...(Array.isArray(agents.list) ? agents.list.map((a, i) => [`agents.list[${i}].model`, obj(a).model] as [string, unknown]) : []),
      ...Object.entries(obj(agents.entries)).map(([id, a]) => [`agents.entries.${id}.model`, obj(a).model] as [string, unknown]),
    ];
    const out: DoctorFinding[] = [];
    for (const [at, value] of where) {
      for (const ref of modelRefsIn(value)) {
        for (const p of checkModelRef(ref, modelAuth)) out.push({ checkId: `model.${p.kind.replace(/-/g, "_")}`, step: "auth", severity: "warn", title: `${at}: ${p.message}` });
      }
    }
    return out;
  },
};

/** Each agent's default model has a usable credential; cooldowns are reported. */
const agentModelAuthCheck: DoctorCheck = {
  step: "auth",
  title: "Model auth per agent",
  run: (inputs) => checkAgentModelAuth(inputs),
};

const legacyStateCheck: DoctorCheck = {
  step: "legacy-state",
  title: "Legacy state (~/.clawdbot, ~/.moltbot)",
  run: ({ snap }) => {
    const out: DoctorFinding[] = [];
    const stateExists = snap.files[0]?.exists === true;
    for (const dir of snap.legacyStateDirs) {
      if (!stateExists) {
        out.push({ checkId: "legacy.state_dir", step: "legacy-state", severity: "warn", title: `legacy state dir ${dir} found and ${snap.paths.stateDir} does not exist`, fix: `copy it: cp -a ${dir} ${snap.paths.stateDir}`, repair: { id: "legacy.copy_state", summary: `copy ${dir} to ${snap.paths.stateDir} (the legacy dir is left as it is)`, safe: true, actions: [{ kind: "copy-dir", from: dir, to: snap.paths.stateDir }] } });
      } else {
        out.push({ checkId: "legacy.split_brain", step: "legacy-state", severity: "warn", title: `both ${dir} and ${snap.paths.stateDir} exist`, detail: "Two copies of channel credentials conflict (pairing and sessions split between them).", fix: `check which one is current, then move the other aside: mv ${dir} ${dir}.old` });
      }
    }
    return out;
  },
};

const stateIntegrityCheck: DoctorCheck = {
  step: "state",
  title: "State integrity",
  run: ({ snap, memory }) => {
    const out: DoctorFinding[] = [];
    const layout = snap.paths.layout;
    const state = snap.files[0]!;
    if (!state.exists) {
      out.push({ checkId: "state.missing", step: "state", severity: "warn", title: `state dir ${snap.paths.stateDir} does not exist`, repair: { id: "state.mkdir", summary: `create ${snap.paths.stateDir} (0700)`, safe: true, actions: [{ kind: "mkdir", path: snap.paths.stateDir, mode: 0o700 }] } });
      return out;
    }
    const required = [layout.credentialsDir, ...snap.agentIds.map((id) => layout.sessionsDir(id))].filter((d) => !existsSync(d));
    if (required.length) out.push({ checkId: "state.dirs_missing", step: "state", severity: "info", title: `missing dirs: ${required.join(", ")}`, repair: { id: "state.mkdirs", summary: "create the missing state dirs (0700)", safe: true, actions: required.map((d) => ({ kind: "mkdir" as const, path: d, mode: 0o700 })) } });
    for (const lock of snap.sessionLocks) {
      if (!lock.stale) continue;
      const why = lock.pid === undefined ? "no owner pid" : !lock.pidAlive ? `owner pid ${lock.pid} is dead` : `older than 30 min (${Math.round(lock.ageMs / 60000)} min)`;
      out.push({ checkId: "state.stale_session_lock", step: "state", severity: "warn", title: `stale session lock ${lock.path} (${why})`, detail: "Writes to this session block until it is removed.", fix: `rm ${lock.path}`, repair: { id: `state.remove_lock.${path.basename(lock.path)}`, summary: `remove stale lock ${lock.path}`, safe: true, actions: [{ kind: "remove", path: lock.path }] } });
    }
    for (const j of snap.jsonl) {
      if (j.badLines.length === 0) continue;
      out.push({ checkId: "state.jsonl_unparseable", step: "state", severity: "warn", title: `${j.path}: ${j.badLines.length} unparseable line(s) (${j.badLines.slice(0, 5).join(", ")}${j.badLines.length > 5 ? ", …" : ""})`, fix: "openclaw sessions check --fix (moves it to sessions/quarantine/; nothing is deleted)" });
    }
    out.push(...checkTranscriptFacts(snap.jsonl));
    for (const ext of snap.extensions) {
      if (ext.manifestId && ext.manifestId !== ext.folder) {
        out.push({ checkId: "state.extension_id_mismatch", step: "state", severity: "warn", title: `extension folder ${ext.folder} holds plugin "${ext.manifestId}"`, detail: "Plugins whose folder differs from their manifest id are skipped silently.", fix: `mv ${ext.dir} ${path.join(path.dirname(ext.dir), ext.manifestId)}`, repair: { id: `state.rename_extension.${ext.folder}`, summary: `rename ${ext.folder} → ${ext.manifestId}`, safe: false, actions: [{ kind: "rename", from: ext.dir, to: path.join(path.dirname(ext.dir), ext.manifestId) }] } });
      }
    }
    // The engine's view when the runner gathered it (dirty, mismatch, pending, broken provider); else the file check.
    if (memory) out.push(...memoryFindings(memory));
    else {
      for (const m of snap.memoryIndex) {
        if (!m.exists) out.push({ checkId: "state.memory_index_missing", step: "state", severity: "info", title: `memory index for agent ${m.agentId} is missing (${m.file})`, fix: `openclaw memory index --agent ${m.agentId}` });
      }
    }
    return out;
  },
};

const sandboxCheck: DoctorCheck = {
  step: "sandbox",
  title: "Sandbox images",
  run: ({ sandbox }) => (sandbox ? sandboxImageFindings(sandbox) : []),
};

const serviceCheck: DoctorCheck = {
  step: "service",
  title: "Gateway service config",
  run: ({ service, serviceRepairExternal }) => {
    if (!service) return [];
    const out: DoctorFinding[] = [];
    for (const w of service.warnings) {
      if (w.code === "drift" || w.code === "config-mismatch" || w.code === "token-mismatch") {
        out.push({
          checkId: `service.${w.code.replace("-", "_")}`,
          step: "service",
          severity: "warn",
          title: w.message,
          fix: w.fix,
          ...(serviceRepairExternal || w.code === "config-mismatch" ? {} : { repair: { id: `service.reinstall`, summary: "rewrite the service definition from this config and restart it", safe: false, service: true, actions: [{ kind: "service-reinstall" }] } }),
        });
      } else if (w.code === "profile-mismatch" || w.code === "other-install") {
        out.push({ checkId: `service.${w.code.replace("-", "_")}`, step: "service", severity: w.code === "other-install" ? "info" : "warn", title: w.message, fix: w.fix });
      } else if (w.code === "preflight") {
        out.push({ checkId: "service.supervisor_fallback", step: "service", severity: "info", title: w.message, fix: w.fix });
      }
    }
    return out;
  },
};

/** The audit's findings, as doctor findings (same rules, so the two never disagree). */
export function auditToDoctor(findings: AuditFinding[]): DoctorFinding[] {
  return findings.map((f) => ({
    checkId: f.checkId,
    step: "security",
    severity: f.severity,
    title: f.title,
    detail: f.detail,
    ...(f.remediation ? { fix: f.remediation } : {}),
    ...(f.fix ? { repair: { id: `security.${f.checkId}.${f.fix.map((a) => ("path" in a ? String(a.path) : a.kind)).join(",")}`, summary: f.remediation ?? f.title, safe: f.fix.every((a) => a.kind === "chmod"), actions: f.fix } } : {}),
  }));
}

const LINT_IDS = new Set(Object.values(ALLOWLIST_CHECK_IDS));

const securityCheck: DoctorCheck = {
  step: "security",
  title: "Security warnings (same rules as openclaw security audit)",
  // The allowlist lint is reported once, in the config step.
  run: ({ snap, auditDeep }) => auditToDoctor(runAuditRules(snap, auditDeep).filter((f) => !LINT_IDS.has(f.checkId))),
};

const healthCheck: DoctorCheck = {
  step: "gateway",
  title: "Gateway health",
  run: ({ service, serviceRepairExternal }) => {
    if (!service) return [];
    const s = service.service;
    if (s.installed && s.state !== "running") {
      return [{ checkId: "gateway.service_not_running", step: "gateway", severity: "warn", title: `the gateway service ${s.name} is ${s.state}${s.runtime.detail ? ` (${s.runtime.detail})` : ""}`, fix: "openclaw gateway start", ...(serviceRepairExternal ? {} : { repair: { id: "gateway.start", summary: "start the gateway service", safe: false, service: true, actions: [{ kind: "service-start" }] } }) }];
    }
    if (s.installed && service.probe && !service.probe.ok) {
      return [{ checkId: "gateway.unreachable", step: "gateway", severity: "warn", title: `the gateway does not answer at ${service.probe.url}: ${service.probe.error}`, fix: "openclaw logs --limit 50; openclaw gateway restart" }];
    }
    if (!s.installed && !service.probe?.ok) {
      return [{ checkId: "gateway.not_installed", step: "gateway", severity: "info", title: "no gateway service is installed and no gateway answers", fix: "openclaw gateway install (or run it in the foreground: openclaw gateway)" }];
    }
    return [];
  },
};

const daemonCheck: DoctorCheck = {
  step: "daemon",
  title: "Service supervisor",
  run: ({ service }) => {
    if (!service?.supervisor.fallbackFrom || !service.service.installed) return [];
    return [{ checkId: "daemon.no_native_supervisor", step: "daemon", severity: "info", title: `running under the detached supervisor because ${service.supervisor.fallbackFrom} is unavailable`, detail: "It does not survive a reboot.", fix: "enable lingering / the user bus, then openclaw gateway install --force" }];
  },
};

const workspaceCheck: DoctorCheck = {
  step: "workspace",
  title: "Workspace backup tip",
  run: ({ snap, env }) => {
    const out: DoctorFinding[] = [];
    for (const dir of workspaceDirs(snap.input, env, snap.paths.layout.defaultWorkspaceDir)) {
      if (existsSync(dir) && !existsSync(path.join(dir, ".git"))) out.push({ checkId: "workspace.not_git", step: "workspace", severity: "info", title: `workspace ${dir} is not a git repository`, fix: `cd ${dir} && git init && git add -A && git commit -m "workspace backup" (push to a private remote)` });
    }
    return out;
  },
};

/** A new state dir gets this long before "no backup yet" is a warning (and doctor exits 3 for it). */
export const BACKUP_GRACE_DAYS = 7;

const backupAgeCheck: DoctorCheck = {
  step: "backup",
  title: "Backups",
  run: ({ latestBackupAt, snap, stateDirSince }) => {
    if (latestBackupAt !== undefined && snap.now - latestBackupAt < BACKUP_GRACE_DAYS * DAY) return [];
    const fix = "openclaw backup create (then copy the archive off this machine)";
    if (latestBackupAt === undefined) {
      const ageDays = stateDirSince === undefined ? 0 : Math.max(0, Math.floor((snap.now - stateDirSince) / DAY));
      const young = stateDirSince === undefined || snap.now - stateDirSince < BACKUP_GRACE_DAYS * DAY;
      return [
        {
          checkId: "backup.stale",
          step: "backup",
          severity: young ? "info" : "warn",
          title: young ? `no backup of this state dir is recorded yet (it is ${ageDays} days old; this becomes a warning after ${BACKUP_GRACE_DAYS} days)` : `no backup of this state dir is recorded (it is ${ageDays} days old)`,
          fix,
        },
      ];
    }
    return [{ checkId: "backup.stale", step: "backup", severity: "warn", title: `the newest backup is ${Math.floor((snap.now - latestBackupAt) / DAY)} days old`, fix }];
  },
};

const backupScheduleCheck: DoctorCheck = {
  step: "backup",
  title: "Scheduled backups",
  run: ({ backupSchedule, snap }) => checkBackupSchedule({ schedule: backupSchedule?.schedule, run: backupSchedule?.run, now: snap.now }),
};

/** The registry, in execution order. `registerDoctorCheck` appends (or inserts before a step). */
export const DOCTOR_CHECKS: DoctorCheck[] = [updateCheck, configCheck, authCheck, modelCredentialsCheck, agentModelAuthCheck, legacyStateCheck, stateIntegrityCheck, sandboxCheck, serviceCheck, securityCheck, healthCheck, daemonCheck, workspaceCheck, backupAgeCheck, backupScheduleCheck];

export function registerDoctorCheck(check: DoctorCheck, options: { before?: string } = {}): void {
  if (DOCTOR_CHECKS.some((c) => c.step === check.step && c.title === check.title)) return;
  const i = options.before ? DOCTOR_CHECKS.findIndex((c) => c.step === options.before) : -1;
  if (i < 0) DOCTOR_CHECKS.push(check);
  else DOCTOR_CHECKS.splice(i, 0, check);
}

export function runDoctorChecks(inputs: DoctorInputs): DoctorFinding[] {
  return DOCTOR_CHECKS.flatMap((c) => c.run(inputs));
}
