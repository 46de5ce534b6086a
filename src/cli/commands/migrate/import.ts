/** `openclaw migrate import <archive>` — restore, rewrite paths into this home, quarantine poisoned sessions, install the service. */
import { existsSync, readdirSync } from "node:fs";
import { resolvePaths } from "../../../infra/index.js";
import { applyRestore, collectSnapshot, planRestore, quarantinePoisonedSessions, restoreTargetFor, rewriteConfigPaths, verifyBackup } from "../../../ops/index.js";
import { planInstall, writeInstallFiles } from "../../../service/index.js";
import { AppError, EXIT } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";
import { readVersion } from "../../version.js";
import { cliEntry, servicePort, serviceSetup, waitForHealthy } from "../gateway/service-common.js";

export const run: CommandHandler = async (ctx) => {
  const archive = ctx.args[0]!;
  const env = typeof ctx.options["state-dir"] === "string" ? { ...ctx.env, OPENCLAW_STATE_DIR: ctx.options["state-dir"], OPENCLAW_CONFIG_PATH: undefined } : ctx.env;
  const paths = resolvePaths(env);
  const verified = await verifyBackup(archive, restoreTargetFor(paths));
  if (!verified.ok || !verified.manifest) {
    throw new AppError("CHECK_FAILED", `refusing to import ${archive}: ${verified.problems.slice(0, 3).join("; ")}`, { hint: `Nothing was written. openclaw backup verify ${archive}` });
  }
  const manifest = verified.manifest;
  if (existsSync(paths.stateDir) && readdirSync(paths.stateDir).some((f) => f !== "backups") && ctx.options.force !== true) {
    throw new AppError("CONFIG_CONFLICT", `${paths.stateDir} already has state`, { hint: "Import into an empty state dir, or pass --force to overwrite (a safety copy is kept)." });
  }
  // Workspaces outside the state dir are written only when confirmed (--force), as in backup restore.
  const plan = planRestore(verified, undefined, { confirmExternals: ctx.options.force === true });
  for (const x of plan.externals) if (x.status !== "confirmed") ctx.warn(`not importing ${x.kind} ${x.dest}: it is outside the state dir (pass --force to write it)`);
  const restored = await applyRestore(archive, plan);
  const fresh = resolvePaths(env);
  const rewrite = manifest.home !== fresh.home ? rewriteConfigPaths({ env, paths: fresh, fromHome: manifest.home, toHome: fresh.home }) : { rewritten: [], unresolved: [] };
  const snap = collectSnapshot({ env, paths: fresh });
  const quarantined = quarantinePoisonedSessions(fresh, snap.agentIds);
  const extensionMismatches = snap.extensions.filter((e) => e.manifestId && e.manifestId !== e.folder).map((e) => `${e.folder} holds "${e.manifestId}"`);
  let service: { installed: boolean; name?: string; kind?: string; healthy?: boolean; detail?: string } = { installed: false };
  if (ctx.options["no-service"] !== true) {
    const sctx = { ...ctx, env, paths: () => fresh };
    const setup = serviceSetup(sctx);
    const plan = planInstall({ manager: setup.manager, env, paths: fresh, port: servicePort(sctx), runtimePath: process.execPath, entryPath: cliEntry(), version: readVersion(), platform: setup.sctx.platform, force: true });
    writeInstallFiles(plan);
    await setup.manager.activate(plan.definition);
    const h = await waitForHealthy(setup, plan.definition.port);
    service = { installed: true, name: setup.name, kind: setup.manager.kind, healthy: h.healthy, ...(h.detail ? { detail: h.detail } : {}) };
  }
  const secrets = ((manifest.migration?.secrets ?? []) as Array<{ name: string; source: string }>).map((s) => s.name);
  const data = { archive, stateDir: fresh.stateDir, restored: restored.written, rewritten: rewrite.rewritten, unresolved: rewrite.unresolved, quarantined, extensionMismatches, service, secretsToEnter: secrets, nonPortable: manifest.migration?.nonPortable ?? [] };
  const human = [
    `imported ${restored.written} entries into ${fresh.stateDir} (from ${manifest.host}, ${manifest.createdAt})`,
    ...rewrite.rewritten.map((r) => `  rewrote ${r.path}: ${r.from} → ${r.to}`),
    ...rewrite.unresolved.map((r) => `  unresolved ${r.path}: ${r.to} does not exist here`),
    ...quarantined.map((q) => `  quarantined ${q.file} → ${q.movedTo} (${q.reason})`),
    ...extensionMismatches.map((m) => `  extension folder ${m}: rename it (openclaw doctor)`),
    service.installed ? `service ${service.name} (${service.kind}) ${service.healthy ? "running" : `not healthy: ${service.detail}`}` : "service not installed (--no-service): openclaw gateway install",
    `secrets checklist (enter them on this host, e.g. in ${fresh.layout.envFile}): ${secrets.join(", ") || "none"}`,
    "then: openclaw migrate verify",
  ];
  return { data, human, exitCode: rewrite.unresolved.length || (service.installed && !service.healthy) ? EXIT.problems : EXIT.ok };
};
