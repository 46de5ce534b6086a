/**
 * The agents and sessions part of the method table (spec §4.9–4.10): agents and their workspace
 * files, agent identity, and edits of session entries. Read methods need `operator.read`; agent
 * edits and workspace writes need `operator.admin`; session patch/reset need `operator.write`,
 * session delete `operator.admin`.
 */
import type { Scope } from "./scopes.js";
import { type Validator, v } from "./validate.js";

const agentId = v.string({ min: 1, max: 64 });
const fileName = v.string({ min: 1, max: 64 });
const sessionKey = v.string({ min: 1, max: 512 });
const identity = v.optional(
  v.object({
    name: v.optional(v.string({ max: 200 })),
    emoji: v.optional(v.string({ max: 32 })),
    theme: v.optional(v.string({ max: 200 })),
    avatar: v.optional(v.string({ max: 2048 })),
  }),
);
/** A nullable patch field: a value sets, `null` clears. */
const nullable = <T>(inner: (x: unknown, p: string) => T) =>
  v.optional(Object.assign((x: unknown, p: string) => (x === null ? null : inner(x, p)), { describe: () => ({ anyOf: [(inner as { describe?: () => unknown }).describe?.() ?? {}, { type: "null" }] }) }));
const short = v.string({ max: 200 });

const spec = <P>(scope: Scope, description: string, params: Validator<P>, resultKeys: readonly string[]) => ({
  scope,
  description,
  params,
  resultKeys,
});

export const AGENT_METHODS = {
  "agents.list": spec("operator.read", "Configured agents, the default id and the main session key.", v.object({}, { passthrough: true }), ["defaultId", "mainKey", "agents"]),
  "agents.create": spec(
    "operator.admin",
    "Add an agent to the config (its workspace is created with bootstrap files unless skipBootstrap).",
    v.object({
      name: v.string({ min: 1, max: 200 }),
      agentId: v.optional(agentId),
      workspace: v.optional(v.string({ min: 1, max: 4096 })),
      model: v.optional(v.string({ min: 1, max: 200 })),
      emoji: v.optional(v.string({ max: 32 })),
      avatar: v.optional(v.string({ max: 2048 })),
    }),
    ["ok", "agentId", "name", "workspace"],
  ),
  "agents.update": spec(
    "operator.admin",
    "Change an agent's name, workspace, model or identity in the config.",
    v.object({
      agentId,
      name: v.optional(v.string({ min: 1, max: 200 })),
      workspace: v.optional(v.string({ min: 1, max: 4096 })),
      model: v.optional(v.string({ min: 1, max: 200 })),
      identity,
    }),
    ["ok", "agentId"],
  ),
  "agents.delete": spec(
    "operator.admin",
    "Remove an agent from the config (never the only one; the default only with force). Its files stay on disk.",
    v.object({ agentId, force: v.optional(v.boolean()), deleteFiles: v.optional(v.boolean()) }),
    ["ok", "agentId", "retained"],
  ),
  "agents.files.list": spec("operator.read", "An agent's workspace files (bootstrap and memory).", v.object({ agentId }), ["agentId", "workspace", "files"]),
  "agents.files.get": spec("operator.read", "One workspace file's content.", v.object({ agentId, name: fileName }), ["agentId", "workspace", "file"]),
  "agents.files.set": spec(
    "operator.admin",
    "Write one workspace file (atomic, 0600).",
    v.object({ agentId, name: fileName, content: v.string({ max: 1024 * 1024 }) }),
    ["ok", "agentId", "workspace", "file"],
  ),
  "agent.identity.get": spec(
    "operator.read",
    "An agent's name, emoji and avatar (config, else IDENTITY.md).",
    v.object({ agentId: v.optional(agentId), sessionKey: v.optional(sessionKey) }),
    ["agentId"],
  ),
  "sessions.preview": spec(
    "operator.read",
    "The last messages of each session named.",
    v.object({ keys: v.array(sessionKey), limit: v.optional(v.int({ min: 1, max: 200 })), maxChars: v.optional(v.int({ min: 20, max: 20_000 })), agentId: v.optional(agentId) }),
    ["ts", "previews"],
  ),
  "sessions.patch": spec(
    "operator.write",
    "Set or clear (null) a session's toggles, label or model override.",
    v.object({
      key: sessionKey,
      agentId: v.optional(agentId),
      label: nullable(v.string({ max: 512 })),
      thinkingLevel: nullable(short),
      verboseLevel: nullable(short),
      reasoningLevel: nullable(short),
      responseUsage: nullable(v.enum(["off", "tokens", "full"])),
      elevatedLevel: nullable(short),
      execHost: nullable(short),
      execSecurity: nullable(short),
      execAsk: nullable(short),
      execNode: nullable(short),
      model: nullable(short),
      spawnedBy: nullable(v.string({ max: 512 })),
      sendPolicy: nullable(v.enum(["allow", "deny"])),
      groupActivation: nullable(v.enum(["mention", "always"])),
    }),
    ["ok", "key", "entry"],
  ),
  "sessions.reset": spec(
    "operator.write",
    "Start a new transcript for a session (the old one is archived as .reset.<ts>).",
    v.object({ key: sessionKey, agentId: v.optional(agentId), reason: v.optional(v.enum(["new", "reset"])) }),
    ["ok", "key", "entry"],
  ),
  "sessions.delete": spec(
    "operator.admin",
    "Remove a session entry; its transcript is archived as .deleted.<ts> (never removed).",
    v.object({ key: sessionKey, agentId: v.optional(agentId), deleteTranscript: v.optional(v.boolean()) }),
    ["ok", "key", "deleted"],
  ),
};
