/** `openclaw config set <path> <value>` — validated, atomic, comments kept, `.bak` kept. */
import { loadConfigRuntime, readConfigInput } from "../../../config/index.js";
import { parseConfigPath } from "../../../shared/index.js";
import type { CommandContext, CommandHandler } from "../../types.js";
import { renderEdit } from "./render-edit.js";

export const run: CommandHandler = async (ctx) => {
  const { parseCliValue, runConfigSet } = await loadConfigRuntime();
  const strict = ctx.options["strict-json"] === true || ctx.json;
  const value = parseCliValue(ctx.args[1]!, strict);
  const result = runConfigSet({ configPath: ctx.paths().configPath, env: ctx.env, path: ctx.args[0]!, value, dryRun: ctx.options["dry-run"] === true });
  for (const w of result.warnings) ctx.warn(`warning: ${w}`);
  for (const w of await modelWarnings(ctx, value)) ctx.warn(`warning: ${w}`);
  return { data: result, human: renderEdit(result, "set") };
};

/**
 * A model ref whose provider is unknown or has no credentials is accepted (keys are often added
 * later) but named: the gateway would fail the first turn with it.
 */
async function modelWarnings(ctx: CommandContext, value: unknown): Promise<string[]> {
  const segments = parseConfigPath(ctx.args[0]!);
  if (segments[0] !== "agents") return [];
  const { isModelPath, checkModelRef, loadModelAuthFacts, modelRefsIn } = await import("../../../ops/index.js");
  if (!isModelPath(segments)) return [];
  const refs = modelRefsIn(value);
  if (refs.length === 0) return [];
  const paths = ctx.paths();
  const { input } = readConfigInput({ configPath: paths.configPath, env: ctx.env, lenientEnv: true });
  const facts = loadModelAuthFacts({ input, env: ctx.env, paths });
  return refs.flatMap((ref) => checkModelRef(ref, facts).map((p) => p.message));
}
