/**
 * `security audit` rules (spec §5.6): pure functions over a snapshot. Doctor's security step runs the
 * same rules, so the two never disagree.
 */
import { lintChannelAllowlists } from "../../channels/index.js";
import { isSecretKey } from "../../shared/index.js";
import type { RepairAction } from "../repair.js";
import { type FileFact, obj, type Snapshot } from "../snapshot.js";
import { hooksFindings } from "./hooks.js";
import { sandboxAuditFindings } from "./sandbox.js";
import { type WebhookProbe, webhookFindings } from "./webhooks.js";

export type AuditSeverity = "info" | "warn" | "critical";

export interface AuditFinding {
  checkId: string;
  severity: AuditSeverity;
  title: string;
  detail: string;
  remediation?: string;
  /** Safe automatic fix (`--fix`): modes and safe defaults only. */
  fix?: RepairAction[];
}

/** What `--deep` learned from the running gateway. */
export interface DeepProbe {
  attempted: boolean;
  url: string;
  ok: boolean;
  error?: string;
  /** A connect without credentials succeeded. */
  openWithoutAuth?: boolean;
  /** Addresses the gateway port is bound to. */
  listening?: string[];
  /** Channel webhook paths POSTed without credentials, and what they answered. */
  webhooks?: WebhookProbe[];
}

const MIN_TOKEN_LENGTH = 24;
const octal = (m: number) => m.toString(8).padStart(4, "0");
const LOOPBACK = /^(127\.|::1$|::ffff:127\.|localhost$)/;

function permFindings(f: FileFact): AuditFinding[] {
  if (!f.exists || f.mode === undefined) return [];
  const m = f.mode;
  const out: AuditFinding[] = [];
  const worldW = (m & 0o002) !== 0;
  const groupW = (m & 0o020) !== 0;
  const worldR = (m & 0o004) !== 0;
  const groupR = (m & 0o040) !== 0;
  const wantDir = 0o700;
  const wantFile = 0o600;
  const chmod = (mode: number): RepairAction[] => [{ kind: "chmod", path: f.path, mode }];
  const add = (checkId: string, severity: AuditSeverity, what: string, mode: number) =>
    out.push({ checkId, severity, title: `${what}: ${f.path} is mode ${octal(m)}`, detail: `${f.path} has mode ${octal(m)}; it should be ${octal(mode)}.`, remediation: `chmod ${octal(mode)} ${f.path}`, fix: chmod(mode) });
  switch (f.kind) {
    case "state-dir":
      if (worldW) add("fs.state_dir.perms_world_writable", "critical", "state dir world-writable", wantDir);
      else if (groupW) add("fs.state_dir.perms_group_writable", "warn", "state dir group-writable", wantDir);
      else if (worldR || groupR) add("fs.state_dir.perms_readable", "warn", "state dir readable by others", wantDir);
      if (f.symlink) out.push({ checkId: "fs.state_dir.symlink", severity: "warn", title: `state dir ${f.path} is a symlink`, detail: "Backups and migrations may follow it somewhere unexpected.", remediation: "Point OPENCLAW_STATE_DIR at the real directory." });
      break;
    case "config":
    case "include": {
      const base = f.kind === "config" ? "fs.config" : "fs.config_include";
      const what = f.kind === "config" ? "config" : "config include";
      if (worldW || groupW) add(`${base}.perms_writable`, "critical", `${what} writable by others`, wantFile);
      else if (worldR) add(`${base}.perms_world_readable`, "critical", `${what} world-readable (it holds secrets)`, wantFile);
      else if (groupR) add(`${base}.perms_group_readable`, "warn", `${what} group-readable`, wantFile);
      if (f.symlink && f.kind === "config") out.push({ checkId: "fs.config.symlink", severity: "warn", title: `config ${f.path} is a symlink`, detail: "Atomic writes replace the link with a file.", remediation: "Point OPENCLAW_CONFIG_PATH at the real file." });
      break;
    }
    case "auth-profiles":
    case "credential":
    case "identity":
    case "env-file": {
      const base = f.kind === "auth-profiles" ? "fs.auth_profiles" : f.kind === "credential" ? "fs.credentials" : f.kind === "identity" ? "fs.identity" : "fs.env_file";
      if (worldW || groupW) add(`${base}.perms_writable`, "critical", `${f.kind} file writable by others`, wantFile);
      else if (worldR || groupR) add(`${base}.perms_readable`, "warn", `${f.kind} file readable by others`, wantFile);
      break;
    }
    case "credentials-dir":
      if (worldW || groupW) add("fs.credentials_dir.perms_writable", "critical", "credentials dir writable by others", wantDir);
      else if (worldR || groupR) add("fs.credentials_dir.perms_readable", "warn", "credentials dir readable by others", wantDir);
      break;
    case "sessions-store":
    case "transcript":
      if (worldR || groupR || worldW || groupW) add("fs.sessions_store.perms_readable", "warn", "session data readable by others", wantFile);
      break;
    case "log":
      if (worldR || groupR) add("fs.log_file.perms_readable", "warn", "log file readable by others", wantFile);
      break;
    default:
      break;
  }
  return out;
}

/** Check ids of the allowlist lint's findings (doctor reports them in its config step). */
export const ALLOWLIST_CHECK_IDS: Record<string, string> = {
  placeholder: "config.placeholder_allow_from",
  "not-e164": "channels.allowlist_not_e164",
  "email-entry": "channels.allowlist_email_entry",
  "empty-allowlist": "channels.allowlist_empty",
  "open-without-wildcard": "channels.dm_open_without_wildcard",
};

/** Placeholder or malformed allowlist entries, empty allowlists and `open` without `"*"` (channels' lint), as audit findings. */
export function allowlistFindings(input: Record<string, unknown>): AuditFinding[] {
  return lintChannelAllowlists(input).map((f) => ({
    checkId: ALLOWLIST_CHECK_IDS[f.kind]!,
    severity: f.severity,
    title: f.message,
    detail: f.kind === "open-without-wildcard" ? "The policy says public, the list says otherwise; intent is unclear." : "Messages that match nothing are dropped (counted in channels status, never answered).",
    remediation: f.fix,
  }));
}

/** Channels with their accounts flattened: `[path, settings]`. */
export function channelEntries(input: Record<string, unknown>): Array<{ id: string; path: string[]; settings: Record<string, unknown>; own: Record<string, unknown> }> {
  const out: Array<{ id: string; path: string[]; settings: Record<string, unknown>; own: Record<string, unknown> }> = [];
  for (const [id, raw] of Object.entries(obj(input.channels))) {
    const base = obj(raw);
    // channels.modelByChannel maps ids to models (not a channel); channels.defaults holds real policy fallbacks and stays.
    if (base.enabled === false || id === "modelByChannel") continue;
    out.push({ id, path: ["channels", id], settings: base, own: base });
    for (const [acc, a] of Object.entries(obj(base.accounts))) out.push({ id, path: ["channels", id, "accounts", acc], settings: { ...base, ...obj(a) }, own: obj(a) });
  }
  return out;
}

/**
 * The safe default for open DMs: `pairing` (unknown senders get a code and wait for approval), and the
 * `"*"` wildcard leaves `allowFrom` (it would still admit everyone); named senders stay approved. Only
 * what this entry writes itself is changed: an account inheriting "open" is fixed at the channel.
 */
function closeOpenDms(at: string[], own: Record<string, unknown>): RepairAction[] {
  const fix: RepairAction[] = [];
  if (own.dmPolicy === "open") fix.push({ kind: "config-set", path: [...at, "dmPolicy"], value: "pairing" });
  if (Array.isArray(own.allowFrom) && own.allowFrom.includes("*")) {
    const named = own.allowFrom.filter((x) => x !== "*");
    fix.push(named.length ? { kind: "config-set", path: [...at, "allowFrom"], value: named } : { kind: "config-unset", path: [...at, "allowFrom"] });
  }
  return fix;
}

/** Secret-looking string values that are plaintext in the file (not `${VAR}`, not a SecretRef). */
function plaintextSecrets(input: Record<string, unknown>, refPaths: Set<string>): string[] {
  const out: string[] = [];
  const walk = (v: unknown, at: string[]) => {
    if (typeof v === "string") {
      const key = at[at.length - 1] ?? "";
      if (v && isSecretKey(key) && !refPaths.has(at.join("."))) out.push(at.join("."));
      return;
    }
    if (Array.isArray(v)) for (const [i, x] of v.entries()) walk(x, [...at, String(i)]);
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) if (k !== "env") walk(x, [...at, k]);
  };
  walk(input, []);
  return out;
}

export function runAuditRules(snap: Snapshot, deep?: DeepProbe): AuditFinding[] {
  const out: AuditFinding[] = [];
  for (const f of snap.files) out.push(...permFindings(f));
  const synced = snap.files.find((f) => (f.kind === "state-dir" || f.kind === "config") && /Mobile Documents|CloudStorage|Dropbox|Google Drive|OneDrive/i.test(f.path));
  if (synced) out.push({ checkId: "fs.synced_dir", severity: "warn", title: `${synced.path} is in a cloud-synced folder`, detail: "Sync clients copy secrets off the machine and can corrupt files written concurrently.", remediation: "Move the state dir out of the synced folder (OPENCLAW_STATE_DIR)." });

  const input = snap.input;
  const gateway = obj(input.gateway);
  const auth = obj(gateway.auth);
  const bind = typeof gateway.bind === "string" ? gateway.bind : "loopback";
  const token = typeof auth.token === "string" ? auth.token : undefined;
  const hasToken = token !== undefined || snap.gatewayEnv.token === "set" || (auth.token !== undefined && typeof auth.token === "object");
  const hasPassword = auth.password !== undefined || snap.gatewayEnv.password === "set";
  const mode = typeof auth.mode === "string" ? auth.mode : hasToken ? "token" : hasPassword ? "password" : "none";
  const hasSecret = (mode === "token" && hasToken) || (mode === "password" && hasPassword) || mode === "trusted-proxy";
  if (auth.mode === "none" && bind === "loopback") {
    out.push({ checkId: "gateway.auth_none", severity: "warn", title: 'gateway auth is off (gateway.auth.mode "none")', detail: "Any local process (another user, a container, a compromised tool) can drive your assistant and rewrite its config.", remediation: "openclaw config unset gateway.auth.mode (the gateway then generates and saves a token), or openclaw doctor --generate-gateway-token" });
  }
  if (bind !== "loopback" && !hasSecret) {
    out.push({ checkId: "gateway.bind_no_auth", severity: "critical", title: `gateway binds ${bind} without a shared secret`, detail: "Anyone on the network can drive your assistant.", remediation: "openclaw config set gateway.auth.mode token (a token is generated by doctor), or bind loopback" });
  }
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH && !token.includes("${")) {
    out.push({ checkId: "gateway.token_too_short", severity: "warn", title: `gateway token is short (${token.length} characters)`, detail: `Use at least ${MIN_TOKEN_LENGTH} random characters.`, remediation: "openclaw doctor --generate-gateway-token, or: openssl rand -hex 32" });
  }
  if (mode === "trusted-proxy") {
    out.push({ checkId: "gateway.trusted_proxy_auth", severity: "critical", title: "gateway trusts a reverse proxy for authentication", detail: "Anything that reaches the port with the right header is authenticated.", remediation: "Prefer token auth; keep the port firewalled to the proxy." });
    const proxies = gateway.trustedProxies;
    if (!Array.isArray(proxies) || proxies.length === 0) out.push({ checkId: "gateway.trusted_proxy_no_proxies", severity: "critical", title: "trusted-proxy auth without gateway.trustedProxies", detail: "No proxy address is trusted, so every forwarded header is taken at face value or rejected.", remediation: 'openclaw config set gateway.trustedProxies \'["127.0.0.1"]\'' });
  }
  if (gateway.token !== undefined) out.push({ checkId: "config.deprecated_gateway_token", severity: "warn", title: "gateway.token is a deprecated key and is ignored", detail: "The gateway reads gateway.auth.token.", remediation: "Move it: openclaw config set gateway.auth.token <value> && openclaw config unset gateway.token" });
  const ui = obj(gateway.controlUi);
  if (ui.allowInsecureAuth === true)
    out.push({
      checkId: "gateway.control_ui.insecure_auth",
      severity: bind === "loopback" ? "warn" : "critical",
      title: "gateway.controlUi.allowInsecureAuth is on",
      detail: "The Control UI is admitted with a token alone, without device identity, from plain-HTTP LAN/tailnet pages. OpenClaw 2026.9 retired this setting; this gateway still honours it.",
      remediation: "Open the Control UI over HTTPS (openclaw gateway --tailscale serve) or on localhost, then: openclaw config unset gateway.controlUi.allowInsecureAuth",
    });
  if (ui.dangerouslyDisableDeviceAuth === true)
    out.push({
      checkId: "gateway.control_ui.device_auth_disabled",
      severity: "warn",
      title: "gateway.controlUi.dangerouslyDisableDeviceAuth is set",
      detail: "It has no effect: OpenClaw 2026.9 retired it and this gateway never honours it, so it only misleads readers of the config.",
      remediation: "openclaw config unset gateway.controlUi.dangerouslyDisableDeviceAuth",
    });
  if (Array.isArray(ui.allowedOrigins) && ui.allowedOrigins.includes("*")) out.push({ checkId: "gateway.control_ui.allowed_origins_wildcard", severity: bind === "loopback" ? "warn" : "critical", title: 'gateway.controlUi.allowedOrigins contains "*"', detail: "Any web page may drive the Control UI.", remediation: "List the exact origins you use." });
  if (obj(gateway.tailscale).mode === "funnel") out.push({ checkId: "gateway.tailscale_funnel", severity: "critical", title: "gateway is public through Tailscale Funnel", detail: "The port is reachable from the internet.", remediation: "openclaw config set gateway.tailscale.mode serve" });
  if (gateway.allowRealIpFallback === true) out.push({ checkId: "gateway.real_ip_fallback_enabled", severity: "warn", title: "gateway.allowRealIpFallback is on", detail: "X-Real-IP is trusted when X-Forwarded-For is absent.", remediation: "openclaw config set gateway.allowRealIpFallback false" });

  const tools = obj(input.tools);
  const elevated = obj(tools.elevated).enabled === true;
  let openSurface = false;
  for (const ch of channelEntries(input)) {
    const where = ch.path.join(".");
    if (ch.settings.dmPolicy === "open") {
      openSurface = true;
      const fix = closeOpenDms(ch.path, ch.own);
      out.push({ checkId: "channels.dm_policy_open", severity: elevated ? "critical" : "warn", title: `${where}.dmPolicy is "open"`, detail: "Anyone who finds the account can message your assistant.", remediation: `openclaw config set ${where}.dmPolicy pairing`, ...(fix.length ? { fix } : {}) });
    }
    if (ch.settings.groupPolicy === "open") {
      openSurface = true;
      // An account inheriting the channel's policy is fixed where the policy is written (the channel).
      const fix: RepairAction[] = ch.own.groupPolicy === "open" ? [{ kind: "config-set", path: [...ch.path, "groupPolicy"], value: "allowlist" }] : [];
      out.push({ checkId: "channels.group_policy_open", severity: "warn", title: `${where}.groupPolicy is "open"`, detail: "Every group the account is added to can trigger the assistant.", remediation: `openclaw config set ${where}.groupPolicy allowlist`, ...(fix.length ? { fix } : {}) });
    }
  }
  out.push(...allowlistFindings(input));
  out.push(...hooksFindings(input));
  out.push(...sandboxAuditFindings(input, snap.agentIds, openSurface));
  if (elevated && openSurface) out.push({ checkId: "security.exposure.open_groups_with_elevated", severity: "critical", title: "elevated tools are on while channels are open", detail: "tools.elevated.enabled lets exec escape the sandbox for anyone allowed in.", remediation: "openclaw config set tools.elevated.enabled false, or close the channels" });
  else if (elevated && Array.isArray(obj(tools.elevated).allowFrom) && (obj(tools.elevated).allowFrom as unknown[]).includes("*")) out.push({ checkId: "tools.elevated_allow_all", severity: "critical", title: 'tools.elevated.allowFrom contains "*"', detail: "Any sender may run elevated exec.", remediation: "List the senders allowed to use elevated exec." });
  if (obj(tools.exec).security === "full") out.push({ checkId: "tools.exec.security_full_configured", severity: openSurface ? "critical" : "warn", title: 'tools.exec.security is "full"', detail: "Host exec runs without an allowlist or approval.", remediation: "openclaw config set tools.exec.security allowlist" });

  if (obj(input.logging).redactSensitive === "off") out.push({ checkId: "logging.redact_off", severity: "warn", title: "logging.redactSensitive is off", detail: "Tokens and keys are written to logs in plain text.", remediation: "openclaw config set logging.redactSensitive tools", fix: [{ kind: "config-set", path: ["logging", "redactSensitive"], value: "tools" }] });

  const refPaths = new Set(snap.envRefs.map((r) => r.path));
  if (typeof auth.password === "string" && !refPaths.has("gateway.auth.password")) out.push({ checkId: "config.secrets.gateway_password_in_config", severity: "warn", title: "gateway password is stored in plain text in the config", detail: "gateway.auth.password could be an env reference.", remediation: 'Put it in ~/.openclaw/.env as OPENCLAW_GATEWAY_PASSWORD and set gateway.auth.password to "${OPENCLAW_GATEWAY_PASSWORD}"' });
  const plain = plaintextSecrets(input, refPaths).filter((p) => p !== "gateway.auth.password" && p !== "gateway.auth.token");
  if (plain.length) out.push({ checkId: "config.secrets.plaintext", severity: "warn", title: `${plain.length} secret${plain.length === 1 ? "" : "s"} stored in plain text in the config`, detail: `At ${plain.join(", ")}; an env reference would keep them out of backups and pastes.`, remediation: 'Move each value to ~/.openclaw/.env and reference it as "${NAME}".' });

  if (deep?.attempted) {
    if (!deep.ok) out.push({ checkId: "gateway.probe_failed", severity: "warn", title: `deep probe of ${deep.url} failed`, detail: deep.error ?? "no answer", remediation: "openclaw gateway status" });
    if (deep.openWithoutAuth && hasSecret) out.push({ checkId: "gateway.probe_no_auth_required", severity: "critical", title: "the running gateway accepts connections without credentials", detail: `Config asks for ${mode} auth, but ${deep.url} let an unauthenticated client in; the running gateway is not using this config.`, remediation: "openclaw gateway restart (then openclaw gateway status to compare configs)" });
    const exposed = (deep.listening ?? []).filter((a) => !LOOPBACK.test(a));
    out.push(...webhookFindings(input, deep.webhooks));
    if (exposed.length) out.push({ checkId: "gateway.listening_beyond_loopback", severity: hasSecret ? "warn" : "critical", title: `the gateway listens on ${exposed.join(", ")}`, detail: hasSecret ? "Reachable from the network; auth is required." : "Reachable from the network without auth.", remediation: "openclaw config set gateway.bind loopback, or firewall the port" });
  }
  return out;
}

export interface AuditReport {
  ts: string;
  summary: { critical: number; warn: number; info: number };
  findings: AuditFinding[];
  deep?: { gateway: DeepProbe };
}

export function summarizeAudit(findings: AuditFinding[], now: number, deep?: DeepProbe): AuditReport {
  const summary = { critical: 0, warn: 0, info: 0 };
  for (const f of findings) summary[f.severity]++;
  return { ts: new Date(now).toISOString(), summary, findings: findings.map(({ fix: _fix, ...rest }) => rest), ...(deep ? { deep: { gateway: deep } } : {}) };
}
