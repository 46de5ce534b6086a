/** `openclaw cron add …`: builds `cron.add` params from flags (one-line usage errors) and prints the new job. */
import type { CronJob } from "../../../cron/index.js";
import { AppError } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";
import { callCron, deleteAfterRunFromFlags, deliveryFromFlags, payloadFromFlags, renderJob, scheduleFromFlags, sessionFromFlags, wakeFromFlags } from "./common.js";

const HINT = 'e.g. openclaw cron add --name inbox --every 30m --system-event "check the inbox"';

export const run: CommandHandler = async (ctx) => {
  const name = typeof ctx.options.name === "string" ? ctx.options.name.trim() : "";
  if (!name) throw new AppError("USAGE", "--name is required", { hint: HINT });
  const schedule = scheduleFromFlags(ctx);
  if (!schedule) throw new AppError("USAGE", "a schedule is required: --at, --every or --cron", { hint: HINT });
  const payload = payloadFromFlags(ctx);
  if (!payload || (payload.kind === "agentTurn" && !payload.message)) throw new AppError("USAGE", "a payload is required: --system-event <text> or --message <text>", { hint: HINT });
  const delivery = deliveryFromFlags(ctx);
  if (delivery?.mode === "announce") {
    if (payload.kind !== "agentTurn") throw new AppError("USAGE", "--announce needs --message (only an agent turn has a reply to deliver)", { hint: "use --message <text> --announce --channel <id> --to <dest>" });
    if (!delivery.to) throw new AppError("USAGE", "--announce needs --to <dest>", { hint: "e.g. --channel telegram --to 123456789" });
  }
  const session = sessionFromFlags(ctx);
  const wake = wakeFromFlags(ctx);
  const deleteAfterRun = deleteAfterRunFromFlags(ctx);
  const description = typeof ctx.options.description === "string" ? ctx.options.description : undefined;
  const agent = typeof ctx.options.agent === "string" && ctx.options.agent.trim() ? ctx.options.agent.trim() : undefined;
  const params = {
    name,
    schedule,
    sessionTarget: session ?? (payload.kind === "systemEvent" ? "main" : "isolated"),
    wakeMode: wake ?? "now",
    payload,
    ...(delivery ? { delivery } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(agent ? { agentId: agent } : {}),
    ...(deleteAfterRun !== undefined ? { deleteAfterRun } : {}),
    ...(ctx.options.disabled === true ? { enabled: false } : {}),
  };
  const job = (await callCron(ctx, "cron.add", params)) as CronJob;
  return { data: job, human: renderJob(job, "Added") };
};
