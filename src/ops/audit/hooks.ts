/**
 * `security audit` rules for the webhook ingress (`hooks.*`), with OpenClaw's check ids where it has
 * them (hooks.token_too_short, hooks.token_reuse_gateway_token, hooks.path_root,
 * hooks.default_session_key_unset, hooks.allowed_agent_ids_unrestricted,
 * hooks.request_session_key_enabled, hooks.request_session_key_prefixes_missing) and two of ours:
 * hooks.token_missing (enabled without a token: the gateway refuses to start) and
 * hooks.exposed_without_tls (reachable from the network over plain HTTP). Pure over the config input.
 */
import { obj } from "../snapshot.js";
import type { WebhookFinding as AuditFinding } from "./webhooks.js";

const MIN_HOOK_TOKEN_LENGTH = 24;
const str = (v: unknown): string => (typeof v === "string" ? v.trim() : "");

/** Findings for `hooks.*` (none while hooks are disabled). */
export function hooksFindings(input: Record<string, unknown>): AuditFinding[] {
  const hooks = obj(input.hooks);
  if (hooks.enabled !== true) return [];
  const out: AuditFinding[] = [];
  const gateway = obj(input.gateway);
  const auth = obj(gateway.auth);
  const bind = str(gateway.bind) || "loopback";
  const tailscale = str(obj(gateway.tailscale).mode) || "off";
  const remote = bind !== "loopback" || tailscale === "funnel";
  const severity = remote ? "critical" : "warn";
  const token = str(hooks.token);
  if (!token) out.push({ checkId: "hooks.token_missing", severity: "critical", title: "hooks are enabled without hooks.token", detail: "The gateway refuses to start (or to reload) with this config: hook ingress needs its own secret.", remediation: 'openclaw config set hooks.token "$(openssl rand -hex 32)"' });
  else if (token.length < MIN_HOOK_TOKEN_LENGTH && !token.includes("${")) out.push({ checkId: "hooks.token_too_short", severity: "warn", title: "Hooks token looks short", detail: `hooks.token is ${token.length} chars; prefer a long random token.`, remediation: 'openclaw config set hooks.token "$(openssl rand -hex 32)"' });
  const reused = token && (token === str(auth.token) ? "gateway.auth.token" : token === str(auth.password) ? "gateway.auth.password" : undefined);
  if (reused) out.push({ checkId: "hooks.token_reuse_gateway_token", severity: "critical", title: `Hooks token reuses ${reused}`, detail: `hooks.token matches ${reused}; anyone holding the hook secret can drive the Gateway API. This gateway refuses the config.`, remediation: 'Give hooks a token of its own: openclaw config set hooks.token "$(openssl rand -hex 32)", then update the webhook senders.' });
  if (str(hooks.path) === "/") out.push({ checkId: "hooks.path_root", severity: "critical", title: "Hooks base path is '/'", detail: "hooks.path='/' would shadow other HTTP endpoints and is unsafe.", remediation: "Use a dedicated path like '/hooks'." });
  if (!str(hooks.defaultSessionKey)) out.push({ checkId: "hooks.default_session_key_unset", severity: "warn", title: "hooks.defaultSessionKey is not configured", detail: "Hook agent runs without an explicit sessionKey get a new generated session each.", remediation: 'openclaw config set hooks.defaultSessionKey "hook:ingress"' });
  const allowed = Array.isArray(hooks.allowedAgentIds) ? hooks.allowedAgentIds.map(str) : undefined;
  if (!allowed || allowed.includes("*")) out.push({ checkId: "hooks.allowed_agent_ids_unrestricted", severity, title: "Hook agent routing allows any configured agent", detail: "hooks.allowedAgentIds is unset or includes '*', so hook callers may route to any agent id.", remediation: 'openclaw config set hooks.allowedAgentIds \'["main"]\' (or [] to deny hook agent runs)' });
  if (hooks.allowRequestSessionKey === true) {
    out.push({ checkId: "hooks.request_session_key_enabled", severity, title: "External hook payloads may override sessionKey", detail: "hooks.allowRequestSessionKey=true lets /hooks/agent callers choose the session.", remediation: "openclaw config set hooks.allowRequestSessionKey false, or constrain hooks.allowedSessionKeyPrefixes" });
    const prefixes = Array.isArray(hooks.allowedSessionKeyPrefixes) ? hooks.allowedSessionKeyPrefixes.map(str).filter(Boolean) : [];
    if (prefixes.length === 0) out.push({ checkId: "hooks.request_session_key_prefixes_missing", severity, title: "Request sessionKey override is enabled without prefix restrictions", detail: "Hook payloads can target any session key.", remediation: 'openclaw config set hooks.allowedSessionKeyPrefixes \'["hook:"]\'' });
  }
  const tls = obj(gateway.tls).enabled === true;
  if (bind !== "loopback" && !tls && tailscale === "off") out.push({ checkId: "hooks.exposed_without_tls", severity: "warn", title: `hooks are served on a ${bind} bind over plain HTTP`, detail: "The hook token crosses the network in clear text.", remediation: "Put the gateway behind TLS (gateway.tls, a reverse proxy, or openclaw gateway --tailscale serve), or bind loopback." });
  return out;
}
