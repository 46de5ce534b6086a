/** `openclaw cron edit <id> …`: a `cron.update` patch of only the flags given. */
import type { CronJob } from "../../../cron/index.js";
import { AppError } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";
import { callCron, deleteAfterRunFromFlags, deliveryFromFlags, jobId, payloadFromFlags, renderJob, scheduleFromFlags, sessionFromFlags, wakeFromFlags } from "./common.js";

export const run: CommandHandler = async (ctx) => {
  const id = jobId(ctx);
  const patch: Record<string, unknown> = {};
  if (typeof ctx.options.name === "string") patch.name = ctx.options.name;
  if (typeof ctx.options.description === "string") patch.description = ctx.options.description;
  if (typeof ctx.options.agent === "string") patch.agentId = ctx.options.agent;
  const schedule = scheduleFromFlags(ctx);
  if (schedule) patch.schedule = schedule;
  const payload = payloadFromFlags(ctx);
  if (payload) patch.payload = payload;
  const delivery = deliveryFromFlags(ctx);
  if (delivery) patch.delivery = delivery;
  const session = sessionFromFlags(ctx);
  if (session) patch.sessionTarget = session;
  const wake = wakeFromFlags(ctx);
  if (wake) patch.wakeMode = wake;
  const deleteAfterRun = deleteAfterRunFromFlags(ctx);
  if (deleteAfterRun !== undefined) patch.deleteAfterRun = deleteAfterRun;
  if (Object.keys(patch).length === 0) throw new AppError("USAGE", "nothing to change: pass at least one flag", { hint: "e.g. openclaw cron edit <id> --every 1h" });
  const job = (await callCron(ctx, "cron.update", { id, patch })) as CronJob;
  return { data: job, human: renderJob(job, "Updated") };
};
