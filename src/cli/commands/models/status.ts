/**
 * `openclaw models status [--json] [--plain] [--check] [--probe …] [--agent <id>]` — the default
 * model and fallbacks, where each provider's credential comes from, expiring/expired and cooling
 * profiles. `--check` exits 0 ok, 1 missing/expired, 2 expiring within 24 h. `--probe` makes one
 * tiny real request per credential (it spends tokens).
 */
import { collectModelAuthStatus, type ModelAuthStatus, type ProbeResult, probeModelAuth } from "../../../agent/index.js";
import { AppError, type ExitCode, redactText } from "../../../shared/index.js";
import type { CommandHandler } from "../../types.js";
import { loadModelsContext } from "./common.js";

const positive = (v: unknown, name: string, d: number): number => {
  if (v === undefined) return d;
  if (typeof v !== "number" || !(v > 0)) throw new AppError("USAGE", `--${name} must be a positive number`);
  return v;
};

function duration(ms: number): string {
  const m = Math.round(Math.abs(ms) / 60_000);
  if (m < 60) return `${m}m`;
  const h = Math.round(m / 60);
  return h < 48 ? `${h}h` : `${Math.round(h / 24)}d`;
}

function renderHuman(s: ModelAuthStatus & { configPath: string; agentDir: string; probes?: ProbeResult[] }): string[] {
  const lines = [`Config        : ${s.configPath}`, `Agent dir     : ${s.agentDir}`, `Default       : ${s.defaultModel}${s.resolvedDefault !== s.defaultModel ? ` → ${s.resolvedDefault}` : ""}`, `Fallbacks (${s.fallbacks.length}) : ${s.fallbacks.join(", ") || "-"}`, "", "Auth overview"];
  for (const p of s.auth.providers) {
    const c = p.profiles;
    lines.push(`- ${p.provider} effective=${p.effective.kind}${p.effective.detail ? `:${p.effective.detail}` : ""} | ${p.status} | profiles=${c.count} (oauth=${c.oauth}, token=${c.token}, api_key=${c.apiKey})${c.labels.length ? ` | ${c.labels.join(", ")}` : ""}`);
  }
  if (s.auth.unusableProfiles.length) {
    lines.push("", "Unavailable auth profiles");
    for (const u of s.auth.unusableProfiles) lines.push(`- ${u.profileId} ${u.kind}${u.reason ? ` (${u.reason})` : ""} for ${duration(u.remainingMs)} — ${u.recoveryHint}`);
  }
  const timed = s.auth.oauth.profiles.filter((p) => p.type !== "api_key");
  if (timed.length) {
    lines.push("", "OAuth/token status");
    for (const p of timed) lines.push(`- ${p.profileId} ${p.type} ${p.status}${p.remainingMs !== undefined ? ` (${p.remainingMs > 0 ? `expires in ${duration(p.remainingMs)}` : `expired ${duration(p.remainingMs)} ago`})` : ""}`);
  }
  if (s.probes) {
    lines.push("", "Probes");
    for (const p of s.probes) lines.push(`- ${p.provider}${p.profileId ? ` ${p.profileId}` : ""} ${p.model ?? ""}: ${p.status}${p.latencyMs !== undefined ? ` (${p.latencyMs} ms)` : ""}${p.error ? ` — ${redactText(p.error)}` : ""}`);
  }
  if (s.check.problems.length) lines.push("", ...s.check.problems.map((p) => `! ${p}`));
  return lines;
}

export const run: CommandHandler = async (ctx) => {
  const m = loadModelsContext(ctx);
  const store = m.loadStore();
  const status = collectModelAuthStatus({ config: m.config, env: ctx.env, store, storePath: m.location.file, agentId: ctx.options.agent === undefined ? undefined : m.location.agentId, now: Date.now() });
  let probes: ProbeResult[] | undefined;
  if (ctx.options.probe === true) {
    const provider = ctx.options["probe-provider"];
    probes = await probeModelAuth({
      config: m.config,
      env: ctx.env,
      store,
      agentId: ctx.options.agent === undefined ? undefined : m.location.agentId,
      timeoutMs: positive(ctx.options["probe-timeout"], "probe-timeout", 8000),
      maxTokens: positive(ctx.options["probe-max-tokens"], "probe-max-tokens", 8),
      provider: typeof provider === "string" ? provider : undefined,
      signal: ctx.io.signal,
    });
    probes = probes.map((p) => (p.error ? { ...p, error: redactText(p.error) } : p));
  }
  const data = { configPath: m.paths.configPath, agentDir: m.location.agentDir, ...status, ...(probes ? { probes } : {}) };
  const exitCode = (ctx.options.check === true ? status.check.exitCode : 0) as ExitCode;
  if (ctx.options.plain === true) {
    const rows = status.auth.providers.map((p) => `${p.provider}\t${p.status}\t${p.effective.kind}`);
    return { data, human: [status.resolvedDefault, ...rows], exitCode };
  }
  return { data, human: renderHuman(data), exitCode };
};
