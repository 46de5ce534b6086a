/**
 * `openclaw migrate verify` — seed 004's Step 8 checklist as a pass/fail table (exit 3 when
 * anything fails). The gateway must answer an authenticated `health` call (not just /health), and
 * every doctor finding of warning level or worse that concerns the checklist fails it, each listed.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { OpenClawConfig } from "../../../config/index.js";
import { listeningAddresses } from "../../../infra/index.js";
import { checkCronJobsCarried, collectSnapshot, cronStorePath, importRecordFile, resolveMemoryTargets, runAuditRules, runDoctor, verifyMemorySearch } from "../../../ops/index.js";
import { EXIT } from "../../../shared/index.js";
import { targetFor, withGateway } from "../../rpc.js";
import type { CommandHandler } from "../../types.js";
import { httpLive, serviceSetup } from "../gateway/service-common.js";

/** Doctor findings that concern the migration checklist: placeholders, env values, plugin folders, reachability, modes, auth. */
const CHECKLIST = /^(config\.|auth\.|fs\.|channels\.|state\.(extension_id_mismatch|missing|jsonl_unparseable)|gateway\.(unreachable|probe_failed|service_not_running|bind_no_auth|probe_no_auth_required))/;
const SERIOUS = new Set(["warn", "error", "critical"]);

export const run: CommandHandler = async (ctx) => {
  const paths = ctx.paths();
  const rows: Array<{ check: string; ok: boolean; detail: string }> = [];
  const target = targetFor(ctx);
  const port = Number(new URL(target.url).port);
  const live = await httpLive(port, 2000);
  let health = live ? "" : `nothing answers on ${target.url}: openclaw gateway start`;
  if (live) {
    try {
      await withGateway(ctx, (client) => client.call("health", {}, { timeoutMs: 5000 }), { target, timeoutMs: 5000 });
    } catch (e) {
      health = `${target.url} answers but health fails: ${(e as Error).message}`;
    }
  }
  rows.push({ check: "gateway answers health (with this CLI's auth)", ok: !health, detail: health || target.url });
  const snap = collectSnapshot({ env: ctx.env, paths });
  const missingAgents = snap.agentIds.filter((id) => !existsSync(paths.layout.agentDir(id)) && !existsSync(paths.layout.sessionsDir(id)));
  rows.push({ check: "agents load", ok: missingAgents.length === 0, detail: missingAgents.length ? `missing: ${missingAgents.join(", ")}` : snap.agentIds.join(", ") });
  let importRecord: unknown;
  try {
    importRecord = JSON.parse(readFileSync(importRecordFile(paths.stateDir), "utf8"));
  } catch {
    importRecord = undefined;
  }
  const cron = checkCronJobsCarried({ record: importRecord, store: cronStorePath(snap.input, paths.stateDir, ctx.env) });
  rows.push({ check: "cron jobs carried (count matches the source)", ok: cron.ok, detail: cron.detail });
  const doctor = await runDoctor({ env: ctx.env, paths, mode: "report", deep: false });
  const serious = doctor.remaining.filter((f) => SERIOUS.has(f.severity) && (CHECKLIST.test(f.checkId) || f.severity !== "warn"));
  rows.push({ check: "doctor clean", ok: serious.length === 0, detail: serious.length ? `${serious.length} problem(s)` : `${doctor.remaining.length} other finding(s)` });
  for (const f of serious) rows.push({ check: `  ${f.checkId}`, ok: false, detail: `${f.severity}: ${f.title}${f.fix ? ` → ${f.fix}` : ""}` });
  // Memory search works on the target (the index is rebuilt, never copied): present, not empty, and a search answers.
  for (const settings of resolveMemoryTargets({ config: snap.input as OpenClawConfig, layout: paths.layout, env: ctx.env, all: true })) {
    const v = await verifyMemorySearch(settings).catch((e: Error) => ({ ok: false, detail: `${e.message} → openclaw memory index --agent ${settings.agentId}` }));
    rows.push({ check: `memory search answers (agent ${settings.agentId})`, ok: v.ok, detail: v.detail });
  }
  const perms = runAuditRules(snap).filter((f) => f.checkId.startsWith("fs."));
  rows.push({ check: "modes correct (0700 dirs, 0600 secrets)", ok: perms.length === 0, detail: perms.length ? perms.map((f) => f.title).join("; ") : "ok" });
  const bind = ((snap.input.gateway ?? {}) as { bind?: string }).bind ?? "loopback";
  const exposed = live ? listeningAddresses(port).filter((a) => !/^(127\.|::1$|::ffff:127\.)/.test(a)) : [];
  rows.push({ check: "gateway only on loopback", ok: bind === "loopback" && exposed.length === 0, detail: exposed.length ? `listening on ${exposed.join(", ")}` : `bind ${bind}` });
  const setup = serviceSetup(ctx);
  const installed = setup.manager.readInstalled(setup.name);
  rows.push({ check: "service and log rotation present", ok: installed !== undefined, detail: installed ? `${setup.manager.label} ${setup.name}; file log rotates daily and by size` : "openclaw gateway install" });
  const channels = Object.keys((snap.input.channels ?? {}) as object);
  const missingCreds = channels.filter((c) => c === "whatsapp" && !(existsSync(path.join(paths.layout.credentialsDir, "whatsapp")) && readdirSync(path.join(paths.layout.credentialsDir, "whatsapp")).length > 0));
  rows.push({ check: "channel credentials present", ok: missingCreds.length === 0, detail: channels.length ? (missingCreds.length ? `missing for ${missingCreds.join(", ")} (relink)` : channels.join(", ")) : "no channels configured" });
  // Each configured channel account answers a live probe on the target (credentials that moved work).
  if (live && !health && channels.length > 0) {
    try {
      const status = (await withGateway(ctx, (client) => client.call("channels.status", { probe: true, timeoutMs: 8000 }, { timeoutMs: 15_000 }), { target, timeoutMs: 15_000 })) as { channelAccounts?: Record<string, Array<Record<string, unknown>>> };
      for (const [channel, accounts] of Object.entries(status.channelAccounts ?? {})) {
        if (channel === "webchat") continue;
        for (const a of accounts) {
          if (a.enabled === false) continue;
          const probe = (a.probe ?? undefined) as { ok?: boolean; error?: string } | undefined;
          // A channel this gateway does not run yet (kept in config) has nothing to probe.
          if (!probe && a.running !== true) {
            rows.push({ check: `channel ${channel}/${String(a.accountId)} answers a probe`, ok: true, detail: "not run by this gateway (kept in config)" });
            continue;
          }
          const ok = probe ? probe.ok === true : a.running === true && a.connected !== false;
          const why = probe?.error ?? (typeof a.lastError === "string" ? a.lastError : a.running ? "not connected" : "not running");
          rows.push({ check: `channel ${channel}/${String(a.accountId)} answers a probe`, ok, detail: ok ? "ok" : `${why} → openclaw channels status --probe` });
        }
      }
    } catch (e) {
      rows.push({ check: "channel probes", ok: false, detail: `channels.status failed: ${(e as Error).message}` });
    }
  }
  const ok = rows.every((r) => r.ok);
  return { data: { ok, checks: rows }, human: [...rows.map((r) => `${r.ok ? "PASS" : "FAIL"}  ${r.check.padEnd(42)} ${r.detail}`), ok ? "migration verified" : "migration has problems"], exitCode: ok ? EXIT.ok : EXIT.problems };
};
