/**
 * What the gateway refuses in `hooks.*` (OpenClaw's startup rules for its webhook ingress, plus one
 * of ours): enabled without a token, a base path of "/", a default session key outside the allowed
 * prefixes, and a hook token equal to the gateway's token or password. OpenClaw only warns about
 * that reuse; here it is refused, because anyone holding the hook secret would also hold the
 * gateway's operator credential. Pure: shared by startup, reloads and `openclaw config validate`.
 */
import type { OpenClawConfig } from "./schema/index.js";

/** A guard finding in gateway-guards' shape (it imports this file, so the type is spelled here). */
export interface HooksGuardFinding {
  code: "GATEWAY_CONFIG_INVALID";
  path: string;
  message: string;
  hint: string;
}

const invalid = (path: string, message: string, hint: string): HooksGuardFinding => ({ code: "GATEWAY_CONFIG_INVALID", path, message, hint });

/** Every reason `hooks.*` would be refused (none while hooks are disabled). */
export function checkHooksConfig(config: OpenClawConfig, auth: { token?: string; password?: string } | undefined): HooksGuardFinding[] {
  const hooks = config.hooks;
  if (hooks?.enabled !== true) return [];
  const out: HooksGuardFinding[] = [];
  const token = hooks.token?.trim() ?? "";
  if (!token) out.push(invalid("hooks.token", "hooks.enabled requires hooks.token", 'Set one: openclaw config set hooks.token "$(openssl rand -hex 32)" (a different value from gateway.auth.token).'));
  const raw = hooks.path?.trim() || "/hooks";
  if (`/${raw.replace(/^\/+/, "")}`.replace(/\/+$/, "") === "") out.push(invalid("hooks.path", "hooks.path may not be '/'", "Use a dedicated path such as /hooks."));
  if (token && auth && ((auth.token && auth.token === token) || (auth.password && auth.password === token))) {
    const which = auth.token === token ? "gateway.auth.token" : "gateway.auth.password";
    out.push(invalid("hooks.token", `hooks.token must differ from ${which}: a webhook sender would hold the gateway's operator credential`, 'Give hooks a token of its own: openclaw config set hooks.token "$(openssl rand -hex 32)", then update the senders.'));
  }
  const prefixes = (hooks.allowedSessionKeyPrefixes ?? []).map((p) => p.trim().toLowerCase()).filter(Boolean);
  const defaultKey = hooks.defaultSessionKey?.trim().toLowerCase();
  if (prefixes.length > 0) {
    if (defaultKey && !prefixes.some((p) => defaultKey.startsWith(p))) out.push(invalid("hooks.defaultSessionKey", "hooks.defaultSessionKey must match hooks.allowedSessionKeyPrefixes", "Change the key or add its prefix to hooks.allowedSessionKeyPrefixes."));
    if (!defaultKey && !prefixes.some((p) => "hook:example".startsWith(p))) out.push(invalid("hooks.allowedSessionKeyPrefixes", "hooks.allowedSessionKeyPrefixes must include 'hook:' when hooks.defaultSessionKey is unset", 'Add "hook:" or set hooks.defaultSessionKey.'));
  }
  return out;
}
