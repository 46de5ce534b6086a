/**
 * The sandbox part of the command table: `sandbox list|recreate|explain` (issue 18). Loaders only:
 * nothing here imports dockerode or command code, so `--help` and `status` never load it. The
 * commands talk to Docker directly from the CLI (DOCKER_HOST or /var/run/docker.sock), as OpenClaw's do.
 */
import { json } from "./command-options.js";
import type { CommandSpec } from "./types.js";

/** `openclaw sandbox …`. */
export function sandboxCommands(): CommandSpec[] {
  return [
    {
      path: ["sandbox"],
      summary: "Docker sandbox containers: list, recreate, explain",
      description:
        "Subcommands: list, recreate, explain. Sandboxed sessions (agents.defaults.sandbox.mode non-main|all) run exec in a Docker container per scope; these commands reach Docker at DOCKER_HOST or /var/run/docker.sock.",
    },
    {
      path: ["sandbox", "list"],
      summary: "Sandbox containers: status, image (matches config?), age, session",
      options: [{ ...json, description: "Print {containers, browsers}" }],
      load: () => import("./commands/sandbox/list.js"),
      examples: ["openclaw sandbox list", "openclaw sandbox list --json"],
    },
    {
      path: ["sandbox", "recreate"],
      summary: "Remove sandbox containers so the next use recreates them with the current config",
      description: "Pass exactly one of --all, --session <key> (exact scope key from sandbox list) or --agent <id> (agent:<id> and agent:<id>:*). Asks on a terminal; elsewhere --force is required.",
      options: [
        { name: "all", type: "boolean", description: "Every sandbox container" },
        { name: "session", type: "string", value: "<key>", description: "The container serving this scope key" },
        { name: "agent", type: "string", value: "<id>", description: "Containers of one agent" },
        { name: "force", type: "boolean", description: "Do not ask" },
        json,
      ],
      load: () => import("./commands/sandbox/recreate.js"),
      examples: ["openclaw sandbox recreate --all --force", "openclaw sandbox recreate --agent work", 'openclaw sandbox recreate --session "agent:main:main" --force'],
    },
    {
      path: ["sandbox", "explain"],
      summary: "Effective sandbox mode/scope/workspace access and tool policy, with the config keys to change them",
      options: [
        { name: "session", type: "string", value: "<key>", description: "Session key (short names like main expand against the agent)" },
        { name: "agent", type: "string", value: "<id>", description: "Agent (default: the session's, else the default agent)" },
        json,
      ],
      load: () => import("./commands/sandbox/explain.js"),
      examples: ["openclaw sandbox explain", "openclaw sandbox explain --session agent:main:main", "openclaw sandbox explain --agent work --json"],
    },
  ];
}
