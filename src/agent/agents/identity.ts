/**
 * An agent's identity (`agent.identity.get`): fields set in config win; the rest come from the
 * `- **Name:** …` lines of the workspace's IDENTITY.md; the display name falls back to the agent's
 * configured `name`.
 */
import path from "node:path";
import type { AgentIdentity, ResolvedAgent } from "./resolve.js";
import { readWorkspaceText } from "./workspace.js";

const FIELDS: ReadonlyArray<[keyof AgentIdentity, string]> = [
  ["name", "name"],
  ["emoji", "emoji"],
  ["theme", "vibe"],
  ["theme", "theme"],
  ["avatar", "avatar"],
];

/** Parses `- **Name:** Claw` style lines (also `Name: Claw`); empty values are ignored. */
export function parseIdentityMarkdown(text: string): AgentIdentity {
  const out: AgentIdentity = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:[-*]\s+)?([A-Za-z][A-Za-z ]*?)\s*:\s*(.*)$/.exec(line.replaceAll("**", ""));
    if (!m) continue;
    const label = m[1]!.trim().toLowerCase();
    const value = m[2]!.trim();
    if (!value || value.startsWith("(")) continue;
    for (const [field, name] of FIELDS) if (label === name && out[field] === undefined) out[field] = value.slice(0, 200);
  }
  return out;
}

/** The resolved identity of an agent: config, then IDENTITY.md, then the agent's name. */
export function resolveAgentIdentity(agent: Pick<ResolvedAgent, "id" | "name" | "workspace" | "identity">): AgentIdentity & { agentId: string } {
  const read = readWorkspaceText(path.join(agent.workspace, "IDENTITY.md"), 64 * 1024);
  const fromFile = read ? parseIdentityMarkdown(read.text) : {};
  const merged: AgentIdentity = { ...fromFile, ...agent.identity };
  if (!merged.name && agent.name) merged.name = agent.name;
  return { agentId: agent.id, ...merged };
}
