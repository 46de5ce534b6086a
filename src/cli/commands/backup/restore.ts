/**
 * `openclaw backup restore <archive>` — verify first with restore's own rules (nothing is written
 * from a refused archive: exit 3), list the dirs outside the state dir it would write and have them
 * confirmed (asked on a terminal, --force otherwise), refuse to write under a running gateway unless
 * --force (which stops it first), keep a safety copy of everything overwritten, put modes back, then
 * run doctor's checks and print the result.
 */
import { createInterface } from "node:readline/promises";
import { gatewayLockFile, isPidAlive, readLock, resolvePaths } from "../../../infra/index.js";
import { applyRestore, type Category, type ExternalPlan, planRestore, restoreTargetFor, runDoctor, verifyBackup } from "../../../ops/index.js";
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
  const verified = await verifyBackup(archive, restoreTargetFor(paths));
  if (!verified.ok || !verified.manifest) {
    throw new AppError("CHECK_FAILED", `refusing to restore ${archive}: ${verified.problems.length} problem(s): ${verified.problems.slice(0, 3).join("; ")}${verified.problems.length > 3 ? "; …" : ""}`, {
      hint: `Nothing was written. See every problem with: openclaw backup verify ${archive}`,
    });
  }
  const dryRun = o["dry-run"] === true;
  let confirm = o.force === true;
  const asking = planRestore(verified, only, { confirmExternals: confirm }).externals.filter((x) => x.status === "needs-confirmation");
  if (!confirm && asking.length && !dryRun && !ctx.json && process.stdin.isTTY === true && ctx.io.stderr.isTTY === true) confirm = await askToWrite(asking);
  const plan = planRestore(verified, only, { confirmExternals: confirm });
  const pending = plan.externals.filter((x) => x.status === "needs-confirmation");
  if (!dryRun) for (const x of pending) ctx.warn(`not restoring ${x.dest}: it is outside the state dir (pass --force to write it)`);
  const externals = plan.externals.map((x) => ({ id: x.id, kind: x.kind, source: x.source, dest: x.dest, status: x.status }));
  const summary = { archive, layout: verified.layout, stateDir: paths.stateDir, files: plan.writes.filter((w) => w.type === "file").length, overwrite: plan.writes.filter((w) => w.overwrite).length, skipped: plan.skipped, categories: [...new Set(plan.writes.map((w) => w.category))], externals };
  if (dryRun) {
    return {
      data: { dryRun: true, ...summary, writes: plan.writes.map((w) => ({ entry: w.entry, dest: w.dest, type: w.type, overwrite: w.overwrite, category: w.category })) },
      human: [
        `would restore ${summary.files} file(s) into ${paths.stateDir} (${summary.overwrite} overwritten, safety copy first); categories: ${summary.categories.join(", ")}`,
        ...plan.externals.map((x) => `  outside the state dir (${x.kind}${x.status === "confirmed" ? ", confirmed by --force" : ", needs confirmation or --force"}): ${x.dest}`),
        ...plan.writes.filter((w) => w.type === "file").slice(0, 50).map((w) => `  ${w.overwrite ? "overwrite" : "create   "} ${w.dest}`),
        "dry run: nothing written",
      ],
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
  const result = await applyRestore(archive, plan);
  const doctor = await runDoctor({ env, paths: resolvePaths(env), mode: "report", deep: false });
  const data = { ...summary, written: result.written, overwritten: result.overwritten, safetyBackup: result.safetyBackup, doctor: { ok: doctor.ok, remaining: doctor.remaining.map((f) => ({ checkId: f.checkId, severity: f.severity, title: f.title, fix: f.fix })) } };
  return {
    data,
    human: [
      `restored ${result.written} entr${result.written === 1 ? "y" : "ies"} into ${paths.stateDir}${result.overwritten ? `; ${result.overwritten} overwritten file(s) saved in ${result.safetyBackup}` : ""}`,
      ...plan.externals.map((x) => (x.status === "confirmed" ? `  also wrote ${x.kind} ${x.dest}` : `  left out ${x.kind} ${x.dest} (not confirmed)`)),
      doctor.ok ? "doctor: healthy" : `doctor: ${doctor.remaining.length} problem(s) — run openclaw doctor`,
      ...doctor.remaining.map((f) => `  ${f.severity} ${f.title}${f.fix ? ` → ${f.fix}` : ""}`),
    ],
    exitCode: EXIT.ok,
  };
};

/** Lists the dirs outside the state dir and asks once (terminal only). */
async function askToWrite(externals: ExternalPlan[]): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    process.stderr.write(`This archive also writes outside the state dir:\n${externals.map((x) => `  ${x.kind}: ${x.dest}`).join("\n")}\n`);
    return /^y(es)?$/i.test((await rl.question("Write these too? [y/N] ")).trim());
  } finally {
    rl.close();
  }
}
