/**
 * Adding, updating and removing agents through the config editor (validated, atomic, comments
 * outside the edited entry kept, `.bak` kept). The form already in use is kept: `agents.list[]`
 * stays a list; otherwise agents go to `agents.entries.<id>`. Adding to an install with only the
 * implicit `main` writes `main` too, so it stays where it was. Workspaces are never deleted here.
 */
import { type ConfigEditResult, loadConfigRuntime, type OpenClawConfig, readConfigInput } from "../../config/index.js";
import type { Env } from "../../infra/index.js";
import { AppError, formatConfigPath, type PathSegment } from "../../shared/index.js";
import { isValidAgentId, listAgents, normalizeAgentId } from "./resolve.js";

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
  const input = readInput(options);
  const existing = listAgents(input);
  if (existing.some((a) => a.id === agentId && a.source !== "implicit")) {
    throw new AppError("CONFIG_CONFLICT", `agent "${agentId}" already exists`, { hint: "Pick another id, or change it with agents.update / openclaw config set." });
  }
  const { runConfigSet } = await loadConfigRuntime();
  const agents = (input.agents ?? {}) as Entry;
  const entry = withoutUndefined(fields);
  const set = (segments: PathSegment[], value: unknown) =>
    runConfigSet({ configPath: options.configPath, env: options.env, path: formatConfigPath(segments), value, dryRun: options.dryRun ?? false });
  if (Array.isArray(agents.list) && agents.list.length > 0) return set(["agents", "list", agents.list.length], { id: agentId, ...entry });
  const implicitMain = existing.length === 1 && existing[0]!.source === "implicit";
  if (implicitMain && agentId !== "main") return set(["agents", "entries"], { main: {}, [agentId]: entry });
  return set(["agents", "entries", agentId], entry);
}

/** Updates an agent's fields in place (other fields of the entry kept). `NOT_FOUND` for an unknown id. */
export async function updateAgentInConfig(id: string, fields: AgentFields, options: AgentEditOptions): Promise<ConfigEditResult> {
  const agentId = normalizeAgentId(id);
  const input = readInput(options);
  const agent = listAgents(input).find((a) => a.id === agentId);
  if (!agent) throw notFound(agentId, input);
  const patch = withoutUndefined(fields);
  if (Object.keys(patch).length === 0) throw new AppError("USAGE", "nothing to update", { hint: "Pass at least one of name, workspace, agentDir, model, identity." });
  if (agent.source === "implicit") return addAgentToConfig(agentId, fields, options);
  const { runConfigSet } = await loadConfigRuntime();
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
  const { runConfigUnset } = await loadConfigRuntime();
  // Highest list index first, so earlier removals do not shift later ones.
  const places = locate(input, agentId).sort((a, b) => (typeof b[2] === "number" && typeof a[2] === "number" ? b[2] - a[2] : 0));
  const results = places.map((segments) =>
    runConfigUnset({ configPath: options.configPath, env: options.env, path: formatConfigPath(segments), dryRun: options.dryRun ?? false }),
  );
  return { agentId, wasDefault: agent.isDefault, results };
}

function notFound(agentId: string, input: OpenClawConfig): AppError {
  const known = listAgents(input).map((a) => a.id);
  return new AppError("NOT_FOUND", `agent "${agentId}" is not configured`, { hint: `Configured agents: ${known.join(", ")}.` });
}
