/** `config.*`: the file snapshot (secrets redacted) and whole-file writes guarded by `baseHash`. */
import { loadConfigRuntime, REDACTED, toPublicConfig } from "../../config/index.js";
import { AppError, redactText } from "../../shared/index.js";
import type { GatewayRuntime } from "../runtime.js";

type WriteParams = { raw: string; baseHash?: string | undefined; restartDelayMs?: number | undefined };

const WRITE_LIMIT = { max: 3, windowMs: 60_000 };
const writes = new WeakMap<GatewayRuntime, Map<string, number[]>>();

/** Control-plane writes that restart: 3 per minute per client address. */
function checkWriteRate(rt: GatewayRuntime, ip: string): void {
  const byIp = writes.get(rt) ?? new Map<string, number[]>();
  writes.set(rt, byIp);
  const now = Date.now();
  const recent = (byIp.get(ip) ?? []).filter((t) => now - t < WRITE_LIMIT.windowMs);
  if (recent.length >= WRITE_LIMIT.max) {
    const retryAfterMs = WRITE_LIMIT.windowMs - (now - recent[0]!);
    throw new AppError("RATE_LIMITED", `too many config writes; try again in ${Math.ceil(retryAfterMs / 1000)} s`, { details: { retryAfterMs } });
  }
  recent.push(now);
  byIp.set(ip, recent);
}

export async function configGet(_params: unknown, rt: GatewayRuntime) {
  const { loadConfigSnapshot } = await loadConfigRuntime();
  const snap = loadConfigSnapshot({ configPath: rt.options.paths.configPath, env: rt.options.env, lenientEnv: true });
  if (snap.hash) rt.rememberInput(snap.hash, snap.input);
  const secrets = [rt.auth.token, rt.auth.password].filter((s): s is string => Boolean(s));
  return {
    path: snap.path,
    exists: snap.exists,
    raw: snap.raw === null ? null : redactText(snap.raw, { literals: secrets }),
    parsed: toPublicConfig(snap.input),
    resolved: toPublicConfig(snap.input),
    valid: snap.valid,
    config: snap.config ? toPublicConfig(snap.config) : null,
    hash: snap.hash,
    issues: snap.issues.map((i) => ({ path: i.path, message: i.message })),
    warnings: snap.warnings.map((i) => ({ path: i.path, message: i.message })),
    legacyIssues: [],
  };
}

function refuseRedacted(raw: string): void {
  if (raw.includes(REDACTED)) {
    throw new AppError("CONFIG_VALUE", `the config contains ${REDACTED} placeholders; send real values (the redacted view cannot be written back)`);
  }
}

async function write(kind: "set" | "apply" | "patch", params: WriteParams, rt: GatewayRuntime, ip: string) {
  if (kind !== "set") checkWriteRate(rt, ip);
  refuseRedacted(params.raw);
  const { replaceConfigRaw, mergePatchConfig } = await loadConfigRuntime();
  const common = { configPath: rt.options.paths.configPath, env: rt.options.env, baseHash: params.baseHash, knownInput: (h: string) => rt.knownInput(h) };
  const result = kind === "patch" ? mergePatchConfig({ ...common, patch: params.raw }) : replaceConfigRaw({ ...common, raw: params.raw });
  rt.log.info(`config.${kind} wrote ${result.configPath}`, { reload: result.reload.kind });
  const out: Record<string, unknown> = { ok: true, path: result.configPath, hash: result.hash, changed: result.changed, reload: result.reload };
  if (kind !== "set" && result.changed) {
    const delayMs = params.restartDelayMs ?? rt.options.restartDelayMs ?? 2000;
    setTimeout(() => void rt.restart(`config.${kind}`), delayMs).unref();
    out.restart = { delayMs, reason: `config.${kind}` };
  }
  return out;
}

export const configSet = (p: WriteParams, rt: GatewayRuntime, conn: { ip: string }) => write("set", p, rt, conn.ip);
export const configApply = (p: WriteParams, rt: GatewayRuntime, conn: { ip: string }) => write("apply", p, rt, conn.ip);
export const configPatch = (p: WriteParams, rt: GatewayRuntime, conn: { ip: string }) => write("patch", p, rt, conn.ip);

export async function configSchema() {
  const { configJsonSchema } = await loadConfigRuntime();
  return { schema: configJsonSchema(), uiHints: {}, version: 1, generatedAt: new Date().toISOString() };
}
