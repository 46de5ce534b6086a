/**
 * `openclaw memory reset [--agent <id>] [--yes] [--json]`: drops the memory index (every
 * generation) and the embedding cache of every selected agent. Only memory-owned tables go: other
 * tables in the same database file and the memory files themselves stay. Asks on a terminal;
 * elsewhere `--yes` is required.
 */
import { MemoryIndex } from "../../../memory/index.js";
import { AppError, EXIT, redactText, toAppError } from "../../../shared/index.js";
import { canAsk, confirmOnTerminal } from "../../prompt.js";
import type { CommandHandler } from "../../types.js";
import { loadMemoryTargets } from "./common.js";

export const run: CommandHandler = async (ctx) => {
  const { targets } = loadMemoryTargets(ctx, "all");
  if (ctx.options.yes !== true) {
    if (!canAsk(ctx)) {
      throw new AppError("USAGE", "memory reset drops the index and needs --yes when it cannot ask (no terminal or --json)", { hint: `openclaw memory reset${typeof ctx.options.agent === "string" ? ` --agent ${ctx.options.agent}` : ""} --yes` });
    }
    const list = targets.map((t) => `  ${t.agentId}: ${t.dbPath}`).join("\n");
    const yes = await confirmOnTerminal(ctx, `Drop the memory index and embedding cache of:\n${list}\n(memory files and other tables are kept; rebuild with openclaw memory index) [y/N] `);
    if (!yes) return { data: { reset: [], cancelled: true }, human: "cancelled: nothing changed", exitCode: EXIT.failed };
  }
  const reset: Array<{ agentId: string; dbPath: string; existed: boolean; generations: number; cachedVectors: number; error?: { code: string; message: string; hint?: string } }> = [];
  const human: string[] = [];
  let failed: AppError | undefined;
  for (const settings of targets) {
    let index: MemoryIndex | undefined;
    try {
      index = MemoryIndex.open(settings, { create: false });
      if (!index) {
        reset.push({ agentId: settings.agentId, dbPath: settings.dbPath, existed: false, generations: 0, cachedVectors: 0 });
        human.push(`${settings.agentId}: no memory index (${settings.dbPath}); nothing to reset`);
        continue;
      }
      const r = index.reset();
      reset.push({ agentId: settings.agentId, dbPath: settings.dbPath, existed: true, ...r });
      human.push(`${settings.agentId}: dropped ${r.generations} index generation(s) and ${r.cachedVectors} cached vector(s) from ${settings.dbPath}; memory files untouched`);
    } catch (e) {
      // A broken file for one agent does not keep the others' indexes (a single agent fails as usual).
      const error = toAppError(e);
      if (targets.length === 1) throw error;
      failed ??= error;
      reset.push({ agentId: settings.agentId, dbPath: settings.dbPath, existed: true, generations: 0, cachedVectors: 0, error: { code: error.code, message: redactText(error.message), ...(error.hint ? { hint: redactText(error.hint) } : {}) } });
      ctx.warn(`error: ${settings.agentId}: ${error.message}${error.hint ? `\nhint: ${error.hint}` : ""}`);
    } finally {
      index?.close();
    }
  }
  if (reset.some((r) => r.existed)) human.push(`rebuild: openclaw memory index${typeof ctx.options.agent === "string" ? ` --agent ${targets[0]!.agentId}` : ""}`);
  return { data: { reset }, human, exitCode: failed ? failed.exitCode : EXIT.ok };
};
