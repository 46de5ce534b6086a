/**
 * `openclaw migrate import <archive>` — restore, rewrite paths into this home (config and the
 * state's JSON stores), open sealed secrets when given the passphrase, quarantine poisoned
 * sessions, install the service. A path the source did not have either is a note, not a failure.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import type { OpenClawConfig } from "../../../config/index.js";
import { resolvePaths, writeFileAtomic } from "../../../infra/index.js";
import { applyRestore, collectSnapshot, importRecordFile, openSealed, type PathRewrite, planRestore, quarantinePoisonedSessions, type RestorePlan, readArchive, rebuildMemoryIndexes, restoreTargetFor, rewriteConfigPaths, rewriteStatePaths, verifyBackup } from "../../../ops/index.js";
import { planInstall, writeInstallFiles } from "../../../service/index.js";
import { AppError, EXIT } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";
import { readVersion } from "../../version.js";
import { cliEntry, servicePort, serviceSetup, waitForHealthy } from "../gateway/service-common.js";
import { createProgressReporter } from "../memory/progress.js";
import { PASSPHRASE_ENV, readPassphrase } from "./passphrase.js";

/** Reads one small file out of the archive. */
async function readEntry(archive: string, name: string): Promise<string | undefined> {
  let parts: Buffer[] | undefined;
  await readArchive(archive, (h) => {
    if (h.path !== name || h.type !== "file") return undefined;
    parts = [];
    return { data: (c) => parts!.push(Buffer.from(c)), end: () => {} };
  });
  return parts ? Buffer.concat(parts).toString("utf8") : undefined;
}

/** Writes the opened secrets where the restore put their neighbours (0600); externals only when they were written. */
function writeSealed(files: ReturnType<typeof openSealed>, plan: RestorePlan, stateDir: string): { written: string[]; skipped: string[] } {
  const written: string[] = [];
  const skipped: string[] = [];
  for (const f of files) {
    const root = f.asset === "state" ? stateDir : plan.externals.find((x) => x.id === f.asset && x.status === "confirmed")?.dest;
    const dest = root ? path.join(root, ...f.rel.split("/")) : undefined;
    if (!root || !dest || f.rel.split("/").includes("..") || path.isAbsolute(f.rel)) {
      skipped.push(`${f.asset}:${f.rel}`);
      continue;
    }
    writeFileAtomic(dest, Buffer.from(f.data, "base64"), { mode: 0o600 });
    written.push(dest);
  }
  return { written, skipped };
}

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
  const migration = manifest.migration ?? {};
  const moved = manifest.home && manifest.home !== fresh.home;
  const rewrite = moved ? rewriteConfigPaths({ env, paths: fresh, fromHome: manifest.home, toHome: fresh.home }) : { rewritten: [], unresolved: [] };
  const stateRewrite = moved ? rewriteStatePaths({ stateDir: fresh.stateDir, configPath: fresh.configPath, fromHome: manifest.home, toHome: fresh.home }) : { rewritten: [], notRewritten: [] };
  // Missing here because it was missing on the source too: a note. Our exports record what existed;
  // for other archives, a path inside the state dir (archived whole) that is not in it did not exist.
  const atSource = new Map(((migration.pathsAtSource ?? []) as Array<{ path: string; exists: boolean }>).map((p) => [p.path, p.exists]));
  const missingAtSource = (r: PathRewrite) => atSource.get(r.from) === false || (!atSource.has(r.from) && !path.relative(fresh.stateDir, r.to).startsWith(".."));
  const notes = rewrite.unresolved.filter(missingAtSource).map((r) => `${r.path}: ${r.to} did not exist on the source either (created when first used)`);
  const unresolved = rewrite.unresolved.filter((r) => !missingAtSource(r));
  if (stateRewrite.notRewritten.length) notes.push(`not rewritten (SQLite; paths inside may still name ${manifest.home}): ${stateRewrite.notRewritten.map((f) => path.relative(fresh.stateDir, f)).join(", ")}`);
  // Sealed secrets (export --include-secrets) open with the passphrase; without it they stay sealed.
  let sealed: { written: string[]; skipped: string[]; left?: string } = { written: [], skipped: [] };
  if (manifest.sealed) {
    const passphrase = await readPassphrase(ctx, { confirm: false });
    if (!passphrase) sealed = { written: [], skipped: [], left: `the archive carries sealed secrets (${manifest.sealed.files.join(", ")}); import again with --passphrase-file <file> or ${PASSPHRASE_ENV} to open them, or enter them by hand` };
    else sealed = writeSealed(openSealed((await readEntry(archive, manifest.sealed.path)) ?? "", passphrase), plan, fresh.stateDir);
  }
  // What the source had, for `migrate verify` (cron jobs are counted on both sides: openclaw/openclaw#97422).
  writeFileAtomic(importRecordFile(fresh.stateDir), `${JSON.stringify({ archive: path.resolve(archive), importedAt: new Date().toISOString(), source: { host: manifest.host, createdAt: manifest.createdAt, home: manifest.home }, cronJobs: migration.cronJobs ?? null }, null, 2)}\n`);
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
  // Bring the memory index up to date here (the archive carries a snapshot; files whose size and mtime
  // survived the move are skipped), after the service started (its bootstrap may have added USER.md to
  // the workspace); WAL and a busy timeout let both write.
  const reporter = ctx.json ? undefined : createProgressReporter({ io: ctx.io, json: false });
  const memory = await rebuildMemoryIndexes({ config: snap.input as OpenClawConfig, layout: fresh.layout, env, signal: ctx.io.signal, ...(reporter ? { onProgress: reporter.onProgress } : {}) }).finally(() => reporter?.stop());
  const secrets = sealed.written.length ? [] : ((migration.secrets ?? []) as Array<{ name: string; source: string }>).map((s) => s.name);
  const data = { archive, stateDir: fresh.stateDir, restored: restored.written, rewritten: [...rewrite.rewritten, ...stateRewrite.rewritten], unresolved, notes, quarantined, extensionMismatches, service, memory, secretsToEnter: secrets, secretsWritten: sealed.written, ...(sealed.left ? { secretsSealed: sealed.left } : {}), nonPortable: migration.nonPortable ?? [] };
  const human = [
    `imported ${restored.written} entries into ${fresh.stateDir} (from ${manifest.host}, ${manifest.createdAt})`,
    ...rewrite.rewritten.map((r) => `  rewrote ${r.path}: ${r.from} → ${r.to}`),
    ...(stateRewrite.rewritten.length ? [`  rewrote ${stateRewrite.rewritten.length} stored path(s) in ${[...new Set(stateRewrite.rewritten.map((r) => path.relative(fresh.stateDir, r.file)))].join(", ")}`] : []),
    ...unresolved.map((r) => `  unresolved ${r.path}: ${r.to} does not exist here`),
    ...notes.map((n) => `  note: ${n}`),
    ...(sealed.written.length ? [`  opened the sealed secrets: ${sealed.written.join(", ")} (0600)`] : []),
    ...(sealed.left ? [`  ${sealed.left}`] : []),
    ...quarantined.map((q) => `  quarantined ${q.file} → ${q.movedTo} (${q.reason})`),
    ...extensionMismatches.map((m) => `  extension folder ${m}: rename it (openclaw doctor)`),
    ...memory.map((m) =>
      m.rebuilt
        ? `memory index rebuilt for agent ${m.agentId}: ${m.files} file(s), ${m.chunks} chunks${m.keywordOnly ? " (keyword search; embeddings follow once a provider key is set: openclaw memory index)" : ""}`
        : `memory index not rebuilt for agent ${m.agentId} (${m.error}): run ${m.fix}`,
    ),
    service.installed ? `service ${service.name} (${service.kind}) ${service.healthy ? "running" : `not healthy: ${service.detail}`}` : "service not installed (--no-service): openclaw gateway install",
    sealed.written.length ? "secrets came sealed in the archive and are in place" : `secrets checklist (their values were not in the archive; enter them on this host, e.g. in ${fresh.layout.envFile}): ${secrets.join(", ") || "none"}`,
    "then: openclaw migrate verify",
  ];
  return { data, human, exitCode: unresolved.length || (service.installed && !service.healthy) ? EXIT.problems : EXIT.ok };
};
