/** Shell completion generated from the command table: bash, zsh (bash's through bashcompinit) and fish. */
import { bashScript, zshScript } from "./bash.js";
import { fishScript } from "./fish.js";
import { type CompletionNode, SHELLS, type Shell } from "./model.js";

export { cachePath, type InstallResult, installCompletion, PROFILE_MARKER, profilePath, sourceLine } from "./install.js";
export { type CompletionNode, completionModel, optionChoices, SHELLS, type Shell } from "./model.js";

/** The script for one shell. */
export function completionScript(shell: Shell, nodes: CompletionNode[]): string {
  if (shell === "fish") return fishScript(nodes);
  if (shell === "zsh") return zshScript(nodes);
  return bashScript(nodes);
}

/** The shell named by `$SHELL` when it is one we generate for; zsh otherwise (as OpenClaw does). */
export function detectShell(envShell: string | undefined): Shell {
  const name = (envShell ?? "").split(/[\\/]/).pop() ?? "";
  return (SHELLS as readonly string[]).includes(name) ? (name as Shell) : "zsh";
}
