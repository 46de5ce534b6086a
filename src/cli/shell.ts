/**
 * The shell: parses argv, loads the one command that runs, renders its result for humans or as
 * `--json`, and is the only place that decides the exit code.
 */
import { type Env, type ResolvedPaths, resolveCommandEnv, resolvePaths } from "../infra/index.js";
import { configureLogging, isLogLevel, LEVEL_NAMES, shouldColor } from "../logging/index.js";
import { AppError, EXIT, type ExitCode, redactText, renderErrorJson, toAppError } from "../shared/index.js";
import { parseCommandArgs, parseGlobal, unknownCommandError } from "./argv.js";
import { COMMANDS, GLOBAL_OPTIONS } from "./commands.js";
import { renderCommandHelp, renderRootHelp } from "./help.js";
import type { CommandContext, CommandResult, Io } from "./types.js";
import { readVersion } from "./version.js";

export interface ShellDeps {
  env: Env;
  io: Io;
  cwd: string;
}


function renderError(error: AppError, io: Io, json: boolean): ExitCode {
  if (json) {
    io.stdout.write(`${JSON.stringify(renderErrorJson(error))}\n`);
  } else {
    io.stderr.write(`error: ${redactText(error.message)}\n`);
    const excerpt = error.details?.excerpt;
    if (typeof excerpt === "string") io.stderr.write(`${redactText(excerpt)}\n`);
    if (error.hint) io.stderr.write(`hint: ${redactText(error.hint)}\n`);
  }
  return error.exitCode;
}

function renderResult(result: CommandResult, io: Io, json: boolean): void {
  if (result.streamed) return;
  if (json) {
    io.stdout.write(`${JSON.stringify(result.data ?? null)}\n`);
    return;
  }
  const human = result.human ?? (typeof result.data === "string" ? result.data : JSON.stringify(result.data, null, 2));
  const text = Array.isArray(human) ? human.join("\n") : human;
  if (text !== undefined && text.length > 0) io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** Runs one CLI invocation and returns its exit code. Never throws. */
export async function runCli(argv: readonly string[], deps: ShellDeps): Promise<ExitCode> {
  const { io } = deps;
  let json = argv.includes("--json");
  try {
    const parsed = parseGlobal(argv);
    const { globals } = parsed;
    if (globals.version && !parsed.command) {
      io.stdout.write(`${readVersion()}\n`);
      return EXIT.ok;
    }
    if (!parsed.command) {
      if (parsed.rest.length === 0) {
        io.stdout.write(renderRootHelp(readVersion()));
        return EXIT.ok;
      }
      throw unknownCommandError(parsed.rest);
    }
    const spec = parsed.command;
    const firstWord = parsed.rest[0];
    const hasChildren = COMMANDS.some((c) => c.path.length === spec.path.length + 1 && spec.path.every((w, i) => c.path[i] === w));
    if (hasChildren && firstWord !== undefined && !firstWord.startsWith("-")) throw unknownCommandError([...spec.path, ...parsed.rest]);
    const { options, args, help } = parseCommandArgs(spec, parsed.rest);
    json = options.json === true;
    if (help || (!spec.load && args.length === 0)) {
      io.stdout.write(renderCommandHelp(spec));
      return EXIT.ok;
    }
    if (globals.logLevel !== undefined && !isLogLevel(globals.logLevel)) {
      throw new AppError("USAGE", `invalid --log-level "${globals.logLevel}"`, { hint: `Use one of ${LEVEL_NAMES.join(", ")}.` });
    }
    // Profile, then `<stateDir>/.env` and the service env file: the environment the gateway and its service get.
    const profiled = resolveCommandEnv({ profile: globals.profile, dev: globals.dev }, deps.env);
    for (const w of profiled.warnings) io.stderr.write(`${w}\n`);
    const env: Env = { ...profiled.env };
    if (globals.logLevel) env.OPENCLAW_LOG_LEVEL = globals.logLevel;
    const color = !globals.noColor && !json && shouldColor(io.stdout, env);
    const consoleLevel = env.OPENCLAW_LOG_LEVEL && isLogLevel(env.OPENCLAW_LOG_LEVEL) ? env.OPENCLAW_LOG_LEVEL : "warn";
    configureLogging({
      fileLevel: "silent",
      consoleLevel,
      maxFileBytes: 100 * 1024 * 1024,
      consoleStyle: "compact",
      color: !globals.noColor && shouldColor(io.stderr, env),
      console: io.stderr,
    });
    let paths: ResolvedPaths | undefined;
    const ctx: CommandContext = {
      args,
      options,
      env,
      paths: () => {
        paths ??= resolvePaths(env);
        return paths;
      },
      io,
      json,
      color,
      cwd: deps.cwd,
      warn: (line) => io.stderr.write(`${redactText(line)}\n`),
      commandTable: () => ({ commands: COMMANDS, globals: GLOBAL_OPTIONS }),
    };
    if (!spec.load) throw unknownCommandError(spec.path);
    const { run } = await spec.load();
    const result = await run(ctx);
    if (io.signal.aborted) return EXIT.interrupted;
    renderResult(result, io, json);
    return result.exitCode ?? EXIT.ok;
  } catch (error) {
    if (io.signal.aborted) return EXIT.interrupted;
    return renderError(toAppError(error), io, json);
  }
}
