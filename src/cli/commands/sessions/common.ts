/**
 * What every `openclaw sessions …` command needs: the config's `session` block, the configured
 * agents (`agents.list[]`, `agents.entries.<id>`, agent dirs on disk; default `main`) and each
 * agent's store (`session.store` template with `{agentId}`, else `agents/<id>/sessions/sessions.json`).
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { mainSessionKey } from "../../../agent/index.js";
import { readConfigInput } from "../../../config/index.js";
import { expandUserPath } from "../../../infra/index.js";
import { AppError } from "../../../shared/index.js";
import type { CommandContext } from "../../types.js";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});

export interface SessionStoreTarget {
  agentId: string;
  storePath: string;
  sessionsDir: string;
  mainKey: string;
}

export interface SessionsContext {
  session: Obj;
  agents: Obj;
  defaultAgentId: string;
  agentIds: string[];
  targets: SessionStoreTarget[];
}

const normaliseId = (id: string) => id.trim().toLowerCase();

/** Configured agent ids in order, and the default (`default: true`, else the first, else `main`). */
export function configuredAgents(input: Obj, agentsDir: string): { ids: string[]; defaultId: string } {
  const agents = obj(input.agents);
  const listed: string[] = [];
  let flagged: string | undefined;
  if (Array.isArray(agents.list)) {
    for (const a of agents.list) {
      const id = obj(a).id;
      if (typeof id !== "string" || !id.trim()) continue;
      listed.push(normaliseId(id));
      if (obj(a).default === true && !flagged) flagged = normaliseId(id);
    }
  }
  for (const [id, a] of Object.entries(obj(agents.entries))) {
    listed.push(normaliseId(id));
    if (obj(a).default === true && !flagged) flagged = normaliseId(id);
  }
  let onDisk: string[] = [];
  try {
    onDisk = readdirSync(agentsDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    // no agents yet
  }
  const ids = [...new Set([...listed, ...onDisk])];
  if (!ids.length) ids.push("main");
  return { ids, defaultId: flagged ?? listed[0] ?? (ids.includes("main") ? "main" : ids[0]!) };
}

/** Reads the config (a broken one is refused with its issue) and selects the stores for `--agent` / `--all-agents`. */
export function resolveSessionsContext(ctx: CommandContext): SessionsContext {
  const paths = ctx.paths();
  const config = readConfigInput({ configPath: paths.configPath, env: ctx.env });
  const issue = config.issues.find((i) => i.kind !== "schema");
  if (issue) throw new AppError("CONFIG_PARSE", `${issue.file}:${issue.line}:${issue.column}: ${issue.message}`, { hint: "Fix the config (openclaw config validate shows every problem), then run again." });
  const input = obj(config.input);
  const session = obj(input.session);
  const { ids, defaultId } = configuredAgents(input, paths.layout.agentsDir);
  const wanted = ctx.options.agent;
  if (wanted !== undefined && (typeof wanted !== "string" || !wanted.trim())) throw new AppError("USAGE", "--agent needs an agent id", { hint: `Configured agents: ${ids.join(", ")}.` });
  let selected: string[];
  if (ctx.options["all-agents"] === true) selected = ids;
  else if (typeof wanted === "string") {
    const id = normaliseId(wanted);
    if (!ids.includes(id)) throw new AppError("NOT_FOUND", `unknown agent "${wanted}"`, { hint: `Configured agents: ${ids.join(", ")} (openclaw sessions --all-agents lists every store).` });
    selected = [id];
  } else selected = [defaultId];
  const template = typeof session.store === "string" && session.store.trim() ? session.store : undefined;
  const mainKey = typeof session.mainKey === "string" && session.mainKey.trim() ? session.mainKey.trim() : "main";
  const targets = selected.map((agentId) => {
    const storePath = template ? expandUserPath(template.replaceAll("{agentId}", agentId), ctx.env) : paths.layout.sessionStoreFile(agentId);
    return { agentId, storePath, sessionsDir: path.dirname(storePath), mainKey: mainSessionKey(agentId, mainKey) };
  });
  return { session, agents: obj(input.agents), defaultAgentId: defaultId, agentIds: ids, targets };
}

/** `3m ago`, `2h ago`, `5d ago`. */
export function renderAge(ms: number | null): string {
  if (ms === null) return "unknown";
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.round(s / 60)}m ago` : s < 86400 ? `${Math.round(s / 3600)}h ago` : `${Math.round(s / 86400)}d ago`;
}

/** `812`, `12.3k`, `1.2m`. */
export function renderTokens(n: number | null): string {
  if (n === null) return "-";
  return n < 1000 ? String(n) : n < 1_000_000 ? `${(n / 1000).toFixed(1).replace(/\.0$/, "")}k` : `${(n / 1_000_000).toFixed(1).replace(/\.0$/, "")}m`;
}

/** Whether a store file exists (a missing one lists as empty, as in OpenClaw). */
export const storeExists = (t: SessionStoreTarget) => existsSync(t.storePath);
