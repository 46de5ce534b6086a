/**
 * `sandbox explain` as data (pure): for an agent and session, the effective mode/scope/workspace
 * access, whether the session is sandboxed, its container and mounts, the sandbox tool policy
 * (`tools.sandbox.tools`, an agent's own overriding it), the elevated gate, and the config paths
 * that change each — in OpenClaw's payload shape.
 */
import path from "node:path";
import { isSessionSandboxed, resolveSandboxSettings, sandboxContainerName, sandboxMainSessionKey, sandboxScopeKey } from "./settings.js";

/** OpenClaw's default sandbox tool policy (docs: gateway/config-agents/sandbox). */
export const DEFAULT_SANDBOX_TOOL_ALLOW = ["exec", "process", "read", "write", "edit", "apply_patch", "sessions_list", "sessions_history", "sessions_send", "sessions_spawn", "session_status"];
export const DEFAULT_SANDBOX_TOOL_DENY = ["browser", "canvas", "nodes", "cron", "discord", "gateway"];

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined);

function agentTools(config: Obj, agentId: string): Obj {
  const agents = obj(config.agents);
  const fromList = (Array.isArray(agents.list) ? agents.list : []).find((e) => obj(e).id === agentId);
  return { ...obj(obj(fromList).tools), ...obj(obj(obj(agents.entries)[agentId]).tools) };
}

export interface SandboxExplanation {
  agentId: string;
  sessionKey: string;
  mainSessionKey: string;
  sandbox: {
    mode: string;
    scope: string;
    backend: "docker";
    workspaceAccess: string;
    workspaceRoot: string;
    sessionIsSandboxed: boolean;
    scopeKey: string;
    containerName: string;
    image: string;
    network: string;
    runtimeWorkdir: string | null;
    workspaceMounts: Array<{ hostRoot: string; containerRoot: string; writable: boolean; source: string }>;
    sources: Record<string, string>;
    tools: { allow: string[]; deny: string[]; sources: { allow: string; deny: string } };
  };
  elevated: { enabled: boolean };
  fixIt: string[];
}

/** `sessionKey` may be short (`main`, `work:x`): it is expanded against the agent (`agent:<id>:<key>`). */
export function explainSandbox(o: { config: Obj; agentId: string; sessionKey?: string; workspace: string; stateDir: string }): SandboxExplanation {
  const s = resolveSandboxSettings(o.config, o.agentId);
  const mainSessionKey = sandboxMainSessionKey(o.config, s.agentId);
  const raw = o.sessionKey?.trim();
  const sessionKey = !raw ? mainSessionKey : raw.startsWith("agent:") || raw === "global" ? raw : `agent:${s.agentId}:${raw}`;
  const sandboxed = isSessionSandboxed(s, sessionKey, mainSessionKey);
  const scopeKey = sandboxScopeKey(s.scope, sessionKey, s.agentId);
  const containerName = sandboxContainerName(s.docker.containerPrefix, s.scope, scopeKey);
  const workspaceRoot = s.workspaceRoot ?? path.join(o.stateDir, "sandboxes");
  const scopeDir = path.join(workspaceRoot, containerName.slice(s.docker.containerPrefix.length));
  const mounts: SandboxExplanation["sandbox"]["workspaceMounts"] = !sandboxed
    ? []
    : s.workspaceAccess === "rw"
      ? [{ hostRoot: o.workspace, containerRoot: s.docker.workdir, writable: true, source: "agent workspace" }]
      : [
          { hostRoot: scopeDir, containerRoot: s.docker.workdir, writable: true, source: "sandbox workspace" },
          ...(s.workspaceAccess === "ro" ? [{ hostRoot: o.workspace, containerRoot: "/agent", writable: false, source: "agent workspace" }] : []),
        ];
  const global = obj(obj(obj(o.config.tools).sandbox).tools);
  const mine = obj(obj(agentTools(o.config, s.agentId).sandbox).tools);
  const allow = list(mine.allow) ? { v: list(mine.allow)!, src: `agent ${s.agentId} tools.sandbox.tools.allow` } : list(global.allow) ? { v: list(global.allow)!, src: "tools.sandbox.tools.allow" } : { v: DEFAULT_SANDBOX_TOOL_ALLOW, src: "default" };
  const deny = list(mine.deny) ? { v: list(mine.deny)!, src: `agent ${s.agentId} tools.sandbox.tools.deny` } : list(global.deny) ? { v: list(global.deny)!, src: "tools.sandbox.tools.deny" } : { v: DEFAULT_SANDBOX_TOOL_DENY, src: "default" };
  const fixIt: string[] = [];
  if (s.mode !== "off") fixIt.push("agents.defaults.sandbox.mode=off", "agents.entries.*.sandbox.mode=off");
  else fixIt.push('agents.defaults.sandbox.mode="non-main"');
  fixIt.push("agents.defaults.sandbox.scope", "agents.defaults.sandbox.workspaceAccess", "agents.defaults.sandbox.docker.image", "tools.sandbox.tools.allow", "tools.sandbox.tools.deny", "agents.entries.*.tools.sandbox.tools.allow", "agents.entries.*.tools.sandbox.tools.deny", "tools.elevated.enabled");
  return {
    agentId: s.agentId,
    sessionKey,
    mainSessionKey,
    sandbox: {
      mode: s.mode,
      scope: s.scope,
      backend: "docker",
      workspaceAccess: s.workspaceAccess,
      workspaceRoot,
      sessionIsSandboxed: sandboxed,
      scopeKey,
      containerName,
      image: s.docker.image,
      network: s.docker.network,
      runtimeWorkdir: sandboxed ? s.docker.workdir : null,
      workspaceMounts: mounts,
      sources: s.sources,
      tools: { allow: allow.v, deny: deny.v, sources: { allow: allow.src, deny: deny.src } },
    },
    elevated: { enabled: obj(obj(o.config.tools).elevated).enabled === true },
    fixIt,
  };
}

/** Human lines for `sandbox explain`. */
export function renderSandboxExplanation(e: SandboxExplanation): string[] {
  const sb = e.sandbox;
  const lines = [
    "Effective sandbox:",
    `  agentId: ${e.agentId}`,
    `  sessionKey: ${e.sessionKey}`,
    `  mainSessionKey: ${e.mainSessionKey}`,
    `  runtime: ${sb.sessionIsSandboxed ? "sandboxed" : "direct"}`,
    `  mode: ${sb.mode} (${sb.sources.mode})  scope: ${sb.scope} (${sb.sources.scope})`,
    `  workspaceAccess: ${sb.workspaceAccess} (${sb.sources.workspaceAccess})  workspaceRoot: ${sb.workspaceRoot}`,
    `  backend: docker  image: ${sb.image} (${sb.sources.image})  network: ${sb.network}`,
    `  container: ${sb.containerName} (scope key ${sb.scopeKey})`,
  ];
  if (sb.workspaceMounts.length > 0) {
    lines.push("  mounts:");
    for (const m of sb.workspaceMounts) lines.push(`    - ${m.hostRoot} -> ${m.containerRoot} ${m.writable ? "rw" : "ro"} (${m.source})`);
  }
  lines.push("", "Sandbox tool policy:", `  allow (${sb.tools.sources.allow}): ${sb.tools.allow.join(", ") || "(none)"}`, `  deny (${sb.tools.sources.deny}): ${sb.tools.deny.join(", ") || "(none)"}`);
  lines.push("", `Elevated: ${e.elevated.enabled ? "enabled" : "disabled"} (tools.elevated.enabled)`);
  if (sb.mode === "non-main" && sb.sessionIsSandboxed) lines.push("", `Hint: sandbox mode is non-main; the main session runs direct: ${e.mainSessionKey}`);
  lines.push("", "Fix-it:", ...e.fixIt.map((k) => `  - ${k}`));
  return lines;
}
