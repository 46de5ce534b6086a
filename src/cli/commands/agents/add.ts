/**
 * `openclaw agents add <name> [--workspace <dir>] [--model <ref>] [--agent-dir <dir>] [--json]` —
 * adds the agent through the config editor (comments kept, `.bak` kept) and creates its workspace
 * with the bootstrap files (unless skipBootstrap).
 */
import path from "node:path";
import { addAgentToConfig, ensureWorkspace, findAgent, normalizeAgentId } from "../../../agent/index.js";
import { expandUserPath } from "../../../infra/index.js";
import { AppError } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";
import { loadAgentsConfig, tildify } from "./common.js";

export const run: CommandHandler = async (ctx) => {
  const name = ctx.args[0]?.trim() ?? "";
  const agentId = normalizeAgentId(name);
  if (!agentId) throw new AppError("USAGE", `cannot make an agent id from "${name.slice(0, 64)}"`, { hint: "Use letters, digits, - or _, e.g. openclaw agents add work." });
  const paths = ctx.paths();
  const abs = (p: unknown) => (typeof p === "string" && p ? path.resolve(ctx.cwd, expandUserPath(p, ctx.env)) : undefined);
  const model = typeof ctx.options.model === "string" && ctx.options.model ? ctx.options.model : undefined;
  const result = await addAgentToConfig(agentId, { name, workspace: abs(ctx.options.workspace), agentDir: abs(ctx.options["agent-dir"]), model }, { configPath: paths.configPath, env: ctx.env, layout: paths.layout });
  for (const w of result.warnings) ctx.warn(`warning: ${w}`);
  const agent = findAgent({ config: loadAgentsConfig(ctx), layout: paths.layout, env: ctx.env }, agentId)!;
  const bootstrap = ensureWorkspace(agent);
  const data = { agentId, name, workspace: agent.workspace, agentDir: agent.agentDir, ...(model ? { model } : {}), bootstrap: { created: bootstrap.created, skipped: bootstrap.skipped }, configPath: paths.configPath };
  const human = [
    `Added agent ${agentId}${name !== agentId ? ` (${name})` : ""} to ${tildify(paths.configPath, paths.home)}`,
    `  Workspace: ${tildify(agent.workspace, paths.home)}${bootstrap.created.length ? ` (created ${bootstrap.created.join(", ")})` : ""}`,
    `  Agent dir: ${tildify(agent.agentDir, paths.home)}`,
    ...(model ? [`  Model: ${model}`] : []),
  ];
  return { data, human };
};
