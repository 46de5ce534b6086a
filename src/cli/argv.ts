/** Argument parsing: global flags before the command, then the command's own options and args. */
import { AppError, didYouMean } from "../shared/index.js";
import { COMMANDS, GLOBAL_OPTIONS } from "./commands.js";
import type { CommandSpec, OptionSpec, OptionValues } from "./types.js";

export interface GlobalFlags {
  profile?: string;
  dev: boolean;
  logLevel?: string;
  noColor: boolean;
  version: boolean;
  help: boolean;
}

export interface ParsedArgv {
  globals: GlobalFlags;
  command: CommandSpec | undefined;
  /** Words that named the command (for help on a group). */
  words: string[];
  rest: string[];
}

function isFlag(token: string): boolean {
  return token.startsWith("-") && token !== "-" && !/^-\d/.test(token);
}

/** Splits argv into global flags, the command and the remaining tokens. */
export function parseGlobal(argv: readonly string[]): ParsedArgv {
  const globals: GlobalFlags = { dev: false, noColor: false, version: false, help: false };
  let i = 0;
  while (i < argv.length && isFlag(argv[i]!)) {
    const token = argv[i]!;
    const [name, inline] = token.includes("=") ? [token.slice(0, token.indexOf("=")), token.slice(token.indexOf("=") + 1)] : [token, undefined];
    const takeValue = (flag: string): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && isFlag(v))) throw new AppError("USAGE", `${flag} requires a value`, { hint: `e.g. openclaw ${flag} work status` });
      return v;
    };
    if (name === "--profile") globals.profile = takeValue("--profile");
    else if (name === "--dev") globals.dev = true;
    else if (name === "--log-level") globals.logLevel = takeValue("--log-level");
    else if (name === "--no-color") globals.noColor = true;
    else if (name === "--version" || name === "-V" || name === "-v") globals.version = true;
    else if (name === "--help" || name === "-h") globals.help = true;
    else break;
    i++;
  }
  const rest = argv.slice(i);
  // Longest command path that matches the leading words.
  let command: CommandSpec | undefined;
  let words: string[] = [];
  for (const spec of COMMANDS) {
    if (spec.path.length <= words.length) continue;
    if (spec.path.every((w, k) => rest[k] === w)) {
      command = spec;
      words = spec.path;
    }
  }
  return { globals, command, words, rest: rest.slice(words.length) };
}

/** The error for words that name no command, with a suggestion. */
export function unknownCommandError(rest: readonly string[]): AppError {
  const first = rest[0] ?? "";
  const group = COMMANDS.filter((c) => c.path.length === 2 && c.path[0] === first);
  if (group.length > 0 && rest.length > 1) {
    const sub = rest[1] ?? "";
    return new AppError("UNKNOWN_COMMAND", `unknown command "${first} ${sub}"${didYouMean(sub, group.map((c) => c.path[1]!))}`, {
      hint: `Run openclaw ${first} --help to list its commands.`,
    });
  }
  const tops = [...new Set(COMMANDS.map((c) => c.path[0]!))];
  return new AppError("UNKNOWN_COMMAND", `unknown command "${first}"${didYouMean(first, tops)}`, { hint: "Run openclaw --help to list commands." });
}

/** Parses a command's options and positional args; unknown flags are usage errors with a suggestion. */
export function parseCommandArgs(spec: CommandSpec, tokens: readonly string[]): { options: OptionValues; args: string[]; help: boolean } {
  const options: OptionValues = {};
  const args: string[] = [];
  const specs = [...(spec.options ?? []), { name: "help", short: "h", type: "boolean", description: "" } satisfies OptionSpec];
  let help = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === "--") {
      args.push(...tokens.slice(i + 1));
      break;
    }
    if (!isFlag(token)) {
      args.push(token);
      continue;
    }
    const eq = token.indexOf("=");
    const raw = eq > 0 ? token.slice(0, eq) : token;
    const inline = eq > 0 ? token.slice(eq + 1) : undefined;
    const opt = raw.startsWith("--") ? specs.find((o) => o.name === raw.slice(2)) : specs.find((o) => o.short !== undefined && `-${o.short}` === raw);
    if (!opt) {
      const negated = raw.startsWith("--no-") ? specs.find((o) => o.name === raw.slice(5) && o.type === "boolean") : undefined;
      if (negated) {
        options[negated.name] = false;
        continue;
      }
      throw new AppError("UNKNOWN_OPTION", `unknown option ${raw} for "openclaw ${spec.path.join(" ")}"${didYouMean(raw, specs.map((o) => `--${o.name}`))}`, {
        hint: `Run openclaw ${spec.path.join(" ")} --help for its options.`,
      });
    }
    if (opt.name === "help") {
      help = true;
      continue;
    }
    if (opt.type === "boolean") {
      if (inline !== undefined && !/^(true|false)$/.test(inline)) throw new AppError("USAGE", `--${opt.name} takes no value`);
      options[opt.name] = inline === undefined ? true : inline === "true";
      continue;
    }
    const value = inline ?? tokens[++i];
    if (value === undefined) throw new AppError("USAGE", `--${opt.name} requires a value`, { hint: `e.g. --${opt.name} ${opt.value ?? "<value>"}` });
    if (opt.type === "number") {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new AppError("USAGE", `--${opt.name} must be a number, got "${value}"`);
      options[opt.name] = n;
    } else {
      options[opt.name] = value;
    }
  }
  if (!help) {
    const declared = spec.args ?? [];
    const required = declared.filter((a) => a.required).length;
    if (args.length < required) {
      const missing = declared[args.length]!;
      throw new AppError("USAGE", `missing <${missing.name}> for "openclaw ${spec.path.join(" ")}"`, { hint: `Usage: ${usageLine(spec)}` });
    }
    if (args.length > declared.length && !declared.at(-1)?.variadic) {
      throw new AppError("USAGE", `unexpected argument "${args[declared.length]}" for "openclaw ${spec.path.join(" ")}"`, { hint: `Usage: ${usageLine(spec)}` });
    }
  }
  return { options, args, help };
}

/** `openclaw config set <path> <value> [options]` */
export function usageLine(spec: CommandSpec): string {
  const args = (spec.args ?? []).map((a) => (a.required ? `<${a.name}${a.variadic ? "..." : ""}>` : `[${a.name}${a.variadic ? "..." : ""}]`)).join(" ");
  return `openclaw ${spec.path.join(" ")}${args ? ` ${args}` : ""}${spec.options?.length ? " [options]" : ""}`;
}

export { GLOBAL_OPTIONS };
