/** `openclaw status` — local triage in one screen; `--all` pasteable (redacted), `--deep` live probes over RPC. */

import { renderPlainLogLine } from "../../logging/index.js";
import { collectGatewayServiceStatus, collectStatusReport, type GatewayServiceStatus, redactStatus, resolveGatewayLogFile, type StatusReport } from "../../ops/index.js";
import { toAppError } from "../../shared/index.js";
import { renderMemoryLine } from "../memory-lines.js";
import { renderModelAuthLines } from "../model-auth-lines.js";
import { targetFor, timeoutFor } from "../rpc.js";
import type { CommandHandler } from "../types.js";
import { readVersion } from "../version.js";
import { cliEntry, serviceSetup } from "./gateway/service-common.js";

function ago(ms: number | null, now: number): string {
  if (ms === null) return "never";
  const s = Math.max(0, Math.round((now - ms) / 1000));
  return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.round(s / 60)}m ago` : s < 86400 ? `${Math.round(s / 3600)}h ago` : `${Math.round(s / 86400)}d ago`;
}

type Loose = Record<string, unknown>;
const isObj = (v: unknown): v is Loose => v !== null && typeof v === "object" && !Array.isArray(v);
const failed = (v: unknown): string | undefined => (isObj(v) && typeof v.error === "string" ? v.error : undefined);

/** One channel account as a short phrase: `default running`, `work not linked (error …)`. */
function renderAccount(a: Loose): string {
  const state = a.running === true ? "running" : a.linked === false ? "not linked" : a.configured === false ? "not configured" : a.enabled === false ? "disabled" : "stopped";
  const probe = isObj(a.probe) ? (a.probe.ok === true ? ` probe ok${typeof a.probe.elapsedMs === "number" ? ` (${a.probe.elapsedMs} ms)` : ""}` : ` probe failed${typeof a.probe.error === "string" ? `: ${a.probe.error}` : ""}`) : "";
  const connected = a.running === true && a.connected === false ? " disconnected" : "";
  const error = typeof a.lastError === "string" && a.lastError ? ` (error: ${a.lastError})` : "";
  const drops = isObj(a.dropped) ? Object.entries(a.dropped).filter(([, n]) => typeof n === "number" && n > 0) : [];
  const dropped = drops.length ? ` · dropped ${drops.map(([reason, n]) => `${reason} ${n}`).join(", ")}` : "";
  return `${String(a.accountId ?? "default")} ${state}${connected}${probe}${error}${dropped}`;
}

/** `status --deep`: the gateway's health, channel and model views as lines, not JSON. */
export function renderDeep(deep: NonNullable<StatusReport["deep"]>): string[] {
  if (deep.error) return [`Deep: unavailable (${deep.error})`];
  const lines = ["Deep (live from the gateway):"];
  const health = deep.health;
  if (failed(health) || !isObj(health)) lines.push(`  Health: unavailable (${failed(health) ?? "no answer"})`);
  else {
    const loop = isObj(health.eventLoop) && typeof health.eventLoop.delayP99Ms === "number" ? ` · event loop ${health.eventLoop.degraded ? "degraded" : "ok"} (p99 ${Math.round(health.eventLoop.delayP99Ms)} ms)` : "";
    const reload = isObj(health.configReload) && typeof health.configReload.lastError === "string" && health.configReload.lastError ? ` · config reload error: ${health.configReload.lastError}` : "";
    lines.push(`  Health: ${health.ok === true ? "ok" : "not ok"}${typeof health.durationMs === "number" ? ` (${health.durationMs} ms)` : ""}${loop}${reload}`);
    const agents = Array.isArray(health.agents) ? health.agents.filter(isObj) : [];
    for (const a of agents) {
      const sessions = isObj(a.sessions) && typeof a.sessions.count === "number" ? a.sessions.count : 0;
      const hb = isObj(a.heartbeat) && typeof a.heartbeat.every === "string" ? ` · heartbeat ${a.heartbeat.enabled === false ? "off" : a.heartbeat.every}` : "";
      lines.push(`  Agent ${String(a.agentId)}${a.isDefault ? " (default)" : ""}: ${sessions} session${sessions === 1 ? "" : "s"}${hb}`);
    }
  }
  const channels = deep.channels;
  if (failed(channels) || !isObj(channels)) lines.push(`  Channels: unavailable (${failed(channels) ?? "no answer"})`);
  else {
    const order = Array.isArray(channels.channelOrder) ? channels.channelOrder.map(String) : [];
    const labels = isObj(channels.channelLabels) ? channels.channelLabels : {};
    const accounts = isObj(channels.channelAccounts) ? channels.channelAccounts : {};
    if (order.length === 0) lines.push("  Channels: none configured");
    for (const id of order) {
      const list = Array.isArray(accounts[id]) ? (accounts[id] as unknown[]).filter(isObj) : [];
      lines.push(`  Channel ${String(labels[id] ?? id)}: ${list.length ? list.map(renderAccount).join(", ") : "no accounts"}`);
    }
  }
  const models = deep.models;
  if (failed(models) || !isObj(models)) lines.push(`  Models: unavailable (${failed(models) ?? "no answer"})`);
  else {
    const ids = Array.isArray(models.models) ? models.models.filter(isObj).map((m) => String(m.key ?? m.id ?? m.name ?? "?")) : [];
    lines.push(`  Models: ${ids.length ? `${ids.slice(0, 8).join(", ")}${ids.length > 8 ? ` (+${ids.length - 8} more)` : ""}` : "none configured"}`);
  }
  return lines;
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
  const memory = renderMemoryLine(r.memory, now);
  if (memory) lines.push(memory);
  lines.push(`Channels: ${r.channels.length ? r.channels.map((c) => `${c.path.replace(/^channels\./, "")} (dm ${c.dmPolicy ?? "pairing"}, groups ${c.groupPolicy ?? "allowlist"})`).join(", ") : "none configured"}`);
  const auth = r.auth.map((a) => `${a.profile} ${a.status}${a.expiresAt && a.status !== "ok" ? ` ${a.expiresAt}` : ""}`);
  lines.push(`Model auth: ${auth.length ? auth.join(" · ") : "none"}${r.authMissing.length ? ` · no stored profiles for ${r.authMissing.join(", ")}` : ""}`);
  for (const m of r.modelAuth ?? []) lines.push(...renderModelAuthLines(m, now));
  if (r.backup) lines.push(`Backups: ${r.backup.line}`);
  lines.push(`Log: ${r.logs.file}`);
  for (const e of r.logs.lastErrors) lines.push(`  error ${e.time} ${e.message}`);
  if (r.deep) lines.push(...renderDeep(r.deep));
  if (r.logTail) lines.push("Log tail:", ...r.logTail.map((l) => `  ${renderPlainLogLine(l)}`));
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
