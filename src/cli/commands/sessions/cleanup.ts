/**
 * `openclaw sessions cleanup [--dry-run] [--enforce] [--active-key <key>] [--agent|--all-agents] [--json]`:
 * `session.maintenance` now. `--dry-run` plans and writes nothing; `mode: "warn"` reports only
 * unless `--enforce`. Applied, entries leave `sessions.json` and their transcripts are archived as
 * `….deleted.<ts>` (never deleted). JSON per store mirrors OpenClaw's summary.
 */
import { planSessionMaintenance, resolveMaintenanceSettings, runSessionMaintenance } from "../../../agent/index.js";
import { AppError, EXIT } from "../../../shared/index.js";
import { loadSessionStore } from "../../../storage/index.js";
import type { CommandHandler } from "../../types.js";
import { resolveSessionsContext } from "./common.js";

export const run: CommandHandler = async (ctx) => {
  const sc = resolveSessionsContext(ctx);
  const { settings, problems } = resolveMaintenanceSettings(sc.session);
  for (const p of problems) ctx.warn(`warning: ${p}; using the default`);
  const dryRun = ctx.options["dry-run"] === true;
  const apply = !dryRun && (settings.mode === "enforce" || ctx.options.enforce === true);
  const activeKey = ctx.options["active-key"];
  if (activeKey !== undefined && (typeof activeKey !== "string" || !activeKey.trim())) throw new AppError("USAGE", "--active-key needs a session key", { hint: "e.g. --active-key agent:main:telegram:direct:123" });
  const now = Date.now();
  const stores = [];
  const human: string[] = [];
  for (const t of sc.targets) {
    const opts = { settings, now, mainKeys: [t.mainKey], ...(typeof activeKey === "string" ? { activeKeys: [activeKey] } : {}) };
    const loaded = loadSessionStore(t.storePath);
    if (loaded.problem && !Object.keys(loaded.entries).length) {
      stores.push({ agentId: t.agentId, storePath: t.storePath, error: loaded.problem });
      human.push(`${t.agentId}: ${t.storePath} is ${loaded.problem}; skipped (move it aside or fix it)`);
      continue;
    }
    const r = apply ? await runSessionMaintenance(t.storePath, opts) : { ...planSessionMaintenance(loaded.entries, opts), archived: [], busy: [] };
    stores.push({
      agentId: t.agentId,
      storePath: t.storePath,
      beforeCount: r.beforeCount,
      afterCount: r.afterCount,
      pruned: r.pruned.length,
      capped: r.capped.length,
      kept: r.kept.length,
      wouldMutate: r.pruned.length + r.capped.length > 0,
      applied: apply,
      prunedKeys: r.pruned,
      cappedKeys: r.capped,
      archivedTranscripts: r.archived.map((a) => a.to),
      busyTranscripts: r.busy,
    });
    const verb = apply ? "removed" : "would remove";
    human.push(`${t.agentId}: ${r.beforeCount} → ${r.afterCount} entries (${verb} ${r.pruned.length} older than ${Math.round(settings.pruneAfterMs / 86_400_000)}d, ${r.capped.length} over the cap of ${settings.maxEntries}; ${r.kept.length} protected)`);
    for (const k of [...r.pruned, ...r.capped]) human.push(`  ${apply ? "-" : "would remove"} ${k}`);
    if (r.archived.length) human.push(`  ${r.archived.length} transcript(s) archived as *.deleted.<ts> beside the store`);
    if (r.busy.length) human.push(`  ${r.busy.length} transcript(s) busy (a writer holds the lock); archived on a later cleanup`);
  }
  if (!apply && !dryRun) human.push(`session.maintenance.mode is "warn": nothing changed (run with --enforce to apply)`);
  if (dryRun) human.push("Dry run: nothing written.");
  const data = sc.targets.length > 1 || ctx.options["all-agents"] === true ? { allAgents: ctx.options["all-agents"] === true, mode: settings.mode, dryRun, stores } : { mode: settings.mode, dryRun, ...stores[0]! };
  return { data, human, exitCode: stores.some((s) => "error" in s) ? EXIT.failed : EXIT.ok };
};
