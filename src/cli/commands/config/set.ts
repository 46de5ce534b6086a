/** `openclaw config set <path> <value>` — validated, atomic, comments kept, `.bak` kept. */
import { loadConfigRuntime } from "../../../config/index.js";
import type { CommandHandler } from "../../types.js";
import { renderEdit } from "./render-edit.js";

export const run: CommandHandler = async (ctx) => {
  const { parseCliValue, runConfigSet } = await loadConfigRuntime();
  const strict = ctx.options["strict-json"] === true || ctx.json;
  const value = parseCliValue(ctx.args[1]!, strict);
  const result = runConfigSet({ configPath: ctx.paths().configPath, env: ctx.env, path: ctx.args[0]!, value, dryRun: ctx.options["dry-run"] === true });
  for (const w of result.warnings) ctx.warn(`warning: ${w}`);
  return { data: result, human: renderEdit(result, "set") };
};
