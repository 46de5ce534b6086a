/** `openclaw cron list [--all] [--json]`: jobs by next run; `--json` prints `cron.list`'s result. */
import type { CronJob } from "../../../cron/index.js";
import type { CommandHandler } from "../../types.js";
import { callCron, renderJobs } from "./common.js";

export const run: CommandHandler = async (ctx) => {
  const all = ctx.options.all === true;
  const page = (await callCron(ctx, "cron.list", { includeDisabled: all, limit: 200 })) as { jobs: CronJob[]; total: number; hasMore?: boolean };
  const jobs = [...page.jobs];
  // More than one page: fetch the rest so the list is whole.
  let offset = jobs.length;
  while (jobs.length < page.total && offset > 0) {
    const next = (await callCron(ctx, "cron.list", { includeDisabled: all, limit: 200, offset })) as { jobs: CronJob[] };
    if (next.jobs.length === 0) break;
    jobs.push(...next.jobs);
    offset += next.jobs.length;
  }
  return { data: { ...page, jobs, offset: 0, limit: jobs.length, hasMore: false, nextOffset: null }, human: renderJobs(jobs) };
};
