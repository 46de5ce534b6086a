/**
 * `openclaw memory search [query] [--query <text>] [--agent <id>] [--max-results <n>] [--min-score <n>] [--json]`:
 * the default agent's memory (or one agent's), ranked. `--json` prints the MemorySearchResponse.
 * Like OpenClaw, a search that cannot be complete still answers (exit 0) and says so: `stale`,
 * `warning` and `action` — an index that does not exist yet answers no results with the command to
 * build it. Disabled memory answers `{"agentId","status":"disabled"}`.
 */
import { MemoryIndex, type MemorySearchResponse, searchMemory } from "../../../memory/index.js";
import { AppError, EXIT } from "../../../shared/index.js";
import type { CommandContext, CommandHandler } from "../../types.js";
import { loadMemoryTargets } from "./common.js";

/** Interactive searches wait this long for the query embedding before answering by keyword. */
const QUERY_EMBED_TIMEOUT_MS = 8000;
const SNIPPET_LINES = 4;

function readQuery(ctx: CommandContext): string {
  const raw = typeof ctx.options.query === "string" ? ctx.options.query : ctx.args[0];
  const query = raw?.trim();
  if (!query) throw new AppError("USAGE", "memory search needs a query", { hint: 'openclaw memory search "release checklist" (or --query <text>)' });
  return query;
}

function readLimits(ctx: CommandContext): { maxResults?: number; minScore?: number } {
  const out: { maxResults?: number; minScore?: number } = {};
  const max = ctx.options["max-results"];
  if (max !== undefined) {
    if (typeof max !== "number" || !Number.isInteger(max) || max < 1 || max > 1000) throw new AppError("USAGE", `--max-results must be a whole number from 1 to 1000, got ${String(max)}`, { hint: "e.g. --max-results 5" });
    out.maxResults = max;
  }
  const min = ctx.options["min-score"];
  if (min !== undefined) {
    if (typeof min !== "number" || min < 0 || min > 1) throw new AppError("USAGE", `--min-score must be between 0 and 1, got ${String(min)}`, { hint: "e.g. --min-score 0.2 (0 keeps every match)" });
    out.minScore = min;
  }
  return out;
}

/** Ranked hits: `score  path#Lx-Ly` and the first lines of the snippet, indented. */
export function renderSearch(r: MemorySearchResponse): string[] {
  if (r.results.length === 0) return [`no matches for "${r.query}" in agent ${r.agentId}'s memory${r.stale ? " (the index may be incomplete: see the warning)" : ""}`];
  const out: string[] = [];
  for (const h of r.results) {
    out.push(`${h.score.toFixed(3)}  ${h.citation}`);
    const lines = h.snippet.split("\n").filter((l) => l.trim());
    for (const l of lines.slice(0, SNIPPET_LINES)) out.push(`    ${l.length > 160 ? `${l.slice(0, 159)}…` : l}`);
    if (lines.length > SNIPPET_LINES) out.push("    …");
  }
  return out;
}

export const run: CommandHandler = async (ctx) => {
  const query = readQuery(ctx);
  const limits = readLimits(ctx);
  const { targets } = loadMemoryTargets(ctx, "default");
  const settings = targets[0]!;
  if (!settings.enabled) {
    return { data: { agentId: settings.agentId, status: "disabled" }, human: `memory search is disabled for agent ${settings.agentId} (memorySearch.enabled: false or plugins.slots.memory: none)`, exitCode: EXIT.ok };
  }
  const started = Date.now();
  const index = MemoryIndex.open(settings, { create: false });
  let response: MemorySearchResponse;
  if (!index) {
    response = {
      agentId: settings.agentId,
      query,
      mode: "keyword",
      results: [],
      stale: true,
      warning: `agent ${settings.agentId} has no memory index yet (${settings.dbPath})`,
      action: `openclaw memory index --agent ${settings.agentId}`,
      tookMs: Date.now() - started,
    };
  } else {
    try {
      response = await searchMemory(index, query, { ...limits, signal: ctx.io.signal, embedTimeoutMs: QUERY_EMBED_TIMEOUT_MS });
      const minScore = limits.minScore ?? settings.query.minScore;
      if (!ctx.json && response.results.length === 0 && minScore > 0) {
        // Partial matches (some of the words) score below the default: say when they exist.
        const weaker = await searchMemory(index, query, { ...limits, minScore: 0, signal: ctx.io.signal, embedTimeoutMs: QUERY_EMBED_TIMEOUT_MS });
        if (weaker.results.length > 0) ctx.warn(`${weaker.results.length} weaker match(es) scored below --min-score ${minScore} (best ${weaker.results[0]!.score}); rerun with --min-score 0 to see them`);
      }
    } finally {
      index.close();
    }
  }
  if (response.stale && !ctx.json) {
    ctx.warn(`warning: ${response.warning ?? "results may be incomplete"}`);
    if (response.action) ctx.warn(`run ${response.action} first${response.action.includes("--force") ? " (rebuilds; search keeps working meanwhile)" : ""}`);
  }
  return { data: response, human: renderSearch(response), exitCode: EXIT.ok };
};
