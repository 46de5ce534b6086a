/**
 * The completion model: the command table folded into a tree of command paths, each with its
 * subcommands (name and summary) and its options (long, short, whether it takes a value, and the
 * values it accepts when the table names them: `<bash|zsh|fish>` or a description that starts
 * `loopback|lan|…`). Every shell's script is generated from this one model, so a new command in the
 * table completes everywhere without another edit.
 */
import type { CommandSpec, OptionSpec } from "../types.js";

export interface CompletionOption {
  /** `--json` */
  long: string;
  /** `-f` */
  short?: string;
  takesValue: boolean;
  /** Values offered after the option (empty: free text or a file). */
  choices: string[];
  description: string;
}

export interface CompletionNode {
  /** Words after `openclaw` ("" for the root). */
  key: string;
  subcommands: Array<{ name: string; summary: string }>;
  options: CompletionOption[];
}

const CHOICES = /^<?([a-z0-9][a-z0-9-]*(?:\|[a-z0-9][a-z0-9-]*)+)>?(?:\b|$)/;

/** Values an option accepts, when its placeholder or description lists them. */
export function optionChoices(o: OptionSpec): string[] {
  const m = CHOICES.exec(o.value ?? "") ?? CHOICES.exec(o.description);
  return m ? m[1]!.split("|") : [];
}

function toOption(o: OptionSpec): CompletionOption {
  return { long: `--${o.name}`, ...(o.short ? { short: `-${o.short}` } : {}), takesValue: o.type !== "boolean", choices: o.type === "boolean" ? [] : optionChoices(o), description: o.description };
}

/** One node per command path (and per group that only has subcommands), with the global flags on the root. */
export function completionModel(commands: readonly CommandSpec[], globals: readonly OptionSpec[]): CompletionNode[] {
  const nodes = new Map<string, CompletionNode>();
  const node = (words: readonly string[]) => {
    const key = words.join(" ");
    let n = nodes.get(key);
    if (!n) {
      n = { key, subcommands: [], options: [] };
      nodes.set(key, n);
    }
    return n;
  };
  node([]).options.push(...globals.map(toOption));
  for (const spec of commands) {
    const here = node(spec.path);
    for (const o of spec.options ?? []) if (!here.options.some((x) => x.long === `--${o.name}`)) here.options.push(toOption(o));
    for (let i = 0; i < spec.path.length; i++) {
      const parent = node(spec.path.slice(0, i));
      const name = spec.path[i]!;
      const summary = i === spec.path.length - 1 ? spec.summary : (commands.find((c) => c.path.length === i + 1 && c.path.every((w, j) => w === spec.path[j]))?.summary ?? "");
      if (!parent.subcommands.some((s) => s.name === name)) parent.subcommands.push({ name, summary });
    }
  }
  // Every command accepts --help (argv.ts adds it), so every node offers it.
  for (const n of nodes.values()) if (!n.options.some((o) => o.long === "--help")) n.options.push({ long: "--help", short: "-h", takesValue: false, choices: [], description: "Show help" });
  return [...nodes.values()];
}

/** The shells a script can be generated for. */
export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];
