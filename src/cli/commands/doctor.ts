/** `openclaw doctor` — checks in the seed's order, a plan with diffs, repairs with backups and undo. */

import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { collectGatewayServiceStatus, type DoctorFinding, type DoctorMode, type DoctorReport, probeGatewaySecurity, runDoctor, type Snapshot } from "../../ops/index.js";
import { planInstall, resolveInstallRoot, writeInstallFiles } from "../../service/index.js";
import { AppError, EXIT } from "../../shared/index.js";
import type { CommandContext, CommandHandler } from "../types.js";
import { readVersion } from "../version.js";
import { cliEntry, servicePort, serviceSetup, waitForHealthy } from "./gateway/service-common.js";

function modeOf(ctx: CommandContext): DoctorMode {
  const o = ctx.options;
  const set = [o["dry-run"] && "--dry-run", (o.yes || o.fix || o.repair) && "--yes/--fix", o["non-interactive"] && "--non-interactive"].filter(Boolean);
  if (o["dry-run"] === true && set.length > 1) throw new AppError("USAGE", `--dry-run cannot be combined with ${set.slice(1).join(", ")}`, { hint: "Preview with --dry-run first, then run again with --yes." });
  if (o["dry-run"] === true) return "dry-run";
  if (o.yes === true || o.fix === true || o.repair === true) return "yes";
  if (o["non-interactive"] === true) return "non-interactive";
  if (!ctx.json && process.stdin.isTTY && ctx.io.stdout.isTTY) return "interactive";
  return "report";
}

/** `--generate-gateway-token`: store a fresh token when none is configured (never over a SecretRef or an env token). */
function generateTokenRepair(snap: Snapshot): DoctorFinding[] {
  const auth = (snap.input.gateway as { auth?: { token?: unknown; mode?: unknown } } | undefined)?.auth;
  if (auth?.token !== undefined || snap.gatewayEnv.token === "set") return [];
  const token = randomBytes(24).toString("hex");
  return [
    {
      checkId: "gateway.token_generated",
      step: "gateway",
      severity: "info",
      title: "no gateway token is configured (--generate-gateway-token)",
      repair: {
        id: "gateway.generate_token",
        summary: "store a new random gateway token in gateway.auth.token",
        safe: true,
        actions: [...(auth?.mode === undefined ? [{ kind: "config-set" as const, path: ["gateway", "auth", "mode"], value: "token" }] : []), { kind: "config-set", path: ["gateway", "auth", "token"], value: token }],
      },
    },
  ];
}

export function renderDoctor(r: DoctorReport): string[] {
  const lines = [`openclaw doctor (${r.mode}) — state ${r.stateDir}, config ${r.configPath}`];
  if (r.findings.length === 0) lines.push("No problems found.");
  for (const f of r.findings) {
    lines.push(`[${f.step}] ${f.severity.padEnd(8)} ${f.title}`);
    if (f.detail) for (const d of f.detail.split("\n")) lines.push(`           ${d}`);
    if (f.repair) {
      lines.push(`           repair${f.repair.safe ? " (safe)" : ""}: ${f.repair.summary}`);
      for (const a of f.repair.actions) lines.push(`             $ ${a}`);
      if (f.repair.diff && r.mode === "dry-run") for (const d of f.repair.diff.split("\n")) lines.push(`             ${d}`);
    } else if (f.fix) lines.push(`           fix: ${f.fix}`);
  }
  if (r.applied.length) {
    lines.push("", `Applied ${r.applied.length} repair(s)${r.backupDir ? `; backup in ${r.backupDir}` : ""}:`);
    for (const a of r.applied) lines.push(`  ✓ ${a.summary}`, ...a.undo.map((u) => `      undo: ${u}`));
  }
  for (const s of r.skipped) lines.push(`  - skipped ${s.id}: ${s.reason}`);
  for (const f of r.failed) lines.push(`  ✗ ${f.id}: ${f.error}`);
  lines.push("", r.remaining.length === 0 ? "Healthy." : `${r.remaining.length} problem(s) remain${r.mode === "dry-run" ? " (dry run: nothing written)" : ""}:`);
  for (const f of r.remaining) lines.push(`  ${f.severity} ${f.title}${f.fix ? ` → ${f.fix}` : ""}`);
  return lines;
}

export const run: CommandHandler = async (ctx) => {
  const paths = ctx.paths();
  const version = readVersion();
  const mode = modeOf(ctx);
  const deep = ctx.options.deep === true;
  const setup = serviceSetup(ctx);
  let root: string | undefined;
  try {
    root = resolveInstallRoot();
  } catch {
    root = undefined;
  }
  const rl = mode === "interactive" ? createInterface({ input: process.stdin, output: process.stderr }) : undefined;
  try {
    const report = await runDoctor({
      env: ctx.env,
      paths,
      mode,
      deep,
      ...(rl ? { confirm: async (q: string) => /^y(es)?$/i.test((await rl.question(q)).trim()) } : {}),
      loadService: () =>
        collectGatewayServiceStatus({ resolved: setup.resolved, env: ctx.env, paths, version, runtimePath: process.execPath, entryPath: cliEntry(), platform: setup.sctx.platform, probe: true, probeTimeoutMs: 1000, deep }),
      serviceActions: {
        reinstall: async () => {
          const plan = planInstall({ manager: setup.manager, env: ctx.env, paths, port: servicePort(ctx), runtimePath: process.execPath, entryPath: cliEntry(), version, platform: setup.sctx.platform, force: true });
          writeInstallFiles(plan);
          await setup.manager.activate(plan.definition);
          const h = await waitForHealthy(setup, plan.definition.port);
          return `rewrote ${plan.files[0]!.path} and restarted ${setup.name}${h.healthy ? "" : ` (not healthy: ${h.detail})`}`;
        },
        start: async () => {
          await setup.manager.start(setup.name);
          const h = await waitForHealthy(setup, servicePort(ctx));
          return `started ${setup.name}${h.healthy ? "" : ` (not healthy: ${h.detail})`}`;
        },
      },
      ...(ctx.options["generate-gateway-token"] === true ? { extraRepairs: generateTokenRepair } : {}),
      auditDeep: () => probeGatewaySecurity({ env: ctx.env, configPath: paths.configPath, timeoutMs: 2000, version }),
      ...(root && existsSync(path.join(root, ".git")) ? { gitInstall: { root } } : {}),
    });
    return { data: report, human: renderDoctor(report), exitCode: report.ok ? EXIT.ok : EXIT.problems };
  } finally {
    rl?.close();
  }
};
