/** What the `agents` commands share: the config as written (lenient env) and its agents resolved. */
import { assertConfigReadable, type OpenClawConfig, readConfigInput } from "../../../config/index.js";
import type { CommandContext } from "../../types.js";

/** The config input of the active file; an unreadable file is a `CONFIG_PARSE` error with file:line. */
export function loadAgentsConfig(ctx: CommandContext): OpenClawConfig {
  const input = readConfigInput({ configPath: ctx.paths().configPath, env: ctx.env, lenientEnv: true });
  assertConfigReadable(input);
  return input.input as OpenClawConfig;
}

/** `/home/me/x` → `~/x` for human output. */
export function tildify(p: string, home: string): string {
  return home && (p === home || p.startsWith(`${home}/`)) ? `~${p.slice(home.length)}` : p;
}
