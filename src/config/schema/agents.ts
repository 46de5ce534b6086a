/** `agents.*` and `bindings` (spec §2.8) — loosely checked: known keys typed, the rest kept. */
import { z } from "zod";
import { AnyRecord, loose, StringList } from "./common.js";
import { HeartbeatConfig } from "./heartbeat.js";
import { SandboxConfig } from "./sandbox.js";
import { ToolsExec, ToolsFs } from "./sections.js";

const ModelRef = z.union([z.string(), loose({ primary: z.string().optional(), fallbacks: StringList.optional() })]);

const ToolsPolicy = loose({
  profile: z.enum(["minimal", "coding", "messaging", "full"]).optional(),
  allow: StringList.optional(),
  alsoAllow: StringList.optional(),
  deny: StringList.optional(),
  byProvider: AnyRecord.optional(),
  fs: ToolsFs.optional(),
  exec: ToolsExec.optional(),
});

export const AgentDefaults = loose({
  workspace: z.string().optional().describe("Default agent workspace (default ~/.openclaw/workspace)."),
  skipBootstrap: z.boolean().optional(),
  model: ModelRef.optional(),
  imageModel: ModelRef.optional(),
  models: AnyRecord.optional(),
  timeoutSeconds: z.number().positive().optional(),
  heartbeat: HeartbeatConfig.optional(),
  sandbox: SandboxConfig.optional(),
  memorySearch: AnyRecord.optional(),
});

export const AgentEntry = loose({
  id: z.string().min(1).describe("Agent id (lowercase slug)."),
  default: z.boolean().optional(),
  name: z.string().optional(),
  workspace: z.string().optional().describe("Workspace dir for this agent."),
  agentDir: z.string().optional().describe("Agent state dir (default <stateDir>/agents/<id>/agent)."),
  model: ModelRef.optional(),
  tools: ToolsPolicy.optional(),
  sandbox: SandboxConfig.optional(),
});

export const AgentsConfig = loose({
  defaults: AgentDefaults.optional(),
  list: z.array(AgentEntry).optional().describe("Agents (baseline list form)."),
  entries: z.record(z.string(), AgentEntry.partial({ id: true })).optional().describe("Agents by id (newer map form)."),
});

export const Bindings = z.array(
  loose({
    agentId: z.string(),
    match: loose({ channel: z.string(), accountId: z.string().optional() }),
  }),
);

export { ToolsPolicy };
