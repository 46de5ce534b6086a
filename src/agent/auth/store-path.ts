/**
 * Which agent's auth store a command or request uses: `--agent <id>`, else OPENCLAW_AGENT_DIR, else
 * the default agent (`default: true`, else the first of `agents.list` / `agents.entries`, else
 * `main`). A configured `agentDir` wins over `<stateDir>/agents/<id>/agent`.
 */
import path from "node:path";
import { AppError } from "../../shared/index.js";

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Agent ids are lowercase slugs. */
export function normalizeAgentId(id: string): string {
  return id
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function configuredAgents(config: Record<string, unknown>): Array<{ id: string; default: boolean; agentDir?: string }> {
  const agents = obj(config.agents);
  const out: Array<{ id: string; default: boolean; agentDir?: string }> = [];
  const push = (id: unknown, e: Record<string, unknown>) => {
    if (typeof id === "string" && id.trim()) out.push({ id: normalizeAgentId(id), default: e.default === true, agentDir: typeof e.agentDir === "string" ? e.agentDir : undefined });
  };
  if (Array.isArray(agents.list)) for (const a of agents.list) push(obj(a).id, obj(a));
  for (const [id, e] of Object.entries(obj(agents.entries))) push(obj(e).id ?? id, obj(e));
  return out;
}

export interface AuthStoreLocation {
  agentId: string;
  agentDir: string;
  file: string;
}

/** Resolves the agent and its `auth-profiles.json`. An unknown `--agent` is an error listing the known ones. */
export function resolveAuthStoreLocation(o: {
  config: Record<string, unknown>;
  agentDirOf: (agentId: string) => string;
  agentId?: string;
  env?: Record<string, string | undefined>;
  home?: string;
}): AuthStoreLocation {
  const agents = configuredAgents(o.config);
  const expand = (p: string) => (p.startsWith("~/") && o.home ? path.join(o.home, p.slice(2)) : p);
  if (o.agentId !== undefined) {
    const id = normalizeAgentId(o.agentId);
    const entry = agents.find((a) => a.id === id);
    if (!entry && agents.length > 0 && id !== "main") {
      throw new AppError("NOT_FOUND", `agent "${o.agentId}" is not configured`, { hint: `Configured agents: ${agents.map((a) => a.id).join(", ")}.` });
    }
    const agentDir = entry?.agentDir ? expand(entry.agentDir) : o.agentDirOf(id);
    return { agentId: id, agentDir, file: path.join(agentDir, "auth-profiles.json") };
  }
  const envDir = o.env?.OPENCLAW_AGENT_DIR?.trim();
  const def = agents.find((a) => a.default) ?? agents[0];
  const id = def?.id ?? "main";
  const agentDir = envDir ? expand(envDir) : def?.agentDir ? expand(def.agentDir) : o.agentDirOf(id);
  return { agentId: id, agentDir, file: path.join(agentDir, "auth-profiles.json") };
}
