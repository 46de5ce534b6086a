/**
 * The `system` part of the command table (issue 18 item 2, OpenClaw's `openclaw system`): `system
 * event`, `system heartbeat last|enable|disable`, `system presence`. Loaders only; every command
 * talks to the running gateway.
 */
import { json, rpc } from "./command-options.js";
import type { CommandSpec } from "./types.js";

/** `openclaw system …`. */
export function systemCommands(): CommandSpec[] {
  return [
    { path: ["system"], summary: "System events, heartbeats and presence (through the gateway)", description: "Subcommands: event, heartbeat last|enable|disable, presence." },
    {
      path: ["system", "event"],
      summary: "Queue a system event for the main session's next heartbeat (--mode now runs it at once)",
      description: "The next heartbeat turn sees the text as a `System:` line. Events are not persisted: a gateway restart drops queued ones.",
      options: [
        { name: "text", type: "string", value: "<text>", description: "System event text (required)" },
        { name: "mode", type: "string", value: "<mode>", description: "now | next-heartbeat (default next-heartbeat)" },
        { name: "session-key", type: "string", value: "<sessionKey>", description: "Target this session instead of the agent's main session (runs at once)" },
        ...rpc,
        json,
      ],
      load: () => import("./commands/system/event.js"),
      examples: ['openclaw system event --text "Check for urgent follow-ups" --mode now', 'openclaw system event --text "deploy finished" --json'],
    },
    { path: ["system", "heartbeat"], summary: "Heartbeat controls", description: "Subcommands: last, enable, disable." },
    { path: ["system", "heartbeat", "last"], summary: "Show the last heartbeat event", options: [...rpc, json], load: () => import("./commands/system/heartbeat-last.js") },
    { path: ["system", "heartbeat", "enable"], summary: "Resume heartbeats on the gateway", options: [...rpc, json], load: () => import("./commands/system/heartbeat-enable.js") },
    { path: ["system", "heartbeat", "disable"], summary: "Pause heartbeats on the gateway (until enable or a restart)", options: [...rpc, json], load: () => import("./commands/system/heartbeat-disable.js") },
    {
      path: ["system", "presence"],
      summary: "List presence entries: this gateway, connected clients and recent system events",
      options: [...rpc, json],
      load: () => import("./commands/system/presence.js"),
      examples: ["openclaw system presence", "openclaw system presence --json"],
    },
  ];
}
