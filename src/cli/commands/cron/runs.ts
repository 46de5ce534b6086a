/** `openclaw cron runs --id <id> [--limit n]`: the job's run log, newest first. */
import type { CronRunLogEntry } from "../../../cron/index.js";
import { AppError } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";
import { callCron, renderRuns } from "./common.js";

export const run: CommandHandler = async (ctx) => {
  const id = typeof ctx.options.id === "string" && ctx.options.id.trim() ? ctx.options.id.trim() : ctx.args[0];
  if (!id) throw new AppError("USAGE", "--id is required", { hint: "openclaw cron runs --id <job id> (openclaw cron list --all shows ids)" });
  const limit = ctx.options.limit;
  if (limit !== undefined && (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > 200)) throw new AppError("USAGE", "--limit must be a whole number from 1 to 200", { hint: "e.g. --limit 20" });
  const page = (await callCron(ctx, "cron.runs", { id, ...(limit ? { limit } : {}) })) as { entries: CronRunLogEntry[] };
  return { data: page, human: renderRuns(page.entries) };
};
