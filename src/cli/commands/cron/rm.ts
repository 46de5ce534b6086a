/** `openclaw cron rm <id>`: removes a job and its run log. */
import type { CommandHandler } from "../../types.js";
import { callCron, jobId } from "./common.js";

export const run: CommandHandler = async (ctx) => {
  const id = jobId(ctx);
  const r = (await callCron(ctx, "cron.remove", { id })) as { ok: boolean; removed: boolean };
  return { data: { id, ...r }, human: [`Removed job ${id}.`] };
};
