/** Human output of `openclaw memory status`: one block per agent, every problem with the command that fixes it. */
import type { MemoryStatus } from "../../../memory/index.js";
import { renderAgo, renderBytes, renderDuration } from "./common.js";

const STATE: Record<MemoryStatus["state"], string> = {
  ok: "ok",
  missing: "not indexed yet",
  dirty: "out of date",
  pending: "embeddings pending",
  mismatch: "built with other settings",
  disabled: "disabled",
};

/** One agent's block. */
export function renderMemoryStatus(s: MemoryStatus, o: { now: number; verbose: boolean }): string[] {
  const out = [`Memory · agent ${s.agentId}: ${STATE[s.state]}`];
  if (s.state === "disabled") {
    out.push("  memory search is disabled for this agent (memorySearch.enabled: false or plugins.slots.memory: none)");
    return out;
  }
  if (o.verbose) out.push(`  workspace: ${s.workspace} (${s.sourceFiles} memory file(s))`);
  if (s.exists) out.push(`  indexed: ${s.files} file(s) · ${s.chunks} chunk(s) · ${s.vectors} vector(s)`);
  else out.push(`  indexed: nothing yet (${s.sourceFiles} memory file(s) in ${s.workspace})`);
  const d = s.dirty;
  if (s.exists && d.added + d.changed + d.removed > 0) {
    out.push(`  dirty: ${d.added} added, ${d.changed} changed, ${d.removed} removed${d.sample.length ? ` (${d.sample.join(", ")}${d.added + d.changed > d.sample.length ? ", …" : ""})` : ""}`);
  }
  if (s.lastIndexedAt !== undefined) out.push(`  last indexed: ${renderAgo(s.lastIndexedAt, o.now)}${s.lastDurationMs !== undefined ? ` (took ${renderDuration(s.lastDurationMs)})` : ""}`);
  if (s.provider && !s.keywordOnly) {
    out.push(`  embeddings: ${s.provider.id}/${s.provider.model} at ${s.provider.endpoint} · vector search ${s.vectorSearch}`);
  } else if (s.provider && s.vectorMismatch) {
    out.push(`  embeddings: ${s.provider.id}/${s.provider.model} configured; searches answer by keyword until the rebuild`);
  } else {
    out.push(`  search: keyword search only (${(s.providerNote ?? "no embedding provider").replace(/[:;,]?\s*keyword search only$/, "")})`);
  }
  if (s.pendingEmbeddings > 0) out.push(`  pending embeddings: ${s.pendingEmbeddings} chunk(s)`);
  if (s.keywordMismatch) out.push(`  identity mismatch: ${s.keywordMismatch} — rebuild: openclaw memory index --force --agent ${s.agentId}`);
  if (s.vectorMismatch) out.push(`  identity mismatch: vectors were made with a different ${s.vectorMismatch} — rebuild: openclaw memory index --force --agent ${s.agentId}`);
  if (s.identity && o.verbose) {
    const v = s.identity.vector;
    out.push(`  identity: chunks ${s.identity.chunkTokens}/${s.identity.chunkOverlap} tokens, ${s.identity.tokenizer}${v ? `, vectors ${v.provider}/${v.model} (${v.dims} dims) at ${v.endpoint}` : ""}, generation ${s.generation ?? "?"}`);
  }
  if (s.rebuildEstimate && (s.vectorMismatch || s.keywordMismatch || o.verbose)) {
    const e = s.rebuildEstimate;
    out.push(`  a --force rebuild would embed ${e.chunks} chunk(s) (~${e.tokens.toLocaleString("en-US")} tokens) with ${s.provider?.id}/${s.provider?.model}; ${e.cached} are cached`);
  }
  if (s.building) out.push(`  rebuild in progress or interrupted: generation ${s.building.generation} (${s.building.files} files, ${s.building.chunks} chunks) — openclaw memory index --force --agent ${s.agentId} finishes it`);
  if (s.exists) out.push(`  database: ${s.dbPath} (${renderBytes(s.dbBytes)}${s.walBytes ? ` + WAL ${renderBytes(s.walBytes)}` : ""})`);
  else out.push(`  database: ${s.dbPath} (not created yet)`);
  if (o.verbose) for (const e of s.extraPaths) out.push(`  extra path: ${e}`);
  for (const r of s.skippedRoots) out.push(`  skipped: ${r.path} (${r.reason})`);
  if (s.deep) out.push(s.deep.ok ? `  provider probe: answered in ${s.deep.latencyMs} ms (${s.deep.dims} dimensions)` : `  provider probe: failed after ${s.deep.latencyMs} ms: ${s.deep.error}`);
  if (s.fix) out.push(`  fix: ${s.fix}`);
  return out;
}
