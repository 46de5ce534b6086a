/**
 * `openclaw agents delete <id> [--force] [--json]` — removes the agent from the config. The only
 * agent is never removed; the default agent only with --force. Workspace, agent dir and sessions
 * stay on disk (named in the output).
 */
import { findAgent, removeAgentFromConfig } from "../../../agent/index.js";
import type { CommandHandler } from "../../types.js";
import { loadAgentsConfig, tildify } from "./common.js";

export const run: CommandHandler = async (ctx) => {
  const paths = ctx.paths();
  const before = findAgent({ config: loadAgentsConfig(ctx), layout: paths.layout, env: ctx.env }, ctx.args[0] ?? "");
  const removal = await removeAgentFromConfig(ctx.args[0] ?? "", { configPath: paths.configPath, env: ctx.env, layout: paths.layout, force: ctx.options.force === true });
  for (const w of removal.results.flatMap((r) => r.warnings)) ctx.warn(`warning: ${w}`);
  const retained = before ? { workspace: before.workspace, agentDir: before.agentDir, sessionsDir: before.sessionsDir } : {};
  const data = { agentId: removal.agentId, removed: true, wasDefault: removal.wasDefault, retained };
  const human = [
    `Removed agent ${removal.agentId} from ${tildify(paths.configPath, paths.home)}${removal.wasDefault ? " (it was the default; the next agent is now the default)" : ""}`,
    "Files kept on disk (remove them yourself if you no longer need them):",
    ...Object.values(retained).map((p) => `  ${tildify(p, paths.home)}`),
  ];
  return { data, human };
};
