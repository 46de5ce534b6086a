/**
 * Which tools one turn offers the model (spec §2.10; OpenClaw's tool-policy docs). Policy is a
 * stack of layers, each `{ allow?, deny? }`: the profile (`tools.profile`, an agent's own profile
 * replacing it, widened by `alsoAllow`), the provider's profile (`tools.byProvider.<provider>` or
 * `<provider>/<model>`), then the global, global-provider, agent and agent-provider allow/deny lists.
 * A tool survives when every layer lets it through: an `allow` list narrows, a `deny` removes, so
 * deny always wins. Patterns are case-insensitive, `*` is a wildcard, `group:*` names expand, and
 * `bash` means `exec`.
 */

import { execTool } from "./exec-tool.js";
import { agentToolsConfig, record } from "./fs-paths.js";
import { editTool, readTool, writeTool } from "./fs-tools.js";
import { memoryGetTool, memorySearchTool } from "./memory-tools.js";
import { scrubToolResult } from "./secrets.js";
import { sessionStatusTool, sessionsHistoryTool, sessionsListTool, sessionsSendTool } from "./session-tools.js";
import type { AgentTool, ToolContext } from "./types.js";

export type ToolProfile = "minimal" | "coding" | "messaging" | "full";

const SESSIONS = [
  "sessions",
  "sessions_list",
  "sessions_history",
  "sessions_search",
  "conversations_list",
  "conversations_send",
  "conversations_turn",
  "sessions_send",
  "sessions_spawn",
  "sessions_yield",
  "subagents",
  "session_status",
  "suggest_task",
  "dismiss_task",
];

/** OpenClaw's tool groups (names we do not implement are listed so patterns stay compatible). */
export const TOOL_GROUPS: Readonly<Record<string, readonly string[]>> = {
  "group:runtime": ["exec", "process", "code_execution"],
  "group:fs": ["read", "write", "edit", "apply_patch"],
  "group:sessions": SESSIONS,
  "group:memory": ["memory_search", "memory_get"],
  "group:web": ["web_search", "x_search", "web_fetch"],
  "group:ui": ["browser", "screen", "theme", "dashboard", "terminal", "portal", "canvas", "show_widget"],
  "group:automation": ["heartbeat_respond", "automations", "cron", "gateway", "plugins", "openclaw"],
  "group:messaging": ["message"],
  "group:nodes": ["nodes", "computer"],
  "group:agents": ["agents_list", "get_goal", "create_goal", "update_goal", "progress_card", "ask_user", "skill_workshop"],
  "group:media": ["view_image", "image_generate", "music_generate", "video_generate", "tts", "pdf"],
};

const NOT_OPENCLAW = new Set(["read", "write", "edit", "apply_patch", "exec", "process", "canvas"]);

/** What each profile allows; `full` (and no profile) filters nothing. */
export const TOOL_PROFILES: Readonly<Record<Exclude<ToolProfile, "full">, readonly string[]>> = {
  minimal: ["session_status", "gateway"],
  coding: [
    "group:fs",
    "group:runtime",
    "group:web",
    "group:sessions",
    "group:memory",
    "cron",
    "gateway",
    "get_goal",
    "create_goal",
    "update_goal",
    "progress_card",
    "ask_user",
    "skill_workshop",
    "view_image",
    "image_generate",
    "music_generate",
    "video_generate",
    "theme",
  ],
  messaging: ["group:messaging", ...SESSIONS.filter((n) => !["suggest_task", "dismiss_task"].includes(n)), "gateway", "ask_user", "theme"],
};

/**
 * Every built-in tool this runtime implements, in the order they are offered. The memory tools
 * join only when `memory` is true (the host has a memory index for the agent and it is enabled).
 */
export function createBuiltinTools(options: { memory?: boolean } = {}): AgentTool[] {
  return [readTool, writeTool, editTool, execTool, sessionsListTool, sessionsHistoryTool, sessionsSendTool, sessionStatusTool, ...(options.memory ? [memorySearchTool, memoryGetTool] : [])];
}

/** One policy layer. */
export interface ToolPolicyLayer {
  name: string;
  allow?: string[];
  deny?: string[];
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined;
}

/** A pattern as the tool names it covers (lowercase; `*` kept for wildcard matching). */
function expand(pattern: string): string[] {
  const p = pattern.trim().toLowerCase();
  if (p === "bash") return ["exec"];
  if (p === "group:openclaw") return Object.values(TOOL_GROUPS).flat().filter((n) => !NOT_OPENCLAW.has(n));
  return TOOL_GROUPS[p] ? [...TOOL_GROUPS[p]!] : [p];
}

function matches(name: string, patterns: string[]): boolean {
  const n = name.toLowerCase();
  return patterns.flatMap(expand).some((p) => (p.includes("*") ? new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(n) : p === n));
}

function profileLayer(name: string, profile: unknown, alsoAllow: string[] | undefined): ToolPolicyLayer | undefined {
  if (typeof profile !== "string" || profile === "full" || !(profile in TOOL_PROFILES)) return undefined;
  return { name, allow: [...TOOL_PROFILES[profile as keyof typeof TOOL_PROFILES], ...(alsoAllow ?? [])] };
}

function listLayer(name: string, block: Record<string, unknown>): ToolPolicyLayer | undefined {
  const allow = strings(block.allow);
  const deny = strings(block.deny);
  if (!allow?.length && !deny?.length) return undefined;
  return { name, ...(allow?.length ? { allow } : {}), ...(deny?.length ? { deny } : {}) };
}

/** `byProvider.<provider>/<model>` first, then `byProvider.<provider>` (keys case-insensitive). */
function providerBlock(tools: Record<string, unknown>, provider: string, model: string | undefined): Record<string, unknown> | undefined {
  const by = record(tools.byProvider);
  const keys = Object.keys(by);
  const find = (want: string) => keys.find((k) => k.toLowerCase() === want.toLowerCase());
  const key = (model ? find(`${provider}/${model}`) : undefined) ?? find(provider);
  return key ? record(by[key]) : undefined;
}

export interface ResolveAgentToolsOptions {
  config: Record<string, unknown>;
  agentId: string;
  provider: string;
  model?: string;
  /** The candidate tools (default: the built-ins). */
  tools?: AgentTool[];
}

/** The policy layers for one agent/provider/model, outermost first. */
export function resolveToolPolicyLayers(options: Omit<ResolveAgentToolsOptions, "tools">): ToolPolicyLayer[] {
  const tools = record(options.config.tools);
  const agent = record(agentToolsConfig(options.config, options.agentId));
  const globalProv = providerBlock(tools, options.provider, options.model);
  const agentProv = providerBlock(agent, options.provider, options.model);
  const profile = agent.profile ?? tools.profile;
  const alsoAllow = strings(agent.alsoAllow) ?? strings(tools.alsoAllow);
  const provProfile = agentProv?.profile ?? globalProv?.profile;
  const provAlso = strings(agentProv?.alsoAllow) ?? strings(globalProv?.alsoAllow);
  const layers = [
    profileLayer(agent.profile !== undefined ? `agents.${options.agentId}.tools.profile` : "tools.profile", profile, alsoAllow),
    profileLayer(`tools.byProvider.${options.provider}.profile`, provProfile, provAlso),
    listLayer("tools", tools),
    globalProv ? listLayer(`tools.byProvider.${options.provider}`, globalProv) : undefined,
    listLayer(`agents.${options.agentId}.tools`, agent),
    agentProv ? listLayer(`agents.${options.agentId}.tools.byProvider.${options.provider}`, agentProv) : undefined,
  ];
  return layers.filter((l): l is ToolPolicyLayer => l !== undefined);
}

/** Why a tool is filtered out (the first layer that removes it), or undefined when it is allowed. */
export function explainToolDenial(name: string, layers: readonly ToolPolicyLayer[]): string | undefined {
  for (const l of layers) {
    if (l.deny && matches(name, l.deny)) return `denied by ${l.name}.deny`;
    if (l.allow && !matches(name, l.allow)) return `not in ${l.name}${l.name.endsWith("profile") ? "" : ".allow"}`;
  }
  return undefined;
}

/**
 * The tools one turn may offer: the candidates that survive every policy layer, each wrapped so its
 * result never carries the gateway's own credentials (secrets.ts). Pure: reads only `options.config`.
 */
export function resolveAgentTools(options: ResolveAgentToolsOptions): AgentTool[] {
  const layers = resolveToolPolicyLayers(options);
  return (options.tools ?? createBuiltinTools())
    .filter((t) => explainToolDenial(t.name, layers) === undefined)
    .map((t) => ({ ...t, run: async (input: unknown, ctx: ToolContext) => scrubToolResult(await t.run(input, ctx), ctx.env) }));
}
