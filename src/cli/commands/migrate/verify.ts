/** `openclaw migrate verify` — seed 004's Step 8 checklist as a pass/fail table (exit 3 when anything fails). */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { collectSnapshot, runAuditRules, runDoctor } from "../../../ops/index.js";
import { listeningAddresses } from "../../../infra/index.js";
import { EXIT } from "../../../shared/index.js";
import { targetFor } from "../../rpc.js";
import type { CommandHandler } from "../../types.js";
import { httpLive, serviceSetup } from "../gateway/service-common.js";

export const run: CommandHandler = async (ctx) => {
  const paths = ctx.paths();
  const rows: Array<{ check: string; ok: boolean; detail: string }> = [];
  const target = targetFor(ctx);
  const port = Number(new URL(target.url).port);
  const live = await httpLive(port, 2000);
  rows.push({ check: "gateway starts and /health answers", ok: live, detail: live ? target.url : `nothing answers on ${target.url}: openclaw gateway start` });
  const snap = collectSnapshot({ env: ctx.env, paths });
  const missingAgents = snap.agentIds.filter((id) => !existsSync(paths.layout.agentDir(id)) && !existsSync(paths.layout.sessionsDir(id)));
  rows.push({ check: "agents load", ok: missingAgents.length === 0, detail: missingAgents.length ? `missing: ${missingAgents.join(", ")}` : snap.agentIds.join(", ") });
  const doctor = await runDoctor({ env: ctx.env, paths, mode: "report", deep: false });
  const serious = doctor.remaining.filter((f) => f.severity === "error" || f.severity === "critical");
  rows.push({ check: "doctor clean", ok: serious.length === 0, detail: serious.length ? serious.map((f) => f.title).join("; ") : `${doctor.remaining.length} warning(s)` });
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
  const ok = rows.every((r) => r.ok);
  return { data: { ok, checks: rows }, human: [...rows.map((r) => `${r.ok ? "PASS" : "FAIL"}  ${r.check.padEnd(42)} ${r.detail}`), ok ? "migration verified" : "migration has problems"], exitCode: ok ? EXIT.ok : EXIT.problems };
};
