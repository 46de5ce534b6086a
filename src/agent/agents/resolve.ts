/**
 * Agents as the config names them, completed: both config forms (`agents.list[]` and the newer
 * `agents.entries.<id>`) merged, ids normalised, exactly one default, and each agent's agentDir,
 * sessions dir and workspace resolved to absolute paths (spec §2.8).
 */
import path from "node:path";
import type { OpenClawConfig } from "../../config/index.js";
import { type Env, expandUserPath, type StateLayout } from "../../infra/index.js";

/** Default per-file budget for injected workspace files (OpenClaw's documented default). */
export const DEFAULT_BOOTSTRAP_MAX_CHARS = 20_000;
/** Default total budget across injected workspace files (OpenClaw's documented default). */
export const DEFAULT_BOOTSTRAP_TOTAL_MAX_CHARS = 60_000;

/** An agent's identity as config states it (`identity.{name,emoji,theme,avatar}`). */
export interface AgentIdentity {
  name?: string;
  emoji?: string;
  theme?: string;
  avatar?: string;
}

/** One agent as config declares it, before paths are resolved. */
export interface AgentRef {
  id: string;
  name?: string;
  isDefault: boolean;
  /** Where it came from: `list` (agents.list[]), `entries` (agents.entries.<id>) or `implicit` (no agents configured). */
  source: "list" | "entries" | "implicit";
  /** The raw config entry (empty for the implicit `main`). */
  entry: Record<string, unknown>;
}

/** An agent with every path and limit resolved. */
export interface ResolvedAgent extends AgentRef {
  workspace: string;
  agentDir: string;
  sessionsDir: string;
  skipBootstrap: boolean;
  bootstrapMaxChars: number;
  bootstrapTotalMaxChars: number;
  identity: AgentIdentity;
  model: string | null;
}

type Entry = Record<string, unknown>;
const isObject = (v: unknown): v is Entry => v !== null && typeof v === "object" && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);
const posInt = (v: unknown): number | undefined => (typeof v === "number" && Number.isInteger(v) && v > 0 ? v : undefined);

/** Agent ids are lowercase slugs: `Work Bot` → `work-bot`. Empty input stays empty. */
export function normalizeAgentId(id: string): string {
  return id
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
}

/** Whether `id` is already a valid normalised agent id. */
export function isValidAgentId(id: string): boolean {
  return id.length > 0 && normalizeAgentId(id) === id;
}

/**
 * Agents from config: `agents.list[]` first (in order), then `agents.entries.<id>` (an entry for an
 * id already listed merges over it). With none configured, the implicit `main`. The default is the
 * agent named by `agents.defaults.systemAgent.agentId`, else the first with `default: true`, else
 * the first (spec §2.8).
 */
export function listAgents(config: OpenClawConfig): AgentRef[] {
  const agents = (config.agents ?? {}) as Entry;
  const byId = new Map<string, AgentRef>();
  const list = Array.isArray(agents.list) ? agents.list : [];
  for (const raw of list) {
    if (!isObject(raw) || !str(raw.id)) continue;
    const id = normalizeAgentId(str(raw.id)!);
    if (!id || byId.has(id)) continue;
    byId.set(id, { id, isDefault: false, source: "list", entry: raw });
  }
  const entries = isObject(agents.entries) ? agents.entries : {};
  for (const [key, raw] of Object.entries(entries)) {
    if (!isObject(raw)) continue;
    const id = normalizeAgentId(str(raw.id) ?? key);
    if (!id) continue;
    const prior = byId.get(id);
    byId.set(id, { id, isDefault: false, source: prior?.source ?? "entries", entry: { ...(prior?.entry ?? {}), ...raw } });
  }
  const refs = [...byId.values()];
  if (refs.length === 0) return [{ id: "main", isDefault: true, source: "implicit", entry: {} }];
  const defaults = isObject(agents.defaults) ? agents.defaults : {};
  const designated = isObject(defaults.systemAgent) ? str(defaults.systemAgent.agentId) : undefined;
  const designatedId = designated ? normalizeAgentId(designated) : undefined;
  let index = refs.findIndex((r) => r.id === designatedId);
  if (index < 0) index = refs.findIndex((r) => r.entry.default === true);
  if (index < 0) index = 0;
  return refs.map((r, i) => {
    const name = str(r.entry.name);
    return { ...r, ...(name ? { name } : {}), isDefault: i === index };
  });
}

/** The default agent's id. */
export function defaultAgentId(config: OpenClawConfig): string {
  return listAgents(config).find((a) => a.isDefault)!.id;
}

function modelOf(value: unknown): string | undefined {
  return str(value) ?? (isObject(value) ? str(value.primary) : undefined);
}

/**
 * Paths and limits for one agent. Workspace: the entry's `workspace`; for the default agent
 * (outside an explicit multi-agent roster) `agents.defaults.workspace` or the layout's default
 * workspace; for others `<agents.defaults.workspace>/<id>` when that root is set, else
 * `<stateDir>/workspace-<id>`.
 * agentDir: the entry's `agentDir`, `OPENCLAW_AGENT_DIR` for the default agent, else
 * `<stateDir>/agents/<id>/agent`.
 */
export function resolveAgent(ref: AgentRef, options: { config: OpenClawConfig; layout: StateLayout; env: Env }): ResolvedAgent {
  const { layout, env } = options;
  const defaults = isObject(options.config.agents?.defaults) ? (options.config.agents.defaults as Entry) : {};
  const entry = ref.entry;
  const expand = (p: string) => path.resolve(expandUserPath(p, env));
  const rootWorkspace = str(defaults.workspace);
  // In an explicit multi-agent roster (`agents.ownership: "explicit"`) every unpinned agent,
  // the default included, gets its own directory (OpenClaw 2026.x).
  const explicitRoster = (options.config.agents as Entry | undefined)?.ownership === "explicit" && listAgents(options.config).length > 1;
  const workspace = str(entry.workspace)
    ? expand(str(entry.workspace)!)
    : ref.isDefault && !explicitRoster
      ? rootWorkspace
        ? expand(rootWorkspace)
        : layout.defaultWorkspaceDir
      : rootWorkspace
        ? path.join(expand(rootWorkspace), ref.id)
        : path.join(layout.stateDir, `workspace-${ref.id}`);
  const envAgentDir = str(env.OPENCLAW_AGENT_DIR) ?? str(env.PI_CODING_AGENT_DIR);
  const agentDir = str(entry.agentDir) ? expand(str(entry.agentDir)!) : ref.isDefault && envAgentDir ? expand(envAgentDir) : layout.agentDir(ref.id);
  const identityRaw = isObject(entry.identity) ? entry.identity : {};
  const identity: AgentIdentity = {};
  for (const key of ["name", "emoji", "theme", "avatar"] as const) {
    const value = str(identityRaw[key]);
    if (value) identity[key] = value;
  }
  return {
    ...ref,
    workspace,
    agentDir,
    sessionsDir: layout.sessionsDir(ref.id),
    skipBootstrap: (typeof entry.skipBootstrap === "boolean" ? entry.skipBootstrap : defaults.skipBootstrap) === true,
    bootstrapMaxChars: posInt(entry.bootstrapMaxChars) ?? posInt(defaults.bootstrapMaxChars) ?? DEFAULT_BOOTSTRAP_MAX_CHARS,
    bootstrapTotalMaxChars: posInt(entry.bootstrapTotalMaxChars) ?? posInt(defaults.bootstrapTotalMaxChars) ?? DEFAULT_BOOTSTRAP_TOTAL_MAX_CHARS,
    identity,
    model: modelOf(entry.model) ?? modelOf(defaults.model) ?? null,
  };
}

/** Every configured agent, resolved. */
export function resolveAgents(options: { config: OpenClawConfig; layout: StateLayout; env: Env }): ResolvedAgent[] {
  return listAgents(options.config).map((ref) => resolveAgent(ref, options));
}

/** One agent by id (normalised), or undefined when it is not configured. */
export function findAgent(options: { config: OpenClawConfig; layout: StateLayout; env: Env }, id: string): ResolvedAgent | undefined {
  const wanted = normalizeAgentId(id);
  const ref = listAgents(options.config).find((a) => a.id === wanted);
  return ref ? resolveAgent(ref, options) : undefined;
}
