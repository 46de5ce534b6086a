/** Remaining sections of spec §2.10–2.14: typed where we know them, unknown keys kept. */
import { z } from "zod";
import { AnyRecord, loose, SecretInput, StringList } from "./common.js";

/** `tools.exec` (and an agent's `tools.exec`): the values the exec tool understands are checked, the rest kept. */
export const ToolsExec = loose({
  mode: z.enum(["deny", "allowlist", "ask", "auto", "full"]).optional().describe("Exec policy: deny|allowlist|ask|auto|full (default full on a gateway host)."),
  security: z.enum(["deny", "allowlist", "full"]).optional().describe("Legacy exec security (mode is preferred)."),
  ask: z.enum(["off", "on-miss", "always"]).optional().describe("Legacy exec ask (mode is preferred)."),
  timeoutSeconds: z.number().min(0).optional().describe("Per-command exec timeout (default 1800; 0 = none)."),
});

/** `tools.fs`. */
export const ToolsFs = loose({ workspaceOnly: z.boolean().optional().describe("Keep read/write/edit inside the workspace (default false).") });

export const ToolsConfig = loose({
  profile: z.enum(["minimal", "coding", "messaging", "full"]).optional().describe("Base tool allowlist."),
  allow: StringList.optional().describe("Tools allowed (names or group:*); deny wins."),
  deny: StringList.optional(),
  byProvider: AnyRecord.optional(),
  elevated: loose({ enabled: z.boolean().optional(), allowFrom: AnyRecord.optional() }).optional(),
  alsoAllow: StringList.optional().describe("Tools added to the profile's allowlist."),
  fs: ToolsFs.optional(),
  exec: ToolsExec.optional(),
  sandbox: AnyRecord.optional(),
});

export const SessionConfig = loose({
  scope: z.string().optional(),
  dmScope: z.enum(["main", "per-peer", "per-channel-peer", "per-account-channel-peer"]).optional(),
  mainKey: z.string().optional(),
  reset: loose({ mode: z.enum(["daily", "idle"]).optional(), atHour: z.number().int().min(0).max(23).optional(), idleMinutes: z.number().optional() }).optional(),
  store: z.string().optional().describe("Session store path template ({agentId})."),
  maintenance: AnyRecord.optional(),
});

export { CronConfig } from "./cron.js";

export const MemoryConfig = loose({
  backend: z.enum(["builtin", "qmd"]).optional(),
  citations: z.enum(["auto", "on", "off"]).optional(),
});

export const ModelsConfig = loose({
  mode: z.enum(["merge", "replace"]).optional(),
  providers: z
    .record(
      z.string(),
      loose({ baseUrl: z.string().optional(), apiKey: SecretInput.optional(), api: z.string().optional(), models: z.array(AnyRecord).optional() }),
    )
    .optional(),
});

export const PluginsConfig = loose({
  enabled: z.boolean().optional(),
  allow: StringList.optional(),
  deny: StringList.optional(),
  load: loose({ paths: StringList.optional() }).optional(),
  entries: z.record(z.string(), loose({ enabled: z.boolean().optional(), config: z.unknown().optional() })).optional(),
});

export const EnvConfig = z
  .record(z.string(), z.unknown())
  .describe("Environment defaults: env.<KEY> or env.vars.<KEY>, applied only when unset.");

export const MetaConfig = loose({ lastTouchedVersion: z.string().optional(), lastTouchedAt: z.string().optional() });

export const AuthConfig = loose({ profiles: AnyRecord.optional(), order: AnyRecord.optional(), cooldowns: AnyRecord.optional() });

export { HooksConfig } from "./hooks.js";
