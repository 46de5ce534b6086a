/**
 * The memory part of the command table: `memory status|index|search|reset` (issue 16). Loaders
 * only; nothing here imports command code, so `--help` never loads SQLite. The commands run in
 * this process against the index files (WAL + a busy timeout), with or without a running gateway.
 */
import { json } from "./command-options.js";
import type { CommandSpec, OptionSpec } from "./types.js";

const agentAll: OptionSpec = { name: "agent", type: "string", value: "<id>", description: "One agent (default: every configured agent)" };
const verbose: OptionSpec = { name: "verbose", type: "boolean", description: "More detail: settings, sources and per-phase lines" };

/** `openclaw memory …`. */
export function memoryCommands(): CommandSpec[] {
  return [
    {
      path: ["memory"],
      summary: "Memory index: status, index, search, reset",
      description:
        "Subcommands: status, index, search, reset. The index is derived from MEMORY.md and memory/**/*.md in each agent's workspace (plus configured extra paths); it lives in <state>/memory/<agentId>.sqlite and is rebuilt, never migrated.",
    },
    {
      path: ["memory", "status"],
      summary: "Files, chunks, vectors, dirty files, last run, provider and identity, database size — per agent",
      options: [
        agentAll,
        { name: "deep", type: "boolean", description: "Also embed one probe text to prove the provider answers" },
        { name: "index", type: "boolean", description: "Reindex first when the index is dirty, missing or built with other settings" },
        { ...json, description: "Print an array with one status per agent" },
        verbose,
      ],
      load: () => import("./commands/memory/status.js"),
      examples: ["openclaw memory status", "openclaw memory status --agent main --deep", "openclaw memory status --index --json"],
    },
    {
      path: ["memory", "index"],
      summary: "Bring the index up to date (resumable: a stopped run continues from its last committed batch)",
      description:
        "Shows progress on a terminal (files, MB, chunks, rate, ETA); --json streams NDJSON progress on stderr and prints one result on stdout. Ctrl-C stops after the current batch (exit 130); rerun to continue.",
      options: [
        agentAll,
        { name: "force", type: "boolean", description: "Rebuild into a new generation and swap it in when done (search keeps working meanwhile)" },
        { ...json, description: "NDJSON progress on stderr, one JSON result on stdout" },
        verbose,
      ],
      load: () => import("./commands/memory/index-run.js"),
      examples: ["openclaw memory index", "openclaw memory index --agent main --force", "openclaw memory index --json 2>progress.ndjson"],
    },
    {
      path: ["memory", "search"],
      summary: "Search the default agent's memory (ranked hits with path#lines and a snippet)",
      args: [{ name: "query", description: "Search text (or --query)" }],
      options: [
        { name: "query", type: "string", value: "<text>", description: "Search text (wins over the positional query)" },
        { name: "agent", type: "string", value: "<id>", description: "Agent (default: the default agent)" },
        { name: "max-results", type: "number", value: "<n>", description: "At most this many hits (positive integer)" },
        { name: "min-score", type: "number", value: "<n>", description: "Drop hits scoring below this (0..1)" },
        json,
      ],
      load: () => import("./commands/memory/search.js"),
      examples: ['openclaw memory search "release checklist"', 'openclaw memory search --query "billing" --agent work --max-results 3 --json'],
    },
    {
      path: ["memory", "reset"],
      summary: "Drop the memory index and embedding cache (memory files and other tables are untouched)",
      options: [
        agentAll,
        { name: "yes", short: "y", type: "boolean", description: "Do not ask (required when not on a terminal)" },
        json,
      ],
      load: () => import("./commands/memory/reset.js"),
      examples: ["openclaw memory reset --agent main --yes", "openclaw memory reset --yes && openclaw memory index"],
    },
  ];
}
