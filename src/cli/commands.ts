/**
 * The command table: names, options and help for every command, with loaders that import a
 * command's code only when it runs. Nothing here may import more than types.
 */
import type { CommandSpec, OptionSpec } from "./types.js";

const json: OptionSpec = { name: "json", type: "boolean", description: "Print one JSON value on stdout" };

export const COMMANDS: CommandSpec[] = [
  {
    path: ["config"],
    summary: "Read and edit openclaw.json",
    description: "Subcommands: get, set, unset, validate, file, schema.",
  },
  {
    path: ["config", "get"],
    summary: "Print the value at a config path",
    args: [{ name: "path", required: true, description: "Dotted path, e.g. gateway.port or agents.list[0].id" }],
    options: [json, { name: "show-secrets", type: "boolean", description: "Print secret values instead of redacting them" }],
    load: () => import("./commands/config/get.js"),
    examples: ["openclaw config get gateway.port", "openclaw --profile work config get gateway.auth.mode --json"],
  },
  {
    path: ["config", "set"],
    summary: "Set a config value (JSON5), validated and written atomically",
    args: [
      { name: "path", required: true, description: "Dotted path" },
      { name: "value", required: true, description: "JSON5 value; bare words are strings" },
    ],
    options: [
      { name: "dry-run", type: "boolean", description: "Show the diff and whether a restart is needed; write nothing" },
      { name: "strict-json", type: "boolean", description: "Fail when the value is not valid JSON5" },
      { ...json, description: "Print the result as JSON (implies --strict-json)" },
    ],
    load: () => import("./commands/config/set.js"),
    examples: ["openclaw config set gateway.port 19001", `openclaw config set tools.allow '["read", "write"]'`],
  },
  {
    path: ["config", "unset"],
    summary: "Remove a config value",
    args: [{ name: "path", required: true, description: "Dotted path" }],
    options: [{ name: "dry-run", type: "boolean", description: "Show the diff; write nothing" }, json],
    load: () => import("./commands/config/unset.js"),
  },
  {
    path: ["config", "validate"],
    summary: "Check the config without starting the gateway (exit 3 on problems)",
    options: [json],
    load: () => import("./commands/config/validate.js"),
  },
  {
    path: ["config", "file"],
    summary: "Print the active config file path",
    options: [json],
    load: () => import("./commands/config/file.js"),
  },
  {
    path: ["config", "schema"],
    summary: "Print the config JSON Schema",
    load: () => import("./commands/config/schema.js"),
  },
  {
    path: ["logs"],
    summary: "Show the gateway's file log",
    options: [
      { name: "limit", type: "number", value: "<n>", description: "Lines to show (default 200)" },
      { name: "max-bytes", type: "number", value: "<n>", description: "Bytes to read at most (default 250000)" },
      { name: "follow", short: "f", type: "boolean", description: "Keep printing new lines" },
      { name: "interval", type: "number", value: "<ms>", description: "Poll interval while following (default 1000)" },
      { ...json, description: "One JSON object per line (meta, log, notice, raw)" },
      { name: "plain", type: "boolean", description: "Plain text, no colours" },
    ],
    load: () => import("./commands/logs.js"),
  },
];

/** Global flags, accepted before the command. */
export const GLOBAL_OPTIONS: OptionSpec[] = [
  { name: "profile", type: "string", value: "<name>", description: "Use ~/.openclaw-<name> as the state dir" },
  { name: "dev", type: "boolean", description: "Same as --profile dev, default port 19001" },
  { name: "log-level", type: "string", value: "<level>", description: "silent|fatal|error|warn|info|debug|trace" },
  { name: "no-color", type: "boolean", description: "Disable ANSI colours (also NO_COLOR=1)" },
  { name: "version", short: "V", type: "boolean", description: "Print the version" },
  { name: "help", short: "h", type: "boolean", description: "Show help" },
];
