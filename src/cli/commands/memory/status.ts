/**
 * `openclaw memory status [--agent <id>] [--deep] [--index] [--json] [--verbose]`: every configured
 * agent's index (or one): what it holds, whether it is current, what it was built with, where it
 * lives. Reads only; `--index` first brings a stale index up to date (a rebuild when the settings
 * changed). `--json` is OpenClaw's aggregate: an array with one status per agent.
 */
import { MemoryIndex, type MemorySettings, type MemoryStatus, memoryStatus, syncMemory } from "../../../memory/index.js";
import { AppError, EXIT, redactText, toAppError } from "../../../shared/index.js";
import type { CommandContext, CommandHandler } from "../../types.js";
import { loadMemoryTargets } from "./common.js";
import { renderIndexSummary } from "./index-run.js";
import { createProgressReporter } from "./progress.js";
import { renderMemoryStatus } from "./render-status.js";

/** `--index`: reindex when the status says it is needed; returns the summary line, or undefined when nothing ran. */
async function reindexIfNeeded(ctx: CommandContext, settings: MemorySettings, status: MemoryStatus): Promise<string | undefined> {
  const needed = status.state === "dirty" || status.state === "pending" || status.state === "mismatch" || (status.state === "missing" && status.sourceFiles > 0);
  if (!needed) return undefined;
  const reporter = createProgressReporter({ io: ctx.io, json: ctx.json });
  const index = MemoryIndex.open(settings, { create: true })!;
  try {
    const r = await syncMemory(index, { force: status.state === "mismatch", signal: ctx.io.signal, onProgress: reporter.onProgress });
    return renderIndexSummary({ ...r, workspace: settings.workspace, maxRssBytes: process.resourceUsage().maxRSS * 1024 });
  } catch (error) {
    if (error instanceof AppError && error.code === "INTERRUPTED") throw new AppError("INTERRUPTED", `memory index of agent ${settings.agentId} interrupted; rerun to continue from the last committed batch`, { hint: "openclaw memory index" });
    throw error;
  } finally {
    reporter.stop();
    index.close();
  }
}

/**
 * OpenClaw's `memory status --json` puts each agent's facts under `status` (`files`, `chunks`, a
 * boolean `dirty`, `dbPath`, `storage`, `provider`, `model`, …). Ours are flat; the same facts are
 * also given in OpenClaw's shape so scripts written for either keep working.
 */
export function openclawStatusView(s: MemoryStatus): Record<string, unknown> {
  const dirty = s.state === "missing" ? s.sourceFiles > 0 : s.dirty.added + s.dirty.changed + s.dirty.removed > 0;
  return {
    backend: "builtin",
    files: s.files,
    chunks: s.chunks,
    dirty,
    workspaceDir: s.workspace,
    dbPath: s.dbPath,
    storage: { databaseBytes: s.dbBytes, walBytes: s.walBytes },
    provider: s.provider?.id ?? "none",
    ...(s.provider ? { model: s.provider.model } : {}),
    sources: ["memory"],
    extraPaths: s.extraPaths,
    fts: { enabled: true, available: true },
    vector: { enabled: s.vectorSearch !== "off", ...(s.vectors ? { index: { state: s.vectorMismatch ? "stale" : "ready", vectors: s.vectors } } : { index: { state: "empty" } }) },
  };
}

/** An agent whose index could not be read: the others are still reported. */
export interface MemoryStatusError {
  agentId: string;
  state: "error";
  dbPath: string;
  error: { code: string; message: string; hint?: string };
}

export const run: CommandHandler = async (ctx) => {
  const { targets } = loadMemoryTargets(ctx, "all");
  const doIndex = ctx.options.index === true;
  const deep = ctx.options.deep === true || doIndex;
  const verbose = ctx.options.verbose === true;
  const statuses: Array<MemoryStatus | MemoryStatusError> = [];
  const blocks: string[][] = [];
  let failed: AppError | undefined;
  for (const settings of targets) {
    const block: string[] = [];
    try {
      let status = await memoryStatus(settings, { deep: deep && !doIndex, signal: ctx.io.signal });
      if (doIndex && settings.enabled) {
        const summary = await reindexIfNeeded(ctx, settings, status);
        if (summary) block.push(summary);
        status = await memoryStatus(settings, { deep, signal: ctx.io.signal });
      }
      statuses.push({ ...status, status: openclawStatusView(status) } as MemoryStatus);
      block.push(...renderMemoryStatus(status, { now: Date.now(), verbose }).map((l) => redactText(l)));
    } catch (e) {
      const error = toAppError(e);
      if (error.code === "INTERRUPTED" || targets.length === 1) throw error;
      failed ??= error;
      statuses.push({ agentId: settings.agentId, state: "error", dbPath: settings.dbPath, error: { code: error.code, message: redactText(error.message), ...(error.hint ? { hint: redactText(error.hint) } : {}) } });
      block.push(`Memory · agent ${settings.agentId}: unreadable`, `  error: ${redactText(error.message)}`, ...(error.hint ? [`  fix: ${redactText(error.hint)}`] : []));
    }
    blocks.push(block);
  }
  return { data: statuses, human: blocks.flatMap((b, i) => (i ? ["", ...b] : b)), exitCode: failed ? failed.exitCode : EXIT.ok };
};
