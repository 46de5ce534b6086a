/**
 * `openclaw gateway status` — the supervisor's view, an RPC probe, config (cli) vs config (service),
 * drift, token fingerprints and log locations. Exit 0 running and reachable, 3 degraded, 4 not running.
 */
import { collectGatewayServiceStatus, type GatewayServiceStatus } from "../../../ops/index.js";
import { createServiceManager, type InstalledService, type ServiceKind } from "../../../service/index.js";
import { EXIT } from "../../../shared/index.js";
import { timeoutFor } from "../../rpc.js";
import type { CommandHandler } from "../../types.js";
import { readVersion } from "../../version.js";
import { cliEntry, serviceSetup } from "./service-common.js";

function renderRuntime(s: GatewayServiceStatus): string {
  const rt = s.service.runtime;
  const bits = [
    rt.pid ? `pid ${rt.pid}` : undefined,
    rt.restarts ? `restarts ${rt.restarts}` : undefined,
    rt.lastExitStatus !== undefined || rt.lastExitSignal ? `last exit ${rt.lastExitSignal ?? rt.lastExitStatus}${rt.lastExitAt ? ` at ${rt.lastExitAt}` : ""}` : undefined,
  ].filter(Boolean);
  return `${s.service.state}${bits.length ? ` (${bits.join(", ")})` : ""}${rt.detail ? ` — ${rt.detail}` : ""}`;
}

export function renderGatewayStatus(s: GatewayServiceStatus): string[] {
  const cfg = (c: { path: string; exists: boolean; valid: boolean }) => `${c.path} (${!c.exists ? "missing" : c.valid ? "valid" : "invalid"})`;
  const lines = [
    `Service: ${s.supervisor.label} ${s.service.name}${s.service.installed ? ` (${s.service.definitionPath})` : " — not installed"}`,
    `Runtime: ${renderRuntime(s)}`,
  ];
  if (s.service.command) lines.push(`Command: ${s.service.command.join(" ")}`);
  lines.push(`Profile: ${s.profile ?? "default"}`, `Config (cli): ${cfg(s.config.cli)}`);
  if (s.config.service) lines.push(`Config (service): ${cfg(s.config.service)}${s.config.mismatch ? "  ← mismatch" : ""}`);
  if (s.probe) lines.push(`RPC probe: ${s.probe.ok ? `ok (${s.probe.url}, ${s.probe.durationMs} ms)` : `failed (${s.probe.url ? `${s.probe.url}: ` : ""}${s.probe.error})`}`);
  if (s.tokens.length) lines.push(`Tokens: ${s.tokens.map((t) => `${t.source} ${t.fingerprint}`).join(" · ")}`);
  lines.push(`File log: ${s.logs.file}`);
  if (s.logs.service.length) lines.push(`Service logs: ${s.logs.service.join(" · ")}`);
  for (const o of s.otherInstalls) lines.push(`Other install: ${o.kind} ${o.name}${o.legacy ? " (legacy)" : ""} → ${o.configPath}`);
  for (const w of s.warnings) lines.push(`warning: ${w.message}`, `  fix: ${w.fix}`);
  lines.push(`Verdict: ${s.verdict}`);
  return lines;
}

export const run: CommandHandler = async (ctx) => {
  const setup = serviceSetup(ctx);
  const deep = ctx.options.deep === true;
  let extraInstalls: InstalledService[] = [];
  if (deep) {
    // Other supervisors' definitions too (a systemd unit left behind on a host now using the supervisor, and the reverse).
    const kinds: ServiceKind[] = ["systemd", "supervisor"];
    extraInstalls = kinds.filter((k) => k !== setup.manager.kind && !(setup.sctx.platform !== "linux" && k === "systemd")).flatMap((k) => createServiceManager(k, setup.sctx).list());
  }
  const status = await collectGatewayServiceStatus({
    resolved: setup.resolved,
    env: ctx.env,
    paths: ctx.paths(),
    version: readVersion(),
    runtimePath: process.execPath,
    entryPath: cliEntry(),
    platform: setup.sctx.platform,
    probe: ctx.options["no-probe"] !== true,
    probeTimeoutMs: timeoutFor(ctx, 5000),
    deep,
    extraInstalls,
  });
  const exitCode = status.verdict === "running" ? EXIT.ok : status.verdict === "degraded" ? EXIT.problems : EXIT.unreachable;
  return { data: status, human: renderGatewayStatus(status), exitCode };
};
