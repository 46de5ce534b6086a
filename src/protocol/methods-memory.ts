/**
 * The memory part of the method table: `doctor.memory.status` (OpenClaw's doctor reads
 * `embedding.{ok,checked,error}`; we add each agent's index state and the gateway watcher's view)
 * and `memory.search` (an operator's search over an agent's index, as OpenClaw 2026.7+ serves it).
 * Both need `operator.read`.
 */
import type { Scope } from "./scopes.js";
import { type Validator, v } from "./validate.js";

const spec = <P>(scope: Scope, description: string, params: Validator<P>, resultKeys: readonly string[]) => ({ scope, description, params, resultKeys });

export const MEMORY_METHODS = {
  "doctor.memory.status": spec(
    "operator.read",
    "Memory index state per agent (files, chunks, dirty files, identity, provider) plus the gateway watcher's view (dirty, syncing, lastSyncAt, lastError); `probe`/`deep` ping the embedding provider.",
    v.object({ probe: v.optional(v.boolean()), deep: v.optional(v.boolean()), agentId: v.optional(v.string({ min: 1, max: 64 })) }, { passthrough: true }),
    ["agentId", "embedding", "agents"],
  ),
  "memory.search": spec(
    "operator.read",
    "Search an agent's memory index (the default agent without agentId): ranked snippets with path, line range and score.",
    v.object(
      {
        query: v.string({ min: 1, max: 2000 }),
        agentId: v.optional(v.string({ min: 1, max: 64 })),
        // OpenClaw takes any finite number here and clamps it to 1..50.
        maxResults: v.optional(v.number()),
        minScore: v.optional(v.number()),
      },
      { passthrough: true },
    ),
    ["agentId", "searchMode", "results"],
  ),
};
