/**
 * Reload metadata for every config key (spec §3.6): whether a running gateway applies a change in
 * place ("hot"), must restart ("restart"), or just reads it on demand ("none"), and which gateway
 * subsystem owns it. A "restart" of a path owned by a subsystem restarts that subsystem (e.g. one
 * channel account), never the whole gateway; only paths owned by "gateway" restart the process's
 * listeners. The longest matching prefix wins; a path matching no rule restarts the gateway.
 */

export type ReloadKind = "hot" | "restart" | "none";

/** The gateway subsystems that own config paths ("gateway" is the core: listeners, auth, process). */
export type ReloadOwner = "gateway" | "logs" | "health" | "channels" | "agents" | "memory" | "cron" | "ui" | "controlUi" | "heartbeat" | "hooks";

/** Prefix → kind and owner. Only this table decides; the gateway, `config set --dry-run` and the Control UI's config page all read it. */
export const RELOAD_RULES: ReadonlyArray<readonly [prefix: string, kind: ReloadKind, owner: ReloadOwner]> = [
  ["$schema", "none", "gateway"],
  ["meta", "none", "gateway"],
  ["wizard", "none", "gateway"],
  ["gateway", "restart", "gateway"],
  ["gateway.reload", "hot", "gateway"],
  ["gateway.remote", "none", "gateway"],
  ["gateway.controlUi.allowedOrigins", "hot", "gateway"],
  // The controlUi subsystem: `enabled` is read per request; a new base path or root re-mounts its routes.
  ["gateway.controlUi.enabled", "hot", "controlUi"],
  ["gateway.controlUi.basePath", "restart", "controlUi"],
  ["gateway.controlUi.root", "restart", "controlUi"],
  ["channels", "hot", "channels"],
  ["channels.*.allowFrom", "hot", "channels"],
  ["channels.*.groupAllowFrom", "hot", "channels"],
  ["channels.*.dmPolicy", "hot", "channels"],
  ["channels.*.groupPolicy", "hot", "channels"],
  ["channels.*.botToken", "restart", "channels"],
  ["channels.*.token", "restart", "channels"],
  ["channels.*.appToken", "restart", "channels"],
  ["channels.*.accounts.*.botToken", "restart", "channels"],
  ["channels.*.accounts.*.token", "restart", "channels"],
  ["channels.*.accounts.*.appToken", "restart", "channels"],
  ["web", "hot", "channels"],
  ["agents", "hot", "agents"],
  ["agents.defaults.workspace", "restart", "agents"],
  ["agents.list", "hot", "agents"],
  ["agents.list.*.workspace", "restart", "agents"],
  ["agents.list.*.agentDir", "restart", "agents"],
  ["agents.entries.*.workspace", "restart", "agents"],
  ["agents.entries.*.agentDir", "restart", "agents"],
  // The memory subsystem reopens the affected agents' indexes (never a gateway restart).
  ["agents.defaults.memorySearch", "restart", "memory"],
  ["agents.list.*.memorySearch", "restart", "memory"],
  ["agents.entries.*.memorySearch", "restart", "memory"],
  ["agents.entries.*.memory", "restart", "memory"],
  ["agents.defaults.sandbox", "hot", "agents"],
  ["agents.defaults.heartbeat", "hot", "heartbeat"],
  ["agents.list.*.heartbeat", "hot", "heartbeat"],
  ["agents.entries.*.heartbeat", "hot", "heartbeat"],
  // Settings are read per exec; running containers keep theirs until drift recreates them or `sandbox recreate`.
  ["agents.list.*.sandbox", "hot", "agents"],
  ["agents.entries.*.sandbox", "hot", "agents"],
  ["models", "restart", "agents"],
  ["auth", "hot", "agents"],
  ["bindings", "hot", "channels"],
  ["hooks", "hot", "hooks"],
  ["cron", "hot", "cron"],
  ["session", "hot", "agents"],
  ["messages", "hot", "channels"],
  ["tools", "hot", "agents"],
  ["browser", "hot", "agents"],
  ["skills", "hot", "agents"],
  ["audio", "hot", "agents"],
  ["talk", "hot", "agents"],
  ["ui", "hot", "ui"],
  ["logging", "hot", "logs"],
  ["commands", "hot", "gateway"],
  ["approvals", "hot", "agents"],
  ["env", "restart", "gateway"],
  ["secrets", "restart", "gateway"],
  ["discovery", "restart", "gateway"],
  ["canvasHost", "restart", "gateway"],
  ["plugins", "restart", "gateway"],
  ["memory", "restart", "memory"],
  ["memory.citations", "hot", "memory"],
  ["update", "none", "gateway"],
  ["cli", "none", "gateway"],
  ["diagnostics", "hot", "health"],
  ["broadcast", "hot", "channels"],
  ["commitments", "hot", "agents"],
  ["nodeHost", "restart", "gateway"],
  ["acp", "restart", "gateway"],
  ["mcp", "restart", "gateway"],
];

function matches(prefix: string, segments: readonly string[]): number {
  const parts = prefix.split(".");
  if (parts.length > segments.length) return -1;
  for (let i = 0; i < parts.length; i++) if (parts[i] !== "*" && parts[i] !== segments[i]) return -1;
  return parts.length;
}

/** The reload rule of one dotted path (array indices as plain segments). */
export function reloadRuleOf(path: string): { kind: ReloadKind; owner: ReloadOwner } {
  const segments = path.replace(/\[(\d+)\]/g, ".$1").replace(/\["([^"]*)"\]/g, ".$1").split(".").filter(Boolean);
  // Array indices match "*" rules: agents.list.0.workspace ~ agents.list.*.workspace.
  let best = -1;
  let rule: { kind: ReloadKind; owner: ReloadOwner } = { kind: "restart", owner: "gateway" };
  for (const [prefix, kind, owner] of RELOAD_RULES) {
    const n = matches(prefix, segments);
    if (n > best) {
      best = n;
      rule = { kind, owner };
    }
  }
  return rule;
}

/** The reload kind of one dotted path. */
export function reloadKindOf(path: string): ReloadKind {
  return reloadRuleOf(path).kind;
}

export interface ReloadPlan {
  /** The strongest kind among changed paths: restart > hot > none. */
  kind: ReloadKind;
  restartPaths: string[];
  hotPaths: string[];
  /** True when a restart-kind path is owned by the core: the gateway restarts its listeners in process. */
  restartGateway: boolean;
  /** Changed paths by owning subsystem (what each is asked to apply). */
  byOwner: Partial<Record<ReloadOwner, string[]>>;
}

/** What a running gateway does with a set of changed paths. */
export function planReload(paths: readonly string[]): ReloadPlan {
  const rules = paths.map((p) => [p, reloadRuleOf(p)] as const);
  const restartPaths = rules.filter(([, r]) => r.kind === "restart").map(([p]) => p);
  const hotPaths = rules.filter(([, r]) => r.kind === "hot").map(([p]) => p);
  const byOwner: Partial<Record<ReloadOwner, string[]>> = {};
  for (const [p, r] of rules) {
    if (r.kind === "none") continue;
    const list = byOwner[r.owner] ?? [];
    list.push(p);
    byOwner[r.owner] = list;
  }
  return {
    kind: restartPaths.length > 0 ? "restart" : hotPaths.length > 0 ? "hot" : "none",
    restartPaths,
    hotPaths,
    restartGateway: rules.some(([, r]) => r.kind === "restart" && r.owner === "gateway"),
    byOwner,
  };
}
