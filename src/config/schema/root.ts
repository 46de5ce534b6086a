/**
 * The config schema: the source of truth for keys, types, defaults and descriptions. The root is
 * strict over the sections OpenClaw 2026.x writes (spec §2.6), so a typo at the top level is caught;
 * sections we do not model yet accept anything and are kept verbatim.
 */
import { z } from "zod";
import { AgentsConfig, Bindings } from "./agents.js";
import { ChannelsConfig } from "./channels.js";
import { Anything } from "./common.js";
import { GatewayConfig } from "./gateway.js";
import { LoggingConfig } from "./logging.js";
import {
  AuthConfig,
  CronConfig,
  EnvConfig,
  HooksConfig,
  MemoryConfig,
  MetaConfig,
  ModelsConfig,
  PluginsConfig,
  SessionConfig,
  ToolsConfig,
} from "./sections.js";

/** Root sections we accept but do not model: checked loosely, never rejected or dropped. */
export const PASSTHROUGH_SECTIONS = [
  "wizard",
  "secrets",
  "diagnostics",
  "update",
  "cli",
  "browser",
  "ui",
  "skills",
  "nodeHost",
  "broadcast",
  "audio",
  "messages",
  "commands",
  "approvals",
  "web",
  "discovery",
  "canvasHost",
  "talk",
  "acp",
  "mcp",
  "commitments",
] as const;

const passthrough = Object.fromEntries(PASSTHROUGH_SECTIONS.map((k) => [k, Anything.optional()])) as Record<
  (typeof PASSTHROUGH_SECTIONS)[number],
  z.ZodOptional<z.ZodUnknown>
>;

export const ConfigSchema = z.strictObject({
  $schema: z.string().optional().describe("JSON Schema URL for editors."),
  meta: MetaConfig.optional().describe("Stamped by writes: lastTouchedVersion, lastTouchedAt."),
  env: EnvConfig.optional(),
  auth: AuthConfig.optional().describe("Auth profile metadata (no secrets) and rotation order."),
  logging: LoggingConfig.default(LoggingConfig.parse({})).describe("File and console logging."),
  gateway: GatewayConfig.default(GatewayConfig.parse({})).describe("The gateway process: port, bind, auth, reload."),
  agents: AgentsConfig.optional().describe("Agents: defaults and the list of agents."),
  bindings: Bindings.optional().describe("Route inbound traffic to agents."),
  channels: ChannelsConfig.optional(),
  tools: ToolsConfig.optional().describe("Tool policy: profile, allow, deny."),
  session: SessionConfig.optional().describe("Session scoping, reset and storage."),
  cron: CronConfig.optional().describe("Scheduled jobs."),
  hooks: HooksConfig.optional(),
  memory: MemoryConfig.optional().describe("Memory backend."),
  models: ModelsConfig.optional().describe("Model providers."),
  plugins: PluginsConfig.optional().describe("Plugins and extensions."),
  ...passthrough,
  bridge: z
    .never({ error: "the bridge section was removed from OpenClaw; delete it" })
    .optional(),
});

/** The validated config with defaults applied. */
export type OpenClawConfig = z.output<typeof ConfigSchema>;

/** Keys allowed at the root (for "did you mean"). */
export const ROOT_KEYS: readonly string[] = Object.keys(ConfigSchema.shape);

