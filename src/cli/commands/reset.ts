/**
 * `openclaw reset [--scope config|config+creds+sessions|full] [--yes] [--non-interactive] [--dry-run] [--json]`
 * (`state` and `all` are accepted for the last two): the exact list first (`--dry-run` prints it and
 * stops), then the managed gateway is stopped, a full backup written, and exactly that list removed —
 * never anything outside the state dir.
 */
import { executeRemoval, parseResetScope, planReset, RESET_SCOPES, type ResetScope } from "../../ops/index.js";
import { AppError, EXIT } from "../../shared/index.js";
import { askOnTerminal, canAsk } from "../prompt.js";
import type { CommandHandler } from "../types.js";
import { backupFirst, confirmRemoval, describePlan, stopManagedGateway } from "./removal-common.js";

export const run: CommandHandler = async (ctx) => {
  let raw = ctx.options.scope;
  if (raw === undefined) {
    if (ctx.options["non-interactive"] === true || !canAsk(ctx)) throw new AppError("USAGE", "reset needs --scope when it cannot ask", { hint: `openclaw reset --scope ${RESET_SCOPES.join("|")} --dry-run` });
    raw = await askOnTerminal(ctx, `What to reset? ${RESET_SCOPES.join(" | ")}: `);
  }
  const scope: ResetScope | undefined = typeof raw === "string" ? parseResetScope(raw) : undefined;
  if (!scope) throw new AppError("USAGE", `unknown --scope "${String(raw)}"`, { hint: `Use ${RESET_SCOPES.join(", ")} (or state, all).` });
  if (ctx.options["non-interactive"] === true && ctx.options.yes !== true) throw new AppError("USAGE", "--non-interactive needs --yes", { hint: `openclaw reset --scope ${scope} --yes --non-interactive` });
  const paths = ctx.paths();
  const plan = planReset({ paths, env: ctx.env, scope });
  const lines = describePlan(plan, ctx.options["dry-run"] === true ? "Would remove" : "Removes");
  const steps = plan.remove.length ? [`A full backup goes to ~/openclaw-backups/ first${plan.stopsGateway ? "; the managed gateway is stopped first" : ""}.`] : [];
  if (ctx.options["dry-run"] === true) {
    return { data: { scope, dryRun: true, remove: plan.remove, keep: plan.keep, stopsGateway: plan.stopsGateway }, human: [...lines, ...steps] };
  }
  if (plan.remove.length === 0) return { data: { scope, removed: [], keep: plan.keep, backup: null }, human: lines };
  if (!(await confirmRemoval(ctx, lines, `openclaw reset --scope ${scope}`))) {
    return { data: { scope, removed: [], cancelled: true }, human: "cancelled: nothing changed", exitCode: EXIT.failed };
  }
  const stopped = plan.stopsGateway ? await stopManagedGateway(ctx) : [];
  const backup = await backupFirst(ctx);
  const { removed, failed } = executeRemoval(plan.remove);
  const next = scope === "config" ? "Next: openclaw setup (or openclaw onboard)" : "Next: openclaw onboard --install-daemon";
  return {
    data: { scope, backup, stopped, removed, failed, keep: plan.keep },
    human: [
      ...stopped,
      `Backup: ${backup} (restore: openclaw backup restore ${backup})`,
      ...removed.map((p) => `removed ${p}`),
      ...failed.map((f) => `NOT removed ${f.path}: ${f.error}`),
      ...plan.keep.map((k) => `kept ${k.path} (${k.why})`),
      next,
    ],
    exitCode: failed.length ? EXIT.failed : EXIT.ok,
  };
};
