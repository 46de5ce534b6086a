/**
 * What `reset` and `uninstall` share before they delete anything: the managed gateway is stopped
 * (a foreground gateway still holding this state dir refuses the run, as OpenClaw does), a full
 * backup is written and checked to exist, and the answer to "are you sure" (asked on a terminal;
 * elsewhere `--yes` is required).
 */
import { existsSync } from "node:fs";
import { createBackup, defaultBackupPath, type RemovalPlan } from "../../ops/index.js";
import { AppError } from "../../shared/index.js";
import { canAsk, confirmOnTerminal } from "../prompt.js";
import type { CommandContext } from "../types.js";
import { readVersion } from "../version.js";
import { foregroundGateway, serviceSetup, waitForStopped } from "./gateway/service-common.js";

/** Stops the installed service if it runs; refuses when another gateway still uses this state. */
export async function stopManagedGateway(ctx: CommandContext): Promise<string[]> {
  const setup = serviceSetup(ctx);
  const stopped: string[] = [];
  if (setup.manager.readInstalled(setup.name) && ["running", "restarting"].includes(setup.manager.runtime(setup.name).status)) {
    await setup.manager.stop(setup.name);
    if (!(await waitForStopped(setup))) throw new AppError("GATEWAY_LOCKED", `the service ${setup.name} did not stop; nothing was removed`, { hint: "openclaw gateway status" });
    stopped.push(`stopped the service ${setup.name}`);
  }
  const fg = foregroundGateway(ctx, undefined);
  if (fg) {
    throw new AppError("GATEWAY_LOCKED", `a gateway (pid ${fg.pid}, port ${fg.port}) still runs for this state dir outside the service; nothing was removed`, {
      hint: `Stop it first (Ctrl-C in its terminal, or kill ${fg.pid}), then run this again.`,
    });
  }
  return stopped;
}

/** A full backup of the state (and the workspaces config points to) before anything goes. */
export async function backupFirst(ctx: CommandContext): Promise<string> {
  const paths = ctx.paths();
  const now = new Date();
  const result = await createBackup({ env: ctx.env, paths, output: defaultBackupPath(paths, now), mode: "full", excludeSessions: false, includeLogs: true, now, runtimeVersion: readVersion() });
  if (!existsSync(result.archive)) throw new AppError("FS", `the backup ${result.archive} was not written; nothing was removed`);
  return result.archive;
}

/** The plan as lines: what goes, what stays and why. */
export function describePlan(plan: RemovalPlan, verb: string): string[] {
  return [
    ...(plan.remove.length ? [`${verb}:`, ...plan.remove.map((r) => `  ${r.path}  (${r.what})`)] : [`Nothing to remove.`]),
    ...(plan.keep.length ? ["Kept:", ...plan.keep.map((k) => `  ${k.path}  (${k.why})`)] : []),
  ];
}

/** `--yes`, else a terminal's yes; refuses where it cannot ask. */
export async function confirmRemoval(ctx: CommandContext, lines: string[], command: string): Promise<boolean> {
  if (ctx.options.yes === true) return true;
  if (ctx.options["non-interactive"] === true || !canAsk(ctx)) {
    throw new AppError("USAGE", `${command} removes files and needs --yes when it cannot ask (no terminal, --json or --non-interactive)`, { hint: `${command} --dry-run shows the list; then ${command} --yes` });
  }
  return confirmOnTerminal(ctx, `${lines.join("\n")}\nA full backup is written first. Continue? [y/N] `);
}
