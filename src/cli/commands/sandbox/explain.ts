/** `openclaw sandbox explain [--session <key>] [--agent <id>] [--json]`: the effective sandbox for a session, from config alone (no Docker needed). */
import { agentIdOfSessionKey, defaultAgentId, findAgent, normalizeAgentId } from "../../../agent/index.js";
import { explainSandbox, renderSandboxExplanation } from "../../../sandbox/index.js";
import { AppError } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";
import { loadSandboxContext } from "./common.js";

export const run: CommandHandler = (ctx) => {
  const { config } = loadSandboxContext(ctx);
  const session = typeof ctx.options.session === "string" ? ctx.options.session : undefined;
  const agentOpt = typeof ctx.options.agent === "string" ? normalizeAgentId(ctx.options.agent) : undefined;
  const agentId = agentOpt ?? (session ? agentIdOfSessionKey(session) : undefined) ?? defaultAgentId(config as never);
  const agent = findAgent({ config: config as never, layout: ctx.paths().layout, env: ctx.env }, agentId);
  if (!agent) throw new AppError("NOT_FOUND", `no agent ${agentId} in the config`, { hint: "openclaw agents list shows the configured agents" });
  const e = explainSandbox({ config, agentId: agent.id, ...(session ? { sessionKey: session } : {}), workspace: agent.workspace, stateDir: ctx.paths().layout.stateDir });
  return { data: e, human: renderSandboxExplanation(e) };
};
