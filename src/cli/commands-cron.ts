/**
 * The scheduler part of the command table: `cron status|list|add|edit|rm|enable|disable|run|runs`
 * (OpenClaw's flags, spec §5.14). Loaders only; every command talks to the gateway's `cron.*`
 * methods, so nothing here loads the agent runtime or channels.
 */
import { json, rpc } from "./command-options.js";
import type { CommandSpec, OptionSpec } from "./types.js";

const id = [{ name: "id", required: true, description: "Job id (openclaw cron list --all shows them)" }];

/** Flags shared by `cron add` and `cron edit`. */
const jobFlags: OptionSpec[] = [
  { name: "name", type: "string", value: "<name>", description: "Job name" },
  { name: "description", type: "string", value: "<text>", description: "Job description" },
  { name: "at", type: "string", value: "<when>", description: "One-shot time: ISO (no offset = UTC, or --tz) or a duration from now like 20m" },
  { name: "every", type: "string", value: "<duration>", description: "Interval (10s, 5m, 1h, 24h)" },
  { name: "cron", type: "string", value: "<expr>", description: "Cron expression (5 fields, or 6 with seconds)" },
  { name: "tz", type: "string", value: "<iana>", description: "Time zone for --cron (and an offset-less --at)" },
  { name: "stagger", type: "string", value: "<duration>", description: "Cron stagger window (e.g. 30s, 5m)" },
  { name: "session", type: "string", value: "<target>", description: "Session target: main|isolated|session:<key>" },
  { name: "system-event", type: "string", value: "<text>", description: "System event payload (main session)" },
  { name: "message", type: "string", value: "<text>", description: "Agent message payload (an agent turn)" },
  { name: "wake", type: "string", value: "<mode>", description: "Wake mode: now|next-heartbeat (default now)" },
  { name: "announce", type: "boolean", description: "Deliver the agent's final text to a chat (--channel, --to)" },
  { name: "deliver", type: "boolean", description: "Deprecated alias of --announce; --no-deliver turns delivery off" },
  { name: "best-effort-deliver", type: "boolean", description: "Do not fail the job when delivery fails" },
  { name: "channel", type: "string", value: "<channel>", description: "Delivery channel (telegram, …)" },
  { name: "to", type: "string", value: "<dest>", description: "Delivery destination (Telegram chat id, E.164, …)" },
  { name: "account", type: "string", value: "<id>", description: "Channel account for delivery" },
  { name: "model", type: "string", value: "<model>", description: "Model override for agent jobs (provider/model)" },
  { name: "thinking", type: "string", value: "<level>", description: "Thinking level for agent jobs" },
  { name: "timeout-seconds", type: "number", value: "<n>", description: "Agent turn timeout in seconds (0 = none)" },
  { name: "delete-after-run", type: "boolean", description: "Delete a one-shot job after it succeeds (default for --at)" },
  { name: "keep-after-run", type: "boolean", description: "Keep a one-shot job (disabled) after it succeeds" },
  { name: "agent", type: "string", value: "<id>", description: "Agent id for this job" },
];

export function cronCommands(): CommandSpec[] {
  return [
    { path: ["cron"], summary: "Scheduled jobs (via the gateway): status, list, add, edit, rm, enable, disable, run, runs", description: "Jobs live in <state>/cron/jobs.json (or cron.store); edits, also by hand, apply without a restart." },
    { path: ["cron", "status"], summary: "Scheduler status: enabled, store, job count, next wake", options: [json, ...rpc], load: () => import("./commands/cron/status.js") },
    {
      path: ["cron", "list"],
      summary: "List jobs (enabled ones; --all adds disabled)",
      options: [{ name: "all", type: "boolean", description: "Include disabled jobs" }, json, ...rpc],
      load: () => import("./commands/cron/list.js"),
    },
    {
      path: ["cron", "add"],
      summary: "Add a job: a schedule (--at|--every|--cron) and a payload (--system-event|--message)",
      options: [...jobFlags, { name: "disabled", type: "boolean", description: "Create the job disabled" }, json, ...rpc],
      load: () => import("./commands/cron/add.js"),
      examples: [
        'openclaw cron add --name inbox --every 30m --session main --system-event "check the inbox"',
        'openclaw cron add --name brief --cron "0 7 * * *" --tz Europe/Berlin --session isolated --message "morning brief" --announce --channel telegram --to 123456',
      ],
    },
    { path: ["cron", "edit"], summary: "Change a job (only the flags given)", args: id, options: [...jobFlags, json, ...rpc], load: () => import("./commands/cron/edit.js") },
    { path: ["cron", "rm"], summary: "Remove a job and its run log", args: id, options: [json, ...rpc], load: () => import("./commands/cron/rm.js") },
    { path: ["cron", "enable"], summary: "Enable a job", args: id, options: [json, ...rpc], load: () => import("./commands/cron/enable.js") },
    { path: ["cron", "disable"], summary: "Disable a job", args: id, options: [json, ...rpc], load: () => import("./commands/cron/disable.js") },
    {
      path: ["cron", "run"],
      summary: "Run a job now (--due: only when due)",
      args: id,
      options: [{ name: "force", type: "boolean", description: "Run even when not due (default)" }, { name: "due", type: "boolean", description: "Run only when due" }, json, ...rpc],
      load: () => import("./commands/cron/run.js"),
    },
    {
      path: ["cron", "runs"],
      summary: "A job's run history, newest first",
      options: [{ name: "id", type: "string", value: "<id>", description: "Job id" }, { name: "limit", type: "number", value: "<n>", description: "At most n entries (1..200, default 50)" }, json, ...rpc],
      load: () => import("./commands/cron/runs.js"),
    },
  ];
}
