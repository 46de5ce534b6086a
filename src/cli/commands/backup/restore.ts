/**
 * `openclaw backup restore <archive>` — verify first (nothing is written from a bad archive), refuse
 * to write under a running gateway unless --force (which stops it first), keep a safety copy of
 * everything overwritten, put modes back, then run doctor's checks and print the result.
 */
import { applyRestore, type Category, planRestore, runDoctor, verifyBackup } from "../../../ops/index.js";
import { gatewayLockFile, isPidAlive, readLock, resolvePaths } from "../../../infra/index.js";
import { AppError, EXIT } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";
import { serviceSetup, stopGatewayFor } from "../gateway/service-common.js";

const ONLY: Record<string, Category[]> = {
  config: ["config"],
  credentials: ["credentials", "identity"],
  agents: ["agents"],
  sessions: ["sessions"],
  workspaces: ["workspaces"],
};

export const run: CommandHandler = async (ctx) => {
  const archive = ctx.args[0]!;
  const o = ctx.options;
  let only: Category[] | undefined;
  if (typeof o.only === "string") {
    only = [];
    for (const part of o.only.split(",").map((s) => s.trim()).filter(Boolean)) {
      const cats = ONLY[part];
      if (!cats) throw new AppError("USAGE", `--only: unknown part "${part}"`, { hint: `Use a comma list of ${Object.keys(ONLY).join(", ")}.` });
      only.push(...cats);
    }
  }
  const env = typeof o["state-dir"] === "string" ? { ...ctx.env, OPENCLAW_STATE_DIR: o["state-dir"], OPENCLAW_CONFIG_PATH: undefined } : ctx.env;
  const paths = typeof o["state-dir"] === "string" ? resolvePaths(env) : ctx.paths();
  const verified = await verifyBackup(archive);
  if (!verified.ok || !verified.manifest) {
    throw new AppError("CHECK_FAILED", `refusing to restore ${archive}: ${verified.problems.length} problem(s): ${verified.problems.slice(0, 3).join("; ")}${verified.problems.length > 3 ? "; …" : ""}`, {
      hint: `Nothing was written. See every problem with: openclaw backup verify ${archive}`,
    });
  }
  const target = { stateDir: paths.stateDir, configPath: paths.configPath, home: paths.home };
  const plan = planRestore(verified.manifest, target, only, { allowOutsideHome: o.force === true });
  for (const dir of plan.outsideHome) ctx.warn(`not restoring ${dir}: it is outside ${paths.home} (pass --force to write it)`);
  const summary = { archive, stateDir: paths.stateDir, files: plan.writes.filter((w) => w.type === "file").length, overwrite: plan.writes.filter((w) => w.overwrite).length, skipped: plan.skipped, categories: [...new Set(plan.writes.map((w) => w.category))] };
  if (o["dry-run"] === true) {
    return {
      data: { dryRun: true, ...summary, writes: plan.writes },
      human: [`would restore ${summary.files} file(s) into ${paths.stateDir} (${summary.overwrite} overwritten, safety copy first); categories: ${summary.categories.join(", ")}`, ...plan.writes.filter((w) => w.type === "file").slice(0, 50).map((w) => `  ${w.overwrite ? "overwrite" : "create   "} ${w.dest}`), "dry run: nothing written"],
    };
  }
  // A running gateway would overwrite what we restore (and hold sessions open).
  const lock = readLock(gatewayLockFile(paths.configPath));
  const running = lock && isPidAlive(lock.pid) ? lock.pid : undefined;
  if (running) {
    if (o.force !== true) throw new AppError("GATEWAY_LOCKED", `a gateway is running for ${paths.configPath} (pid ${running}); refusing to restore under it`, { hint: "Stop it (openclaw gateway stop), or pass --force to stop it first." });
    const stopped = await stopGatewayFor(serviceSetup({ ...ctx, env }), paths.configPath);
    ctx.warn(`stopped ${stopped.join(" and ")}; start it again with: openclaw gateway start`);
  }
  const result = await applyRestore(archive, plan, target);
  const doctor = await runDoctor({ env, paths: resolvePaths(env), mode: "report", deep: false });
  const data = { ...summary, written: result.written, overwritten: result.overwritten, safetyBackup: result.safetyBackup, doctor: { ok: doctor.ok, remaining: doctor.remaining.map((f) => ({ checkId: f.checkId, severity: f.severity, title: f.title, fix: f.fix })) } };
  return {
    data,
    human: [
      `restored ${result.written} entr${result.written === 1 ? "y" : "ies"} into ${paths.stateDir}${result.overwritten ? `; ${result.overwritten} overwritten file(s) saved in ${result.safetyBackup}` : ""}`,
      doctor.ok ? "doctor: healthy" : `doctor: ${doctor.remaining.length} problem(s) — run openclaw doctor`,
      ...doctor.remaining.map((f) => `  ${f.severity} ${f.title}${f.fix ? ` → ${f.fix}` : ""}`),
    ],
    exitCode: EXIT.ok,
  };
};
