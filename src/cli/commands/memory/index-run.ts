/**
 * `openclaw memory index [--agent <id>] [--force] [--json] [--verbose]`: brings every selected
 * agent's index up to date in this process (a running gateway may index at the same time: WAL and
 * a busy timeout). Each batch is committed, so Ctrl-C or SIGTERM stops after the current batch with
 * exit 130 and a rerun continues from there; even SIGKILL loses at most one batch. `--json` prints
 * `{agents: [SyncResult + maxRssBytes]}` on stdout and NDJSON progress on stderr.
 */
import { MemoryIndex, type MemorySettings, type SyncResult, syncMemory } from "../../../memory/index.js";
import { AppError, EXIT, redactText, renderErrorJson, toAppError } from "../../../shared/index.js";
import type { CommandContext, CommandHandler } from "../../types.js";
import { loadMemoryTargets, renderDuration } from "./common.js";
import { createProgressReporter } from "./progress.js";

export interface IndexRunResult extends SyncResult {
  /** Peak resident set size of this process after the agent's run (bytes). */
  maxRssBytes: number;
  workspace: string;
}

/** The settings `--verbose` shows before a run (never a key). */
function renderSettings(s: MemorySettings): string[] {
  return [
    `${s.agentId}: workspace ${s.workspace}`,
    `${s.agentId}: index ${s.dbPath}`,
    `${s.agentId}: ${s.provider ? `embeddings ${s.provider.id}/${s.provider.model}` : `keyword search only (${s.providerNote ?? "no provider"})`}`,
    ...s.extraPaths.map((e) => `${s.agentId}: extra path ${e.path}${e.pattern ? ` (${e.pattern})` : ""}`),
    `${s.agentId}: chunks of ${s.chunking.tokens} tokens, ${s.chunking.overlap} overlap, ${s.tokenizer} tokenizer`,
  ];
}

/** One agent's summary line. */
export function renderIndexSummary(r: IndexRunResult): string {
  if (r.files === 0 && r.removed === 0) return `${r.agentId}: nothing to index — no MEMORY.md, USER.md or memory/**/*.md in ${r.workspace} (that is fine; memory files are picked up once they exist)`;
  const what = [`${r.chunks} chunks`];
  if (r.removed) what.push(`${r.removed} removed`);
  if (r.touched) what.push(`${r.touched} touched`);
  if (r.embedded) what.push(`${r.embedded} embedded${r.cacheHits ? ` (${r.cacheHits} from cache)` : ""}`);
  const mode = r.keywordOnly ? ", keyword search only" : "";
  return `${r.agentId}: indexed ${r.indexed} of ${r.files} file(s)${r.forced ? " (full rebuild)" : ""} — ${what.join(", ")} in ${renderDuration(r.durationMs)}${mode}`;
}

/** Writes the interruption the shell would swallow (it renders nothing after Ctrl-C). */
function interrupted(ctx: CommandContext, agentId: string) {
  const error = new AppError("INTERRUPTED", `memory index of agent ${agentId} interrupted; rerun to continue from the last committed batch`, { hint: "openclaw memory index" });
  if (ctx.json) ctx.io.stdout.write(`${JSON.stringify(renderErrorJson(error))}\n`);
  else ctx.io.stderr.write(`${error.message}\nhint: ${error.hint}\n`);
  return { streamed: true, exitCode: EXIT.interrupted };
}

export const run: CommandHandler = async (ctx) => {
  const { targets } = loadMemoryTargets(ctx, "all");
  const force = ctx.options.force === true;
  const verbose = ctx.options.verbose === true && !ctx.json;
  // Ctrl-C (the shell's signal) and SIGTERM both stop after the batch in flight.
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (ctx.io.signal.aborted) abort();
  ctx.io.signal.addEventListener("abort", abort, { once: true });
  process.on("SIGTERM", abort);
  const results: Array<IndexRunResult | { agentId: string; status: "disabled" } | { agentId: string; status: "failed"; error: { code: string; message: string; hint?: string } }> = [];
  let failed: AppError | undefined;
  const lines: string[] = [];
  let current = targets[0]?.agentId ?? "main";
  try {
    for (const settings of targets) {
      current = settings.agentId;
      if (!settings.enabled) {
        ctx.warn(`${settings.agentId}: memory search is disabled (memorySearch.enabled: false or plugins.slots.memory: none); nothing indexed`);
        results.push({ agentId: settings.agentId, status: "disabled" });
        continue;
      }
      if (verbose) for (const l of renderSettings(settings)) ctx.io.stderr.write(`${redactText(l)}\n`);
      const reporter = createProgressReporter({ io: ctx.io, json: ctx.json });
      let index: MemoryIndex | undefined;
      let result: SyncResult;
      try {
        index = MemoryIndex.open(settings, { create: true })!;
        result = await syncMemory(index, { force, signal: controller.signal, onProgress: reporter.onProgress });
      } catch (e) {
        // One agent's broken index or provider does not stop the others (a single agent fails as usual).
        const error = toAppError(e);
        if (error.code === "INTERRUPTED" || targets.length === 1) throw error;
        failed ??= error;
        results.push({ agentId: settings.agentId, status: "failed", error: { code: error.code, message: redactText(error.message), ...(error.hint ? { hint: redactText(error.hint) } : {}) } });
        ctx.warn(`error: ${settings.agentId}: ${error.message}${error.hint ? `\nhint: ${error.hint}` : ""}`);
        continue;
      } finally {
        reporter.stop();
        index?.close();
      }
      const r: IndexRunResult = { ...result, workspace: settings.workspace, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
      results.push(r);
      if (r.vectorPaused) ctx.warn(`warning: ${r.agentId}: ${r.vectorPaused}`);
      if (r.providerNote) ctx.warn(`warning: ${r.agentId}: ${r.providerNote}`);
      for (const s of r.skippedRoots) ctx.warn(`warning: ${r.agentId}: skipped ${s.path} (${s.reason})`);
      lines.push(renderIndexSummary(r));
    }
  } catch (error) {
    if (error instanceof AppError && error.code === "INTERRUPTED") return interrupted(ctx, current);
    throw error;
  } finally {
    process.off("SIGTERM", abort);
    ctx.io.signal.removeEventListener("abort", abort);
  }
  return { data: { agents: results }, human: lines, exitCode: failed ? failed.exitCode : EXIT.ok };
};
