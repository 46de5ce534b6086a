/**
 * Reload metadata for every config key (spec §3.6): whether a running gateway applies a change in
 * place ("hot"), must restart ("restart"), or just reads it on demand ("none"). The longest matching
 * prefix wins; a path matching no rule needs a restart.
 */

export type ReloadKind = "hot" | "restart" | "none";

/** Prefix → kind. Only this table decides; the gateway and `config set --dry-run` both read it. */
export const RELOAD_RULES: ReadonlyArray<readonly [prefix: string, kind: ReloadKind]> = [
  ["$schema", "none"],
  ["meta", "none"],
  ["wizard", "none"],
  ["gateway", "restart"],
  ["gateway.reload", "hot"],
  ["gateway.remote", "none"],
  ["gateway.controlUi.allowedOrigins", "hot"],
  ["channels", "hot"],
  ["channels.*.allowFrom", "hot"],
  ["channels.*.groupAllowFrom", "hot"],
  ["channels.*.dmPolicy", "hot"],
  ["channels.*.groupPolicy", "hot"],
  ["channels.*.botToken", "restart"],
  ["channels.*.token", "restart"],
  ["channels.*.appToken", "restart"],
  ["channels.*.accounts.*.botToken", "restart"],
  ["channels.*.accounts.*.token", "restart"],
  ["channels.*.accounts.*.appToken", "restart"],
  ["web", "hot"],
  ["agents", "hot"],
  ["agents.defaults.workspace", "restart"],
  ["agents.list", "hot"],
  ["agents.list.*.workspace", "restart"],
  ["agents.list.*.agentDir", "restart"],
  ["agents.entries.*.workspace", "restart"],
  ["agents.entries.*.agentDir", "restart"],
  ["agents.defaults.memorySearch.provider", "restart"],
  ["agents.defaults.sandbox", "hot"],
  ["models", "restart"],
  ["auth", "hot"],
  ["bindings", "hot"],
  ["hooks", "hot"],
  ["cron", "hot"],
  ["session", "hot"],
  ["messages", "hot"],
  ["tools", "hot"],
  ["browser", "hot"],
  ["skills", "hot"],
  ["audio", "hot"],
  ["talk", "hot"],
  ["ui", "hot"],
  ["logging", "hot"],
  ["commands", "hot"],
  ["approvals", "hot"],
  ["env", "restart"],
  ["secrets", "restart"],
  ["discovery", "restart"],
  ["canvasHost", "restart"],
  ["plugins", "restart"],
  ["memory", "restart"],
  ["update", "none"],
  ["cli", "none"],
  ["diagnostics", "hot"],
  ["broadcast", "hot"],
  ["commitments", "hot"],
  ["nodeHost", "restart"],
  ["acp", "restart"],
  ["mcp", "restart"],
];

function matches(prefix: string, segments: readonly string[]): number {
  const parts = prefix.split(".");
  if (parts.length > segments.length) return -1;
  for (let i = 0; i < parts.length; i++) if (parts[i] !== "*" && parts[i] !== segments[i]) return -1;
  return parts.length;
}

/** The reload kind of one dotted path (array indices as plain segments). */
export function reloadKindOf(path: string): ReloadKind {
  const segments = path.replace(/\[(\d+)\]/g, ".$1").replace(/\["([^"]*)"\]/g, ".$1").split(".").filter(Boolean);
  // Array indices match "*" rules: agents.list.0.workspace ~ agents.list.*.workspace.
  let best = -1;
  let kind: ReloadKind = "restart";
  for (const [prefix, k] of RELOAD_RULES) {
    const n = matches(prefix, segments);
    if (n > best) {
      best = n;
      kind = k;
    }
  }
  return kind;
}

/** The strongest kind among changed paths: restart > hot > none. */
export function planReload(paths: readonly string[]): { kind: ReloadKind; restartPaths: string[]; hotPaths: string[] } {
  const kinds = paths.map((p) => [p, reloadKindOf(p)] as const);
  const restartPaths = kinds.filter(([, k]) => k === "restart").map(([p]) => p);
  const hotPaths = kinds.filter(([, k]) => k === "hot").map(([p]) => p);
  return { kind: restartPaths.length > 0 ? "restart" : hotPaths.length > 0 ? "hot" : "none", restartPaths, hotPaths };
}
