/** `openclaw cron status [--json]`: the scheduler's `cron.status`. */
import type { CommandHandler } from "../../types.js";
import { callCron } from "./common.js";

export const run: CommandHandler = async (ctx) => {
  const s = (await callCron(ctx, "cron.status", {})) as Record<string, unknown>;
  const next = typeof s.nextWakeAtMs === "number" ? new Date(s.nextWakeAtMs).toISOString() : "none";
  const human = [`Scheduler: ${s.enabled ? "enabled" : "disabled (jobs will not run automatically)"}`, `Jobs: ${String(s.jobs)} (store ${String(s.storePath)})`, `Next wake: ${next}`];
  if (typeof s.storeError === "string") human.push(`Store problem: ${s.storeError}`);
  return { data: s, human };
};
