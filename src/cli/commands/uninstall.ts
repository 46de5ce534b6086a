/**
 * `openclaw uninstall [--service] [--state] [--workspace] [--app] [--all] [--yes] [--non-interactive] [--dry-run] [--json]`:
 * removes the gateway service (its unit/plist/task and supervisor files, checked gone afterwards)
 * and/or the state dir and workspaces inside it, after a full backup that is kept. Nothing outside
 * the state dir and the service's own files is touched; a failed service removal blocks the rest.
 * Exits non-zero when anything requested was not done.
 */
import { executeRemoval, planUninstallData } from "../../ops/index.js";
import { AppError, EXIT } from "../../shared/index.js";
import type { CommandHandler } from "../types.js";
import { serviceFailure, serviceSetup } from "./gateway/service-common.js";
import { backupFirst, confirmRemoval, describePlan, stopManagedGateway } from "./removal-common.js";

export const run: CommandHandler = async (ctx) => {
  const o = ctx.options;
  const all = o.all === true;
  const want = { service: all || o.service === true, state: all || o.state === true, workspace: all || o.workspace === true, app: all || o.app === true };
  if (!want.service && !want.state && !want.workspace && !want.app) {
    throw new AppError("USAGE", "uninstall needs at least one of --service, --state, --workspace, --app or --all", { hint: "openclaw uninstall --service --dry-run" });
  }
  if (o["non-interactive"] === true && o.yes !== true) throw new AppError("USAGE", "--non-interactive needs --yes", { hint: "openclaw uninstall --service --yes --non-interactive" });
  const paths = ctx.paths();
  const setup = serviceSetup(ctx);
  const installed = want.service ? setup.manager.readInstalled(setup.name) : undefined;
  const serviceFiles = installed ? [installed.definitionPath] : [];
  const plan = want.state || want.workspace ? planUninstallData({ paths, env: ctx.env, state: want.state, workspace: want.workspace }) : { remove: [], keep: [], stopsGateway: false };
  const lines = [
    ...(want.service
      ? installed
        ? [
            `Service ${setup.name} (${setup.manager.label}): stopped and removed`,
            ...serviceFiles.map((f) => `  ${f}`),
            ...(installed.envFile && !want.state ? [`  (its secrets env file ${installed.envFile} stays with the state; --state removes it after the backup)`] : []),
          ]
        : [`Service: ${setup.name} is not installed (${setup.manager.label}).`]
      : []),
    ...(want.state || want.workspace ? describePlan(plan, o["dry-run"] === true ? "Would remove" : "Removes") : []),
    ...(want.app ? [process.platform === "darwin" ? "App: the macOS app is not managed by this CLI (remove /Applications/OpenClaw.app yourself)." : "App: not applicable on this platform."] : []),
  ];
  const backupNeeded = plan.remove.length > 0;
  if (o["dry-run"] === true) {
    return { data: { dryRun: true, service: installed ? { name: setup.name, files: serviceFiles } : null, remove: plan.remove, keep: plan.keep, backup: backupNeeded }, human: [...lines, ...(backupNeeded ? ["A full backup goes to ~/openclaw-backups/ first."] : [])] };
  }
  if (!installed && !backupNeeded) return { data: { service: null, removed: [], keep: plan.keep }, human: lines };
  if (!(await confirmRemoval(ctx, lines, "openclaw uninstall"))) return { data: { removed: [], cancelled: true }, human: "cancelled: nothing changed", exitCode: EXIT.failed };

  const human: string[] = [];
  let serviceRemoved: string[] = [];
  if (installed) {
    try {
      serviceRemoved = await setup.manager.remove(setup.name);
    } catch (error) {
      // The service may still run: state and workspaces stay until it is gone.
      throw serviceFailure(setup, "removing", error);
    }
    if (setup.manager.readInstalled(setup.name)) throw new AppError("SERVICE_FAILED", `${setup.name} is still installed after removal; nothing else was removed`, { hint: "openclaw gateway status --deep" });
    human.push(`removed the service ${setup.name} (${setup.manager.label})`, ...serviceRemoved.map((f) => `  removed ${f}`));
  }
  let backup: string | null = null;
  let removal: ReturnType<typeof executeRemoval> = { removed: [], failed: [] };
  if (backupNeeded) {
    human.push(...(await stopManagedGateway(ctx)));
    backup = await backupFirst(ctx);
    human.push(`Backup: ${backup} (kept; restore: openclaw backup restore ${backup})`);
    removal = executeRemoval(plan.remove);
    human.push(...removal.removed.map((p) => `removed ${p}`), ...removal.failed.map((f) => `NOT removed ${f.path}: ${f.error}`));
  }
  human.push(...plan.keep.map((k) => `kept ${k.path} (${k.why})`));
  return {
    data: { service: installed ? { name: setup.name, removed: serviceRemoved } : null, backup, removed: removal.removed, failed: removal.failed, keep: plan.keep },
    human,
    exitCode: removal.failed.length ? EXIT.failed : EXIT.ok,
  };
};
