/**
 * `hooks.*`: the gateway's HTTP webhook ingress (spec §2.14, OpenClaw's "Configuration — hooks").
 * OpenClaw's keys are typed; everything else (gmail, internal, transformsDir, …) is kept verbatim.
 */
import { z } from "zod";
import { AnyRecord, loose, StringList } from "./common.js";

const WakeMode = z.enum(["now", "next-heartbeat"]);

/** One `hooks.mappings[]` entry: which sub-path (and payload `source`) it matches and the action it produces. */
export const HookMapping = loose({
  id: z.string().optional().describe("Attribution id (default mapping-<index>)."),
  match: loose({
    path: z.string().optional().describe("Sub-path after hooks.path (\"github\" matches /hooks/github)."),
    source: z.string().optional().describe("Exact match on the payload's string `source` field."),
  }).optional(),
  action: z.enum(["agent", "wake"]).optional().describe("agent (default) runs a turn; wake queues a system event."),
  wakeMode: WakeMode.optional(),
  name: z.string().optional().describe("Templated run label (default \"Hook\")."),
  agentId: z.string().optional(),
  sessionKey: z.string().optional().describe("Static or templated session key."),
  sessionMode: z.enum(["isolated", "persistent"]).optional(),
  messageTemplate: z.string().optional().describe("Agent input, e.g. \"{{repository.full_name}}: {{action}}\"."),
  textTemplate: z.string().optional().describe("Wake text template."),
  deliver: z.boolean().optional(),
  channel: z.string().optional(),
  to: z.string().optional(),
  model: z.string().optional(),
  thinking: z.string().optional(),
  timeoutSeconds: z.number().int().positive().optional(),
  allowUnsafeExternalContent: z.boolean().optional(),
  forEach: z.string().optional(),
  transform: AnyRecord.optional(),
});

export const HooksConfig = loose({
  enabled: z.boolean().optional().describe("Serve POST <hooks.path>/* (needs hooks.token)."),
  token: z.string().optional().describe("Shared hook secret (Authorization: Bearer or x-openclaw-token); never the gateway token."),
  path: z.string().optional().describe("Base path (default /hooks; \"/\" is refused)."),
  maxBodyBytes: z.number().int().positive().optional().describe("Largest request body (default 262144)."),
  allowedAgentIds: StringList.optional().describe("Agents hooks may run (unset or \"*\": any; []: none)."),
  defaultSessionKey: z.string().optional(),
  allowRequestSessionKey: z.boolean().optional().describe("Let callers choose sessionKey (default false)."),
  allowedSessionKeyPrefixes: StringList.optional(),
  presets: StringList.optional(),
  mappings: z.array(HookMapping).optional().describe("Ordered; the first match wins."),
  transformsDir: z.string().optional(),
  gmail: AnyRecord.optional(),
  internal: AnyRecord.optional(),
});
