/** `openclaw models fallbacks list|add|remove|clear` — `agents.defaults.model.fallbacks`, in order. */
import { parseModelRef, resolveProviderSettings } from "../../../agent/index.js";
import { AppError } from "../../../shared/index.js";
import type { CommandContext, CommandHandler, CommandResult } from "../../types.js";
import { renderEdit } from "../config/render-edit.js";
import { currentDefaults, loadModelsContext, writeDefaults } from "./common.js";

function context(ctx: CommandContext) {
  const m = loadModelsContext(ctx);
  return { m, current: currentDefaults(m.config) };
}

async function save(ctx: CommandContext, primary: string | undefined, fallbacks: string[]): Promise<CommandResult> {
  const result = await writeDefaults(ctx, { primary, fallbacks });
  return { data: { ...result, fallbacks }, human: [`Fallbacks (${fallbacks.length}): ${fallbacks.join(", ") || "-"}`, ...renderEdit(result, "set")] };
}

/** The canonical `provider/model` for an argument (aliases resolved); the provider must be known. */
function canonical(ctx: CommandContext, config: Record<string, unknown>, arg: string): string {
  const ref = parseModelRef(arg, config);
  resolveProviderSettings(config, ref.provider, ctx.env);
  return `${ref.provider}/${ref.model}`;
}

export const list: CommandHandler = (ctx) => {
  const { current } = context(ctx);
  return { data: { fallbacks: current.fallbacks }, human: ctx.options.plain === true ? current.fallbacks : current.fallbacks.length ? current.fallbacks.map((f, i) => `${i + 1}. ${f}`) : ["No fallbacks configured."] };
};

export const add: CommandHandler = async (ctx) => {
  const { m, current } = context(ctx);
  const key = canonical(ctx, m.config, ctx.args[0]!);
  if (current.fallbacks.includes(key)) return { data: { changed: false, fallbacks: current.fallbacks }, human: `${key} is already a fallback` };
  return save(ctx, current.primary, [...current.fallbacks, key]);
};

export const remove: CommandHandler = async (ctx) => {
  const { m, current } = context(ctx);
  let key = ctx.args[0]!;
  try {
    key = canonical(ctx, m.config, key);
  } catch {
    // a stale entry whose provider no longer exists can still be removed verbatim
  }
  if (!current.fallbacks.includes(key)) throw new AppError("NOT_FOUND", `${key} is not a fallback`, { hint: `Current fallbacks: ${current.fallbacks.join(", ") || "none"}.` });
  return save(
    ctx,
    current.primary,
    current.fallbacks.filter((f) => f !== key),
  );
};

export const clear: CommandHandler = async (ctx) => {
  const { current } = context(ctx);
  return save(ctx, current.primary, []);
};
