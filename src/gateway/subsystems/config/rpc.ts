/** `config.*`: the file snapshot (secrets redacted) and whole-file writes guarded by `baseHash`. */
import { hasShapedSecret, loadConfigRuntime, parseJson5, REDACTED, readConfigText, setJson5Value, toPublicConfig } from "../../../config/index.js";
import { AppError, formatConfigPath, getAtPath, isEnvReference, isSecretKey, redactText } from "../../../shared/index.js";
import type { GatewayCore } from "../../subsystem.js";

export type WriteParams = { raw: string; baseHash?: string | undefined; restartDelayMs?: number | undefined };

/** What the config RPC keeps between calls: recent inputs by hash, and write times per address. */
export interface ConfigRpcState {
  core: GatewayCore;
  knownInputs: Map<string, Record<string, unknown>>;
  writesByIp: Map<string, number[]>;
}

const WRITE_LIMIT = { max: 3, windowMs: 60_000 };

function rememberInput(state: ConfigRpcState, hash: string, input: Record<string, unknown>): void {
  state.knownInputs.set(hash, structuredClone(input));
  while (state.knownInputs.size > 16) state.knownInputs.delete(state.knownInputs.keys().next().value!);
}

/** The config input a `baseHash` named: one this gateway served or is running. */
function knownInput(state: ConfigRpcState, hash: string): Record<string, unknown> | undefined {
  const running = state.core.runningSnapshot();
  return state.knownInputs.get(hash) ?? (running.hash === hash ? running.input : undefined);
}

/** Control-plane writes that restart: 3 per minute per client address. */
function checkWriteRate(state: ConfigRpcState, ip: string): void {
  const byIp = state.writesByIp;
  const now = Date.now();
  const recent = (byIp.get(ip) ?? []).filter((t) => now - t < WRITE_LIMIT.windowMs);
  if (recent.length >= WRITE_LIMIT.max) {
    const retryAfterMs = WRITE_LIMIT.windowMs - (now - recent[0]!);
    throw new AppError("RATE_LIMITED", `too many config writes; try again in ${Math.ceil(retryAfterMs / 1000)} s`, { details: { retryAfterMs } });
  }
  recent.push(now);
  byIp.set(ip, recent);
}

export async function configGet(state: ConfigRpcState) {
  const { core } = state;
  const { loadConfigSnapshot } = await loadConfigRuntime();
  const snap = loadConfigSnapshot({ configPath: core.paths.configPath, env: core.env, lenientEnv: true });
  if (snap.hash) rememberInput(state, snap.hash, snap.input);
  const auth = core.runningAuth();
  const secrets = [auth.token, auth.password].filter((s): s is string => Boolean(s));
  return {
    path: snap.path,
    exists: snap.exists,
    raw: snap.raw === null ? null : redactRaw(snap.raw, secrets),
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

/**
 * Secret string values of a parsed config, by path: secret-keyed ones and those holding a secret by
 * shape (a URL password under `env.DATABASE_URL`). `${VAR}` references are not secrets.
 */
function secretPaths(value: unknown, at: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) secretPaths(v, [...at, i], out);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === "string" && ((isSecretKey(k) && v.length > 0 && !isEnvReference(v)) || hasShapedSecret(v, k))) out.push([...at, k]);
      else secretPaths(v, [...at, k], out);
    }
  }
  return out;
}

/** The raw file with every secret value replaced by the placeholder (in place; comments kept). */
function redactRaw(raw: string, literals: string[]): string {
  let out = raw;
  try {
    for (const p of secretPaths(parseJson5(raw))) out = setJson5Value(out, p, REDACTED);
  } catch {
    // Unparseable: fall back to pattern redaction below.
  }
  return redactText(out, { literals });
}

/**
 * A write that carries placeholders from config.get gets the real values back from the current
 * file (same path); a placeholder with nothing to restore is refused, so a mask never becomes a secret.
 */
function restoreRedacted(raw: string, configPath: string): string {
  if (!raw.includes(REDACTED)) return raw;
  let current: unknown = {};
  try {
    current = parseJson5(readConfigText(configPath));
  } catch {
    // No current file: nothing to restore from.
  }
  let out = raw;
  for (const p of placeholderPaths(parseJson5(raw))) {
    const original = getAtPath(current, p);
    if (typeof original !== "string") {
      throw new AppError("CONFIG_VALUE", `${formatConfigPath(p)} is ${REDACTED} but the current config has no value to keep there; send the real value`);
    }
    out = setJson5Value(out, p, original);
  }
  if (out.includes(REDACTED)) throw new AppError("CONFIG_VALUE", `the config contains ${REDACTED} outside a value; send real values`);
  return out;
}

function placeholderPaths(value: unknown, at: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  if (value === REDACTED) out.push(at);
  else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) placeholderPaths(v, [...at, i], out);
  }
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) placeholderPaths(v, [...at, k], out);
  return out;
}

/** `config.set` / `config.apply` / `config.patch`: validated, atomic, guarded by `baseHash`. */
export async function configWrite(state: ConfigRpcState, kind: "set" | "apply" | "patch", params: WriteParams, ip: string, log: { info(message: string, fields?: Record<string, unknown>): void }) {
  const { core } = state;
  if (kind !== "set") checkWriteRate(state, ip);
  const { replaceConfigRaw, mergePatchConfig } = await loadConfigRuntime();
  const common = { configPath: core.paths.configPath, env: core.env, baseHash: params.baseHash, knownInput: (h: string) => knownInput(state, h) };
  const raw = kind === "patch" ? params.raw : restoreRedacted(params.raw, core.paths.configPath);
  if (kind === "patch" && raw.includes(REDACTED)) throw new AppError("CONFIG_VALUE", `a patch may not contain ${REDACTED}; send real values or leave the key out`);
  const result = kind === "patch" ? mergePatchConfig({ ...common, patch: raw }) : replaceConfigRaw({ ...common, raw });
  log.info(`config.${kind} wrote ${result.configPath}`, { reload: result.reload.kind });
  const out: Record<string, unknown> = { ok: true, path: result.configPath, hash: result.hash, changed: result.changed, reload: result.reload };
  if (kind !== "set" && result.changed) {
    const mode = core.runningConfig().gateway.reload?.mode ?? "hybrid";
    // Only a change the core must restart for (or a reload mode that cannot apply in place)
    // restarts; anything else is applied now, on this request (subsystems restart their own parts),
    // and the watcher later finds nothing left to do.
    if (result.reload.restartGateway || ((mode === "restart" || mode === "off") && result.reload.kind !== "none")) {
      const delayMs = params.restartDelayMs ?? core.restartDelayMs();
      setTimeout(() => {
        // The file watcher may have restarted onto this very file already: one change, one restart.
        if (core.reloadStatus().hash === result.hash) log.info(`config.${kind}: restart already applied (config ${String(result.hash).slice(0, 12)} is running)`);
        else void core.restart(`config.${kind}`);
      }, delayMs).unref();
      out.restart = { delayMs, reason: `config.${kind}` };
    } else if (result.reload.kind !== "none") {
      await core.reload();
      if (core.reloadStatus().lastError) out.reloadError = core.reloadStatus().lastError;
    }
  }
  return out;
}

export async function configSchema() {
  const { configJsonSchema } = await loadConfigRuntime();
  return { schema: configJsonSchema(), uiHints: {}, version: 1, generatedAt: new Date().toISOString() };
}
