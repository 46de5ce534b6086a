/**
 * The command table: names, options and help for every command, with loaders that import a
 * command's code only when it runs. Nothing here may import more than types.
 */
import type { CommandSpec, OptionSpec } from "./types.js";

const json: OptionSpec = { name: "json", type: "boolean", description: "Print one JSON value on stdout" };
/** Shared by every command that talks to the gateway (same as cli/rpc.ts RPC_OPTIONS, kept import-free). */
const rpc: OptionSpec[] = [
  { name: "url", type: "string", value: "<ws-url>", description: "Gateway URL (then pass --token or --password explicitly)" },
  { name: "token", type: "string", value: "<token>", description: "Gateway token" },
  { name: "password", type: "string", value: "<password>", description: "Gateway password" },
  { name: "timeout", type: "number", value: "<ms>", description: "Timeout for connecting and each call (default 10000)" },
];
const gatewayRun: OptionSpec[] = [
  { name: "port", type: "number", value: "<port>", description: "Port (beats OPENCLAW_GATEWAY_PORT and gateway.port)" },
  { name: "bind", type: "string", value: "<mode>", description: "loopback|lan|tailnet|auto|custom" },
  { name: "auth", type: "string", value: "<mode>", description: "none|token|password" },
  { name: "token", type: "string", value: "<token>", description: "Shared token for this run" },
  { name: "password", type: "string", value: "<password>", description: "Shared password for this run" },
  { name: "verbose", type: "boolean", description: "Debug logs on the console" },
  { name: "force", type: "boolean", description: "Stop whatever listens on the port first" },
  { name: "allow-unconfigured", type: "boolean", description: "Start even when gateway.mode is not local" },
  { name: "dev", type: "boolean", description: "Dev profile (port 19001); creates a loopback config with a generated token if missing" },
];

const sessionsSelect: OptionSpec[] = [
  { name: "agent", type: "string", value: "<id>", description: "One agent's store (default: the default agent)" },
  { name: "all-agents", type: "boolean", description: "Every configured agent's store" },
];
const sessionsList: OptionSpec[] = [
  ...sessionsSelect,
  { name: "active", type: "number", value: "<minutes>", description: "Only sessions updated within the past N minutes" },
  { name: "limit", type: "string", value: "<n|all>", description: "Max rows (default 100; all for every row)" },
  json,
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

/** `openclaw models …`: default model, fallbacks, and the agent's auth profiles (issue 13). */
function modelsCommands(): CommandSpec[] {
  const agent: OptionSpec = { name: "agent", type: "string", value: "<id>", description: "Agent whose auth store to use (default: the default agent)" };
  const plain: OptionSpec = { name: "plain", type: "boolean", description: "Plain text, one item per line" };
  const provider: OptionSpec = { name: "provider", type: "string", value: "<id>", description: "Provider id (anthropic, openai, openrouter, ollama, …)" };
  const profileId: OptionSpec = { name: "profile-id", type: "string", value: "<id>", description: "Profile id to write (default <provider>:manual for tokens, <provider>:default otherwise)" };
  const status: OptionSpec[] = [
    json,
    plain,
    { name: "check", type: "boolean", description: "Exit 1 when auth is missing or expired, 2 when it expires within 24 h" },
    { name: "probe", type: "boolean", description: "Make one tiny real request per credential (spends tokens)" },
    { name: "probe-provider", type: "string", value: "<id>", description: "Probe one provider only" },
    { name: "probe-timeout", type: "number", value: "<ms>", description: "Per-probe timeout (default 8000)" },
    { name: "probe-max-tokens", type: "number", value: "<n>", description: "Probe max tokens (default 8)" },
    agent,
  ];
  const ref = (description: string) => [{ name: "model", required: true, description }];
  return [
    {
      path: ["agent"],
      summary: "Run one agent turn through the gateway",
      description: "Sends a message to an agent's session and prints the reply (streams on a TTY). Exit 0 on a completed turn, 1 on error, abort or timeout.",
      options: [
        { name: "message", short: "m", type: "string", value: "<text>", description: "Message body for the agent" },
        { name: "message-file", type: "string", value: "<path>", description: "Read the message from a UTF-8 file (- for stdin; max 4 MiB)" },
        { name: "agent", type: "string", value: "<id>", description: "Agent id (its main session unless a session is named)" },
        { name: "session-key", type: "string", value: "<key>", description: "Explicit session key (agent:<id>:<key>, or scoped to --agent)" },
        { name: "session-id", type: "string", value: "<id>", description: "An existing session's id" },
        { name: "to", short: "t", type: "string", value: "<number>", description: "Recipient the session key is derived from (E.164)" },
        { name: "channel", type: "string", value: "<channel>", description: "Channel of --to (for session routing)" },
        { name: "model", type: "string", value: "<ref>", description: "Model for this run only (provider/model or alias)" },
        { name: "thinking", type: "string", value: "<level>", description: "Thinking level: off|minimal|low|medium|high" },
        { name: "timeout", type: "number", value: "<seconds>", description: "Run timeout (default agents.defaults.timeoutSeconds, 600)" },
        { name: "url", type: "string", value: "<ws-url>", description: "Gateway URL (then pass --token or --password explicitly)" },
        { name: "token", type: "string", value: "<token>", description: "Gateway token" },
        { name: "password", type: "string", value: "<password>", description: "Gateway password" },
        json,
      ],
      load: () => import("./commands/agent/run.js"),
      examples: ['openclaw agent --agent main --message "ping" --json', "openclaw agent --session-key agent:ops:incident-42 --message-file task.md"],
    },
    { path: ["models"], summary: "Default model, fallbacks and provider auth (same as models status)", description: "Subcommands: status, list, set, fallbacks, auth.", options: status, load: () => import("./commands/models/status.js") },
    {
      path: ["models", "status"],
      summary: "Resolved default/fallbacks and an auth overview (--check: 0 ok, 1 missing/expired, 2 expiring)",
      options: status,
      load: () => import("./commands/models/status.js"),
      examples: ["openclaw models status --check", "openclaw models status --probe --json"],
    },
    {
      path: ["models", "list"],
      summary: "Configured models and whether each provider has credentials",
      options: [{ name: "all", type: "boolean", description: "Also every model declared under models.providers" }, provider, json, plain, agent],
      load: () => import("./commands/models/list.js"),
    },
    { path: ["models", "set"], summary: "Set agents.defaults.model.primary", args: ref("provider/model or alias"), options: [json, agent], load: () => import("./commands/models/set.js"), examples: ["openclaw models set anthropic/claude-opus-4-6"] },
    { path: ["models", "fallbacks"], summary: "Manage agents.defaults.model.fallbacks", description: "Subcommands: list, add, remove, clear." },
    { path: ["models", "fallbacks", "list"], summary: "List the fallbacks in order", options: [json, plain], load: () => import("./commands/models/fallbacks-list.js") },
    { path: ["models", "fallbacks", "add"], summary: "Append a fallback", args: ref("provider/model or alias"), options: [json], load: () => import("./commands/models/fallbacks-add.js") },
    { path: ["models", "fallbacks", "remove"], summary: "Remove a fallback", args: ref("provider/model or alias"), options: [json], load: () => import("./commands/models/fallbacks-remove.js") },
    { path: ["models", "fallbacks", "clear"], summary: "Remove every fallback", options: [json], load: () => import("./commands/models/fallbacks-clear.js") },
    { path: ["models", "auth"], summary: "Manage the agent's auth profiles (auth-profiles.json)", description: "Subcommands: add, list, paste-token, setup-token, order." },
    {
      path: ["models", "auth", "paste-token"],
      summary: "Store a token from stdin or a hidden prompt (never argv)",
      args: [{ name: "token", description: "(refused: pipe the token on stdin instead)" }],
      options: [provider, profileId, { name: "expires-in", type: "string", value: "<duration>", description: "Token expiry from now: 365d, 12h, 30m" }, json, agent],
      load: () => import("./commands/models/auth-paste-token.js"),
      examples: [`printf '%s' "$TOKEN" | openclaw models auth paste-token --provider anthropic`],
    },
    {
      path: ["models", "auth", "setup-token"],
      summary: "Run Claude Code's `claude setup-token` (TTY) and store the token it prints",
      options: [provider, profileId, json, agent],
      load: () => import("./commands/models/auth-setup-token.js"),
    },
    {
      path: ["models", "auth", "add"],
      summary: "Store an API key (or --type token) from stdin or a hidden prompt",
      args: [{ name: "secret", description: "(refused: pipe the secret on stdin instead)" }],
      options: [provider, { name: "type", type: "string", value: "<api-key|token>", description: "Credential type (default api-key)" }, profileId, json, agent],
      load: () => import("./commands/models/auth-add.js"),
    },
    { path: ["models", "auth", "list"], summary: "Saved auth profiles (secrets masked), expiry and cooldowns", options: [provider, json, agent], load: () => import("./commands/models/auth-list.js") },
    { path: ["models", "auth", "order"], summary: "Per-agent rotation order override for one provider", description: "Subcommands: get, set, clear." },
    { path: ["models", "auth", "order", "get"], summary: "Show the order override", options: [provider, json, agent], load: () => import("./commands/models/auth-order-get.js") },
    {
      path: ["models", "auth", "order", "set"],
      summary: "Set the order override (profile ids, first tried first)",
      args: [{ name: "profileIds", required: true, variadic: true, description: "Profile ids in priority order" }],
      options: [provider, json, agent],
      load: () => import("./commands/models/auth-order-set.js"),
    },
    { path: ["models", "auth", "order", "clear"], summary: "Remove the order override", options: [provider, json, agent], load: () => import("./commands/models/auth-order-clear.js") },
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
  {
    path: ["sessions"],
    summary: "List stored sessions (newest first); subcommands: list, cleanup, check, compact",
    description: "Reads agents/<id>/sessions/sessions.json; no gateway needed. Subcommands: list, cleanup, check, compact (via the gateway).",
    options: sessionsList,
    load: () => import("./commands/sessions/list.js"),
    examples: ["openclaw sessions", "openclaw sessions --agent work --active 120", "openclaw sessions --all-agents --json"],
  },
  { path: ["sessions", "list"], summary: "Same as openclaw sessions", options: sessionsList, load: () => import("./commands/sessions/list.js") },
  {
    path: ["sessions", "cleanup"],
    summary: "Apply session.maintenance now (age prune, entry cap); transcripts are archived, never deleted",
    options: [
      { name: "dry-run", type: "boolean", description: "Show what would be removed; write nothing" },
      { name: "enforce", type: "boolean", description: "Apply even when session.maintenance.mode is warn" },
      { name: "active-key", type: "string", value: "<key>", description: "Protect this session key" },
      ...sessionsSelect,
      json,
    ],
    load: () => import("./commands/sessions/cleanup.js"),
    examples: ["openclaw sessions cleanup --dry-run", "openclaw sessions cleanup --all-agents --json"],
  },
  {
    path: ["sessions", "compact"],
    summary: "Summarise a session's older history through the gateway (a model call; the transcript is appended to, never rewritten)",
    args: [{ name: "key", required: true, description: "Session key, e.g. agent:main:main" }],
    options: [
      { name: "agent", type: "string", value: "<id>", description: "The agent (default: from the key)" },
      { name: "max-lines", type: "number", value: "<n>", description: "Keep at most N recent messages verbatim" },
      json,
      ...rpc,
    ],
    load: () => import("./commands/sessions/compact.js"),
    examples: ["openclaw sessions compact agent:main:main", "openclaw sessions compact agent:work:main --json"],
  },
  {
    path: ["sessions", "check"],
    summary: "Find torn, corrupt and poisoned transcripts (exit 3 when found); --fix quarantines, never deletes",
    options: [{ name: "fix", type: "boolean", description: "Quarantine into sessions/quarantine/ and repair torn tails" }, ...sessionsSelect, json],
    load: () => import("./commands/sessions/check.js"),
    examples: ["openclaw sessions check", "openclaw sessions check --fix --all-agents"],
  },
  { path: ["approvals"], summary: "Exec approvals: the effective policy, pending requests, answers", description: "Subcommands: get, pending, resolve." },
  {
    path: ["approvals", "get"],
    summary: "The effective exec policy on this host (config tools.exec + exec-approvals.json); no gateway needed",
    options: [{ name: "agent", type: "string", value: "<id>", description: "Agent (default: the default agent)" }, json],
    load: () => import("./commands/approvals/get.js"),
    examples: ["openclaw approvals get", "openclaw approvals get --agent work --json"],
  },
  {
    path: ["approvals", "pending"],
    summary: "Exec approval requests waiting on the gateway",
    options: [json, ...rpc],
    load: () => import("./commands/approvals/pending.js"),
    examples: ["openclaw approvals pending", "openclaw approvals pending --json"],
  },
  {
    path: ["approvals", "resolve"],
    summary: "Answer a pending exec approval",
    args: [
      { name: "id", required: true, description: "Approval id (from approvals pending)" },
      { name: "decision", required: true, description: "allow-once | allow-always | deny" },
    ],
    options: [{ name: "reason", type: "string", value: "<text>", description: "A local note shown in the confirmation (not sent)" }, json, ...rpc],
    load: () => import("./commands/approvals/resolve.js"),
    examples: ["openclaw approvals resolve <id> allow-once", "openclaw approvals resolve <id> deny"],
  },
  { path: ["pairing"], summary: "DM pairing: list and approve senders waiting for access", description: "Subcommands: list, approve. Reads and writes credentials/<channel>-pairing.json and -allowFrom.json directly." },
  {
    path: ["pairing", "list"],
    summary: "Pending DM pairing requests for a channel",
    args: [{ name: "channel", description: "Channel id (default: the only configured channel)" }],
    options: [
      { name: "channel", type: "string", value: "<channel>", description: "Channel id (instead of the positional)" },
      { name: "account", type: "string", value: "<accountId>", description: "Only this account's requests" },
      json,
    ],
    load: () => import("./commands/pairing/list.js"),
    examples: ["openclaw pairing list telegram", "openclaw pairing list --channel telegram --account work --json"],
  },
  {
    path: ["pairing", "approve"],
    summary: "Approve a pairing code: the sender may DM the assistant",
    args: [
      { name: "channelOrCode", required: true, description: "Channel id, or the code when the channel is implied" },
      { name: "code", description: "Pairing code (when the channel is the first argument)" },
    ],
    options: [
      { name: "channel", type: "string", value: "<channel>", description: "Channel id (then pass only the code)" },
      { name: "account", type: "string", value: "<accountId>", description: "Only match this account's requests" },
      { name: "notify", type: "boolean", description: "Tell the requester (needs the channel running; not yet supported)" },
      json,
    ],
    load: () => import("./commands/pairing/approve.js"),
    examples: ["openclaw pairing approve telegram ABCD2345", "openclaw pairing approve --channel telegram --account work ABCD2345"],
  },
  { path: ["backup"], summary: "Back up, verify and restore the state", description: "Subcommands: create, verify, restore." },
  {
    path: ["backup", "create"],
    summary: "Write a verifiable .tar.gz of the state dir (and workspaces config points to)",
    options: [
      { name: "output", type: "string", value: "<file>", description: "Archive path (default ~/openclaw-backups/openclaw-<time>.tar.gz)" },
      { name: "minimal", type: "boolean", description: "Config, credentials and auth profiles only" },
      { name: "full", type: "boolean", description: "Everything except logs and the memory index (default)" },
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
    options: [{ name: "state-dir", type: "string", value: "<dir>", description: "Check against this state dir instead" }, json],
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
  ...modelsCommands(),
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
