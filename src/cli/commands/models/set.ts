/**
 * `openclaw models set <model|alias>` → `agents.defaults.model.primary` (fallbacks kept). The
 * provider must be built in or defined under `models.providers`; an unknown one exits 1 and
 * changes nothing. A provider without credentials is accepted with a warning.
 */
import { parseModelRef, resolveAuthCandidates, resolveProviderSettings } from "../../../agent/index.js";
import type { CommandHandler } from "../../types.js";
import { renderEdit } from "../config/render-edit.js";
import { currentDefaults, loadModelsContext, writeDefaults } from "./common.js";

export const run: CommandHandler = async (ctx) => {
  if (ctx.options.agent !== undefined) ctx.warn("note: models set changes agents.defaults.model for every agent; --agent is ignored");
  const m = loadModelsContext({ ...ctx, options: { ...ctx.options, agent: undefined } });
  const ref = parseModelRef(ctx.args[0]!, m.config);
  const settings = resolveProviderSettings(m.config, ref.provider, ctx.env);
  const candidates = resolveAuthCandidates({ provider: ref.provider, store: m.loadStore(), configApiKey: settings.apiKey, env: ctx.env, now: Date.now() });
  if (candidates.length === 0) ctx.warn(`warning: no credentials for provider "${ref.provider}" yet — run \`openclaw models auth paste-token --provider ${ref.provider}\``);
  const key = `${ref.provider}/${ref.model}`;
  const current = currentDefaults(m.config);
  const result = await writeDefaults(ctx, { primary: key, fallbacks: current.fallbacks });
  return { data: { ...result, primary: key }, human: [`Default model: ${key}`, ...renderEdit(result, "set")] };
};
