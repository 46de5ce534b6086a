/**
 * The channels' part of the command table: `channels list|status|add|remove|logout|logs` and
 * `message send` (issue 14). Loaders only; nothing here imports command code, so `--help` stays lazy.
 */
import { json, rpc } from "./command-options.js";
import type { CommandSpec, OptionSpec } from "./types.js";

const channel: OptionSpec = { name: "channel", type: "string", value: "<id>", description: "Channel id (telegram, googlechat, webchat, …)" };
const account: OptionSpec = { name: "account", type: "string", value: "<id>", description: "Account id (default: the channel's default account; a blank value is refused)" };
/** The gateway flags; `channels status` declares its own `--timeout` (the whole call's deadline). */
const gatewayFlags: OptionSpec[] = rpc.filter((o) => o.name !== "timeout");

/** `openclaw channels …` and `openclaw message send`. */
export function channelsCommands(): CommandSpec[] {
  return [
    {
      path: ["channels"],
      summary: "Chat channel accounts: list, status, add, remove, login, logout, logs",
      description: "Subcommands: list, status, add, remove, login, logout, logs. list/add/remove edit or read openclaw.json; status and logout ask the gateway.",
    },
    {
      path: ["channels", "list"],
      summary: "Configured channels and accounts from the config (enabled, token source, DM policy); no gateway needed",
      options: [json],
      load: () => import("./commands/channels/list.js"),
      examples: ["openclaw channels list", "openclaw channels list --json"],
    },
    {
      path: ["channels", "status"],
      summary: "Live channel state from the gateway (config-only view when it is down) with warnings and fixes",
      options: [
        { name: "probe", type: "boolean", description: "Run live credential checks per account" },
        { name: "timeout", type: "number", value: "<ms>", description: "Deadline for the whole call, probes included (default 10000)" },
        { name: "channel", type: "string", value: "<id|all>", description: "Only show one channel" },
        json,
        ...gatewayFlags,
      ],
      load: () => import("./commands/channels/status.js"),
      examples: ["openclaw channels status", "openclaw channels status --probe --timeout 5000", "openclaw channels status --channel telegram --json"],
    },
    {
      path: ["channels", "add"],
      summary: "Add or update a channel account in the config (non-interactive; the token is never printed)",
      args: [{ name: "channel", description: "Channel id (or --channel)" }],
      options: [
        channel,
        account,
        { name: "name", type: "string", value: "<name>", description: "Display name for this account" },
        { name: "token", type: "string", value: "<token>", description: "Bot token (Telegram) or service account JSON (Google Chat)" },
        { name: "token-file", type: "string", value: "<path>", description: "File holding the token (Telegram tokenFile; Google Chat serviceAccountFile)" },
        { name: "use-env", type: "boolean", description: "Take the credential from the environment (TELEGRAM_BOT_TOKEN; default account only)" },
        { name: "webhook-url", type: "string", value: "<url>", description: "Public webhook URL (Telegram webhook mode; Google Chat)" },
        { name: "webhook-secret", type: "string", value: "<secret>", description: "Telegram webhook secret" },
        { name: "webhook-path", type: "string", value: "<path>", description: "Webhook path on the gateway" },
        { name: "audience-type", type: "string", value: "<app-url|project-number>", description: "Google Chat audience type" },
        { name: "audience", type: "string", value: "<value>", description: "Google Chat audience value" },
        json,
      ],
      load: () => import("./commands/channels/add.js"),
      examples: ["openclaw channels add --channel telegram --token-file ~/.secrets/telegram", "openclaw channels add --channel telegram --account work --use-env"],
    },
    {
      path: ["channels", "remove"],
      summary: "Disable a channel account (default) or delete its config (--delete); the previous config is kept as .bak",
      options: [channel, account, { name: "delete", type: "boolean", description: "Delete the config entries instead of disabling" }, json],
      load: () => import("./commands/channels/remove.js"),
      examples: ["openclaw channels remove --channel telegram", "openclaw channels remove --channel telegram --account work --delete"],
    },
    {
      path: ["channels", "login"],
      summary: "Link WhatsApp: shows the QR to scan in WhatsApp → Linked devices (runs here, not in the gateway)",
      options: [
        channel,
        account,
        { name: "force", type: "boolean", description: "Relink even when a session exists (the old one is moved to credentials/whatsapp/.backup-<time>/)" },
        { name: "timeout", type: "number", value: "<ms>", description: "How long to wait for the scan" },
        json,
      ],
      load: () => import("./commands/channels/login.js"),
      examples: ["openclaw channels login --channel whatsapp", "openclaw channels login --channel whatsapp --account work --force"],
    },
    {
      path: ["channels", "logout"],
      summary: "Log a channel account out through the gateway (clears its saved session)",
      options: [channel, account, json, ...rpc],
      load: () => import("./commands/channels/logout.js"),
      examples: ["openclaw channels logout --channel whatsapp"],
    },
    {
      path: ["channels", "logs"],
      summary: "Recent channel lines from the gateway's file log",
      options: [
        { name: "channel", type: "string", value: "<id|all>", description: "One channel's lines (default all)" },
        { name: "lines", type: "number", value: "<n>", description: "Lines to show (default 200)" },
        json,
      ],
      load: () => import("./commands/channels/logs.js"),
      examples: ["openclaw channels logs", "openclaw channels logs --channel telegram --lines 50 --json"],
    },
    { path: ["message"], summary: "Send messages through a channel", description: "Subcommands: send." },
    {
      path: ["message", "send"],
      summary: "Send a message through a running channel account (via the gateway)",
      options: [
        { name: "channel", type: "string", value: "<id>", description: "Channel (default: the only configured one)" },
        { name: "target", short: "t", type: "string", value: "<dest>", description: "Recipient: Telegram chat id or @username, Google Chat spaces/<id>, …" },
        { name: "message", short: "m", type: "string", value: "<text>", description: "Message body" },
        { name: "account", type: "string", value: "<id>", description: "Channel account id (default: the channel's default account)" },
        { name: "dry-run", type: "boolean", description: "Print the request and send nothing" },
        json,
        ...rpc,
      ],
      load: () => import("./commands/message/send.js"),
      examples: ['openclaw message send --channel telegram --target 123456789 --message "hi"', 'openclaw message send -t @mychat -m "deploy done" --json'],
    },
  ];
}
