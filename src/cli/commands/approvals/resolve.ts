/** `openclaw approvals resolve <id> <allow-once|allow-always|deny>`: answers one pending exec approval on the gateway. */
import { AppError } from "../../../shared/index.js";
import { timeoutFor, withGateway } from "../../rpc.js";
import type { CommandHandler } from "../../types.js";

const DECISIONS = ["allow-once", "allow-always", "deny"] as const;
type Decision = (typeof DECISIONS)[number];

export const run: CommandHandler = async (ctx) => {
  const [id, decision] = ctx.args;
  if (!id || !decision) throw new AppError("USAGE", "approvals resolve needs an id and a decision", { hint: "e.g. openclaw approvals resolve <id> allow-once (ids: openclaw approvals pending)" });
  if (!(DECISIONS as readonly string[]).includes(decision)) {
    throw new AppError("USAGE", `unknown decision "${decision.slice(0, 40)}"`, { hint: `Use one of: ${DECISIONS.join(", ")}.` });
  }
  const result = (await withGateway(ctx, (client) => client.call("exec.approval.resolve", { id, decision: decision as Decision }, { timeoutMs: timeoutFor(ctx) }))) as {
    ok: boolean;
    id: string;
    decision: string;
    alreadyResolved?: boolean;
  };
  const note = typeof ctx.options.reason === "string" && ctx.options.reason ? ` (note: ${ctx.options.reason})` : "";
  return { data: result, human: result.alreadyResolved ? `${id}: already resolved (same decision: ${result.decision})` : `${id}: ${result.decision}${note}` };
};
