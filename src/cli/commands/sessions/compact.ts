/**
 * `openclaw sessions compact <key> [--agent <id>] [--max-lines <n>] [--json]` — asks the gateway to
 * summarise the session's older history (`sessions.compact`): one model call, one appended
 * compaction record, `compactionCount` + 1.
 */
import { AppError } from "../../../shared/index.js";
import { timeoutFor, withGateway } from "../../rpc.js";
import type { CommandHandler } from "../../types.js";

interface CompactResult {
  ok: boolean;
  key: string;
  agentId?: string;
  compacted: boolean;
  reason?: string;
  tokensBefore?: number;
  tokensAfter?: number;
  summarizedMessages?: number;
  compactionCount?: number;
}

export const run: CommandHandler = async (ctx) => {
  const key = ctx.args[0]!;
  const maxLines = ctx.options["max-lines"];
  if (maxLines !== undefined && (typeof maxLines !== "number" || !Number.isInteger(maxLines) || maxLines <= 0)) {
    throw new AppError("USAGE", "--max-lines needs a positive whole number", { hint: "e.g. openclaw sessions compact agent:main:main --max-lines 20" });
  }
  const params = { key, ...(typeof ctx.options.agent === "string" ? { agentId: ctx.options.agent } : {}), ...(typeof maxLines === "number" ? { maxLines } : {}) };
  // A model call: allow it the provider's time, not the usual RPC deadline.
  const r = (await withGateway(ctx, (client) => client.call("sessions.compact", params, { timeoutMs: timeoutFor(ctx, 180_000) }))) as CompactResult;
  const human = r.compacted
    ? [`Compacted ${r.key}: ${r.summarizedMessages} message(s) summarised, ~${r.tokensBefore} → ~${r.tokensAfter} tokens (compactions: ${r.compactionCount ?? "?"})`]
    : [`Nothing to compact in ${r.key} (${r.reason ?? "history fits"})`];
  return { data: r, human };
};
