/**
 * `openclaw approvals get [--agent <id>] [--json]`: the effective exec policy on this host, computed
 * locally (no gateway) from the config's `tools.exec` (per-agent first) and `<state>/exec-approvals.json`,
 * stricter side winning, plus the agent's allowlist.
 */
import { defaultAgentId, execApprovalsPath, loadExecApprovals, normalizeAgentId, resolveExecPolicy } from "../../../agent/index.js";
import { assertConfigReadable, readConfigInput } from "../../../config/index.js";
import type { CommandHandler } from "../../types.js";

export const run: CommandHandler = (ctx) => {
  const paths = ctx.paths();
  const snapshot = readConfigInput({ configPath: paths.configPath, env: ctx.env, lenientEnv: true });
  assertConfigReadable(snapshot);
  const config = snapshot.input as Record<string, unknown>;
  const agentId = typeof ctx.options.agent === "string" ? normalizeAgentId(ctx.options.agent) : defaultAgentId(config as never);
  const file = execApprovalsPath(paths.stateDir);
  const approvals = loadExecApprovals(file);
  const policy = resolveExecPolicy({ config, agentId, approvals });
  const data = {
    agentId,
    file,
    requested: policy.requested,
    host: policy.host,
    effective: { security: policy.security, ask: policy.ask, askFallback: policy.askFallback },
    allowlist: policy.allowlist.map((e) => ({ pattern: e.pattern, ...(e.argPattern ? { argPattern: e.argPattern } : {}), ...(e.source ? { source: e.source } : {}) })),
    timeoutSeconds: policy.timeoutSeconds,
    ...(policy.problems.length > 0 ? { problems: policy.problems } : {}),
  };
  const host = Object.entries(policy.host)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  const human = [
    `Exec policy for agent ${agentId}`,
    `  requested (${policy.requested.source}): security=${policy.requested.security} ask=${policy.requested.ask}`,
    `  host approvals (${file}): ${host || "no overrides"}`,
    `  effective: security=${policy.security} ask=${policy.ask} askFallback=${policy.askFallback}`,
    `  allowlist: ${data.allowlist.length === 0 ? "(empty)" : ""}`,
    ...data.allowlist.map((e) => `    ${e.pattern}${e.argPattern ? `  args ${e.argPattern}` : ""}${e.source ? `  (${e.source})` : ""}`),
    ...policy.problems.map((p) => `  problem: ${p} (exec is denied until it is fixed)`),
  ];
  return { data, human };
};
