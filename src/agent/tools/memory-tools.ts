/**
 * The memory tools: `memory_search` (ranked snippets from the agent's memory files) and
 * `memory_get` (an exact excerpt of one memory file). Both go through the `MemoryPort` the host
 * supplies (the gateway's memory subsystem); this layer never touches the index. Results are JSON
 * text; with `memory.citations` (auto|on|off) a `Source: <path#Lx-Ly>` footer ends each snippet
 * (`auto`: in direct chats only, as OpenClaw does). Every failure is a tool error the model sees.
 */

import type { MemoryHit } from "../../memory/index.js";
import { capToolOutput } from "./output-cap.js";
import type { AgentTool, ToolContext, ToolResult } from "./types.js";

type Obj = Record<string, unknown>;

const SEARCH_CORPORA = ["memory", "wiki", "all", "sessions"] as const;
const GET_CORPORA = ["memory", "wiki", "all"] as const;

function args(input: unknown): Obj {
  return input && typeof input === "object" && !Array.isArray(input) ? (input as Obj) : {};
}

function fail(message: string): ToolResult {
  return { content: message, isError: true };
}

/** A positive integer argument, undefined when absent, or the error text. */
function positiveInt(a: Obj, key: string, tool: string): number | undefined | string {
  const v = a[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) return `${tool}: ${key} must be an integer ≥ 1 (got ${JSON.stringify(v)})`;
  return v;
}

/** `auto` cites in direct chats only (a session key naming a group or channel is not one). */
export function includeMemoryCitations(config: Obj, sessionKey: string): boolean {
  const mode = (config.memory as Obj | undefined)?.citations;
  if (mode === "on") return true;
  if (mode === "off") return false;
  const rest = /^agent:[^:]+:(.*)$/i.exec(sessionKey)?.[1];
  if (!rest) return true;
  const tokens = new Set(rest.toLowerCase().split(":").filter(Boolean));
  return !tokens.has("channel") && !tokens.has("group");
}

/** Why a corpus cannot be searched here, or undefined for the memory files. */
function corpusProblem(corpus: unknown, allowed: readonly string[], tool: string): string | undefined {
  if (corpus === undefined || corpus === "memory" || corpus === "all") return undefined;
  if (typeof corpus !== "string" || !allowed.includes(corpus)) return `${tool}: corpus must be one of: ${allowed.join(", ")}`;
  if (corpus === "sessions") return `${tool}: session transcript search is not enabled on this gateway; search corpus "memory" instead`;
  return `${tool}: the wiki corpus needs the memory-wiki plugin, which this gateway does not run; use corpus "memory"`;
}

function unavailable(tool: string): ToolResult {
  return fail(`${tool}: memory is not available in this runtime (no memory index is attached to the agent)`);
}

function errorText(tool: string, error: unknown): string {
  const e = error as { message?: unknown; hint?: unknown };
  const message = typeof e?.message === "string" ? e.message : String(error);
  const text = message.startsWith(`${tool}:`) ? message : `${tool}: ${message}`;
  return typeof e?.hint === "string" && e.hint ? `${text} (${e.hint})` : text;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** `memory_search`: the agent's memory index, ranked (hybrid when embeddings are configured, else keyword). */
export const memorySearchTool: AgentTool = {
  name: "memory_search",
  description:
    "Search your long-term memory (MEMORY.md, USER.md and memory/*.md notes) before answering questions about prior work, decisions, dates, people, preferences or todos. Returns the best-matching snippets with their file path and line range; read more of a file with memory_get.",
  inputSchema: {
    type: "object",
    properties: {
      query: { type: "string", description: "What to look for (keywords or a natural-language question)" },
      maxResults: { type: "integer", minimum: 1, description: "Maximum number of snippets to return" },
      minScore: { type: "number", description: "Drop results scoring below this (0..1)" },
      corpus: { type: "string", enum: [...SEARCH_CORPORA], description: "What to search: memory (default), wiki, all or sessions" },
    },
    required: ["query"],
    additionalProperties: false,
  },
  run: async (input: unknown, ctx: ToolContext): Promise<ToolResult> => {
    const a = args(input);
    const query = typeof a.query === "string" ? a.query.trim() : "";
    if (!query) return fail("memory_search: query is required (a non-empty string)");
    const maxResults = positiveInt(a, "maxResults", "memory_search");
    if (typeof maxResults === "string") return fail(maxResults);
    if (a.minScore !== undefined && (typeof a.minScore !== "number" || !Number.isFinite(a.minScore))) return fail("memory_search: minScore must be a number (0..1)");
    const problem = corpusProblem(a.corpus, SEARCH_CORPORA, "memory_search");
    if (problem) return fail(problem);
    if (!ctx.memory) return unavailable("memory_search");
    try {
      const answer = await ctx.memory.search(ctx.agentId, query, {
        ...(maxResults !== undefined ? { maxResults } : {}),
        ...(typeof a.minScore === "number" ? { minScore: a.minScore } : {}),
        signal: ctx.signal,
      });
      const cite = includeMemoryCitations(ctx.config, ctx.sessionKey);
      const results = answer.results.map((h: MemoryHit) => ({
        path: h.path,
        startLine: h.startLine,
        endLine: h.endLine,
        score: round(h.score),
        snippet: cite ? `${h.snippet.trimEnd()}\n\nSource: ${h.citation}` : h.snippet,
        citation: h.citation,
      }));
      const body = {
        results,
        mode: answer.mode,
        ...(answer.provider ? { provider: answer.provider } : {}),
        ...(answer.model ? { model: answer.model } : {}),
        ...(answer.stale ? { stale: true } : {}),
        ...(answer.warning ? { warning: answer.warning } : {}),
        ...(answer.action ? { action: answer.action } : {}),
      };
      const capped = capToolOutput(JSON.stringify(body, null, 2));
      return { content: capped.text, details: { results: results.length, mode: answer.mode, ...(answer.stale ? { stale: true } : {}) } };
    } catch (error) {
      return fail(errorText("memory_search", error));
    }
  },
};

/** `memory_get`: lines of one memory file (a path from memory_search), bounded, with where to continue. */
export const memoryGetTool: AgentTool = {
  name: "memory_get",
  description:
    "Read an exact excerpt of a memory file (MEMORY.md, USER.md or memory/**/*.md, usually a path returned by memory_search). Use from (1-based line) and lines to read a slice; the answer says where to continue when more follows.",
  inputSchema: {
    type: "object",
    properties: {
      path: { type: "string", description: "Workspace-relative path of the memory file (e.g. memory/2026-11-30.md)" },
      from: { type: "integer", minimum: 1, description: "First line to read (1-based)" },
      lines: { type: "integer", minimum: 1, description: "Number of lines to read" },
      corpus: { type: "string", enum: [...GET_CORPORA], description: "Where the path lives: memory (default), wiki or all" },
    },
    required: ["path"],
    additionalProperties: false,
  },
  run: async (input: unknown, ctx: ToolContext): Promise<ToolResult> => {
    const a = args(input);
    const file = typeof a.path === "string" ? a.path.trim() : "";
    if (!file) return fail("memory_get: path is required (a path from memory_search, e.g. memory/2026-11-30.md)");
    const from = positiveInt(a, "from", "memory_get");
    if (typeof from === "string") return fail(from);
    const lines = positiveInt(a, "lines", "memory_get");
    if (typeof lines === "string") return fail(lines);
    const problem = corpusProblem(a.corpus, GET_CORPORA, "memory_get");
    if (problem) return fail(problem);
    if (!ctx.memory) return unavailable("memory_get");
    try {
      const x = await ctx.memory.get(ctx.agentId, file, { ...(from !== undefined ? { from } : {}), ...(lines !== undefined ? { lines } : {}) });
      const body = {
        path: x.path,
        from: x.from,
        to: x.to,
        totalLines: x.totalLines,
        truncated: x.truncated,
        ...(x.nextFrom !== undefined ? { nextFrom: x.nextFrom, continue: `more follows: call memory_get with from=${x.nextFrom}` } : {}),
        text: x.text,
      };
      const capped = capToolOutput(JSON.stringify(body, null, 2));
      return { content: capped.text, details: { path: x.path, from: x.from, to: x.to, truncated: x.truncated || capped.truncated } };
    } catch (error) {
      return fail(errorText("memory_get", error));
    }
  },
};
