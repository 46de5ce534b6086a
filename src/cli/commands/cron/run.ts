/** `openclaw cron run <id> [--force|--due]`: enqueues a run and returns its id (`cron runs --id` shows the outcome). */
import { AppError } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";
import { callCron, jobId } from "./common.js";

export const run: CommandHandler = async (ctx) => {
  const id = jobId(ctx);
  if (ctx.options.force === true && ctx.options.due === true) throw new AppError("USAGE", "--force and --due contradict each other", { hint: "pass one of them" });
  const r = (await callCron(ctx, "cron.run", { id, mode: ctx.options.due === true ? "due" : "force" })) as { ok: boolean; ran: boolean; runId?: string; reason?: string };
  return { data: r, human: [r.ran ? `Started job ${id} (run ${r.runId}); see openclaw cron runs --id ${id}.` : `Job ${id} did not run: ${r.reason ?? "not due"}.`] };
};
