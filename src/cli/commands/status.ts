/** `openclaw status` — local triage in one screen; `--all` pasteable (redacted), `--deep` live probes over RPC. */
import { collectGatewayServiceStatus, collectStatusReport, type GatewayServiceStatus, redactStatus, resolveGatewayLogFile, type StatusReport } from "../../ops/index.js";
import { toAppError } from "../../shared/index.js";
import { targetFor, timeoutFor } from "../rpc.js";
import type { CommandHandler } from "../types.js";
import { readVersion } from "../version.js";
import { cliEntry, serviceSetup } from "./gateway/service-common.js";

function ago(ms: number | null, now: number): string {
  if (ms === null) return "never";
  const s = Math.max(0, Math.round((now - ms) / 1000));
  return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.round(s / 60)}m ago` : s < 86400 ? `${Math.round(s / 3600)}h ago` : `${Math.round(s / 86400)}d ago`;
}

export function renderStatus(r: StatusReport, now = Date.now()): string[] {
  const lines = [
    `OpenClaw ${r.version} · ${r.os.platform} ${r.os.release} ${r.os.arch} · node ${r.os.node}`,
    `Profile: ${r.profile ?? "default"} · State: ${r.stateDir}`,
    `Config: ${r.configPath}${!r.config.exists ? " (missing)" : r.config.problems.length ? ` (${r.config.problems.length} problem(s))` : ""}`,
    ...r.config.problems.map((p) => `  ${p}`),
    `Gateway: ${r.gateway.reachable ? `reachable ${r.gateway.url} (${r.gateway.durationMs} ms)` : `unreachable ${r.gateway.url}${r.gateway.error ? ` — ${r.gateway.error}` : ""}`} · mode ${r.gateway.mode}`,
  ];
  if (r.service) lines.push(`Service: ${r.service.kind} ${r.service.name} ${r.service.installed ? r.service.state : "not installed"}${r.service.pid ? ` (pid ${r.service.pid})` : ""}`, ...r.service.warnings.map((w) => `  warning: ${w}`));
  if (r.tokens.length) lines.push(`Tokens: ${r.tokens.map((t) => `${t.source} ${t.fingerprint}`).join(" · ")}`);
  lines.push(`Agents: ${r.agents.map((a) => `${a.id} (${a.sessions} session${a.sessions === 1 ? "" : "s"}, last ${ago(a.lastActivityAt, now)})`).join(", ")}`);
  lines.push(`Channels: ${r.channels.length ? r.channels.map((c) => `${c.path.replace(/^channels\./, "")} (dm ${c.dmPolicy ?? "pairing"}, groups ${c.groupPolicy ?? "allowlist"})`).join(", ") : "none configured"}`);
  const auth = r.auth.map((a) => `${a.profile} ${a.status}${a.expiresAt && a.status !== "ok" ? ` ${a.expiresAt}` : ""}`);
  lines.push(`Model auth: ${auth.length ? auth.join(" · ") : "none"}${r.authMissing.length ? ` · missing for ${r.authMissing.join(", ")}` : ""}`);
  lines.push(`Log: ${r.logs.file}`);
  for (const e of r.logs.lastErrors) lines.push(`  error ${e.time} ${e.message}`);
  if (r.deep) lines.push(`Deep: ${r.deep.error ? `unavailable (${r.deep.error})` : JSON.stringify({ health: r.deep.health, channels: r.deep.channels, models: r.deep.models }, null, 2)}`);
  if (r.logTail) lines.push("Log tail:", ...r.logTail.map((l) => `  ${l}`));
  lines.push(`Next: ${r.next}`);
  return lines;
}

export const run: CommandHandler = async (ctx) => {
  const paths = ctx.paths();
  const version = readVersion();
  let service: GatewayServiceStatus | undefined;
  try {
    const setup = serviceSetup(ctx);
    service = await collectGatewayServiceStatus({ resolved: setup.resolved, env: ctx.env, paths, version, runtimePath: process.execPath, entryPath: cliEntry(), platform: setup.sctx.platform, probe: false, probeTimeoutMs: 1000, deep: false });
  } catch (error) {
    ctx.warn(`service: ${toAppError(error).message}`);
  }
  let target: Parameters<typeof collectStatusReport>[0]["target"];
  try {
    target = targetFor(ctx);
  } catch (error) {
    target = { error: toAppError(error).message };
  }
  const { report, secrets } = await collectStatusReport({
    env: ctx.env,
    paths,
    version,
    ...(service ? { service } : {}),
    target,
    logFile: resolveGatewayLogFile(ctx.env, paths),
    probeTimeoutMs: timeoutFor(ctx, 1000),
    all: ctx.options.all === true,
    deep: ctx.options.deep === true,
  });
  const safe = redactStatus(report, secrets);
  return { data: safe, human: redactStatus(renderStatus(safe), secrets) };
};
