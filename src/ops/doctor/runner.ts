/**
 * Doctor's runner: collect the snapshot (each probe bounded), run the checks, show the plan, apply
 * the repairs the mode allows (backup first, undo reported), then check again so the exit code says
 * what is left. Nothing outside the state dir (plus the config file) is touched, and nothing is
 * written when running as someone other than the state dir's owner.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { summarizeAgentModelAuth } from "../../agent/index.js";
import { type ConfigIssue, loadConfigRuntime, type OpenClawConfig } from "../../config/index.js";
import { type Env, loadDotEnvFile, type ResolvedPaths, readSmallRegularFile } from "../../infra/index.js";
import { AppError, collectSecretValues, redactText } from "../../shared/index.js";
import type { DeepProbe } from "../audit/rules.js";
import { loadBackupRun, loadBackupSchedule } from "../maintenance/schedule-file.js";
import { collectMemoryFacts } from "../memory.js";
import { type AppliedRepair, applyRepair, BackupDir, configEditDiff, describeAction, type Repair, timestampSlug } from "../repair.js";
import type { GatewayServiceStatus } from "../service-status.js";
import { collectSnapshot, type Snapshot } from "../snapshot.js";
import { type DoctorFinding, type DoctorInputs, runDoctorChecks } from "./checks.js";
import { loadModelAuthFacts } from "./model-auth.js";
import { collectSandboxFacts } from "./sandbox.js";
import { stateDirSince } from "./state-age.js";

export type DoctorMode = "interactive" | "yes" | "non-interactive" | "dry-run" | "report";

export interface DoctorOptions {
  env: Env;
  paths: ResolvedPaths;
  mode: DoctorMode;
  deep: boolean;
  now?: Date;
  /** Asks the user (interactive mode). */
  confirm?: (question: string) => Promise<boolean>;
  /** The service view (with its RPC probe); absent when it cannot be collected. */
  loadService?: () => Promise<GatewayServiceStatus | undefined>;
  serviceActions?: { reinstall(): Promise<string>; start(): Promise<string> };
  auditDeep?: () => Promise<DeepProbe>;
  gitInstall?: { root: string };
  /** Extra repairs asked for by flags (`--generate-gateway-token`). */
  extraRepairs?: (snap: Snapshot) => DoctorFinding[];
}

export interface PlannedRepair {
  id: string;
  summary: string;
  safe: boolean;
  service: boolean;
  actions: string[];
  diff?: string;
}

export interface ReportedFinding extends Omit<DoctorFinding, "repair"> {
  repair?: PlannedRepair;
}

export interface DoctorReport {
  ok: boolean;
  mode: DoctorMode;
  stateDir: string;
  configPath: string;
  findings: ReportedFinding[];
  applied: AppliedRepair[];
  skipped: Array<{ id: string; reason: string }>;
  failed: Array<{ id: string; error: string }>;
  backupDir: string | null;
  /** What is left after repairs (warn and above). */
  remaining: ReportedFinding[];
}

/** `sudo -u <owner>`: the user name owning the state dir, from /etc/passwd. */
export function ownerName(uid: number): string {
  try {
    for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
      const [name, , id] = line.split(":");
      if (Number(id) === uid && name) return name;
    }
  } catch {
    // no passwd file
  }
  return `'#${uid}'`;
}

function scheduleFacts(stateDir: string): NonNullable<DoctorInputs["backupSchedule"]> {
  const schedule = loadBackupSchedule(stateDir);
  const run = loadBackupRun(stateDir);
  return { ...(schedule ? { schedule } : {}), ...(run ? { run } : {}) };
}

async function gather(o: DoctorOptions): Promise<{ snap: Snapshot; inputs: DoctorInputs }> {
  const service = o.loadService ? await o.loadService().catch(() => undefined) : undefined;
  const installedEnvKeys = service?.service.envFileKeys ?? [];
  const snap = collectSnapshot({ env: o.env, paths: o.paths, now: (o.now ?? new Date()).getTime(), serviceEnvFileKeys: installedEnvKeys });
  let schemaIssues: ConfigIssue[] = [];
  if (snap.config.readable && snap.config.exists) {
    const { loadConfigSnapshot } = await loadConfigRuntime();
    const full = loadConfigSnapshot({ configPath: o.paths.configPath, env: o.env, lenientEnv: true });
    schemaIssues = full.issues.filter((i) => i.kind === "schema");
  }
  let latestBackupAt: number | undefined;
  try {
    const last = JSON.parse(readSmallRegularFile(path.join(o.paths.stateDir, "backups", "last-backup.json"), 64 * 1024) ?? "{}") as { createdAt?: string };
    const t = last.createdAt ? Date.parse(last.createdAt) : Number.NaN;
    if (Number.isFinite(t)) latestBackupAt = t;
  } catch {
    // no backup recorded
  }
  const since = stateDirSince(o.paths.stateDir);
  const auditDeep = o.deep && o.auditDeep ? await o.auditDeep().catch(() => undefined) : undefined;
  // Opens an index file only when it exists (SQLite loads then, never for a doctor without memory).
  const memory = snap.config.readable ? await collectMemoryFacts({ config: snap.input as OpenClawConfig, layout: o.paths.layout, env: o.env }).catch(() => undefined) : undefined;
  // Contacts Docker only when some agent's sandbox is on (each call bounded by a 5 s deadline).
  const sandbox = snap.config.readable ? await collectSandboxFacts({ config: snap.input as Record<string, unknown>, agentIds: snap.agentIds, env: o.env }).catch(() => undefined) : undefined;
  return {
    snap,
    inputs: {
      snap,
      env: o.env,
      schemaIssues,
      ...(service ? { service } : {}),
      deep: o.deep,
      ...(o.gitInstall ? { gitInstall: o.gitInstall } : {}),
      serviceRepairExternal: o.env.OPENCLAW_SERVICE_REPAIR_POLICY === "external",
      ...(auditDeep ? { auditDeep } : {}),
      ...(memory ? { memory } : {}),
      ...(sandbox ? { sandbox } : {}),
      ...(latestBackupAt !== undefined ? { latestBackupAt } : {}),
      backupSchedule: scheduleFacts(o.paths.stateDir),
      ...(since !== undefined ? { stateDirSince: since } : {}),
      modelAuth: loadModelAuthFacts({ input: snap.input, env: o.env, paths: o.paths }),
      agentModelAuth: snap.agentIds.map((id) =>
        summarizeAgentModelAuth({ config: snap.input, env: { ...loadDotEnvFile(path.join(o.paths.stateDir, ".env")), ...o.env }, storeFile: o.paths.layout.authProfilesFile(id), agentId: id, now: snap.now }),
      ),
    },
  };
}

/** Plan diffs quote config lines: the config's secrets (and any a repair sets) are masked. */
function plan(repair: Repair, snap: Snapshot): PlannedRepair {
  const raw = snap.config.raw !== null ? configEditDiff(snap.config.raw, repair.actions) : undefined;
  const setSecrets = repair.actions.flatMap((a) => (a.kind === "config-set" ? collectSecretValues(a.value, undefined, String(a.path[a.path.length - 1] ?? "")) : []));
  const diff = raw === undefined ? undefined : redactText(raw, { literals: [...collectSecretValues(snap.input), ...setSecrets] });
  return { id: repair.id, summary: repair.summary, safe: repair.safe, service: repair.service === true, actions: repair.actions.map(describeAction), ...(diff ? { diff } : {}) };
}

function report(findings: DoctorFinding[], snap: Snapshot): ReportedFinding[] {
  return findings.map(({ repair, ...f }) => ({ ...f, ...(repair ? { repair: plan(repair, snap) } : {}) }));
}

const isProblem = (f: DoctorFinding) => f.severity !== "info";

export async function runDoctor(o: DoctorOptions): Promise<DoctorReport> {
  const now = o.now ?? new Date();
  const first = await gather(o);
  const findings = [...runDoctorChecks(first.inputs), ...(o.extraRepairs?.(first.snap) ?? [])];
  const base = { mode: o.mode, stateDir: o.paths.stateDir, configPath: o.paths.configPath };
  const writes = o.mode === "yes" || o.mode === "non-interactive" || o.mode === "interactive";
  const repairs = findings.filter((f) => f.repair);
  if (!writes || repairs.length === 0) {
    const remaining = report(findings.filter(isProblem), first.snap);
    return { ok: remaining.length === 0, ...base, findings: report(findings, first.snap), applied: [], skipped: repairs.map((f) => ({ id: f.repair!.id, reason: o.mode === "dry-run" ? "dry run" : "report only (use --yes, --fix or --non-interactive)" })), failed: [], backupDir: null, remaining };
  }
  const { snap } = first;
  if (snap.uid !== undefined && snap.stateDirOwner !== undefined && snap.uid !== snap.stateDirOwner) {
    const owner = ownerName(snap.stateDirOwner);
    throw new AppError("FORBIDDEN", `refusing to repair ${snap.paths.stateDir}: it belongs to ${owner}, and this runs as uid ${snap.uid}`, {
      hint: `Run it as the owner: sudo -u ${owner} openclaw doctor ${o.mode === "yes" ? "--yes" : o.mode === "non-interactive" ? "--non-interactive" : ""}`.trim(),
    });
  }
  const backup = new BackupDir(o.paths.stateDir, timestampSlug(now));
  const applied: AppliedRepair[] = [];
  const skipped: DoctorReport["skipped"] = [];
  const failed: DoctorReport["failed"] = [];
  const seen = new Set<string>();
  const ctx = { stateDir: o.paths.stateDir, configPath: o.paths.configPath, allowed: snap.config.files, now, ...(o.serviceActions ? { service: o.serviceActions } : {}) };
  for (const f of repairs) {
    const repair = f.repair!;
    if (seen.has(repair.id)) continue;
    seen.add(repair.id);
    if (o.mode === "non-interactive" && (!repair.safe || repair.service)) {
      skipped.push({ id: repair.id, reason: repair.service ? "service changes need --yes or a prompt" : "not a safe migration (needs --yes or a prompt)" });
      continue;
    }
    if (o.mode === "interactive" && !(await (o.confirm?.(`${f.title}\n  → ${repair.summary}? [y/N] `) ?? Promise.resolve(false)))) {
      skipped.push({ id: repair.id, reason: "declined" });
      continue;
    }
    try {
      applied.push(await applyRepair(repair, ctx, backup));
    } catch (error) {
      failed.push({ id: repair.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  const after = applied.length > 0 ? await gather(o) : first;
  const left = [...runDoctorChecks(after.inputs)].filter(isProblem);
  const remaining = report(left, after.snap);
  return { ok: remaining.length === 0 && failed.length === 0, ...base, findings: report(findings, snap), applied, skipped, failed, backupDir: backup.path ?? null, remaining };
}
