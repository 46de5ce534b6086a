/**
 * `openclaw approvals pending [--json]`: the gateway's open exec approval requests. `--json` is
 * `{ approvals: [{ id, request: { command, cwd, agentId, sessionKey, reason }, createdAtMs, expiresAtMs }] }`.
 */
import { timeoutFor, withGateway } from "../../rpc.js";
import type { CommandHandler } from "../../types.js";

interface ApprovalRow {
  id: string;
  request: { command?: string; cwd?: string; agentId?: string; sessionKey?: string; reason?: string };
  createdAtMs: number;
  expiresAtMs: number;
}

/** Control characters shown as visible escapes, so a command cannot rewrite the terminal. */
function visible(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function seconds(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s}s` : `${Math.round(s / 60)}m`;
}

export const run: CommandHandler = async (ctx) => {
  const result = await withGateway(ctx, (client) => client.call("exec.approval.list", {}, { timeoutMs: timeoutFor(ctx) }));
  const approvals = (Array.isArray(result) ? result : []) as ApprovalRow[];
  const now = Date.now();
  const human: string[] = approvals.length === 0 ? ["No pending approvals."] : [`Pending approvals: ${approvals.length}`, ""];
  for (const a of approvals) {
    const r = a.request ?? {};
    human.push(`${a.id}  exec  agent ${r.agentId ?? "?"}  session ${r.sessionKey ?? "?"}  age ${seconds(now - a.createdAtMs)}  expires in ${seconds(a.expiresAtMs - now)}`);
    human.push(`  command: ${visible(r.command ?? "")}`);
    if (r.cwd) human.push(`  cwd: ${visible(r.cwd)}`);
    if (r.reason) human.push(`  reason: ${visible(r.reason)}`);
  }
  if (approvals.length > 0) human.push("", "Answer with: openclaw approvals resolve <id> <allow-once|allow-always|deny>");
  return { data: { approvals }, human };
};
