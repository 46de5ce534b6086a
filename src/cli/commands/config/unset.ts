/** `openclaw config unset <path>` — removes the key; absent keys are a no-op. */
import { loadConfigRuntime } from "../../../config/index.js";
import type { CommandHandler } from "../../types.js";
import { renderEdit } from "./render-edit.js";

export const run: CommandHandler = async (ctx) => {
  const { runConfigUnset } = await loadConfigRuntime();
  const result = runConfigUnset({ configPath: ctx.paths().configPath, env: ctx.env, path: ctx.args[0]!, dryRun: ctx.options["dry-run"] === true });
  for (const w of result.warnings) ctx.warn(`warning: ${w}`);
  return { data: result, human: renderEdit(result, "unset") };
};
