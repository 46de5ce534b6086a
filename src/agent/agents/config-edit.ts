/**
 * Adding, updating and removing agents through the config editor (validated, atomic, comments
 * outside the edited entry kept, `.bak` kept). The form already in use is kept: `agents.list[]`
 * stays a list; otherwise agents go to `agents.entries.<id>`. Adding to an install with only the
 * implicit `main` writes `main` too, so it stays where it was. Workspaces are never deleted here.
 */
import { type ConfigEditResult, loadConfigRuntime, type OpenClawConfig, readConfigInput } from "../../config/index.js";
import type { Env, StateLayout } from "../../infra/index.js";
import { AppError, formatConfigPath, type PathSegment } from "../../shared/index.js";
import { type AgentRef, isValidAgentId, listAgents, normalizeAgentId, resolveAgent } from "./resolve.js";

/** Fields `agents add` / `agents.create` / `agents.update` may set. */
export interface AgentFields {
  name?: string;
  workspace?: string;
  agentDir?: string;
  model?: string;
  identity?: { name?: string; emoji?: string; theme?: string; avatar?: string };
}

export interface AgentEditOptions {
  configPath: string;
  env: Env;
  /** The state layout (the default workspace a newly explicit roster pins). */
  layout: StateLayout;
  dryRun?: boolean;
}

type Entry = Record<string, unknown>;
const isObject = (v: unknown): v is Entry => v !== null && typeof v === "object" && !Array.isArray(v);

function readInput(options: AgentEditOptions): OpenClawConfig {
  return readConfigInput({ configPath: options.configPath, env: options.env, lenientEnv: true }).input as OpenClawConfig;
}

/** Checks and normalises an id given by a user: it must already be a slug (no silent renames). */
export function parseAgentId(raw: string): string {
  const id = raw.trim();
  if (!isValidAgentId(id)) {
    const suggestion = normalizeAgentId(id);
    throw new AppError("USAGE", `invalid agent id "${id.slice(0, 64)}": ids are lowercase letters, digits, "-" and "_"`, {
      hint: suggestion ? `Use "${suggestion}".` : "Pick an id such as work or home-bot.",
    });
  }
  return id;
}

function withoutUndefined(fields: AgentFields): Entry {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** Where an agent's entry lives in the file: every place (list index and/or entries key). */
function locate(input: OpenClawConfig, id: string): PathSegment[][] {
  const agents = (input.agents ?? {}) as Entry;
  const places: PathSegment[][] = [];
  if (Array.isArray(agents.list)) {
    agents.list.forEach((e, i) => {
      if (isObject(e) && typeof e.id === "string" && normalizeAgentId(e.id) === id) places.push(["agents", "list", i]);
    });
  }
  if (isObject(agents.entries)) {
    for (const [key, e] of Object.entries(agents.entries)) {
      if (normalizeAgentId(isObject(e) && typeof e.id === "string" ? e.id : key) === id) places.push(["agents", "entries", key]);
    }
  }
  return places;
}

/** Adds an agent. Refuses an id that exists (`CONFIG_CONFLICT`). */
export async function addAgentToConfig(id: string, fields: AgentFields, options: AgentEditOptions): Promise<ConfigEditResult> {
  const agentId = parseAgentId(id);
  // Loaded first: from reading the file to writing it nothing awaits, so two edits never interleave.
  const { runConfigSet } = await loadConfigRuntime();
  const input = readInput(options);
  const existing = listAgents(input);
  if (existing.some((a) => a.id === agentId && a.source !== "implicit")) {
    throw new AppError("CONFIG_CONFLICT", `agent "${agentId}" already exists`, { hint: "Pick another id, or change it with agents.update / openclaw config set." });
  }
  const agents = (input.agents ?? {}) as Entry;
  const entry = withoutUndefined(fields);
  const set = (segments: PathSegment[], value: unknown) =>
    runConfigSet({ configPath: options.configPath, env: options.env, path: formatConfigPath(segments), value, dryRun: options.dryRun ?? false });
  const pinned = markOwnership(input, existing, options.layout, set);
  if (Array.isArray(agents.list) && agents.list.length > 0) return set(["agents", "list", agents.list.length], { id: agentId, ...entry });
  const implicitMain = existing.length === 1 && existing[0]!.source === "implicit";
  if (implicitMain && agentId !== "main") return set(["agents", "entries"], { main: pinned ? { workspace: pinned } : {}, [agentId]: entry });
  return set(["agents", "entries", agentId], entry);
}

/**
 * OpenClaw 2026.x refuses a multi-agent roster unless `agents.ownership` is "explicit" or exactly
 * one entry carries the legacy `default: true`, and in an explicit roster an unpinned default
 * agent moves to `workspace-<id>`. So before a second agent is added, the current default is
 * designated (`agents.defaults.systemAgent.agentId`, unless set), its workspace pinned where it
 * is, and ownership made explicit: the file stays loadable by OpenClaw and nothing moves.
 * Returns the workspace to pin on an implicit `main` (written with the new entry).
 */
function markOwnership(input: OpenClawConfig, existing: AgentRef[], layout: StateLayout, set: (segments: PathSegment[], value: unknown) => ConfigEditResult): string | undefined {
  const agents = (input.agents ?? {}) as Entry;
  if (agents.ownership === "explicit") return undefined;
  if (existing.filter((a) => a.entry.default === true).length === 1) return undefined;
  const defaults = isObject(agents.defaults) ? agents.defaults : {};
  const current = existing.find((a) => a.isDefault)!;
  if (!(isObject(defaults.systemAgent) && typeof defaults.systemAgent.agentId === "string")) {
    set(["agents", "defaults", "systemAgent", "agentId"], current.id);
  }
  const workspace = typeof defaults.workspace === "string" && defaults.workspace.trim() ? defaults.workspace.trim() : layout.defaultWorkspaceDir;
  let pinned: string | undefined;
  if (typeof current.entry.workspace !== "string") {
    const [place] = locate(input, current.id);
    if (place) set([...place, "workspace"], workspace);
    else pinned = workspace;
  }
  set(["agents", "ownership"], "explicit");
  return pinned;
}

/** Updates an agent's fields in place (other fields of the entry kept). `NOT_FOUND` for an unknown id. */
export async function updateAgentInConfig(id: string, fields: AgentFields, options: AgentEditOptions): Promise<ConfigEditResult> {
  const agentId = normalizeAgentId(id);
  // Loaded first: from reading the file to writing it nothing awaits, so two edits never interleave.
  const { runConfigSet } = await loadConfigRuntime();
  const input = readInput(options);
  const agent = listAgents(input).find((a) => a.id === agentId);
  if (!agent) throw notFound(agentId, input);
  const patch = withoutUndefined(fields);
  if (Object.keys(patch).length === 0) throw new AppError("USAGE", "nothing to update", { hint: "Pass at least one of name, workspace, agentDir, model, identity." });
  if (agent.source === "implicit") return addAgentToConfig(agentId, fields, options);
  const [place] = locate(input, agentId).slice(-1);
  let result: ConfigEditResult | undefined;
  for (const [key, value] of Object.entries(patch)) {
    result = runConfigSet({ configPath: options.configPath, env: options.env, path: formatConfigPath([...place!, key]), value, dryRun: options.dryRun ?? false });
  }
  return result!;
}

/** What removing an agent did: the config edits, and the paths deliberately left on disk. */
export interface AgentRemoval {
  agentId: string;
  wasDefault: boolean;
  results: ConfigEditResult[];
}

/**
 * Removes an agent's config entries (list item and/or entries key). Refuses an unknown agent, the
 * only agent, and the default agent unless `force`. Files on disk are left alone.
 */
export async function removeAgentFromConfig(id: string, options: AgentEditOptions & { force?: boolean }): Promise<AgentRemoval> {
  const agentId = normalizeAgentId(id);
  // Loaded first: from reading the file to writing it nothing awaits, so two edits never interleave.
  const { runConfigSet, runConfigUnset } = await loadConfigRuntime();
  const input = readInput(options);
  const agents = listAgents(input);
  const agent = agents.find((a) => a.id === agentId);
  if (!agent || agent.source === "implicit") throw notFound(agentId, input);
  if (agents.length === 1) {
    throw new AppError("USAGE", `agent "${agentId}" is the only configured agent and cannot be deleted`, { hint: "Add another agent first." });
  }
  if (agent.isDefault && !options.force) {
    throw new AppError("USAGE", `agent "${agentId}" is the default agent; refusing to delete it`, {
      hint: "Make another agent the default (agents.defaults.systemAgent.agentId), or re-run with --force.",
    });
  }
  // Nobody else's workspace may move because this agent left (a new default, or the last agent of
  // an explicit roster, would otherwise resolve to another directory): pin any that would.
  const remaining = agents.filter((a) => a.id !== agentId);
  const results: ConfigEditResult[] = [];
  const resolveOpts = { layout: options.layout, env: options.env };
  const after = withoutAgent(input, agentId, remaining[0]!.id);
  for (const other of remaining) {
    if (typeof other.entry.workspace === "string") continue;
    const before = resolveAgent(other, { config: input, ...resolveOpts }).workspace;
    const ref = listAgents(after).find((a) => a.id === other.id)!;
    if (resolveAgent(ref, { config: after, ...resolveOpts }).workspace === before) continue;
    const [place] = locate(input, other.id);
    if (place) results.push(runConfigSet({ configPath: options.configPath, env: options.env, path: formatConfigPath([...place, "workspace"]), value: before, dryRun: options.dryRun ?? false }));
  }
  // Highest list index first, so earlier removals do not shift later ones.
  const places = locate(input, agentId).sort((a, b) => (typeof b[2] === "number" && typeof a[2] === "number" ? b[2] - a[2] : 0));
  for (const segments of places) {
    results.push(
      runConfigUnset({ configPath: options.configPath, env: options.env, path: formatConfigPath(segments), dryRun: options.dryRun ?? false }),
    );
  }
  // A designation naming the removed agent moves to the first remaining one (never left dangling).
  const defaults = isObject((input.agents as Entry | undefined)?.defaults) ? ((input.agents as Entry).defaults as Entry) : {};
  if (isObject(defaults.systemAgent) && typeof defaults.systemAgent.agentId === "string" && normalizeAgentId(defaults.systemAgent.agentId) === agentId) {
    const next = remaining[0]!.id;
    results.push(runConfigSet({ configPath: options.configPath, env: options.env, path: "agents.defaults.systemAgent.agentId", value: next, dryRun: options.dryRun ?? false }));
  }
  return { agentId, wasDefault: agent.isDefault, results };
}

/** The config as it will be once `agentId` is gone (a designation of it moved to `next`). */
function withoutAgent(input: OpenClawConfig, agentId: string, next: string): OpenClawConfig {
  const copy = structuredClone(input) as OpenClawConfig;
  const agents = (copy.agents ?? {}) as Entry;
  if (Array.isArray(agents.list)) agents.list = agents.list.filter((e) => !(isObject(e) && typeof e.id === "string" && normalizeAgentId(e.id) === agentId));
  if (isObject(agents.entries)) {
    for (const [key, e] of Object.entries(agents.entries)) if (normalizeAgentId(isObject(e) && typeof e.id === "string" ? e.id : key) === agentId) delete agents.entries[key];
  }
  const defaults = isObject(agents.defaults) ? agents.defaults : undefined;
  if (defaults && isObject(defaults.systemAgent) && typeof defaults.systemAgent.agentId === "string" && normalizeAgentId(defaults.systemAgent.agentId) === agentId) {
    defaults.systemAgent.agentId = next;
  }
  return copy;
}

function notFound(agentId: string, input: OpenClawConfig): AppError {
  const known = listAgents(input).map((a) => a.id);
  return new AppError("NOT_FOUND", `agent "${agentId}" is not configured`, { hint: `Configured agents: ${known.join(", ")}.` });
}
