/**
 * Effective sandbox settings per agent and session (pure): `agents.defaults.sandbox` overlaid by the
 * agent's own `sandbox` block (`agents.list[]` or `agents.entries.<id>`), OpenClaw's defaults filled
 * in, with the config path each value came from (for `sandbox explain`). Also the rules that name
 * things: which sessions are sandboxed (`non-main` = every session but the agent's main one), the
 * scope key a container serves, its Docker name and the labels OpenClaw puts on it.
 */
import { createHash } from "node:crypto";

export type SandboxMode = "off" | "non-main" | "all";
export type SandboxScope = "session" | "agent" | "shared";
export type WorkspaceAccess = "none" | "ro" | "rw";

export const DEFAULT_SANDBOX_IMAGE = "openclaw-sandbox:bookworm-slim";
export const DEFAULT_CONTAINER_PREFIX = "openclaw-sbx-";

/** Labels OpenClaw sets on sandbox containers (so `sandbox list` finds containers either one made). */
export const SANDBOX_LABEL = "openclaw.sandbox";
export const SESSION_KEY_LABEL = "openclaw.sessionKey";
export const CREATED_AT_LABEL = "openclaw.createdAtMs";
export const CONFIG_HASH_LABEL = "openclaw.configHash";

export interface SandboxDockerSettings {
  image: string;
  containerPrefix: string;
  workdir: string;
  readOnlyRoot: boolean;
  tmpfs: string[];
  network: string;
  user?: string;
  capDrop: string[];
  env: Record<string, string>;
  setupCommand?: string;
  pidsLimit?: number;
  memory?: string;
  memorySwap?: string;
  cpus?: number;
  dns: string[];
  extraHosts: string[];
  binds: string[];
}

export interface SandboxSettings {
  agentId: string;
  mode: SandboxMode;
  scope: SandboxScope;
  workspaceAccess: WorkspaceAccess;
  /** Root of per-scope sandbox workspaces (absent: `<state>/sandboxes`). */
  workspaceRoot?: string;
  docker: SandboxDockerSettings;
  prune: { idleHours: number; maxAgeDays: number };
  /** Config path each of mode/scope/workspaceAccess/image came from (`default` when unset). */
  sources: Record<"mode" | "scope" | "workspaceAccess" | "image", string>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const strList = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x.trim() !== "") : undefined);

function normalizeId(id: string): string {
  return id
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
}

/** The agent's own config entry (`agents.list[]` by id, merged with `agents.entries.<id>`). */
function agentEntry(config: Obj, agentId: string): { entry: Obj; path: string } | undefined {
  const agents = obj(config.agents);
  const list = Array.isArray(agents.list) ? agents.list : [];
  const index = list.findIndex((e) => isObj(e) && typeof e.id === "string" && normalizeId(e.id) === agentId);
  const fromEntries = Object.entries(obj(agents.entries)).find(([k, e]) => isObj(e) && normalizeId(str(e.id) ?? k) === agentId);
  if (index < 0 && !fromEntries) return undefined;
  const entry = { ...obj(index >= 0 ? list[index] : {}), ...obj(fromEntries?.[1]) };
  return { entry, path: fromEntries && isObj(fromEntries[1]) && fromEntries[1].sandbox !== undefined ? `agents.entries.${fromEntries[0]}` : `agents.list[${index}]` };
}

function pick<T>(agentValue: T | undefined, agentPath: string, defaultValue: T | undefined, defaultPath: string, fallback: T): { value: T; source: string } {
  if (agentValue !== undefined) return { value: agentValue, source: agentPath };
  if (defaultValue !== undefined) return { value: defaultValue, source: defaultPath };
  return { value: fallback, source: "default" };
}

const asMode = (v: unknown): SandboxMode | undefined => (v === "off" || v === "non-main" || v === "all" ? v : undefined);
const asScope = (v: unknown): SandboxScope | undefined => (v === "session" || v === "agent" || v === "shared" ? v : undefined);
const asAccess = (v: unknown): WorkspaceAccess | undefined => (v === "none" || v === "ro" || v === "rw" ? v : undefined);

function dockerSettings(d: Obj, a: Obj): SandboxDockerSettings {
  const get = (k: string) => (a[k] !== undefined ? a[k] : d[k]);
  const env: Record<string, string> = {};
  for (const src of [obj(d.env), obj(a.env)]) for (const [k, v] of Object.entries(src)) if (typeof v === "string") env[k] = v;
  const memory = typeof get("memory") === "number" ? String(get("memory")) : str(get("memory"));
  const memorySwap = typeof get("memorySwap") === "number" ? String(get("memorySwap")) : str(get("memorySwap"));
  const out: SandboxDockerSettings = {
    image: str(get("image")) ?? DEFAULT_SANDBOX_IMAGE,
    containerPrefix: str(get("containerPrefix")) ?? DEFAULT_CONTAINER_PREFIX,
    workdir: str(get("workdir")) ?? "/workspace",
    readOnlyRoot: typeof get("readOnlyRoot") === "boolean" ? (get("readOnlyRoot") as boolean) : true,
    tmpfs: strList(get("tmpfs")) ?? ["/tmp", "/var/tmp", "/run"],
    network: str(get("network")) ?? "none",
    capDrop: strList(get("capDrop")) ?? ["ALL"],
    env,
    dns: strList(get("dns")) ?? [],
    extraHosts: strList(get("extraHosts")) ?? [],
    // An agent's binds add to the defaults' (as OpenClaw merges them).
    binds: [...(strList(d.binds) ?? []), ...(strList(a.binds) ?? [])],
  };
  const user = str(get("user"));
  if (user) out.user = user;
  const setup = str(get("setupCommand"));
  if (setup) out.setupCommand = setup;
  const pids = num(get("pidsLimit"));
  if (pids !== undefined) out.pidsLimit = pids;
  if (memory) out.memory = memory;
  if (memorySwap) out.memorySwap = memorySwap;
  const cpus = num(get("cpus"));
  if (cpus !== undefined) out.cpus = cpus;
  return out;
}

/** The effective sandbox settings of `agentId` (already normalised) under `config`. */
export function resolveSandboxSettings(config: Record<string, unknown>, agentId: string): SandboxSettings {
  const id = normalizeId(agentId) || "main";
  const defaults = obj(obj(obj(config.agents).defaults).sandbox);
  const own = agentEntry(config, id);
  const mine = obj(own?.entry.sandbox);
  const agentPath = own ? `${own.path}.sandbox` : `agents.list[id=${id}].sandbox`;
  const mode = pick(asMode(mine.mode), `${agentPath}.mode`, asMode(defaults.mode), "agents.defaults.sandbox.mode", "off" as SandboxMode);
  const scope = pick(asScope(mine.scope), `${agentPath}.scope`, asScope(defaults.scope), "agents.defaults.sandbox.scope", "agent" as SandboxScope);
  const access = pick(asAccess(mine.workspaceAccess), `${agentPath}.workspaceAccess`, asAccess(defaults.workspaceAccess), "agents.defaults.sandbox.workspaceAccess", "none" as WorkspaceAccess);
  const image = pick(str(obj(mine.docker).image), `${agentPath}.docker.image`, str(obj(defaults.docker).image), "agents.defaults.sandbox.docker.image", DEFAULT_SANDBOX_IMAGE);
  const prune = { ...obj(defaults.prune), ...obj(mine.prune) };
  const out: SandboxSettings = {
    agentId: id,
    mode: mode.value,
    scope: scope.value,
    workspaceAccess: access.value,
    docker: dockerSettings(obj(defaults.docker), obj(mine.docker)),
    prune: { idleHours: num(prune.idleHours) ?? 24, maxAgeDays: num(prune.maxAgeDays) ?? 7 },
    sources: { mode: mode.source, scope: scope.source, workspaceAccess: access.source, image: image.source },
  };
  const root = str(mine.workspaceRoot) ?? str(defaults.workspaceRoot);
  if (root) out.workspaceRoot = root;
  return out;
}

/** The agent's main session key (`agent:<id>:<session.mainKey>`; `global` under `session.scope: global`), as the sandbox rule compares it. */
export function sandboxMainSessionKey(config: Record<string, unknown>, agentId: string): string {
  const session = obj(config.session);
  if (session.scope === "global") return "global";
  const mainKey = str(session.mainKey) ?? "main";
  return `agent:${agentId.trim().toLowerCase().replace(/:/g, "_")}:${mainKey}`;
}

/** OpenClaw's rule: `all` sandboxes every session, `non-main` every session but the agent's main one, `off` none. */
export function isSessionSandboxed(settings: Pick<SandboxSettings, "mode">, sessionKey: string, mainSessionKey: string): boolean {
  if (settings.mode === "off") return false;
  if (settings.mode === "all") return true;
  return sessionKey.trim() !== mainSessionKey.trim();
}

/** The key a container serves: the session (`session`), `agent:<id>` (`agent`) or `shared`. */
export function sandboxScopeKey(scope: SandboxScope, sessionKey: string, agentId: string): string {
  if (scope === "shared") return "shared";
  if (scope === "session") return sessionKey.trim() || "main";
  return `agent:${agentId}`;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** A Docker-safe slug of a scope key: readable part + 8 hex of its hash (OpenClaw's shape). */
export function slugifyScopeKey(value: string): string {
  const trimmed = value.trim() || "session";
  const readable =
    trimmed
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 32) || "session";
  return `${readable}-${sha256(trimmed).slice(0, 8)}`;
}

/** `<prefix><slug>`, at most 63 characters (the prefix gives way, never the slug). */
export function sandboxContainerName(prefix: string, scope: SandboxScope, scopeKey: string): string {
  const slug = scope === "shared" ? "shared" : slugifyScopeKey(scopeKey);
  const full = `${prefix}${slug}`;
  return full.length <= 63 ? full : `${prefix.slice(0, Math.max(0, 63 - slug.length))}${slug}`;
}

/** The agent id a scope key belongs to (`agent:<id>…`), when it names one. */
export function agentIdOfScopeKey(scopeKey: string): string | undefined {
  const parts = scopeKey.trim().split(":");
  return parts[0] === "agent" && parts[1] ? parts[1] : undefined;
}

/** A hash of everything that shapes a container: a running one whose label differs has drifted. */
export function sandboxConfigHash(input: { docker: SandboxDockerSettings; workspaceAccess: WorkspaceAccess; binds: string[] }): string {
  return sha256(JSON.stringify({ docker: input.docker, workspaceAccess: input.workspaceAccess, binds: input.binds })).slice(0, 32);
}
