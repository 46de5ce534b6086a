/** Help text, derived from the command table. */
import { GLOBAL_OPTIONS, usageLine } from "./argv.js";
import { COMMANDS } from "./commands.js";
import type { CommandSpec, OptionSpec } from "./types.js";

function optionLines(options: readonly OptionSpec[]): string[] {
  const rows = options.map((o) => [`${o.short ? `-${o.short}, ` : "    "}--${o.name}${o.value ? ` ${o.value}` : ""}`, o.description] as const);
  const width = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([flag, desc]) => `  ${flag.padEnd(width)}  ${desc}`);
}

/** Top-level help: every command and the global flags. */
export function renderRootHelp(version: string): string {
  const rows = COMMANDS.filter((c) => c.load).map((c) => [c.path.join(" "), c.summary] as const);
  const width = Math.max(...rows.map((r) => r[0].length));
  return [
    `openclaw ${version} — operate the OpenClaw gateway`,
    "",
    "Usage: openclaw [global options] <command> [options]",
    "",
    "Commands:",
    ...rows.map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`),
    "",
    "Global options:",
    ...optionLines(GLOBAL_OPTIONS),
    "",
    "Exit codes: 0 ok · 1 failed · 2 usage · 3 problems found · 4 gateway unreachable · 130 interrupted",
    "",
  ].join("\n");
}

/** Help for one command or a command group. */
export function renderCommandHelp(spec: CommandSpec): string {
  const children = COMMANDS.filter((c) => c.path.length === spec.path.length + 1 && spec.path.every((w, i) => c.path[i] === w));
  const lines = [`${spec.summary}`, "", `Usage: ${usageLine(spec)}`];
  if (spec.description) lines.push("", spec.description);
  if (spec.args?.length) lines.push("", "Arguments:", ...spec.args.map((a) => `  ${a.name}  ${a.description}`));
  if (spec.options?.length) lines.push("", "Options:", ...optionLines(spec.options));
  if (children.length) lines.push("", "Commands:", ...children.map((c) => `  ${c.path.join(" ")}  ${c.summary}`));
  if (spec.examples?.length) lines.push("", "Examples:", ...spec.examples.map((e) => `  ${e}`));
  return `${lines.join("\n")}\n`;
}
