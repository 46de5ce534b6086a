/**
 * The agent runtime's part of the command table: `agent`, `models …`, `sessions …`, `approvals …`
 * and `pairing …`. Loaders only; nothing here imports command code.
 */
import { json, rpc } from "./command-options.js";
import type { CommandSpec, OptionSpec } from "./types.js";

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

/** `openclaw models …`: default model, fallbacks, and the agent's auth profiles (issue 13). */
export function modelsCommands(): CommandSpec[] {
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

/** `openclaw sessions …`, `approvals …` and `pairing …`: stored sessions, exec approvals, DM pairing. */
export function accessCommands(): CommandSpec[] {
  return [
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
  { path: ["pairing"], summary: "DM pairing: list and approve senders waiting for access", description: "Subcommands: list, approve. Reads and writes state/openclaw.sqlite (OpenClaw 2026.9's store) and credentials/<channel>-pairing.json and -allowFrom.json (older OpenClaw) directly, in step." },
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
      { name: "notify", type: "boolean", description: "Tell the requester through the running gateway" },
      json,
      ...rpc,
    ],
    load: () => import("./commands/pairing/approve.js"),
    examples: ["openclaw pairing approve telegram ABCD2345", "openclaw pairing approve --channel telegram --account work ABCD2345"],
  },
  ];
}
