/** `openclaw agents list [--json]` — configured agents with workspace, agent dir, model and routing-rule count. */
import { resolveAgents } from "../../../agent/index.js";
import type { CommandHandler } from "../../types.js";
import { loadAgentsConfig, tildify } from "./common.js";

export const run: CommandHandler = (ctx) => {
  const config = loadAgentsConfig(ctx);
  const paths = ctx.paths();
  const bindings = Array.isArray(config.bindings) ? config.bindings : [];
  const agents = resolveAgents({ config, layout: paths.layout, env: ctx.env }).map((a) => ({
    id: a.id,
    ...(a.name ? { name: a.name } : {}),
    ...(a.identity.name ? { identityName: a.identity.name } : {}),
    ...(a.identity.emoji ? { identityEmoji: a.identity.emoji } : {}),
    workspace: a.workspace,
    agentDir: a.agentDir,
    ...(a.model ? { model: a.model } : {}),
    bindings: bindings.filter((b) => b.agentId === a.id).length,
    isDefault: a.isDefault,
  }));
  const human = ["Agents:"];
  for (const a of agents) {
    human.push(`- ${a.id}${a.name ? ` (${a.name})` : ""}${a.isDefault ? " (default)" : ""}`);
    human.push(`  Workspace: ${tildify(a.workspace, paths.home)}`);
    human.push(`  Agent dir: ${tildify(a.agentDir, paths.home)}`);
    if (a.model) human.push(`  Model: ${a.model}`);
    human.push(`  Routing rules: ${a.bindings}`);
  }
  return { data: agents, human };
};
