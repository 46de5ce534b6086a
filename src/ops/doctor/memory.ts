/**
 * Memory index findings for doctor (pure; the runner gathers the facts with `collectMemoryFacts`):
 * an index that is missing while there is something to index, out of date, built with other
 * settings (the `--force` rebuild), waiting for embeddings, half rebuilt, unreadable, and an
 * embedding provider that is configured but cannot work.
 */
import type { MemoryFacts } from "../memory.js";
import type { DoctorFinding } from "./finding.js";

const agentFlag = (id: string) => `--agent ${id}`;

/** Findings for each agent's memory facts. */
export function memoryFindings(facts: MemoryFacts[]): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  for (const f of facts) {
    const id = f.agentId;
    const index = `openclaw memory index ${agentFlag(id)}`;
    if (f.error) {
      out.push({ checkId: "state.memory_index_unreadable", step: "state", severity: "warn", title: `memory index for agent ${id} cannot be read: ${f.error.message}`, fix: f.error.hint ?? index });
      continue;
    }
    const s = f.status;
    if (!s || s.state === "disabled") continue;
    if (f.providerBroken && s.providerNote) {
      out.push({ checkId: "state.memory_provider_broken", step: "state", severity: "warn", title: `memory embeddings for agent ${id} cannot work: ${s.providerNote}`, detail: "Memory search answers by keyword only until the provider is fixed.", fix: `openclaw memory status --deep ${agentFlag(id)} after fixing the key or provider` });
    }
    if (s.state === "missing") {
      if (!f.configured && s.sourceFiles === 0) continue;
      out.push({
        checkId: "state.memory_index_missing",
        step: "state",
        severity: "info",
        title: `memory index for agent ${id} is missing (${s.dbPath})`,
        ...(s.sourceFiles > 0 ? { detail: `${s.sourceFiles} memory file(s) in ${s.workspace} are not searchable yet.` } : {}),
        fix: index,
      });
      continue;
    }
    if (s.state === "mismatch") {
      const what = [s.keywordMismatch, s.vectorMismatch && `vectors: ${s.vectorMismatch}`].filter(Boolean).join("; ");
      out.push({ checkId: "state.memory_index_mismatch", step: "state", severity: "warn", title: `memory index for agent ${id} was built with other settings (${what})`, detail: "Search keeps answering (by keyword for a vector mismatch) until the rebuild; the rebuild swaps in when complete.", fix: `openclaw memory index --force ${agentFlag(id)}` });
    }
    const d = s.dirty;
    if (s.state === "dirty") {
      out.push({ checkId: "state.memory_index_dirty", step: "state", severity: "info", title: `memory index for agent ${id} is out of date: ${d.added} added, ${d.changed} changed, ${d.removed} removed file(s)${d.sample.length ? ` (${d.sample.slice(0, 3).join(", ")})` : ""}`, detail: "A running gateway reindexes changed files on its own; without one, index them by hand.", fix: index });
    }
    if (s.pendingEmbeddings > 0 && s.state !== "mismatch") {
      out.push({ checkId: "state.memory_embeddings_pending", step: "state", severity: "info", title: `memory index for agent ${id}: ${s.pendingEmbeddings} chunk(s) wait for embeddings`, fix: index });
    }
    if (s.building) {
      out.push({ checkId: "state.memory_rebuild_unfinished", step: "state", severity: "info", title: `memory rebuild for agent ${id} stopped part-way (generation ${s.building.generation}: ${s.building.files} files so far)`, fix: `openclaw memory index --force ${agentFlag(id)} (continues it)` });
    }
  }
  return out;
}
