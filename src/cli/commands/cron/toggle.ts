/** `cron enable|disable <id>`: a `cron.update` of `enabled`. */
import type { CronJob } from "../../../cron/index.js";
import type { CommandContext, CommandResult } from "../../types.js";
import { callCron, jobId, renderJob } from "./common.js";

export async function setEnabled(ctx: CommandContext, enabled: boolean): Promise<CommandResult> {
  const id = jobId(ctx);
  const job = (await callCron(ctx, "cron.update", { id, patch: { enabled } })) as CronJob;
  return { data: job, human: renderJob(job, enabled ? "Enabled" : "Disabled") };
}
