/**
 * Everything doctor, `security audit` and `status` look at, gathered once. Collecting reads the disk
 * (each probe bounded); the checks that consume it are pure. Secret values never enter the snapshot:
 * env variables are recorded as set/empty/missing only.
 */
import { existsSync, lstatSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { poisonReasonOfRecords } from "../agent/index.js";
import { readConfigInput } from "../config/index.js";
import { type Env, expandUserPath, LEGACY_STATE_DIR_NAMES, loadDotEnvFile, type ResolvedPaths, readSmallRegularFile } from "../infra/index.js";
import { resolveCurrentLogFile } from "../logging/index.js";
import { loadTranscript, readSessionLock } from "../storage/index.js";
import { collectSignalHostFacts, type SignalHostFacts } from "./signal-host.js";

export type FileKind =
  | "state-dir"
  | "config"
  | "include"
  | "credentials-dir"
  | "credential"
  | "auth-profiles"
  | "sessions-store"
  | "transcript"
  | "log"
  | "env-file"
  | "identity"
  | "agent-dir";

export interface FileFact {
  path: string;
  kind: FileKind;
  exists: boolean;
  mode?: number;
  uid?: number;
  symlink?: boolean;
  dir?: boolean;
}

export type EnvState = "set" | "empty" | "missing";

export interface EnvRefFact {
  name: string;
  /** Dotted config path that references it. */
  path: string;
  /** In this shell. */
  shell: EnvState;
  /** Provided by the state dir `.env`, the config `env` block or the service's env file. */
  providedBy?: "state .env" | "config env" | "service env file";
}

export interface SessionLockFact {
  path: string;
  pid?: number;
  createdAt?: string;
  ageMs: number;
  pidAlive: boolean;
  stale: boolean;
}

export interface JsonlFact {
  path: string;
  lines: number;
  /** Complete lines that are not records (the last, unterminated line is `tornTail` instead). */
  badLines: number[];
  /** A partial last line: a crash mid-write (the gateway cuts it on its next load). */
  tornTail?: { line: number; bytes: number };
  /** Why the transcript is poisoned (src/agent/sessions/poison.ts). */
  poisoned?: string;
}

export interface AuthProfileFact {
  agentId: string;
  file: string;
  parseError?: string;
  profiles: Array<{ id: string; provider: string; type: string; expires?: number; disabledUntil?: number; cooldownUntil?: number }>;
  /** Legacy flat `{ provider: { apiKey } }` shape. */
  legacyFlat: boolean;
}

export interface ExtensionFact {
  dir: string;
  folder: string;
  manifestId?: string;
}

export interface Snapshot {
  now: number;
  paths: ResolvedPaths;
  uid: number | undefined;
  stateDirOwner?: number;
  config: ReturnType<typeof readConfigInput>;
  /** Raw `gateway.*` etc. after lenient substitution (no defaults). */
  input: Record<string, unknown>;
  envRefs: EnvRefFact[];
  files: FileFact[];
  sessionLocks: SessionLockFact[];
  jsonl: JsonlFact[];
  authProfiles: AuthProfileFact[];
  agentIds: string[];
  legacyStateDirs: string[];
  extensions: ExtensionFact[];
  /** signal-cli, its account data and JAVA_HOME, only when Signal is configured. */
  signal?: SignalHostFacts;
  memoryIndex: Array<{ agentId: string; file: string; exists: boolean }>;
  /** Env state of the gateway credentials variables. */
  gatewayEnv: { token: EnvState; password: EnvState };
  serviceEnvFileKeys: string[];
}

export const STALE_LOCK_MS = 30 * 60 * 1000;
const JSONL_SCAN_MAX_BYTES = 8 * 1024 * 1024;

type Obj = Record<string, unknown>;
export const obj = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});

export function envState(env: Env, name: string): EnvState {
  const v = env[name];
  return v === undefined ? "missing" : v.trim() === "" ? "empty" : "set";
}

export function statFact(p: string, kind: FileKind): FileFact {
  try {
    const l = lstatSync(p);
    const symlink = l.isSymbolicLink();
    const s = symlink ? statSync(p) : l;
    return { path: p, kind, exists: true, mode: s.mode & 0o777, uid: s.uid, symlink, dir: s.isDirectory() };
  } catch {
    return { path: p, kind, exists: false };
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Agent ids: `agents.list[].id` and `agents.entries.<id>`, plus the agent dirs on disk, else `main`. */
export function agentIdsOf(input: Obj, agentsDir: string): string[] {
  const agents = obj(input.agents);
  const fromList = Array.isArray(agents.list) ? (agents.list as unknown[]).map((a) => obj(a).id).filter((x): x is string => typeof x === "string") : [];
  const fromEntries = Object.entries(obj(agents.entries)).map(([key, e]) => (typeof obj(e).id === "string" ? (obj(e).id as string) : key));
  const listed = [...fromList, ...fromEntries];
  const onDisk = list(agentsDir).filter((d) => statFact(path.join(agentsDir, d), "agent-dir").dir);
  const ids = [...new Set([...listed, ...onDisk])];
  return ids.length ? ids : ["main"];
}

/** A transcript judged read-only by the loader `sessions check` uses (torn tail, bad lines, poisoned). */
function scanJsonl(file: string): JsonlFact | undefined {
  try {
    if (statSync(file).size > JSONL_SCAN_MAX_BYTES) return undefined;
  } catch {
    return undefined;
  }
  const t = loadTranscript(file, { repair: false });
  if (t.problems.unreadable) return undefined;
  const poisoned = poisonReasonOfRecords(t.records);
  return {
    path: file,
    lines: t.records.length + t.problems.badLines.length + (t.problems.tornTail ? 1 : 0),
    badLines: t.problems.badLines,
    ...(t.problems.tornTail ? { tornTail: { line: t.problems.tornTail.line, bytes: t.problems.tornTail.bytes } } : {}),
    ...(poisoned ? { poisoned } : {}),
  };
}

/** A session lock as storage judges it (dead pid or older than 30 min = stale). */
function readLock(file: string, now: number): SessionLockFact {
  const h = readSessionLock(file, now) ?? { ageMs: 0, pidAlive: false };
  return { path: file, ...(h.pid !== undefined ? { pid: h.pid } : {}), ...(h.createdAt ? { createdAt: h.createdAt } : {}), ageMs: h.ageMs, pidAlive: h.pidAlive, stale: !h.pidAlive || h.ageMs > STALE_LOCK_MS };
}

const AUTH_PROFILES_MAX_BYTES = 4 * 1024 * 1024;

function readAuthProfiles(agentId: string, file: string): AuthProfileFact | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const text = readSmallRegularFile(file, AUTH_PROFILES_MAX_BYTES);
    if (text === null) throw new Error(`not a regular file of at most ${AUTH_PROFILES_MAX_BYTES} bytes`);
    const data = obj(JSON.parse(text));
    const profiles = obj(data.profiles);
    const legacyFlat = data.profiles === undefined && Object.values(data).some((v) => typeof obj(v).apiKey === "string");
    const usage = obj(data.usageStats);
    return {
      agentId,
      file,
      legacyFlat,
      profiles: Object.entries(profiles).map(([id, p]) => {
        const o = obj(p);
        const u = obj(usage[id]);
        return {
          id,
          provider: typeof o.provider === "string" ? o.provider : (id.split(":")[0] ?? id),
          type: typeof o.type === "string" ? o.type : "unknown",
          ...(typeof o.expires === "number" ? { expires: o.expires } : {}),
          ...(typeof u.disabledUntil === "number" ? { disabledUntil: u.disabledUntil } : {}),
          ...(typeof u.cooldownUntil === "number" ? { cooldownUntil: u.cooldownUntil } : {}),
        };
      }),
    };
  } catch (error) {
    return { agentId, file, legacyFlat: false, profiles: [], parseError: (error as Error).message };
  }
}

export interface CollectSnapshotOptions {
  env: Env;
  paths: ResolvedPaths;
  now?: number;
  /** Service env file keys, when a service is installed (names only). */
  serviceEnvFileKeys?: string[];
}

export function collectSnapshot(o: CollectSnapshotOptions): Snapshot {
  const { env, paths } = o;
  const now = o.now ?? Date.now();
  const layout = paths.layout;
  const config = readConfigInput({ configPath: paths.configPath, env, lenientEnv: true });
  const input = config.input;
  const stateEnv = loadDotEnvFile(layout.envFile);
  const configEnv = obj(input.env);
  const serviceKeys = o.serviceEnvFileKeys ?? [];
  const envRefs: EnvRefFact[] = config.envRefs.map((r) => {
    const providedBy = r.name in stateEnv && stateEnv[r.name] !== "" ? "state .env" : r.name in configEnv || r.name in obj(configEnv.vars) ? "config env" : serviceKeys.includes(r.name) ? "service env file" : undefined;
    return { name: r.name, path: r.path, shell: envState(env, r.name), ...(providedBy ? { providedBy } : {}) };
  });

  const files: FileFact[] = [statFact(paths.stateDir, "state-dir"), statFact(paths.configPath, "config")];
  for (const inc of config.files.slice(1)) files.push(statFact(inc, "include"));
  files.push(statFact(layout.credentialsDir, "credentials-dir"));
  for (const f of list(layout.credentialsDir)) if (f.endsWith(".json")) files.push(statFact(path.join(layout.credentialsDir, f), "credential"));
  files.push(statFact(layout.envFile, "env-file"));
  for (const f of list(layout.identityDir)) files.push(statFact(path.join(layout.identityDir, f), "identity"));
  const logsDir = layout.logsDir;
  for (const f of list(logsDir)) if (f.endsWith(".log")) files.push(statFact(path.join(logsDir, f), "log"));
  // A `logging.file` outside the state dir is the gateway's log too: its permissions matter as much.
  const configuredLog = obj(input.logging).file;
  if (typeof configuredLog === "string" && configuredLog.trim()) {
    const current = resolveCurrentLogFile(expandUserPath(configuredLog, env), logsDir);
    if (path.dirname(current) !== logsDir && existsSync(current)) files.push(statFact(current, "log"));
  }

  const agentIds = agentIdsOf(input, layout.agentsDir);
  const sessionLocks: SessionLockFact[] = [];
  const jsonl: JsonlFact[] = [];
  const authProfiles: AuthProfileFact[] = [];
  for (const id of agentIds) {
    const ap = readAuthProfiles(id, layout.authProfilesFile(id));
    if (ap) {
      authProfiles.push(ap);
      files.push(statFact(ap.file, "auth-profiles"));
    }
    const sessions = layout.sessionsDir(id);
    const store = layout.sessionStoreFile(id);
    if (existsSync(store)) files.push(statFact(store, "sessions-store"));
    for (const f of list(sessions)) {
      const full = path.join(sessions, f);
      if (f.endsWith(".lock")) sessionLocks.push(readLock(full, now));
      else if (f.endsWith(".jsonl")) {
        files.push(statFact(full, "transcript"));
        const scan = scanJsonl(full);
        if (scan) jsonl.push(scan);
      }
    }
  }
  const legacyStateDirs = LEGACY_STATE_DIR_NAMES.map((n) => path.join(paths.home, n)).filter((d) => d !== paths.stateDir && existsSync(d));

  const extensions: ExtensionFact[] = [];
  for (const folder of list(layout.extensionsDir)) {
    const dir = path.join(layout.extensionsDir, folder);
    if (!statFact(dir, "agent-dir").dir) continue;
    let manifestId: string | undefined;
    for (const [file, key] of [["openclaw.plugin.json", "id"], ["package.json", "name"]] as const) {
      try {
        const m = obj(JSON.parse(readSmallRegularFile(path.join(dir, file), 1024 * 1024) ?? ""));
        if (typeof m[key] === "string") {
          manifestId = String(m[key]).replace(/^@[^/]+\//, "");
          break;
        }
      } catch {
        // try the next manifest
      }
    }
    extensions.push({ dir, folder, ...(manifestId ? { manifestId } : {}) });
  }

  const signal: Snapshot["signal"] = collectSignalHostFacts(input, env);

  const memoryIndex: Snapshot["memoryIndex"] = [];
  const memorySearch = obj(obj(input.agents).defaults).memorySearch ?? input.memorySearch;
  if (memorySearch !== undefined && obj(memorySearch).enabled !== false) {
    for (const id of agentIds) {
      const file = path.join(layout.memoryDir, `${id}.sqlite`);
      memoryIndex.push({ agentId: id, file, exists: existsSync(file) });
    }
  }
  const stateFact = files[0]!;
  return {
    now,
    paths,
    uid: typeof process.getuid === "function" ? process.getuid() : undefined,
    ...(stateFact.uid !== undefined ? { stateDirOwner: stateFact.uid } : {}),
    config,
    input,
    envRefs,
    files,
    sessionLocks,
    jsonl,
    authProfiles,
    agentIds,
    legacyStateDirs,
    extensions,
    ...(signal ? { signal } : {}),
    memoryIndex,
    gatewayEnv: { token: envState(env, "OPENCLAW_GATEWAY_TOKEN"), password: envState(env, "OPENCLAW_GATEWAY_PASSWORD") },
    serviceEnvFileKeys: serviceKeys,
  };
}

/** Workspace dirs the config points at (defaults and per agent), expanded. */
export function workspaceDirs(input: Obj, env: Env, fallback: string): string[] {
  const agents = obj(input.agents);
  const out = new Set<string>();
  const d = obj(agents.defaults).workspace;
  out.add(typeof d === "string" ? expandUserPath(d, env) : fallback);
  // Both forms: `agents.list[]` and the newer `agents.entries.<id>`.
  for (const a of [...(Array.isArray(agents.list) ? agents.list : []), ...Object.values(obj(agents.entries))]) {
    if (typeof obj(a).workspace === "string") out.add(expandUserPath(obj(a).workspace as string, env));
  }
  return [...out];
}
