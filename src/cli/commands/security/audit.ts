/** `openclaw security audit` — spec §5.6 findings; `--deep` probes the running gateway; `--fix` tightens modes and safe defaults. Exit 3 on critical findings. */
import { type AuditRunResult, probeGatewaySecurity, runSecurityAudit } from "../../../ops/index.js";
import { EXIT } from "../../../shared/index.js";
import { timeoutFor } from "../../rpc.js";
import type { CommandHandler } from "../../types.js";
import { readVersion } from "../../version.js";

export function renderAudit(r: AuditRunResult): string[] {
  const { report } = r;
  const lines = [`Security audit: ${report.summary.critical} critical · ${report.summary.warn} warn · ${report.summary.info} info`];
  for (const f of report.findings) {
    lines.push(`${f.severity.toUpperCase().padEnd(8)} ${f.checkId}: ${f.title}`, `         ${f.detail}`);
    if (f.remediation) lines.push(`         fix: ${f.remediation}`);
  }
  if (report.deep) lines.push(`Deep probe: ${report.deep.gateway.ok ? "ok" : `failed (${report.deep.gateway.error ?? "no answer"})`} ${report.deep.gateway.url}${report.deep.gateway.listening?.length ? `; listening on ${report.deep.gateway.listening.join(", ")}` : ""}`);
  if (r.fix) {
    lines.push("", `Fixed ${r.fix.applied.length}${r.fix.backupDir ? ` (backup in ${r.fix.backupDir})` : ""}:`);
    for (const a of r.fix.applied) lines.push(...a.changes.map((c) => `  ✓ ${c}`), ...a.undo.map((u) => `      undo: ${u}`));
    for (const f of r.fix.failed) lines.push(`  ✗ ${f.checkId}: ${f.error}`);
  }
  return lines;
}

export const run: CommandHandler = async (ctx) => {
  const paths = ctx.paths();
  const s = (k: string) => (typeof ctx.options[k] === "string" ? (ctx.options[k] as string) : undefined);
  const deep =
    ctx.options.deep === true
      ? await probeGatewaySecurity({ env: ctx.env, configPath: paths.configPath, timeoutMs: timeoutFor(ctx, 3000), version: readVersion(), ...(s("token") ? { token: s("token")! } : {}), ...(s("password") ? { password: s("password")! } : {}) })
      : undefined;
  const result = await runSecurityAudit({ env: ctx.env, paths, fix: ctx.options.fix === true, ...(deep ? { deep } : {}) });
  const data = result.fix ? { fix: result.fix, report: result.report } : result.report;
  return { data, human: renderAudit(result), exitCode: result.report.summary.critical > 0 ? EXIT.problems : EXIT.ok };
};
