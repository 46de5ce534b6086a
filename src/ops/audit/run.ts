/** `security audit`: collect, run the rules, optionally probe the gateway (`--deep`) and apply the safe fixes (`--fix`). */
import { GatewayClient, resolveGatewayTarget } from "../../client/index.js";
import { readConfigInput } from "../../config/index.js";
import { type Env, listeningAddresses, type ResolvedPaths } from "../../infra/index.js";
import { toAppError } from "../../shared/index.js";
import { type AppliedRepair, applyRepair, BackupDir, timestampSlug } from "../repair.js";
import { collectSnapshot } from "../snapshot.js";
import { type AuditReport, type DeepProbe, runAuditRules, summarizeAudit } from "./rules.js";
import { googleChatWebhookPaths, type WebhookProbe } from "./webhooks.js";

/** POSTs `{}` without credentials to each channel webhook path of the gateway at `wsUrl`; records the status. */
export async function probeWebhookPaths(o: { env: Env; configPath: string; wsUrl: string; timeoutMs: number }): Promise<WebhookProbe[]> {
  let paths: string[];
  try {
    paths = googleChatWebhookPaths(readConfigInput({ configPath: o.configPath, env: o.env }).input);
  } catch {
    return [];
  }
  const base = o.wsUrl.replace(/^ws(s?):/i, "http$1:").replace(/\/+$/, "");
  return Promise.all(
    paths.map(async (path): Promise<WebhookProbe> => {
      try {
        const res = await fetch(`${new URL(base).origin}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}", signal: AbortSignal.timeout(o.timeoutMs) });
        await res.body?.cancel();
        // The gateway's own auth gate (unknown paths are behind it) names realm "openclaw"; the channel's 401 does not.
        const gatewayGate = res.status === 401 && /realm="openclaw"/i.test(res.headers.get("www-authenticate") ?? "");
        return { channel: "googlechat", path, status: res.status, ...(gatewayGate ? { gatewayGate } : {}) };
      } catch (e) {
        return { channel: "googlechat", path, error: (e as Error).name === "TimeoutError" ? `no answer within ${o.timeoutMs} ms` : toAppError(e).message };
      }
    }),
  );
}

/** Is auth actually required, and where does the gateway listen? */
export async function probeGatewaySecurity(o: { env: Env; configPath: string; timeoutMs: number; version: string; token?: string; password?: string }): Promise<DeepProbe> {
  let url = "";
  try {
    const target = resolveGatewayTarget({ env: o.env, configPath: o.configPath, flags: { ...(o.token ? { token: o.token } : {}), ...(o.password ? { password: o.password } : {}) } });
    url = target.url;
    const port = Number(new URL(url).port) || 18789;
    const listening = new URL(url).hostname === "127.0.0.1" ? listeningAddresses(port) : [];
    let ok = false;
    let error: string | undefined;
    try {
      const c = await GatewayClient.connect({ url, ...(target.token ? { token: target.token } : {}), ...(target.password ? { password: target.password } : {}), timeoutMs: o.timeoutMs, clientId: "cli", clientMode: "probe", version: o.version });
      c.close();
      ok = true;
    } catch (e) {
      error = toAppError(e).message;
    }
    let openWithoutAuth = false;
    if (ok && (target.token || target.password)) {
      try {
        const c = await GatewayClient.connect({ url, timeoutMs: o.timeoutMs, clientId: "cli", clientMode: "probe", version: o.version });
        c.close();
        openWithoutAuth = true;
      } catch {
        // refused without credentials: as it should be
      }
    }
    const webhooks = ok ? await probeWebhookPaths({ env: o.env, configPath: o.configPath, wsUrl: url, timeoutMs: o.timeoutMs }) : [];
    return { attempted: true, url, ok, ...(error ? { error } : {}), openWithoutAuth, listening, ...(webhooks.length ? { webhooks } : {}) };
  } catch (e) {
    return { attempted: true, url, ok: false, error: toAppError(e).message };
  }
}

export interface AuditRunResult {
  report: AuditReport;
  fix?: { ok: boolean; applied: AppliedRepair[]; failed: Array<{ checkId: string; error: string }>; backupDir: string | null };
}

export async function runSecurityAudit(o: { env: Env; paths: ResolvedPaths; deep?: DeepProbe; fix: boolean; now?: Date }): Promise<AuditRunResult> {
  const now = o.now ?? new Date();
  const snap = collectSnapshot({ env: o.env, paths: o.paths, now: now.getTime() });
  const findings = runAuditRules(snap, o.deep);
  if (!o.fix) return { report: summarizeAudit(findings, snap.now, o.deep) };
  const backup = new BackupDir(o.paths.stateDir, timestampSlug(now), "audit-fix");
  const applied: AppliedRepair[] = [];
  const failed: Array<{ checkId: string; error: string }> = [];
  const ctx = { stateDir: o.paths.stateDir, configPath: o.paths.configPath, allowed: snap.config.files, now };
  for (const f of findings) {
    if (!f.fix) continue;
    try {
      applied.push(await applyRepair({ id: f.checkId, summary: f.remediation ?? f.title, safe: true, actions: f.fix }, ctx, backup));
    } catch (error) {
      failed.push({ checkId: f.checkId, error: error instanceof Error ? error.message : String(error) });
    }
  }
  const after = collectSnapshot({ env: o.env, paths: o.paths, now: now.getTime() });
  return { report: summarizeAudit(runAuditRules(after, o.deep), after.now, o.deep), fix: { ok: failed.length === 0, applied, failed, backupDir: backup.path ?? null } };
}
