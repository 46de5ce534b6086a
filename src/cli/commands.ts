/**
 * The command table: names, options and help for every command, with loaders that import a
 * command's code only when it runs. Nothing here imports command code (only option tables and the
 * runtime commands' part of this table, which are plain data).
 */

import { json, rpc } from "./command-options.js";
import { channelsCommands } from "./commands-channels.js";
import { cronCommands } from "./commands-cron.js";
import { maintenanceCommands } from "./commands-maint.js";
import { memoryCommands } from "./commands-memory.js";
import { accessCommands, modelsCommands } from "./commands-runtime.js";
import { sandboxCommands } from "./commands-sandbox.js";
import { setupCommands } from "./commands-setup.js";
import { systemCommands } from "./commands-system.js";
import type { CommandSpec, OptionSpec } from "./types.js";

const gatewayRun: OptionSpec[] = [
  { name: "port", type: "number", value: "<port>", description: "Port (beats OPENCLAW_GATEWAY_PORT and gateway.port)" },
  { name: "bind", type: "string", value: "<mode>", description: "loopback|lan|tailnet|auto|custom" },
  { name: "auth", type: "string", value: "<mode>", description: "none|token|password" },
  { name: "token", type: "string", value: "<token>", description: "Shared token for this run" },
  { name: "password", type: "string", value: "<password>", description: "Shared password for this run" },
  { name: "tailscale", type: "string", value: "<mode>", description: "off|serve|funnel: publish the gateway with tailscale serve/funnel (needs --bind loopback; funnel needs password auth)" },
  { name: "tailscale-reset-on-exit", type: "boolean", description: "Reset the tailscale serve/funnel route when the gateway stops" },
  { name: "verbose", type: "boolean", description: "Debug logs on the console" },
  { name: "force", type: "boolean", description: "Stop whatever listens on the port first" },
  { name: "allow-unconfigured", type: "boolean", description: "Start even when gateway.mode is not local" },
  { name: "dev", type: "boolean", description: "Dev profile (port 19001); creates a loopback config with a generated token if missing" },
];


/** Service lifecycle commands; also registered under the legacy alias group `daemon`. */
function serviceCommands(group: "gateway" | "daemon"): CommandSpec[] {
  const p = (verb: string) => [group, verb];
  return [
    {
      path: p("install"),
      summary: "Install the gateway as a service (systemd, launchd, Task Scheduler, or the detached supervisor) and start it",
      options: [
        { name: "port", type: "number", value: "<port>", description: "Port the service listens on (default: gateway.port, 18789)" },
        { name: "runtime", type: "string", value: "<node|bun>", description: "Runtime for the service (default node; bun is discouraged)" },
        { name: "token", type: "string", value: "<token>", description: "Token for the service (written to a 0600 env file, never into the unit)" },
        { name: "force", type: "boolean", description: "Rewrite an installed definition that differs (the old one is kept as .bak)" },
        { name: "dry-run", type: "boolean", description: "Print the exact unit/plist/task that would be written; write nothing" },
        json,
      ],
      load: () => import("./commands/gateway/install.js"),
      examples: ["openclaw gateway install --dry-run", "openclaw --profile dev gateway install --port 19789"],
    },
    { path: p("uninstall"), summary: "Stop the service and remove its definition (state and config stay)", options: [json], load: () => import("./commands/gateway/uninstall.js") },
    { path: p("start"), summary: "Start the installed service and wait until it answers", options: [json], load: () => import("./commands/gateway/start.js") },
    { path: p("stop"), summary: "Stop the service (it stays installed)", options: [json], load: () => import("./commands/gateway/stop.js") },
    { path: p("restart"), summary: "Check the config, then restart the service and wait until it answers", options: [json], load: () => import("./commands/gateway/restart.js") },
    {
      path: p("status"),
      summary: "Service state, RPC probe, config (cli) vs config (service), drift and logs (exit 0 ok, 3 degraded, 4 not running)",
      options: [
        json,
        { name: "deep", type: "boolean", description: "Also look for other gateway installs (other supervisors, legacy names)" },
        { name: "no-probe", type: "boolean", description: "Skip the RPC probe" },
        { name: "timeout", type: "number", value: "<ms>", description: "RPC probe timeout (default 5000)" },
      ],
      load: () => import("./commands/gateway/status.js"),
      examples: ["openclaw gateway status", "openclaw --profile dev gateway status --json"],
    },
  ];
}


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
    path: ["gateway"],
    summary: "Run the gateway in the foreground (also: gateway run|call|probe)",
    options: gatewayRun,
    load: () => import("./commands/gateway/run.js"),
    examples: ["openclaw gateway --dev", "openclaw gateway --port 18789 --verbose", "openclaw gateway --force"],
  },
  {
    path: ["gateway", "run"],
    summary: "Run the gateway in the foreground",
    options: gatewayRun,
    load: () => import("./commands/gateway/run.js"),
  },
  {
    path: ["gateway", "call"],
    summary: "Call one gateway method",
    args: [{ name: "method", required: true, description: "Method name, e.g. health, status, config.get" }],
    options: [{ name: "params", type: "string", value: "<json>", description: "Params as JSON (default {})" }, json, ...rpc],
    load: () => import("./commands/gateway/call.js"),
    examples: ["openclaw gateway call status --json", `openclaw gateway call logs.tail --params '{"limit": 5}'`],
  },
  {
    path: ["gateway", "probe"],
    summary: "Probe the gateway: connect, health, status, presence, config",
    options: [json, ...rpc],
    load: () => import("./commands/gateway/probe.js"),
  },
  ...serviceCommands("gateway"),
  { path: ["daemon"], summary: "Legacy alias for the gateway service commands", description: "Subcommands: install, uninstall, start, stop, restart, status." },
  ...serviceCommands("daemon"),
  {
    path: ["status"],
    summary: "Local triage: paths, gateway, service, agents, channels, model auth, last errors, next step",
    options: [
      json,
      { name: "all", type: "boolean", description: "Everything plus the log tail, pasteable (every secret redacted)" },
      { name: "deep", type: "boolean", description: "Add live gateway health, channel and model probes over RPC" },
      ...rpc,
    ],
    load: () => import("./commands/status.js"),
    examples: ["openclaw status", "openclaw status --all > report.txt"],
  },
  {
    path: ["doctor"],
    summary: "Check config, state, service and security; propose repairs (backup first, undo shown)",
    options: [
      { name: "yes", type: "boolean", description: "Apply every proposed repair without asking (including service restarts)" },
      { name: "fix", type: "boolean", description: "Same as --yes" },
      { name: "repair", type: "boolean", description: "Same as --yes" },
      { name: "non-interactive", type: "boolean", description: "No prompts: apply only safe repairs (modes, stale locks, legacy key moves); no restarts" },
      { name: "dry-run", type: "boolean", description: "Print the plan and the diffs; write nothing" },
      { name: "deep", type: "boolean", description: "Also scan for other gateway installs and probe the running gateway" },
      { name: "generate-gateway-token", type: "boolean", description: "Generate and store a gateway token when none is configured" },
      json,
    ],
    load: () => import("./commands/doctor.js"),
    examples: ["openclaw doctor --dry-run", "openclaw doctor --yes", "openclaw doctor --non-interactive --json"],
  },
  { path: ["security"], summary: "Security tools", description: "Subcommands: audit." },
  {
    path: ["security", "audit"],
    summary: "Audit config and state for risky settings (exit 3 on critical findings)",
    options: [
      { name: "deep", type: "boolean", description: "Probe the running gateway: is auth required, where does it listen?" },
      { name: "fix", type: "boolean", description: "Tighten file modes and safe defaults; list every change" },
      json,
      { name: "token", type: "string", value: "<token>", description: "Token for the deep probe" },
      { name: "password", type: "string", value: "<password>", description: "Password for the deep probe" },
      { name: "timeout", type: "number", value: "<ms>", description: "Deep probe timeout (default 3000)" },
    ],
    load: () => import("./commands/security/audit.js"),
    examples: ["openclaw security audit", "openclaw security audit --fix", "openclaw security audit --deep --json"],
  },
  {
    path: ["agents"],
    summary: "Manage agents (workspaces, agent dirs); no subcommand lists them",
    description: "Subcommands: list, add, delete.",
    options: [json],
    load: () => import("./commands/agents/list.js"),
  },
  { path: ["agents", "list"], summary: "List configured agents", options: [json], load: () => import("./commands/agents/list.js"), examples: ["openclaw agents list --json"] },
  {
    path: ["agents", "add"],
    summary: "Add an agent to the config and create its workspace with bootstrap files",
    args: [{ name: "name", required: true, description: "Agent name; its id is the lowercase slug of it" }],
    options: [
      { name: "workspace", type: "string", value: "<dir>", description: "Workspace dir (default <stateDir>/workspace-<id>)" },
      { name: "model", type: "string", value: "<provider/model>", description: "Primary model for this agent" },
      { name: "agent-dir", type: "string", value: "<dir>", description: "Agent state dir (default <stateDir>/agents/<id>/agent)" },
      { name: "non-interactive", type: "boolean", description: "Accepted for compatibility (this command never prompts)" },
      json,
    ],
    load: () => import("./commands/agents/add.js"),
    examples: ["openclaw agents add work --workspace ~/.openclaw/workspace-work", "openclaw agents add ops --model anthropic/claude-sonnet-4-5 --json"],
  },
  {
    path: ["agents", "delete"],
    summary: "Remove an agent from the config (files stay on disk; the default agent needs --force)",
    args: [{ name: "id", required: true, description: "Agent id" }],
    options: [{ name: "force", type: "boolean", description: "Also remove the default agent" }, json],
    load: () => import("./commands/agents/delete.js"),
    examples: ["openclaw agents delete work"],
  },
  ...accessCommands(),
  { path: ["backup"], summary: "Back up, verify and restore the state", description: "Subcommands: create, verify, restore, schedule." },
  {
    path: ["backup", "create"],
    summary: "Write a verifiable .tar.gz of the state dir (and workspaces config points to)",
    options: [
      { name: "output", type: "string", value: "<file>", description: "Archive path (default ~/openclaw-backups/openclaw-<time>.tar.gz)" },
      { name: "minimal", type: "boolean", description: "Config, credentials and auth profiles only" },
      { name: "full", type: "boolean", description: "Everything except logs (default)" },
      { name: "exclude-sessions", type: "boolean", description: "Leave session transcripts out" },
      { name: "include-logs", type: "boolean", description: "Include <state>/logs" },
      json,
    ],
    load: () => import("./commands/backup/create.js"),
    examples: ["openclaw backup create", "openclaw backup create --minimal --output /mnt/usb/claw.tar.gz"],
  },
  {
    path: ["backup", "verify"],
    summary: "Check an archive (ours or OpenClaw's): manifest, checksums, the rules restore applies (exit 3 on problems)",
    args: [{ name: "archive", required: true, description: "Backup .tar.gz" }],
    options: [
      { name: "state-dir", type: "string", value: "<dir>", description: "Check against this state dir instead" },
      { name: "deep", type: "boolean", description: "Also run PRAGMA integrity_check on a temp copy of every SQLite database" },
      json,
    ],
    load: () => import("./commands/backup/verify.js"),
  },
  {
    path: ["backup", "restore"],
    summary: "Restore an archive (verified first; safety copy of what it overwrites; doctor afterwards)",
    args: [{ name: "archive", required: true, description: "Backup .tar.gz" }],
    options: [
      { name: "dry-run", type: "boolean", description: "Show what would be written; write nothing" },
      { name: "only", type: "string", value: "<parts>", description: "Comma list: config,credentials,agents,sessions,workspaces" },
      { name: "state-dir", type: "string", value: "<dir>", description: "Restore into this state dir instead" },
      { name: "force", type: "boolean", description: "Write the external dirs the plan lists without asking, and stop a running gateway first" },
      json,
    ],
    load: () => import("./commands/backup/restore.js"),
  },
  { path: ["migrate"], summary: "Move this deployment to a new host", description: "Subcommands: export, import, verify." },
  {
    path: ["migrate", "export"],
    summary: "Stop the gateway and write a full backup with secret names, service files and what to redo on the target",
    options: [
      { name: "output", type: "string", value: "<file>", description: "Archive path" },
      { name: "no-stop", type: "boolean", description: "Do not stop a running gateway (the copy may be inconsistent)" },
      { name: "include-secrets", type: "boolean", description: "Carry .env, the service env file and auth-profile keys, sealed with a passphrase (scrypt + AES-256-GCM)" },
      { name: "passphrase-file", type: "string", value: "<file>", description: "Read the passphrase from this file (or set OPENCLAW_MIGRATE_PASSPHRASE; a terminal prompts)" },
      json,
    ],
    load: () => import("./commands/migrate/export.js"),
  },
  {
    path: ["migrate", "import"],
    summary: "Restore an export here: rewrite paths into this home, quarantine poisoned sessions, install the service",
    args: [{ name: "archive", required: true, description: "Archive from migrate export" }],
    options: [
      { name: "state-dir", type: "string", value: "<dir>", description: "Import into this state dir" },
      { name: "no-service", type: "boolean", description: "Do not install and start the service" },
      { name: "force", type: "boolean", description: "Import over an existing state dir (safety copy kept) and write the workspaces outside it" },
      { name: "port", type: "number", value: "<port>", description: "Port for the service (default: from the imported config)" },
      { name: "passphrase-file", type: "string", value: "<file>", description: "Opens sealed secrets (or set OPENCLAW_MIGRATE_PASSPHRASE; a terminal prompts)" },
      json,
    ],
    load: () => import("./commands/migrate/import.js"),
  },
  {
    path: ["migrate", "verify"],
    summary: "The post-migration checklist as a pass/fail table (exit 3 on failures)",
    options: [json, ...rpc],
    load: () => import("./commands/migrate/verify.js"),
  },
  {
    path: ["dashboard"],
    summary: "Open the Control UI in a browser (prints its URL; the token goes only into the opened URL's #fragment)",
    options: [{ name: "no-open", type: "boolean", description: "Print the URL, do not launch a browser" }, json, ...rpc],
    load: () => import("./commands/dashboard.js"),
    examples: ["openclaw dashboard", "openclaw dashboard --no-open", "openclaw dashboard --json"],
  },
  {
    path: ["health"],
    summary: "The gateway's health snapshot",
    options: [json, { name: "verbose", type: "boolean", description: "Show the target URL and config path (also on failure)" }, ...rpc],
    load: () => import("./commands/health.js"),
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
      ...rpc,
    ],
    load: () => import("./commands/logs.js"),
  },
  {
    path: ["reset"],
    summary: "Remove local config/state (a full backup first; nothing outside the state dir)",
    options: [
      { name: "scope", type: "string", value: "<scope>", description: "config|config+creds+sessions|full (also state, all)" },
      { name: "yes", short: "y", type: "boolean", description: "Do not ask" },
      { name: "non-interactive", type: "boolean", description: "Never prompt (needs --scope and --yes)" },
      { name: "dry-run", type: "boolean", description: "Print exactly what would be removed; remove nothing" },
      json,
    ],
    load: () => import("./commands/reset.js"),
    examples: ["openclaw reset --scope config --dry-run", "openclaw reset --scope full --yes --non-interactive"],
  },
  {
    path: ["uninstall"],
    summary: "Remove the gateway service and/or the state and workspaces (a full backup first, kept)",
    options: [
      { name: "service", type: "boolean", description: "Stop and remove the gateway service" },
      { name: "state", type: "boolean", description: "Remove the state dir and config (workspaces inside it stay unless --workspace)" },
      { name: "workspace", type: "boolean", description: "Remove workspace dirs (only those inside the state dir; others are listed)" },
      { name: "app", type: "boolean", description: "The macOS app (not managed here: reported)" },
      { name: "all", type: "boolean", description: "--service --state --workspace --app" },
      { name: "yes", short: "y", type: "boolean", description: "Do not ask" },
      { name: "non-interactive", type: "boolean", description: "Never prompt (needs --yes)" },
      { name: "dry-run", type: "boolean", description: "Print exactly what would be removed; remove nothing" },
      json,
    ],
    load: () => import("./commands/uninstall.js"),
    examples: ["openclaw uninstall --service --dry-run", "openclaw uninstall --all --yes"],
  },
  {
    path: ["completion"],
    summary: "Shell completion: print the script, cache it under the state dir, or install it in your shell profile",
    options: [
      { name: "shell", short: "s", type: "string", value: "<bash|zsh|fish>", description: "Target shell (default: from $SHELL, else zsh)" },
      { name: "install", short: "i", type: "boolean", description: "Source the cached script from your shell profile (atomic; the old profile kept as .bak)" },
      { name: "write-state", type: "boolean", description: "Write the script(s) to <state>/completions/ instead of printing (all shells without --shell)" },
      { name: "yes", short: "y", type: "boolean", description: "No confirmation prompts (this command never prompts)" },
      json,
    ],
    load: () => import("./commands/completion.js"),
    examples: ["source <(openclaw completion --shell bash)", "openclaw completion --shell bash --write-state --install"],
  },
  ...modelsCommands(),
  ...channelsCommands(),
  ...memoryCommands(),
  ...systemCommands(),
  ...maintenanceCommands(),
  ...sandboxCommands(),
  ...setupCommands(),
  ...cronCommands(),
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
