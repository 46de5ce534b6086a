/**
 * `openclaw completion [-s bash|zsh|fish] [--write-state] [-i|--install] [-y] [--json]`: prints the
 * script (generated from the command table; nothing of the runtime loads), caches scripts under
 * `<state>/completions/`, or installs a source line for the cache in the shell's profile.
 */
import os from "node:os";
import { writeFileAtomic } from "../../infra/index.js";
import { AppError } from "../../shared/index.js";
import { cachePath, completionModel, completionScript, detectShell, installCompletion, SHELLS, type Shell } from "../completion/index.js";
import type { CommandHandler } from "../types.js";

export const run: CommandHandler = (ctx) => {
  const named = typeof ctx.options.shell === "string" ? ctx.options.shell.trim().toLowerCase() : undefined;
  if (named !== undefined && !(SHELLS as readonly string[]).includes(named)) {
    throw new AppError("USAGE", `unsupported shell "${named}"`, { hint: `openclaw completion --shell ${SHELLS.join("|")}` });
  }
  const shell = (named as Shell | undefined) ?? detectShell(ctx.env.SHELL);
  const writeState = ctx.options["write-state"] === true;
  const install = ctx.options.install === true;
  const table = ctx.commandTable?.();
  if (!table) throw new AppError("INTERNAL", "the command table was not handed to completion");
  const nodes = completionModel(table.commands, table.globals);
  if (!writeState && !install) {
    const script = completionScript(shell, nodes);
    if (ctx.json) return { data: { shell, script } };
    ctx.io.stdout.write(script);
    return { streamed: true };
  }
  const stateDir = ctx.paths().stateDir;
  const written: string[] = [];
  if (writeState) {
    for (const s of named !== undefined ? [shell] : [...SHELLS]) {
      const file = cachePath(stateDir, s);
      writeFileAtomic(file, completionScript(s, nodes), { mode: 0o644 });
      written.push(file);
    }
  }
  const human = written.map((f) => `Wrote ${f}`);
  let installed: ReturnType<typeof installCompletion> | undefined;
  if (install) {
    installed = installCompletion({ shell, stateDir, env: ctx.env, home: ctx.env.HOME || os.homedir() });
    if (installed.changed) human.push(`Installed ${shell} completion in ${installed.profile}${installed.backup ? ` (the previous file is kept as ${installed.backup})` : ""}; open a new shell to use it.`);
    else if (installed.reason === "user-managed") human.push(`${installed.profile} already sources the cached script (a line you manage); left as it is.`);
    else human.push(`${shell} completion is already installed in ${installed.profile}.`);
  } else human.push(`Install: openclaw completion --shell ${shell} --install`);
  return { data: { shell, written, ...(installed ? { installed } : {}) }, human };
};
